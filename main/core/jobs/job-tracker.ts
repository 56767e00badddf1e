import { randomUUID } from 'node:crypto';
import { WorkbenchError } from '../../../shared/errors';
import type { Job } from '../../../shared/jobs';
import { Emitter } from '../events/emitter';

/** Progress events per job are thinned to this interval; the final state always goes out. */
const eventIntervalMs = 100;

/** The handle the code doing the work holds. */
export interface JobHandle {
  readonly id: string;
  /** Aborted when the user cancels; pass it on (kill the worker, stop the loop). */
  readonly signal: AbortSignal;
  progress(done: number, total?: number | null, phase?: string): void;
  finish(result?: string): void;
  fail(error: unknown): void;
}

/** Long-running work in main, tracked for the status bar; finished jobs are kept for a while. */
export class JobTracker {
  private readonly jobs = new Map<string, { job: Job; controller: AbortController; lastEvent: number }>();
  private readonly didUpdate = new Emitter<Job>();
  readonly onDidUpdateJob = this.didUpdate.event;

  start(kind: string, label: string, unit: Job['unit'], total: number | null = null): JobHandle {
    const id = randomUUID();
    const controller = new AbortController();
    const entry = {
      job: { id, kind, label, phase: 'starting', state: 'running', done: 0, total, unit, startedAt: Date.now(), endedAt: null, error: null, result: null } as Job,
      controller,
      lastEvent: 0,
    };
    this.jobs.set(id, entry);
    this.prune();
    this.emit(entry, true);
    const update = (changes: Partial<Job>, force: boolean): void => {
      if (entry.job.state !== 'running') return;
      entry.job = { ...entry.job, ...changes };
      this.emit(entry, force);
    };
    return {
      id,
      signal: controller.signal,
      progress: (done, nextTotal, phase) =>
        update({ done, ...(nextTotal !== undefined ? { total: nextTotal } : {}), ...(phase ? { phase } : {}) }, Boolean(phase && phase !== entry.job.phase)),
      finish: (result) => update({ state: 'done', phase: 'done', endedAt: Date.now(), result: result ?? null, ...(entry.job.total !== null ? { done: entry.job.total } : {}) }, true),
      fail: (error) =>
        update(
          controller.signal.aborted
            ? { state: 'cancelled', phase: 'cancelled', endedAt: Date.now() }
            : { state: 'failed', phase: 'failed', endedAt: Date.now(), error: error instanceof Error ? error.message : String(error) },
          true,
        ),
    };
  }

  list(): Job[] {
    return [...this.jobs.values()].map((entry) => entry.job).sort((a, b) => b.startedAt - a.startedAt);
  }

  cancel(id: string): void {
    const entry = this.jobs.get(id);
    if (!entry) throw new WorkbenchError('NOT_FOUND', `No job with id '${id}'.`);
    if (entry.job.state === 'running') entry.controller.abort(new Error('cancelled by the user'));
  }

  private emit(entry: { job: Job; lastEvent: number }, force: boolean): void {
    const now = Date.now();
    if (!force && now - entry.lastEvent < eventIntervalMs) return;
    entry.lastEvent = now;
    this.didUpdate.fire(entry.job);
  }

  /** Keeps the 50 most recent finished jobs. */
  private prune(): void {
    const finished = [...this.jobs.values()].filter((entry) => entry.job.state !== 'running').sort((a, b) => b.job.startedAt - a.job.startedAt);
    for (const entry of finished.slice(50)) this.jobs.delete(entry.job.id);
  }

  dispose(): void {
    for (const entry of this.jobs.values()) entry.controller.abort(new Error('the app is closing'));
    this.didUpdate.dispose();
  }
}
