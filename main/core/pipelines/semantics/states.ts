/**
 * Airflow's task-instance state sets (SEMANTICS.md §2.1, airflow/utils/state.py), over the states
 * our `TaskState` holds. Airflow's `up_for_reschedule` and `deferred` (sensors, triggers) are not
 * states Trainyard has, so they are absent here; everything else is Airflow's set verbatim.
 */
import { finishedStates as sharedFinishedStates, type TaskState } from '../../../../shared/pipelines';

/** Terminal: the task will not run again unless cleared. */
export const finishedStates: readonly TaskState[] = sharedFinishedStates;

/** Everything that is not finished; `none` included (created, deps not yet met). */
export const unfinishedStates: readonly TaskState[] = ['none', 'scheduled', 'queued', 'running', 'restarting', 'up_for_retry'];

/** Finished states that count as "went well" for a DAG run's leaves. */
export const successStates: readonly TaskState[] = ['success', 'skipped'];

/** Finished states that fail a DAG run when a leaf ends in one. */
export const failedStates: readonly TaskState[] = ['failed', 'upstream_failed'];

/** States from which the scheduler may move a task on (to scheduled, or to an early terminal state). */
export const schedulableStates: readonly TaskState[] = ['none', 'up_for_retry'];

/**
 * Unfinished states in which the task is already in someone's hands (or will be retried by
 * itself), so the run can still make progress without any trigger rule being met.
 */
export const activeStates: readonly TaskState[] = ['scheduled', 'queued', 'running', 'restarting', 'up_for_retry'];

export const isFinished = (state: TaskState): boolean => finishedStates.includes(state);
export const isUnfinished = (state: TaskState): boolean => unfinishedStates.includes(state);
