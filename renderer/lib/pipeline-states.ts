import type { DagRun, DagRunState, TaskInstance, TaskState } from '../../shared/pipelines';

/**
 * Task-instance and DAG-run states as the UI shows them: Airflow's colours (SEMANTICS.md §2.1,
 * airflow/utils/state.py `STATE_COLORS`), the same in the graph, the grid, chips and tooltips, so
 * someone who knows Airflow reads them at a glance. They are CSS colour names, which both CSS and
 * a canvas take.
 */
export const taskStateColors: Readonly<Record<TaskState, string>> = {
  none: 'lightblue',
  scheduled: 'tan',
  queued: 'gray',
  running: 'lime',
  success: 'green',
  failed: 'red',
  up_for_retry: 'gold',
  upstream_failed: 'orange',
  skipped: 'hotpink',
  removed: 'lightgrey',
  restarting: 'violet',
};

/** DAG runs use the task colours of the same names (Airflow's grid bars). */
export const dagRunStateColors: Readonly<Record<DagRunState, string>> = {
  queued: taskStateColors.queued,
  running: taskStateColors.running,
  success: taskStateColors.success,
  failed: taskStateColors.failed,
};

/** `up for retry`, `upstream failed`; Airflow's null state reads "no status". */
export function stateLabel(state: TaskState | DagRunState): string {
  return state === 'none' ? 'no status' : state.replaceAll('_', ' ');
}

/** States a task can still leave on its own (Airflow's `unfinished` set). */
const unfinishedTaskStates: ReadonlySet<TaskState> = new Set(['none', 'scheduled', 'queued', 'running', 'up_for_retry', 'restarting']);

export function isTaskUnfinished(state: TaskState): boolean {
  return unfinishedTaskStates.has(state);
}

/** A DAG run that can still change (Cancel applies; views keep their clock running). */
export function isDagRunActive(run: Pick<DagRun, 'state'>): boolean {
  return run.state === 'queued' || run.state === 'running';
}

/** How long something ran: to its end, or to `now` while it runs; null before it started. */
export function spanMs(startedAt: number | null, endedAt: number | null, now: number): number | null {
  if (startedAt === null) return null;
  return Math.max(0, (endedAt ?? now) - startedAt);
}

/** A DAG run's duration (a queued run has none yet). */
export function dagRunDurationMs(run: Pick<DagRun, 'startedAt' | 'endedAt' | 'state'>, now: number): number | null {
  return spanMs(run.startedAt, run.endedAt ?? (isDagRunActive(run) ? null : run.startedAt), now);
}

/** A task's current attempt: its duration, to now while it runs. */
export function taskDurationMs(task: Pick<TaskInstance, 'startedAt' | 'endedAt' | 'state'>, now: number): number | null {
  if (task.startedAt === null) return null;
  if (task.endedAt === null && task.state !== 'running' && task.state !== 'restarting') return null;
  return spanMs(task.startedAt, task.endedAt, now);
}

/** `try 2/3`: the attempt shown against the most the task may take (retries + 1, more after a clear). */
export function tryLabel(task: Pick<TaskInstance, 'tryNumber' | 'maxTries'>): string {
  return `try ${Math.max(task.tryNumber, 0)}/${task.maxTries}`;
}
