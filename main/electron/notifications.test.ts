import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunInfo } from '../../shared/tracking';
import { Emitter } from '../core/events/emitter';
import { formatDuration, watchRunNotifications, type RunNotification } from './notifications';

const run = (id: string, status: RunInfo['status'], overrides: Partial<RunInfo> = {}): RunInfo => ({
  id,
  name: `run-${id}`,
  experimentId: '0',
  parentRunId: null,
  status,
  startTime: 0,
  endTime: status === 'RUNNING' ? null : 192_000,
  deleted: false,
  childCount: 0,
  source: null,
  environment: null,
  ...overrides,
});

describe('run notifications', () => {
  let created: Emitter<RunInfo>;
  let updated: Emitter<RunInfo>;
  let shown: RunNotification[];
  let watcher: { dispose(): void };

  beforeEach(() => {
    vi.useFakeTimers();
    created = new Emitter();
    updated = new Emitter();
    shown = [];
    watcher = watchRunNotifications({ onDidCreateRun: created.event, onDidUpdateRun: updated.event }, (n) => shown.push(n), { batchMs: 1000 });
  });
  afterEach(() => {
    watcher.dispose();
    vi.useRealTimers();
  });

  it('announces a run that leaves RUNNING, with its name and duration', () => {
    created.fire(run('a', 'RUNNING'));
    updated.fire(run('a', 'FINISHED'));
    vi.advanceTimersByTime(1000);
    expect(shown).toEqual([{ title: 'Run run-a finished', body: 'After 3m 12s.', runId: 'a' }]);

    created.fire(run('b', 'RUNNING'));
    updated.fire(run('b', 'FAILED', { endTime: 4000 }));
    vi.advanceTimersByTime(1000);
    expect(shown.at(-1)).toEqual({ title: 'Run run-b failed', body: 'After 4s.', runId: 'b' });
  });

  it('stays quiet for changes that are not an end: renames, runs it never saw running, a second end', () => {
    updated.fire(run('old', 'FINISHED'));
    created.fire(run('c', 'RUNNING'));
    updated.fire(run('c', 'RUNNING', { name: 'renamed' }));
    updated.fire(run('c', 'KILLED'));
    updated.fire(run('c', 'KILLED', { name: 'renamed again' }));
    vi.advanceTimersByTime(5000);
    expect(shown).toEqual([{ title: 'Run run-c was stopped', body: 'After 3m 12s.', runId: 'c' }]);
  });

  it('sums up runs that end together in one notification', () => {
    for (const id of ['1', '2', '3', '4']) created.fire(run(id, 'RUNNING'));
    updated.fire(run('1', 'FINISHED'));
    updated.fire(run('2', 'FINISHED'));
    updated.fire(run('3', 'FAILED'));
    updated.fire(run('4', 'KILLED'));
    vi.advanceTimersByTime(1000);
    expect(shown).toEqual([{ title: '4 runs ended', body: '2 finished, 1 failed, 1 stopped.', runId: null }]);
  });

  it('notifies nothing after dispose', () => {
    created.fire(run('d', 'RUNNING'));
    updated.fire(run('d', 'FINISHED'));
    watcher.dispose();
    vi.advanceTimersByTime(5000);
    expect(shown).toEqual([]);
  });

  it('formats durations for people', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(3_725_000)).toBe('1h 2m');
    expect(formatDuration(-1)).toBe('');
  });
});
