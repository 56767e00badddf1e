import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '../../shared/jobs';
import { setConnection } from '../api/connection';
import { createFakeConnection } from '../api/fake-api';
import { finishedVisibleMs, useJobsStore, visibleJobs } from './jobs';
import { useToastsStore } from './toasts';

const job = (changes: Partial<Job> = {}): Job => ({
  id: 'j1', kind: 'import', label: 'Importing iris', phase: 'hashing', state: 'running', done: 0, total: 100_000_000, unit: 'bytes',
  startedAt: 1000, endedAt: null, error: null, result: null, ...changes,
});

let fake: ReturnType<typeof createFakeConnection>;
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  fake = createFakeConnection();
  setConnection(fake);
  useJobsStore.setState({ entries: {} });
  useToastsStore.setState({ toasts: [] });
});
afterEach(() => vi.useRealTimers());

describe('jobs store', () => {
  it('measures the rate of a running job from its progress events', () => {
    const { onUpdated } = useJobsStore.getState();
    onUpdated(job({ done: 0 }));
    expect(useJobsStore.getState().entries.j1?.rate).toBeNull();
    vi.setSystemTime(1000);
    onUpdated(job({ done: 20_000_000 }));
    vi.setSystemTime(2000);
    onUpdated(job({ done: 40_000_000 }));
    expect(useJobsStore.getState().entries.j1?.rate).toBe(20_000_000);
  });

  it('keeps a finished import with a link for a few seconds, then lets it go', () => {
    const { onUpdated } = useJobsStore.getState();
    onUpdated(job());
    onUpdated(job({ state: 'done', phase: 'done', result: 'dataset:iris@2', endedAt: 5000 }));
    expect(visibleJobs(useJobsStore.getState().entries).map((entry) => entry.job.state)).toEqual(['done']);
    vi.advanceTimersByTime(finishedVisibleMs + 10);
    expect(useJobsStore.getState().entries).toEqual({});
  });

  it('turns a failure into a toast with its message, and ignores old news', () => {
    const { onUpdated } = useJobsStore.getState();
    onUpdated(job({ id: 'old', state: 'done', result: 'dataset:x@1' }));
    expect(useJobsStore.getState().entries).toEqual({});
    onUpdated(job());
    onUpdated(job({ state: 'failed', phase: 'failed', error: "Could not import 'iris.csv': line 7 has 3 fields, the header has 5" }));
    expect(useJobsStore.getState().entries).toEqual({});
    expect(useToastsStore.getState().toasts).toMatchObject([{ tone: 'error', title: 'Importing iris failed', message: "Could not import 'iris.csv': line 7 has 3 fields, the header has 5" }]);
  });

  it('cancels its own uploads locally and server jobs through jobs.cancel', async () => {
    const local = useJobsStore.getState().startLocal({ kind: 'upload', label: 'Uploading iris', unit: 'bytes', total: 10, phase: 'uploading' });
    const [entry] = visibleJobs(useJobsStore.getState().entries);
    expect(entry?.local).toBe(true);
    await useJobsStore.getState().cancel(entry!.job.id);
    expect(local.signal.aborted).toBe(true);
    local.fail(new Error('aborted'));
    expect(useJobsStore.getState().entries).toEqual({});
    expect(useToastsStore.getState().toasts).toMatchObject([{ tone: 'info', title: 'Uploading iris cancelled' }]);

    useJobsStore.getState().onUpdated(job({ id: 'server-job' }));
    await useJobsStore.getState().cancel('server-job');
    expect(fake.backend.calls.filter((call) => call.operation === 'jobs.cancel')).toEqual([{ operation: 'jobs.cancel', input: { id: 'server-job' } }]);
  });
});
