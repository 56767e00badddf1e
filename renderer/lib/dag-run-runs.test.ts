import { describe, expect, it } from 'vitest';
import type { Attempt, TaskInstance } from '../../shared/pipelines';
import { trackingRunsOf } from './dag-run-runs';

const attempt = (tryNumber: number, runId: string | null): Attempt => ({ tryNumber, state: 'success', startedAt: 1, endedAt: 2, message: null, runId });
const task = (taskId: string, attempts: Attempt[]): TaskInstance => ({
  taskId, kind: 'command', state: 'success', tryNumber: attempts.length, maxTries: 2, startedAt: 1, endedAt: 2, nextRetryAt: null, outputs: {}, cachedFrom: null, message: null, attempts,
});

describe('the tracking runs of a DAG run', () => {
  it('takes every attempt’s run once, in task then try order, and skips attempts without one', () => {
    const tasks = [
      task('train', [attempt(2, 'run-b'), attempt(1, 'run-a')]),
      task('prepare', [attempt(1, null)]),
      task('evaluate', [attempt(1, 'run-c'), attempt(2, 'run-c')]),
    ];
    expect(trackingRunsOf({ tasks })).toEqual(['run-a', 'run-b', 'run-c']);
  });

  it('finds none in a run whose tasks were all cached', () => {
    expect(trackingRunsOf({ tasks: [task('train', [])] })).toEqual([]);
  });
});
