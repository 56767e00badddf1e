/**
 * One attempt of a task: where its log goes, what it runs with (or the cached outputs it reuses),
 * and how its failure is recorded — up_for_retry with Airflow's delay, or failed.
 */
import { join } from 'node:path';
import type { StepKind } from '../../../shared/pipelines';
import { dagRunKey, type DagRunRow, type PipelineStore, type TaskRow } from './pipeline-store';
import { attemptInputs, type CacheInputs } from './run-inputs';
import { nextRetryAt, retryDecision } from './semantics/index';
import { parseDuration, type ParsedPipeline } from './spec/index';
import { StepAborted, type StepContext, type StepExecutor } from './steps/step-context';

type Step = ParsedPipeline['spec']['steps'][string];

export interface AttemptOutcome {
  readonly outputs: Record<string, string>;
  /** The DAG run whose outputs were reused, when the step was unchanged. */
  readonly cachedFrom: string | null;
  readonly cacheKey: string | null;
}

export interface AttemptDeps {
  readonly store: PipelineStore;
  readonly executors: Readonly<Record<StepKind, StepExecutor>>;
  readonly cacheInputs: CacheInputs | undefined;
  readonly experimentId: string;
}

/** `<logs>/dag_id=…/run_id=…/task_id=…/attempt=N.log` (Airflow's layout). */
export function attemptLogPath(logsDir: string, run: DagRunRow, taskId: string, tryNumber: number): string {
  return join(logsDir, `dag_id=${run.pipeline}`, `run_id=${run.run_id}`, `task_id=${taskId}`, `attempt=${tryNumber}.log`);
}

/** Resolves the step's inputs, reuses a cached success when nothing changed, else runs the executor. */
export async function executeAttempt(
  deps: AttemptDeps,
  run: DagRunRow,
  step: Step,
  task: TaskRow,
  tryNumber: number,
  byId: ReadonlyMap<string, TaskRow>,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<AttemptOutcome> {
  const { store } = deps;
  const outputs = Object.fromEntries([...byId.values()].map((other) => [other.task_id, JSON.parse(other.outputs) as Record<string, string>]));
  const { params, resolved, baseDir, pins, pinnedOutputs, cacheKey } = attemptInputs(store, run, step, task.task_id, outputs, deps.cacheInputs);
  if (cacheKey && run.force === 0) {
    const hit = store.cached(cacheKey, run.id);
    if (hit) {
      log(`unchanged since ${hit.dagRun}: reusing its outputs ${hit.outputs} (run with --force to recompute)`);
      return { outputs: JSON.parse(hit.outputs) as Record<string, string>, cachedFrom: hit.dagRun, cacheKey };
    }
  }
  const context: StepContext = {
    pipeline: run.pipeline,
    dagRun: dagRunKey(run.pipeline, run.run_id),
    taskId: task.task_id,
    tryNumber,
    baseDir,
    params,
    signal,
    pins,
    pinnedOutputs,
    experimentId: deps.experimentId,
    log,
    setRun: (runId) => store.updateAttempt(task.id, tryNumber, { run_id: runId }),
    readInput: (ref) => addInput(store, run.id, ref),
  };
  return { outputs: await deps.executors[step.kind](resolved, context), cachedFrom: null, cacheKey };
}

/** Why an attempt failed, as its log and task say: its own error, or what stopped it. */
export function failureMessage(stoppedFor: string | null, signal: AbortSignal, error: unknown): string {
  const reason = signal.reason instanceof Error ? signal.reason.message : null;
  if (stoppedFor === 'timeout') return `Timed out: ${reason ?? 'execution_timeout passed'}`;
  if (error instanceof StepAborted || stoppedFor) return `Stopped: ${reason ?? 'stopped'}`;
  return error instanceof Error ? error.message : String(error);
}

/** A failed attempt: up_for_retry at Airflow's next retry time while tries are left (and not `noRetry`), else failed. */
export function recordFailure(store: PipelineStore, run: DagRunRow, task: TaskRow, step: Step, message: string, ended: number, noRetry: boolean): void {
  const decision = noRetry ? 'failed' : retryDecision({ retries: task.max_tries - 1, tryNumber: task.try_number });
  if (decision !== 'up_for_retry') {
    store.updateTask(task.id, { state: 'failed', ended_at: ended, message });
    return;
  }
  const at = nextRetryAt({
    endedAt: ended,
    retryDelayS: parseDuration(step.retry_delay),
    backoff: step.retry_exponential_backoff,
    ...(step.max_retry_delay !== undefined ? { maxRetryDelayS: parseDuration(step.max_retry_delay) } : {}),
    tryNumber: task.try_number,
    dagId: run.pipeline,
    taskId: task.task_id,
    logicalDate: run.logical_date,
  });
  store.updateTask(task.id, { state: 'up_for_retry', ended_at: ended, next_retry_at: at, message });
}

/**
 * At start-up: attempts that were running when the app died failed (then retry per policy), so no
 * DAG run stays RUNNING for ever; a task being cleared starts afresh. Returns how many.
 */
export function recoverInterrupted(store: PipelineStore, parsedFor: (run: DagRunRow) => ParsedPipeline): number {
  const now = Date.now();
  const message = 'the app stopped while this attempt ran';
  let count = 0;
  for (const run of store.dagRunRows({ states: ['running'] })) {
    const parsed = parsedFor(run);
    for (const task of store.taskRows(run.id)) {
      if (!['running', 'queued', 'scheduled', 'restarting'].includes(task.state)) continue;
      count += 1;
      if (task.try_number > 0) store.updateAttempt(task.id, task.try_number, { state: 'failed', ended_at: now, message });
      if (task.state === 'restarting') store.updateTask(task.id, { state: 'none' });
      else recordFailure(store, run, task, parsed.spec.steps[task.task_id]!, message, now, false);
    }
  }
  return count;
}

/** Records a dataset version the run read (`name@3`), pinned for "re-run exactly". */
function addInput(store: PipelineStore, dagRunId: number, ref: string): void {
  const inputs = new Set(JSON.parse(store.dagRunRowById(dagRunId).inputs) as string[]);
  if (inputs.has(ref)) return;
  inputs.add(ref);
  store.updateDagRun(dagRunId, { inputs: JSON.stringify([...inputs].sort()) });
}
