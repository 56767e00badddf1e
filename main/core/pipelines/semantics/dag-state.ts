/**
 * A DAG run's tasks taken together (SEMANTICS.md §2.4; Airflow models/dagrun.py
 * `DagRun.update_state` and the scheduler's `flag_upstream_failed` pass): which tasks may start,
 * which can already be given a terminal state, and what state the run is in.
 */
import type { TaskState, TriggerRule } from '../../../../shared/pipelines';
import { activeStates, failedStates, isUnfinished, schedulableStates, successStates } from './states';
import { evaluateTriggerRule, type TriggerVerdict } from './trigger-rules';

/** The slice of a task instance these rules look at. */
export interface DagTask {
  readonly id: string;
  readonly state: TaskState;
  /** Ids of the direct upstream tasks, all of which must be in the same list. */
  readonly upstream: readonly string[];
  readonly triggerRule: TriggerRule;
  /** For an `up_for_retry` task: epoch ms from which it may run again; absent or null = at once. */
  readonly nextRetryAt?: number | null;
}

/** An early terminal assignment made by `propagate`. */
export interface StateChange {
  readonly id: string;
  readonly from: TaskState;
  readonly to: 'skipped' | 'upstream_failed';
}

function indexById(tasks: readonly DagTask[]): Map<string, TaskState> {
  return new Map(tasks.map((task) => [task.id, task.state]));
}

function verdictOf(task: DagTask, states: ReadonlyMap<string, TaskState>): TriggerVerdict {
  const upstream = task.upstream.map((id) => {
    const state = states.get(id);
    if (state === undefined) throw new Error(`task '${task.id}' depends on '${id}', which is not in this DAG run`);
    return state;
  });
  return evaluateTriggerRule(task.triggerRule, upstream);
}

const isSchedulable = (state: TaskState): boolean => schedulableStates.includes(state);

/**
 * Applies the trigger rules' early terminal assignments (skipped / upstream_failed) to
 * schedulable tasks, again and again until nothing changes, so a failure or a skip travels all
 * the way down in one call. Returns the changes in the order they were made; `tasks` is not
 * modified.
 */
export function propagate(tasks: readonly DagTask[]): StateChange[] {
  const states = indexById(tasks);
  const changes: StateChange[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const task of tasks) {
      const state = states.get(task.id)!;
      if (!isSchedulable(state)) continue;
      const verdict = verdictOf(task, states);
      if (verdict === 'skipped' || verdict === 'upstream_failed') {
        states.set(task.id, verdict);
        changes.push({ id: task.id, from: state, to: verdict });
        changed = true;
      }
    }
  }
  return changes;
}

/** `tasks` with `changes` applied (a new array; unchanged tasks are the same objects). */
export function applyChanges<T extends DagTask>(tasks: readonly T[], changes: readonly StateChange[]): T[] {
  if (changes.length === 0) return [...tasks];
  const to = new Map(changes.map((change) => [change.id, change.to]));
  return tasks.map((task) => {
    const state = to.get(task.id);
    return state === undefined ? task : { ...task, state };
  });
}

/**
 * Tasks the scheduler may start now: in a schedulable state (`none`, or `up_for_retry` whose
 * `nextRetryAt` has come) with their trigger rule met. Airflow waits until strictly after
 * `next_retry_datetime`; we allow the instant itself, so a timer set for it finds the task ready.
 */
export function runnableTasks<T extends DagTask>(tasks: readonly T[], now: number): T[] {
  const states = indexById(tasks);
  return tasks.filter((task) => {
    if (task.state === 'up_for_retry') {
      if (task.nextRetryAt != null && now < task.nextRetryAt) return false;
    } else if (task.state !== 'none') {
      return false;
    }
    return verdictOf(task, states) === 'runnable';
  });
}

/** Tasks nobody depends on: the ones whose states decide the run. */
export function leafTasks<T extends DagTask>(tasks: readonly T[]): T[] {
  const hasDownstream = new Set(tasks.flatMap((task) => task.upstream));
  return tasks.filter((task) => !hasDownstream.has(task.id));
}

/**
 * The run's state from its tasks, as `DagRun.update_state` decides it, after the early terminal
 * assignments the scheduler would make first:
 * - nothing unfinished and a leaf failed / upstream_failed → `failed`;
 * - nothing unfinished and every leaf success / skipped → `success` (a leaf with `all_done` can
 *   thus succeed the run despite failures above it);
 * - something unfinished but nothing can ever move (no task scheduled, queued, running,
 *   restarting or up for retry, and no waiting task whose rule is met) → `failed` (deadlock);
 * - else `running`.
 * Removed leaves are ignored, as in Airflow.
 */
export function dagRunState(tasks: readonly DagTask[]): 'running' | 'success' | 'failed' {
  const settled = applyChanges(tasks, propagate(tasks));
  const leaves = leafTasks(settled).filter((task) => task.state !== 'removed');
  const unfinished = settled.filter((task) => isUnfinished(task.state));
  if (unfinished.length === 0) {
    if (leaves.some((task) => failedStates.includes(task.state))) return 'failed';
    if (leaves.every((task) => successStates.includes(task.state))) return 'success';
  }
  const states = indexById(settled);
  const canMove = unfinished.some((task) => activeStates.includes(task.state) || verdictOf(task, states) === 'runnable');
  return canMove ? 'running' : 'failed';
}
