import { describe, expect, it } from 'vitest';
import type { RunNotification } from './notifications';
import { watchPipelineNotifications, type PipelineEvents } from './pipeline-notifications';

describe('pipeline notifications', () => {
  it('announces finished DAG runs, naming failed tasks and the first reason', () => {
    let listener: Parameters<PipelineEvents['onDidChange']>[0] = () => undefined;
    const events: PipelineEvents = {
      onDidChange: (l) => ((listener = l), { dispose: () => undefined }),
      dagRun: () => ({ tasks: [{ taskId: 'train', state: 'failed', message: 'loss became NaN at step 12\nmore' }, { taskId: 'register', state: 'upstream_failed', message: null }] }),
    };
    const shown: RunNotification[] = [];
    watchPipelineNotifications(events, (n) => shown.push(n));
    listener({ dagRun: 'p/manual__1', pipeline: 'p', state: 'running', finished: false });
    listener({ dagRun: 'p/manual__1', pipeline: 'p', state: 'failed', finished: true });
    listener({ dagRun: 'p/manual__2', pipeline: 'p', state: 'success', finished: true });
    expect(shown).toEqual([
      { title: 'Pipeline p failed', body: 'train failed: loss became NaN at step 12', runId: null },
      { title: 'Pipeline p succeeded', body: 'p/manual__2', runId: null },
    ]);
  });
});
