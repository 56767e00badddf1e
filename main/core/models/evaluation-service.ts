/**
 * Evaluating a model on a dataset version: a `model` worker scores the rows and computes the
 * metrics and plots (workers/model/evaluate); this service makes that an `evaluate` run — metrics
 * logged, plots stored as artifacts (SVG to look at anywhere, JSON for the UI to draw), lineage to
 * the data — and applies the optional gate (`fail_if`), which fails the run when it holds.
 */
import type { DataSource } from '../../../shared/datasets';
import { WorkbenchError, invalid } from '../../../shared/errors';
import { evaluationResultSchema, type EvaluationResult } from '../../../shared/models';
import type { RunInfo } from '../../../shared/tracking';
import { withJob } from '../api/dataset-handlers';
import type { Database } from '../db/database';
import type { DatasetService } from '../datasets/dataset-service';
import { recordRunInput } from '../datasets/lineage';
import type { JobTracker } from '../jobs/job-tracker';
import type { RegistryService } from '../registry/registry-service';
import type { ArtifactService } from '../tracking/artifact-service';
import type { TrackingService } from '../tracking/tracking-service';
import { WorkerFailure, type WorkerHost } from '../workers/worker-host';
import { evaluateGate, parseGate, type GateVerdict } from './gate';

export interface EvaluateRequest {
  /** models:/name/3, models:/name@alias, models:/name/Production, runs:/<id>/model */
  readonly uri: string;
  readonly dataset: string;
  readonly version?: number;
  /** The column with the true values; by default the training run's target (or the labels column of an image folder). */
  readonly target?: string;
  /** e.g. "metrics.accuracy < 0.9": when it holds the run FAILS. */
  readonly failIf?: string;
  readonly experimentId?: string;
  readonly name?: string;
}

export interface EvaluationOutcome {
  readonly run: RunInfo;
  readonly result: EvaluationResult | null;
  readonly gate: GateVerdict | null;
  readonly error: string | null;
}

export interface StartedEvaluation {
  readonly runId: string;
  readonly done: Promise<EvaluationOutcome>;
}

const labelColumns = ['label', 'class', 'target'];

export class EvaluationService {
  private readonly running = new Map<string, { kill(reason?: string): void }>();

  constructor(
    private readonly db: Database,
    private readonly deps: { tracking: TrackingService; artifacts: ArtifactService; datasets: DatasetService; registry: RegistryService; workers: WorkerHost; jobs: JobTracker },
  ) {}

  evaluate(request: EvaluateRequest): StartedEvaluation {
    const { tracking, datasets, registry } = this.deps;
    if (request.failIf !== undefined) parseGate(request.failIf); // a typo fails now, not after scoring
    const resolved = registry.resolve(request.uri);
    const file = registry.modelFile(request.uri);
    const version = datasets.rows.version(request.dataset, request.version);
    const { source, part } = evaluationPart(datasets.sourceOf(version), version.readOptions.tabular);
    const target = request.target ?? this.defaultTarget(resolved.runId, version);
    const modelLabel = resolved.version ? `${resolved.version.name} v${resolved.version.version}` : request.uri;
    const dataLabel = `${version.dataset}@${version.version}${part ? ` (${part} part)` : ''}`;
    const sourceRun = resolved.runId ? this.existingRun(resolved.runId) : null;
    const run = tracking.createRun({
      ...(request.experimentId ? { experimentId: request.experimentId } : sourceRun ? { experimentId: sourceRun.experimentId } : {}),
      name: request.name ?? `evaluate ${modelLabel}`,
      params: [
        { key: 'model_uri', value: request.uri },
        { key: 'dataset', value: dataLabel },
        { key: 'target', value: target },
        ...(request.failIf ? [{ key: 'fail_if', value: request.failIf }] : []),
      ],
      tags: [
        { key: 'trainyard.kind', value: 'evaluate' },
        { key: 'trainyard.model_uri', value: request.uri },
        ...(resolved.version ? [{ key: 'trainyard.model_version', value: `${resolved.version.name}/${resolved.version.version}` }] : []),
        ...(resolved.runId ? [{ key: 'trainyard.source_run', value: resolved.runId }] : []),
        { key: 'trainyard.data', value: dataLabel },
      ],
    });
    recordRunInput(this.db, tracking.pkOf(run.id), version.id, 'evaluate');

    const done = withJob(this.deps.jobs, 'evaluate', `Evaluating ${modelLabel} on ${dataLabel}`, 'items', async (job) => {
      const handle = this.deps.workers.run<unknown>('model', { task: 'evaluate', file, source, target }, {
        onMessage: (message) => {
          if (message.type === 'progress') job.progress(message.done, message.total, message.message);
        },
      });
      const onAbort = (): void => handle.kill('cancelled by the user');
      job.signal.addEventListener('abort', onAbort);
      this.running.set(run.id, handle);
      try {
        const result = evaluationResultSchema.parse(await handle.result);
        await this.store(run.id, result);
        const gate = request.failIf ? evaluateGate(request.failIf, result.metrics) : null;
        if (resolved.version) registry.setTag(resolved.version.name, 'trainyard.last_evaluation', run.id, resolved.version.version);
        if (gate?.failed) {
          const message = `The gate failed: ${gate.reasons.join(' and ')} (fail_if: ${request.failIf}).`;
          tracking.setTag(run.id, 'trainyard.error', message);
          return { run: tracking.endRun(run.id, 'FAILED'), result, gate, error: message };
        }
        return { run: tracking.endRun(run.id, 'FINISHED'), result, gate, error: null };
      } catch (error) {
        const killed = error instanceof WorkerFailure && error.reason === 'killed';
        const message = error instanceof Error ? error.message : String(error);
        tracking.setTag(run.id, 'trainyard.error', message.slice(0, 8000));
        const ended = tracking.endRun(run.id, killed ? 'KILLED' : 'FAILED');
        if (!killed) throw Object.assign(new WorkbenchError('INVALID_ARGUMENT', message), { run: ended });
        return { run: ended, result: null, gate: null, error: message };
      } finally {
        job.signal.removeEventListener('abort', onAbort);
        this.running.delete(run.id);
      }
    }).catch((error: unknown) => ({ run: tracking.getRunInfo(run.id), result: null, gate: null, error: error instanceof Error ? error.message : String(error) }));
    return { runId: run.id, done };
  }

