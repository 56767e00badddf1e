/**
 * The orchestrator's pure semantic core (SEMANTICS.md §2): task-state sets, trigger rules,
 * retries, DAG-run state, cron and the interval schedule. No I/O and no clock: every time is an
 * argument in epoch ms, every duration a number of seconds.
 */
export { activeStates, failedStates, finishedStates, isFinished, isUnfinished, schedulableStates, successStates, unfinishedStates } from './states';
export { evaluateTriggerRule, type TriggerVerdict } from './trigger-rules';
export { defaultRetryDelayS, maxRetryDelayCapS, nextRetryAt, pythonUtcDateString, retryDecision, retryDelaySeconds, retryJitterKey, type NextRetryInput, type RetryDelayInput, type RetryInput } from './retry';
export { applyChanges, dagRunState, leafTasks, propagate, runnableTasks, type DagTask, type StateChange } from './dag-state';
export { cronMacros, parseCron, type CronSpec } from './cron-expression';
export { firesAt, nextFire, previousFire, wallClock } from './cron';
export { timeZone } from './time-zone';
export { dueRuns, nextDueAt, scheduledRunId, type DueRun, type ScheduleInput } from './schedule';
