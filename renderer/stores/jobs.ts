import { create } from 'zustand';
import type { Job } from '../../shared/jobs';
import { getApi } from '../api/connection';
import { hrefOfResult } from '../lib/hash-route';
import { addSample, rateOf, type ProgressSample } from '../lib/job-progress';
import { reportError, useToastsStore } from './toasts';

/** A job as the status bar shows it: the server's (or the renderer's own upload), plus its rate. */
export interface TrackedJob {
  readonly job: Job;
  /** Units per second over the last few seconds; null until measurable. */
  readonly rate: number | null;
  /** Work the renderer does itself (a browser-mode upload): cancelled here, not through main. */
  readonly local: boolean;
}

/** The renderer's handle on a job it runs itself. */
export interface LocalJob {
  readonly signal: AbortSignal;
  progress(done: number, total?: number | null, phase?: string): void;
  finish(): void;
  fail(error: unknown): void;
}

interface JobsState {
  readonly entries: Readonly<Record<string, TrackedJob>>;
  /** Jobs already running when the window opened (an import started from the CLI, say). */
  load(): Promise<void>;
  /** From `job.updated`. */
  onUpdated(job: Job): void;
  startLocal(spec: { kind: string; label: string; unit: Job['unit']; total: number | null; phase: string }): LocalJob;
  cancel(id: string): Promise<void>;
  dismiss(id: string): void;
}

/** A finished job with something to show (a new version) stays this long, with its link. */
export const finishedVisibleMs = 6000;

// Bookkeeping that never renders: rate samples and the abort switches of local jobs.
const samples = new Map<string, ProgressSample[]>();
const controllers = new Map<string, AbortController>();
let localCounter = 0;

export const useJobsStore = create<JobsState>()((set, get) => {
  const track = (job: Job, local: boolean): void => {
    const history = addSample(samples.get(job.id) ?? [], { at: Date.now(), done: job.done });
    samples.set(job.id, history);
    set((state) => ({ entries: { ...state.entries, [job.id]: { job, rate: job.state === 'running' ? rateOf(history) : null, local } } }));
    if (job.state === 'running') return;
    samples.delete(job.id);
    controllers.delete(job.id);
    if (job.state === 'failed') {
      reportError(`${job.label} failed`, job.error ?? 'no reason given');
      get().dismiss(job.id);
    } else if (job.state === 'cancelled') {
      useToastsStore.getState().push({ tone: 'info', title: `${job.label} cancelled`, message: '' });
      get().dismiss(job.id);
    } else if (hrefOfResult(job.result) === null) {
      // Nothing to link to (an upload, handed over to the import that follows): no lingering.
      get().dismiss(job.id);
    } else {
      setTimeout(() => get().dismiss(job.id), finishedVisibleMs);
    }
  };

  return {
    entries: {},
    async load() {
      try {
        const jobs = await getApi()['jobs.list']({});
        for (const job of jobs) if (job.state === 'running' && !get().entries[job.id]) track(job, false);
      } catch {
        // The status bar simply shows no jobs; every later one arrives as an event anyway.
      }
    },
    onUpdated(job) {
      // Finished jobs the window never saw running (a reconnect, a second window) are old news.
      if (job.state !== 'running' && !get().entries[job.id]) return;
      track(job, false);
    },
    startLocal({ kind, label, unit, total, phase }) {
      localCounter += 1;
      const id = `local-${localCounter}`;
      const controller = new AbortController();
      controllers.set(id, controller);
      let job: Job = { id, kind, label, phase, state: 'running', done: 0, total, unit, startedAt: Date.now(), endedAt: null, error: null, result: null };
      const update = (changes: Partial<Job>): void => {
        if (job.state !== 'running') return;
        job = { ...job, ...changes };
        track(job, true);
      };
      track(job, true);
      return {
        signal: controller.signal,
        progress: (done, nextTotal, nextPhase) => update({ done, ...(nextTotal !== undefined ? { total: nextTotal } : {}), ...(nextPhase ? { phase: nextPhase } : {}) }),
        finish: () => update({ state: 'done', phase: 'done', endedAt: Date.now() }),
        fail: (error) =>
          update(
            controller.signal.aborted
              ? { state: 'cancelled', phase: 'cancelled', endedAt: Date.now() }
              : { state: 'failed', phase: 'failed', endedAt: Date.now(), error: error instanceof Error ? error.message : String(error) },
          ),
      };
    },
    async cancel(id) {
      const controller = controllers.get(id);
      if (controller) {
        controller.abort();
        return;
      }
      try {
        await getApi()['jobs.cancel']({ id });
      } catch (error) {
        reportError('Cancelling the job failed', error);
      }
    },
    dismiss(id) {
      set((state) => {
        if (!state.entries[id]) return state;
        const { [id]: _gone, ...rest } = state.entries;
        return { entries: rest };
      });
    },
  };
});

/** Jobs for the status bar: running first (oldest first), then the briefly shown finished ones. */
export function visibleJobs(entries: Readonly<Record<string, TrackedJob>>): TrackedJob[] {
  return Object.values(entries).sort((a, b) => Number(a.job.state !== 'running') - Number(b.job.state !== 'running') || a.job.startedAt - b.job.startedAt);
}
