import type { WorkbenchEvent } from '../../shared/events';
import type { Job } from '../../shared/jobs';
import { ApiError } from './api-error';

/** The fake's job tracker: the same `job.updated` events main sends, with cancel. */
export interface FakeJobs {
  readonly jobs: Map<string, Job>;
  /** Milliseconds each job pretends to take (0 in tests), so the demo shows progress bars. */
  durationMs: number;
  run<T>(spec: { kind: string; label: string; unit: Job['unit']; total: number | null; phase: string }, work: () => T | Promise<T>, resultOf?: (value: T) => string): Promise<T>;
  cancel(id: string): void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createFakeJobs(emit: (event: WorkbenchEvent) => void): FakeJobs {
  let counter = 0;
  const cancelled = new Set<string>();
  const jobs = new Map<string, Job>();
  const update = (job: Job): Job => {
    jobs.set(job.id, job);
    emit({ name: 'job.updated', payload: { job } });
    return job;
  };
  const fake: FakeJobs = {
    jobs,
    durationMs: 0,
    async run(spec, work, resultOf) {
      counter += 1;
      let job = update({
        id: `fake-job-${counter}`, kind: spec.kind, label: spec.label, phase: spec.phase, state: 'running', done: 0, total: spec.total,
        unit: spec.unit, startedAt: Date.now(), endedAt: null, error: null, result: null,
      });
      try {
        const ticks = Math.floor(fake.durationMs / 100);
        for (let tick = 1; tick <= ticks; tick += 1) {
          await sleep(100);
          if (cancelled.has(job.id)) throw new ApiError('CONFLICT', `${spec.label} was cancelled.`);
          job = update({ ...job, done: spec.total === null ? tick : Math.round((spec.total * tick) / (ticks + 1)) });
        }
        const value = await work();
        update({ ...job, state: 'done', phase: 'done', done: job.total ?? job.done, endedAt: Date.now(), result: resultOf?.(value) ?? null });
        return value;
      } catch (error) {
        const wasCancelled = cancelled.has(job.id);
        const message = error instanceof Error ? error.message : String(error);
        update({ ...job, state: wasCancelled ? 'cancelled' : 'failed', phase: wasCancelled ? 'cancelled' : 'failed', endedAt: Date.now(), error: wasCancelled ? null : message });
        throw error instanceof ApiError ? error : new ApiError('INVALID_ARGUMENT', message);
      }
    },
    cancel(id) {
      const job = jobs.get(id);
      if (!job) throw new ApiError('NOT_FOUND', `No job with id '${id}'.`);
      if (job.state === 'running') cancelled.add(id);
    },
  };
  return fake;
}
