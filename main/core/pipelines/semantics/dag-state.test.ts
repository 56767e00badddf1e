import { describe, expect, it } from 'vitest';
import { taskStates, type TaskState, type TriggerRule } from '../../../../shared/pipelines';
import { applyChanges, dagRunState, leafTasks, propagate, runnableTasks, type DagTask } from './dag-state';
import { failedStates, finishedStates, schedulableStates, successStates, unfinishedStates } from './states';

function task(id: string, state: TaskState, upstream: string[] = [], triggerRule: TriggerRule = 'all_success', nextRetryAt?: number): DagTask {
  return { id, state, upstream, triggerRule, nextRetryAt };
}

describe('state sets', () => {
  it("split every state into finished or unfinished, as Airflow's do", () => {
    expect([...finishedStates, ...unfinishedStates].sort()).toEqual([...taskStates].sort());
    expect(finishedStates.filter((state) => unfinishedStates.includes(state))).toEqual([]);
  });
  it('keep success, failed and schedulable states where Airflow has them', () => {
    expect(successStates).toEqual(['success', 'skipped']);
    expect(failedStates).toEqual(['failed', 'upstream_failed']);
    expect(schedulableStates).toEqual(['none', 'up_for_retry']);
  });
});

describe('propagate', () => {
  it('carries a failure down an all_success chain in one call, whatever the list order', () => {
    const tasks = [task('d', 'none', ['c']), task('c', 'none', ['b']), task('b', 'none', ['a']), task('a', 'failed')];
    expect(propagate(tasks)).toEqual([
      { id: 'b', from: 'none', to: 'upstream_failed' },
      { id: 'c', from: 'none', to: 'upstream_failed' },
      { id: 'd', from: 'none', to: 'upstream_failed' },
    ]);
    expect(tasks[0]!.state).toBe('none'); // the input is left alone
  });

  it('skips down all_success chains and stops at a rule that tolerates skips', () => {
    const tasks = [
      task('branch', 'success'),
      task('left', 'skipped', ['branch']),
      task('after_left', 'none', ['left']),
      task('join', 'none', ['after_left', 'right'], 'none_failed'),
      task('right', 'running', ['branch']),
    ];
    expect(propagate(tasks)).toEqual([{ id: 'after_left', from: 'none', to: 'skipped' }]);
  });

  it('gives up_for_retry tasks their terminal state too, but never touches running or finished ones', () => {
    const tasks = [task('a', 'failed'), task('b', 'up_for_retry', ['a']), task('c', 'running', ['a']), task('d', 'success', ['a'])];
    expect(propagate(tasks)).toEqual([{ id: 'b', from: 'up_for_retry', to: 'upstream_failed' }]);
  });

  it('names an upstream that is not in the run', () => {
    expect(() => propagate([task('a', 'none', ['ghost'])])).toThrow("task 'a' depends on 'ghost', which is not in this DAG run");
  });

  it('applies its changes without touching the other tasks', () => {
    const tasks = [task('a', 'failed'), task('b', 'none', ['a'])];
    const applied = applyChanges(tasks, propagate(tasks));
    expect(applied.map((t) => t.state)).toEqual(['failed', 'upstream_failed']);
    expect(applied[0]).toBe(tasks[0]);
  });
});

