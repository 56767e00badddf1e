/**
 * The data and model steps: each calls the service the UI and CLI use (so the heavy work runs in
 * that service's worker process: DuckDB, the trainer, the model worker) and turns the result into
 * step outputs. Dataset references are `name` (the latest version, or the version a re-run pins)
 * or `name@3`.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { ZodType } from 'zod';
import { invalid } from '../../../../shared/errors';
import { parseSuite } from '../../../../shared/suite-format';
import { sweepSpecSchema, trainingConfigSchema } from '../../../../shared/training';
import { transformStepSchema, type TransformStep } from '../../../../shared/transforms';
import { toApiError } from '../../../../shared/errors';
import type { DatasetService } from '../../datasets/dataset-service';
import type { ValidationService } from '../../datasets/validation-service';
import type { JobHandle, JobTracker } from '../../jobs/job-tracker';
import type { EvaluationService } from '../../models/evaluation-service';
import type { RegistryService } from '../../registry/registry-service';
import type { TrainingService } from '../../training/training-service';
import { StepAborted, type StepContext, type StepExecutor } from './step-context';

export interface StepServices {
  readonly datasets: DatasetService;
  readonly validation: ValidationService;
  readonly training: TrainingService;
  readonly evaluation: EvaluationService;
  readonly registry: RegistryService;
  readonly jobs: JobTracker;
}

const str = (params: Readonly<Record<string, unknown>>, key: string, required = true): string | undefined => {
  const value = params[key];
  if (value === undefined || value === null || value === '') {
    if (required) throw invalid(`params.${key} is required.`);
    return undefined;
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw invalid(`params.${key} must be a string, got ${JSON.stringify(value)}.`);
  return String(value);
};

const pathIn = (context: StepContext, path: string): string => (isAbsolute(path) ? path : resolve(context.baseDir, path));

/** `name` or `name@3` → the version to read, pinned by a re-run when there is a pin. */
export function datasetRef(datasets: DatasetService, context: StepContext, ref: string): { dataset: string; version: number } {
  const at = ref.lastIndexOf('@');
  const dataset = at > 0 ? ref.slice(0, at) : ref;
  const explicit = at > 0 ? Number(ref.slice(at + 1)) : undefined;
  if (explicit !== undefined && (!Number.isInteger(explicit) || explicit < 1)) throw invalid(`'${ref}': the version after '@' must be a positive whole number.`);
  const version = datasets.rows.version(dataset, explicit ?? context.pins[dataset]).version;
  context.readInput(`${dataset}@${version}`);
  return { dataset, version };
}

/** Service work with its progress in the status bar and the log, stopped when the attempt is. */
async function asJob<T>(jobs: JobTracker, context: StepContext, kind: string, label: string, work: (job: JobHandle) => Promise<T>): Promise<T> {
  const job = jobs.start(kind, `${context.pipeline} › ${context.taskId}: ${label}`, 'items');
  const onAbort = (): void => jobs.cancel(job.id);
  context.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const value = await work(job);
    job.finish();
    return value;
  } catch (error) {
    job.fail(error);
    if (context.signal.aborted) throw new StepAborted('stopped');
    throw error;
  } finally {
    context.signal.removeEventListener('abort', onAbort);
  }
}

function parseWith<T>(schema: ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(`${what}: ${toApiError(parsed.error).message}`);
  return parsed.data;
}

