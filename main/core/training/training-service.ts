import { extname } from 'node:path';
import { z } from 'zod';
import type { DataSource, DatasetFormat } from '../../../shared/datasets';
import { WorkbenchError, invalid } from '../../../shared/errors';
import type { RunInfo } from '../../../shared/tracking';
import { trainingSummarySchema, type SweepSpec, type TrainerPreprocessingInput, type TrainingConfig, type TrainingSummary } from '../../../shared/training';
import { flattenParams } from './flatten-params';
import { preprocessingChain } from './preprocessing-chain';
import { runSweep, type StartedSweep } from './sweep-runner';

export { flattenParams } from './flatten-params';
import type { Database } from '../db/database';
import type { DatasetService } from '../datasets/dataset-service';
import { recordRunInput } from '../datasets/lineage';
import { withJob } from '../api/dataset-handlers';
import type { JobTracker } from '../jobs/job-tracker';
import type { ArtifactService } from '../tracking/artifact-service';
import type { TrackingService } from '../tracking/tracking-service';
import { WorkerFailure, type WorkerHost } from '../workers/worker-host';

/** What to train on: a stored dataset version, or (CLI) a file read in place. */
export type TrainingData = { readonly dataset: string; readonly version?: number } | { readonly file: string };

export interface StartedTraining {
  readonly runId: string;
  /** Settles when the run ends: FINISHED, FAILED (with the reason as a tag) or KILLED. */
  readonly done: Promise<{ run: RunInfo; summary: TrainingSummary | null; error: string | null }>;
}

/** The trainer worker's answer: the summary and the exported model (model.onnx, MLmodel, env files). */
const trainerResultSchema = z.object({
  summary: trainingSummarySchema,
  model: z.object({
    onnx: z.instanceof(Uint8Array),
    mlmodel: z.string(),
    files: z.record(z.string(), z.string()),
    verifiedRows: z.number(),
    /** Whether the dataset's transform steps are inside model.onnx, and if not, why. */
    preprocessing: z.object({ baked: z.boolean(), note: z.string() }),
  }),
});

const formatsByExtension: Record<string, DatasetFormat> = { '.csv': 'csv', '.tsv': 'csv', '.txt': 'csv', '.parquet': 'parquet', '.pq': 'parquet', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'jsonl' };

/**
 * A version made by a split step holds one file per part. Training reads the `train` part and
 * validates on `validation` (or `val`, or else `test`) — never on rows the split held out for
 * another purpose mixed into the training set.
 */
export function splitParts(source: DataSource, tabular: readonly string[]): { train: DataSource; validation?: DataSource; split: boolean } {
  const part = (name: string): number => tabular.findIndex((relpath) => relpath.replace(/\.[^.]+$/, '').toLowerCase() === name);
  const train = part('train');
  if (train === -1 || tabular.length < 2) return { train: source, split: false };
  const validation = [part('validation'), part('val'), part('test')].find((index) => index !== -1);
  const only = (index: number): DataSource => ({ ...source, files: [source.files[index]!] });
  return { train: only(train), ...(validation !== undefined ? { validation: only(validation) } : {}), split: true };
}


/**
 * Training jobs: each one is a run (params, live metrics, the execution provider that ran) driven
 * by a trainer worker process, so a crash or a stuck GPU call ends that run, never the app.
 */
