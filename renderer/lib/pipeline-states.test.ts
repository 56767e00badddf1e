import { describe, expect, it } from 'vitest';
import { dagRunDurationMs, isDagRunActive, isTaskUnfinished, stateLabel, taskDurationMs, tryLabel } from './pipeline-states';

describe('pipeline states', () => {
  it("reads Airflow's states as words", () => {
    expect(stateLabel('up_for_retry')).toBe('up for retry');
    expect(stateLabel('upstream_failed')).toBe('upstream failed');
    expect(stateLabel('none')).toBe('no status');
    expect(tryLabel({ tryNumber: 2, maxTries: 3 })).toBe('try 2/3');
  });

  it('counts a running task or run up to now, and nothing before it starts', () => {
    expect(taskDurationMs({ startedAt: 1_000, endedAt: null, state: 'running' }, 4_000)).toBe(3_000);
    expect(taskDurationMs({ startedAt: 1_000, endedAt: 2_500, state: 'failed' }, 9_000)).toBe(1_500);
    expect(taskDurationMs({ startedAt: null, endedAt: null, state: 'none' }, 9_000)).toBeNull();
    // Waiting for its next try: the last try's time, not a clock that keeps going.
    expect(taskDurationMs({ startedAt: 1_000, endedAt: null, state: 'up_for_retry' }, 9_000)).toBeNull();
    expect(dagRunDurationMs({ startedAt: 1_000, endedAt: null, state: 'running' }, 5_000)).toBe(4_000);
    expect(dagRunDurationMs({ startedAt: null, endedAt: null, state: 'queued' }, 5_000)).toBeNull();
    expect(dagRunDurationMs({ startedAt: 1_000, endedAt: 3_000, state: 'failed' }, 5_000)).toBe(2_000);
  });

  it('knows which tasks and runs can still change', () => {
    expect(['none', 'running', 'up_for_retry', 'restarting'].every((state) => isTaskUnfinished(state as 'none'))).toBe(true);
    expect(['success', 'failed', 'upstream_failed', 'skipped', 'removed'].some((state) => isTaskUnfinished(state as 'none'))).toBe(false);
    expect(isDagRunActive({ state: 'queued' })).toBe(true);
    expect(isDagRunActive({ state: 'success' })).toBe(false);
  });
});