  /** Stops an evaluation in progress (its run ends KILLED). */
  cancel(runId: string): void {
    const handle = this.running.get(runId);
    if (!handle) throw new WorkbenchError('NOT_FOUND', `Run ${runId} is not evaluating.`);
    handle.kill('cancelled');
  }

  private async store(runId: string, result: EvaluationResult): Promise<void> {
    const { tracking, artifacts } = this.deps;
    const timestamp = Date.now();
    tracking.logBatch({
      runId,
      metrics: [...Object.entries(result.metrics).map(([key, value]) => ({ key, value, step: 0, timestamp })), { key: 'eval_rows', value: result.rows, step: 0, timestamp }],
    });
    for (const plot of result.plots) {
      await artifacts.writeBytes(runId, `eval/${plot.name}.svg`, Buffer.from(plot.svg));
      await artifacts.writeBytes(runId, `eval/${plot.name}.json`, Buffer.from(JSON.stringify(plot.data)));
    }
    const summary = { task: result.task, rows: result.rows, skippedRows: result.skippedRows, classes: result.classes ?? null, metrics: result.metrics, notes: result.notes, plots: result.plots.map((plot) => plot.name) };
    await artifacts.writeBytes(runId, 'eval/summary.json', Buffer.from(JSON.stringify(summary, null, 2)));
  }

  private existingRun(runId: string): RunInfo | null {
    try {
      return this.deps.tracking.getRunInfo(runId);
    } catch {
      return null; // purged: the registered version outlives its run
    }
  }

  private defaultTarget(runId: string | null, version: { format: string; schema: readonly { name: string }[] }): string {
    const trained = runId && this.existingRun(runId) ? this.deps.tracking.getRun(runId).params.target : undefined;
    if (trained) return trained;
    if (version.format === 'images') {
      const column = version.schema.find((c) => labelColumns.includes(c.name.trim().toLowerCase()));
      if (column) return column.name;
    }
    throw invalid(`Say which column holds the true values (target): the model's run does not record one. The columns are ${version.schema.map((c) => c.name).join(', ')}.`);
  }
}

/**
 * Held-out data: a split version is evaluated on its `test` part (else `validation`/`val`), never
 * on rows the model trained on; any other version as a whole.
 */
export function evaluationPart(source: DataSource, tabular: readonly string[]): { source: DataSource; part: string | null } {
  const stem = (relpath: string): string => relpath.replace(/\.[^.]+$/, '').toLowerCase();
  if (tabular.length < 2 || !tabular.some((relpath) => stem(relpath) === 'train')) return { source, part: null };
  for (const name of ['test', 'validation', 'val']) {
    const index = tabular.findIndex((relpath) => stem(relpath) === name);
    if (index !== -1) return { source: { ...source, files: [source.files[index]!] }, part: name };
  }
  return { source, part: null };
}