export class TrainingService {
  private readonly running = new Map<string, { kill(reason?: string): void }>();
  private readonly sweeps = new Map<string, StartedSweep>();
  private readonly cancelledSweeps = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly deps: { tracking: TrackingService; datasets: DatasetService; workers: WorkerHost; jobs: JobTracker; artifacts: ArtifactService },
  ) {}

  start(data: TrainingData, config: TrainingConfig, options: { experimentId?: string; name?: string; parentRunId?: string } = {}): StartedTraining {
    const { tracking, datasets } = this.deps;
    let source: DataSource;
    let validation: DataSource | undefined;
    let inputVersion: number | null = null;
    let preprocessing: TrainerPreprocessingInput | null = null;
    let label: string;
    if ('dataset' in data) {
      const version = datasets.rows.version(data.dataset, data.version);
      const parts = splitParts(datasets.sourceOf(version), version.readOptions.tabular);
      source = parts.train;
      validation = parts.validation;
      inputVersion = version.id;
      preprocessing = preprocessingChain(datasets, version);
      label = `${version.dataset}@${version.version}${parts.validation ? ' (train / validation parts)' : parts.split ? ' (train part)' : ''}`;
    } else {
      const format = formatsByExtension[extname(data.file).toLowerCase()];
      if (!format) throw invalid(`Cannot tell the format of '${data.file}': use a .csv, .tsv, .parquet or .jsonl file, or import it as a dataset first.`);
      source = { format, files: [data.file], ...(extname(data.file).toLowerCase() === '.tsv' ? { csv: { delimiter: '\t' } } : {}) };
      label = data.file;
    }
    const run = tracking.createRun({
      ...(options.experimentId ? { experimentId: options.experimentId } : {}),
      ...(options.name ? { name: options.name } : {}),
      ...(options.parentRunId ? { parentRunId: options.parentRunId } : {}),
      params: flattenParams(config).slice(0, 100),
      tags: [{ key: 'trainyard.kind', value: 'train' }, { key: 'trainyard.data', value: label }],
    });
    if (inputVersion !== null) recordRunInput(this.db, tracking.pkOf(run.id), inputVersion, 'train');

    const done = withJob(this.deps.jobs, 'train', `Training ${run.name} on ${label}`, 'steps', async (job) => {
      const handle = this.deps.workers.run<unknown>('trainer', { source, ...(validation ? { validation } : {}), ...(preprocessing ? { preprocessing } : {}), config, runId: run.id }, {
        onMessage: (message) => {
          if (message.type === 'metrics') tracking.logBatch({ runId: run.id, metrics: message.points });
          else if (message.type === 'param') tracking.logBatch({ runId: run.id, params: [{ key: message.key, value: message.value }] });
          else if (message.type === 'progress') job.progress(message.done, message.total, message.message);
        },
      });
      this.running.set(run.id, handle);
      const onAbort = (): void => handle.kill('cancelled by the user');
      job.signal.addEventListener('abort', onAbort);
      try {
        const outcome = trainerResultSchema.parse(await handle.result);
        const summary = outcome.summary;
        job.progress(0, null, 'storing the model');
        const { artifacts } = this.deps;
        await artifacts.writeBytes(run.id, 'model/model.onnx', outcome.model.onnx);
        await artifacts.writeBytes(run.id, 'model/MLmodel', Buffer.from(outcome.model.mlmodel));
        for (const [name, text] of Object.entries(outcome.model.files)) await artifacts.writeBytes(run.id, `model/${name}`, Buffer.from(text));
        tracking.logBatch({
          runId: run.id,
          tags: [
            { key: 'trainyard.status', value: summary.status },
            { key: 'trainyard.execution', value: summary.execution },
            { key: 'trainyard.features', value: summary.features.join(',').slice(0, 8000) },
            { key: 'trainyard.export_verified_rows', value: String(outcome.model.verifiedRows) },
            { key: 'trainyard.export_inputs', value: outcome.model.preprocessing.note.slice(0, 8000) },
          ],
        });
        return { run: tracking.endRun(run.id, summary.status === 'cancelled' ? 'KILLED' : 'FINISHED'), summary, error: null };
      } catch (error) {
        const killed = error instanceof WorkerFailure && error.reason === 'killed';
        const message = error instanceof Error ? error.message : String(error);
        tracking.setTag(run.id, 'trainyard.error', message.slice(0, 8000));
        const ended = tracking.endRun(run.id, killed ? 'KILLED' : 'FAILED');
        if (!killed) throw Object.assign(new WorkbenchError('INVALID_ARGUMENT', message), { run: ended });
        return { run: ended, summary: null, error: message };
      } finally {
        job.signal.removeEventListener('abort', onAbort);
        this.running.delete(run.id);
      }
    }).catch((error: unknown) => ({ run: tracking.getRunInfo(run.id), summary: null, error: error instanceof Error ? error.message : String(error) }));
    return { runId: run.id, done };
  }

  /** Grid or random search as a parent run with nested trial runs (see sweep-runner.ts). */
  sweep(data: TrainingData, base: TrainingConfig, spec: SweepSpec, options: { experimentId?: string; name?: string } = {}): StartedSweep {
    const started = runSweep({ tracking: this.deps.tracking, trainer: this, cancelled: this.cancelledSweeps }, data, base, spec, options);
    this.sweeps.set(started.runId, started);
    void started.done.finally(() => this.sweeps.delete(started.runId));
    return started;
  }

  /** Stops a training run, or a whole sweep (its running trials, and no new ones). */
  cancel(runId: string): void {
    if (this.sweeps.has(runId)) {
      this.cancelledSweeps.add(runId);
      for (const [trialId, handle] of this.running) {
        if (this.deps.tracking.getRunInfo(trialId).parentRunId === runId) handle.kill('the sweep was cancelled');
      }
      return;
    }
    const handle = this.running.get(runId);
    if (!handle) throw new WorkbenchError('NOT_FOUND', `Run ${runId} is not training.`);
    handle.kill('cancelled by the user');
  }
}