describe('runnableTasks', () => {
  const now = Date.UTC(2026, 0, 1, 12);

  it('offers roots and tasks whose rule is met, in list order', () => {
    const tasks = [task('ingest', 'success'), task('validate', 'none', ['ingest']), task('train', 'none', ['validate']), task('docs', 'none')];
    expect(runnableTasks(tasks, now).map((t) => t.id)).toEqual(['validate', 'docs']);
  });

  it('offers nothing that is already scheduled, queued, running or finished', () => {
    const tasks = (['scheduled', 'queued', 'running', 'restarting', 'success', 'failed', 'skipped', 'upstream_failed', 'removed'] as const).map((state) => task(state, state));
    expect(runnableTasks(tasks, now)).toEqual([]);
  });

  it('holds an up_for_retry task until its nextRetryAt', () => {
    const retrying = [task('train', 'up_for_retry', [], 'all_success', now + 1)];
    expect(runnableTasks(retrying, now)).toEqual([]);
    expect(runnableTasks(retrying, now + 1)).toEqual(retrying);
    expect(runnableTasks([task('train', 'up_for_retry')], now)).toHaveLength(1);
  });

  it('does not offer a task whose rule can no longer be met', () => {
    expect(runnableTasks([task('a', 'failed'), task('b', 'none', ['a'])], now)).toEqual([]);
    expect(runnableTasks([task('a', 'failed'), task('b', 'none', ['a'], 'all_done')], now).map((t) => t.id)).toEqual(['b']);
  });

  it('keeps the caller’s own fields', () => {
    const tasks = [{ ...task('a', 'none'), kind: 'train' as const }];
    expect(runnableTasks(tasks, now)[0]?.kind).toBe('train');
  });
});

describe('leafTasks', () => {
  it('are the tasks nobody depends on', () => {
    const tasks = [task('a', 'none'), task('b', 'none', ['a']), task('c', 'none', ['a']), task('d', 'none', ['b'])];
    expect(leafTasks(tasks).map((t) => t.id)).toEqual(['c', 'd']);
  });
});

describe('dagRunState', () => {
  it('succeeds when every leaf succeeded or was skipped', () => {
    expect(dagRunState([task('a', 'success'), task('b', 'success', ['a']), task('c', 'skipped', ['a'])])).toBe('success');
  });

  it('runs while something is unfinished and can move', () => {
    expect(dagRunState([task('a', 'success'), task('b', 'running', ['a'])])).toBe('running');
    expect(dagRunState([task('a', 'success'), task('b', 'none', ['a'])])).toBe('running');
    expect(dagRunState([task('a', 'queued')])).toBe('running');
    // a retry far in the future still counts as progress, not as a deadlock
    expect(dagRunState([task('a', 'up_for_retry', [], 'all_success', Number.MAX_SAFE_INTEGER)])).toBe('running');
  });

  it('stays running while another branch is unfinished, even after a leaf failed', () => {
    expect(dagRunState([task('a', 'failed'), task('b', 'running')])).toBe('running');
  });

  it('fails when a leaf failed and nothing is left', () => {
    expect(dagRunState([task('a', 'success'), task('b', 'failed', ['a']), task('c', 'success', ['a'])])).toBe('failed');
  });

  it('fails at once when a failure leaves nothing runnable below it', () => {
    // b and c still say none, but the scheduler's pass would mark them upstream_failed
    expect(dagRunState([task('a', 'failed'), task('b', 'none', ['a']), task('c', 'none', ['b'])])).toBe('failed');
  });

  it('lets an all_done leaf decide the run despite failures above it', () => {
    const tasks = (cleanup: TaskState) => [task('train', 'failed'), task('cleanup', cleanup, ['train'], 'all_done')];
    expect(dagRunState(tasks('none'))).toBe('running');
    expect(dagRunState(tasks('success'))).toBe('success');
    expect(dagRunState(tasks('failed'))).toBe('failed');
  });

  it('succeeds when a skip travels down to the leaves', () => {
    expect(dagRunState([task('branch', 'success'), task('left', 'skipped', ['branch']), task('after', 'none', ['left'])])).toBe('success');
  });

  it('fails a deadlock: unfinished tasks whose rules wait for something that will never come', () => {
    // a removed upstream is done but never a success, and all_success assigns nothing for it
    expect(dagRunState([task('a', 'removed'), task('b', 'none', ['a'])])).toBe('failed');
    expect(dagRunState([task('a', 'removed'), task('b', 'none', ['a'], 'all_skipped')])).toBe('failed');
  });

  it('ignores removed leaves', () => {
    expect(dagRunState([task('a', 'success'), task('gone', 'removed')])).toBe('success');
  });

  it('succeeds a run without tasks, as Airflow does', () => {
    expect(dagRunState([])).toBe('success');
  });
});
