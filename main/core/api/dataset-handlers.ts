import { isAbsolute } from 'node:path';
import { invalid } from '../../../shared/errors';
import { parseSuite } from '../../../shared/suite-format';
import { suggestExpectations } from '../../../shared/suggest-expectations';
import type { Job } from '../../../shared/jobs';
import type { Database } from '../db/database';
import type { DatasetService } from '../datasets/dataset-service';
import { lineageOf } from '../datasets/lineage';
import type { Uploads } from '../datasets/uploads';
import type { ValidationService } from '../datasets/validation-service';
import type { JobHandle, JobTracker } from '../jobs/job-tracker';
import type { Handlers } from './dispatcher';

export interface DatasetHandlerServices {
  readonly db: Database;
  readonly datasets: DatasetService;
  readonly validation: ValidationService;
  readonly uploads: Uploads;
  readonly jobs: JobTracker;
}

type DatasetOperations = Extract<keyof Handlers, `datasets.${string}` | `jobs.${string}` | `suites.${string}`>;

const ok = { ok: true } as const;

/** Runs long work as a tracked job: progress in the status bar, cancel, and a final state. */
export async function withJob<T>(jobs: JobTracker, kind: string, label: string, unit: Job['unit'], work: (job: JobHandle) => Promise<T>, resultOf?: (value: T) => string): Promise<T> {
  const job = jobs.start(kind, label, unit);
  try {
    const value = await work(job);
    job.finish(resultOf?.(value));
    return value;
  } catch (error) {
    job.fail(error);
    throw error;
  }
}

export function createDatasetHandlers(services: DatasetHandlerServices): Pick<Handlers, DatasetOperations> {
  const { datasets, validation, jobs, uploads } = services;
  const versionLabel = (value: { dataset: string; version: number }): string => `dataset:${value.dataset}@${value.version}`;
  return {
    'jobs.list': () => jobs.list(),
    'jobs.cancel': ({ id }) => (jobs.cancel(id), ok),

    'datasets.list': () => datasets.rows.summaries(),
    'datasets.versions': ({ dataset }) => datasets.rows.versions(dataset),
    'datasets.version': ({ dataset, version }) => datasets.rows.version(dataset, version),
    'datasets.import': async ({ source, name, csv, writeDvcFile }) => {
      let path: string;
      if (source.kind === 'path') {
        if (!isAbsolute(source.path)) throw invalid(`A dropped path must be absolute; got '${source.path}'.`);
        path = source.path;
      } else {
        path = await uploads.importPath(source.uploadId);
      }
      const label = `Importing ${name ?? path.split(/[\\/]/).pop()}`;
      try {
        return await withJob(jobs, 'import', label, 'bytes', (job) => datasets.importPath(path, { ...(name ? { name } : {}), ...(csv ? { csv } : {}), writeDvcFile }, job), versionLabel);
      } finally {
        if (source.kind === 'upload') await uploads.remove(source.uploadId);
      }
    },
    'datasets.preview': ({ dataset, version, offset, limit }) => datasets.preview(dataset, version, offset, limit),
    'datasets.validate': ({ dataset, version, suite, resultFormat }) => {
      const parsed = parseSuite(suite);
      return withJob(jobs, 'validate', `Validating ${dataset} with ${parsed.name}`, 'items', (job) => validation.validate(dataset, version, parsed, resultFormat, job));
    },
    'datasets.reports': ({ dataset, version }) => validation.reports(dataset, version),
    'datasets.suggestSuite': ({ dataset, version, name }) => {
      const target = datasets.rows.version(dataset, version);
      return suggestExpectations(target.profile, name ?? `${target.dataset}.suite`);
    },
    'datasets.transform': ({ dataset, version, steps, outputName }) =>
      withJob(jobs, 'transform', `Transforming ${dataset}`, 'steps', (job) => datasets.transform(dataset, version, steps, outputName, job), versionLabel),
    'datasets.lineage': ({ dataset, version }) => lineageOf(services.db, datasets.rows.version(dataset, version).id),
    'suites.list': () => validation.suites(),
  };
}