export function serviceSteps(services: StepServices): Record<'ingest' | 'validate' | 'preprocess' | 'features' | 'train' | 'evaluate' | 'register', StepExecutor> {
  const { datasets, validation, training, evaluation, registry, jobs } = services;

  const transformStep: StepExecutor = async (params, context) => {
    const source = datasetRef(datasets, context, str(params, 'dataset')!);
    const steps = parseWith(transformStepSchema.array().min(1), params.steps, 'params.steps') as TransformStep[];
    const output = str(params, 'output', false);
    context.log(`transforming ${source.dataset}@${source.version} with ${steps.length} step(s)${output ? ` into ${output}` : ''}`);
    const version = await asJob(jobs, context, 'transform', `transforming ${source.dataset}`, (job) => datasets.transform(source.dataset, source.version, steps, output, job));
    context.log(`→ ${version.dataset}@${version.version} (${version.rowCount} rows)`);
    return { dataset: `${version.dataset}@${version.version}` };
  };

  return {
    ingest: async (params, context) => {
      // Re-run exactly: the data is the version the original run ingested, not whatever the file holds now.
      if (context.pinnedOutputs?.dataset) {
        const pinned = datasetRef(datasets, context, context.pinnedOutputs.dataset);
        context.log(`re-run: using ${pinned.dataset}@${pinned.version}, which the original run ingested`);
        return { dataset: `${pinned.dataset}@${pinned.version}` };
      }
      const path = pathIn(context, str(params, 'path')!);
      const name = str(params, 'name', false);
      context.log(`importing ${path}`);
      const version = await asJob(jobs, context, 'import', `importing ${name ?? path}`, (job) =>
        datasets.importPath(path, { ...(name ? { name } : {}), ...(params.csv ? { csv: params.csv as never } : {}), writeDvcFile: params.dvc === true, createdBy: { kind: 'pipeline', detail: context.dagRun } }, job),
      );
      context.readInput(`${version.dataset}@${version.version}`);
      context.log(`→ ${version.dataset}@${version.version} (${version.rowCount} rows, ${version.fileCount} file(s))`);
      return { dataset: `${version.dataset}@${version.version}` };
    },

    validate: async (params, context) => {
      const target = datasetRef(datasets, context, str(params, 'dataset')!);
      const suitePath = pathIn(context, str(params, 'suite')!);
      const suite = parseSuite(await readFile(suitePath, 'utf8').catch(() => {
        throw invalid(`Cannot read the expectation suite ${suitePath}.`);
      }));
      context.log(`validating ${target.dataset}@${target.version} with ${suite.name} (${suite.expectations.length} expectations)`);
      const report = await asJob(jobs, context, 'validate', `validating ${target.dataset}`, (job) => validation.validate(target.dataset, target.version, suite, 'SUMMARY', job));
      const { statistics } = report.result;
      context.log(`${statistics.successful_expectations} of ${statistics.evaluated_expectations} expectations hold`);
      for (const result of report.result.results.filter((r) => !r.success)) context.log(`  failed: ${result.expectation_config.type} ${JSON.stringify(result.expectation_config.kwargs)}`);
      if (!report.success) throw new Error(`Validation failed: ${statistics.unsuccessful_expectations} of ${statistics.evaluated_expectations} expectations do not hold (report ${report.id}).`);
      return { dataset: `${target.dataset}@${target.version}`, report: String(report.id), success: 'true' };
    },

    preprocess: transformStep,
    features: transformStep,

    train: async (params, context): Promise<Record<string, string>> => {
      const data = datasetRef(datasets, context, str(params, 'dataset')!);
      const { dataset: _dataset, sweep: rawSweep, experiment: _experiment, ...rest } = params;
      const config = parseWith(trainingConfigSchema, rest, 'train params');
      const options = { experimentId: context.experimentId, name: `${context.pipeline}.${context.taskId}` };
      if (rawSweep !== undefined) {
        const sweep = parseWith(sweepSpecSchema, rawSweep, 'params.sweep');
        const started = training.sweep(data, config, sweep, options);
        context.setRun(started.runId);
        const onAbort = (): void => training.cancel(started.runId);
        context.signal.addEventListener('abort', onAbort, { once: true });
        const { run, bestRunId } = await started.done.finally(() => context.signal.removeEventListener('abort', onAbort));
        if (context.signal.aborted) throw new StepAborted('stopped');
        if (run.status !== 'FINISHED' || !bestRunId) throw new Error(`The sweep ended ${run.status}${bestRunId ? '' : ' with no finished trial'}.`);
        context.log(`sweep ${run.id}: best trial ${bestRunId}`);
        return { run: run.id, best_run: bestRunId, model: `runs:/${bestRunId}/model` };
      }
      context.log(`training on ${data.dataset}@${data.version}, target ${config.target}, ${config.epochs} epochs`);
      const started = training.start(data, config, options);
      context.setRun(started.runId);
      const onAbort = (): void => training.cancel(started.runId);
      context.signal.addEventListener('abort', onAbort, { once: true });
      const { run, summary, error } = await started.done.finally(() => context.signal.removeEventListener('abort', onAbort));
      if (context.signal.aborted) throw new StepAborted('stopped');
      if (run.status !== 'FINISHED') throw new Error(error ?? `The training run ended ${run.status}.`);
      if (summary) context.log(`${summary.epochs} epochs on ${summary.provider}; best ${JSON.stringify(summary.best)}`);
      return { run: run.id, model: `runs:/${run.id}/model` };
    },

    evaluate: async (params, context) => {
      const data = datasetRef(datasets, context, str(params, 'dataset')!);
      const uri = str(params, 'model')!;
      const target = str(params, 'target', false);
      const failIf = str(params, 'fail_if', false);
      context.log(`evaluating ${uri} on ${data.dataset}@${data.version}${failIf ? ` (fail_if: ${failIf})` : ''}`);
      const started = evaluation.evaluate({ uri, ...data, ...(target ? { target } : {}), ...(failIf ? { failIf } : {}), experimentId: context.experimentId, name: `${context.pipeline}.${context.taskId}` });
      context.setRun(started.runId);
      const onAbort = (): void => {
        try {
          evaluation.cancel(started.runId);
        } catch {
          // already finished
        }
      };
      context.signal.addEventListener('abort', onAbort, { once: true });
      const { run, result, error } = await started.done.finally(() => context.signal.removeEventListener('abort', onAbort));
      if (context.signal.aborted) throw new StepAborted('stopped');
      if (result) context.log(Object.entries(result.metrics).filter(([key]) => !key.includes('_') || /_(macro|weighted)$/.test(key)).map(([key, value]) => `${key}=${value.toPrecision(4)}`).join('  '));
      if (run.status !== 'FINISHED') throw new Error(error ?? `The evaluation run ended ${run.status}.`);
      return { run: run.id };
    },

    register: async (params, context) => {
      const uri = str(params, 'model')!;
      const match = /^runs:\/([0-9a-f]{32})\/(.+)$/.exec(uri);
      if (!match) throw invalid(`params.model must be a runs:/<run id>/<path> URI (e.g. \${{ steps.train.outputs.model }}), got '${uri}'.`);
      const name = str(params, 'name')!;
      const alias = str(params, 'alias', false);
      const stage = str(params, 'stage', false);
      const description = str(params, 'description', false);
      const version = registry.register(match[1]!, name, {
        artifactPath: match[2]!,
        ...(alias ? { alias } : {}),
        ...(stage ? { stage } : {}),
        ...(description ? { description } : {}),
        archiveExisting: params.archive_existing === true,
        tags: { 'trainyard.dag_run': context.dagRun },
      });
      context.log(`registered ${uri} as models:/${version.name}/${version.version}${alias ? ` @${alias}` : ''}${stage ? ` in ${version.stage}` : ''}`);
      return { model_version: `models:/${version.name}/${version.version}`, version: String(version.version) };
    },
  };
}
