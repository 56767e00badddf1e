/**
 * Runs pipelines with Airflow's semantics (SEMANTICS.md §2): DAG runs and task instances with
 * their states, trigger rules, retries with the backoff formula, per-attempt timeouts, cancel,
 * clear (and re-run downstream), mark success/failed, caching of unchanged steps, and recovery of
 * attempts that were running when the app died. One `tick` at a time decides what runs next; work
 * happens in the step executors (their services' worker processes, or the command's own process).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { invalid } from '../../../shared/errors';
import type { DagRun, DagRunState, PipelineSummary, StepKind } from '../../../shared/pipelines';
import { finishedStates } from '../../../shared/pipelines';
import type { Database } from '../db/database';
import { Emitter } from '../events/emitter';
import type { ExperimentService } from '../tracking/experiment-service';
import { PipelineStore, dagRunKey, type DagRunRow, type TaskRow } from './pipeline-store';
import { attemptLogPath, executeAttempt, failureMessage, recordFailure, recoverInterrupted } from './attempt';
import { pipelineSummary } from './pipeline-summary';
import { dagRunState, evaluateTriggerRule, propagate, type DagTask } from './semantics/index';
import { ancestorsOf, parseDuration, parsePipeline, runParams, type ParsedPipeline } from './spec/index';
import { codeVersion, insertQueuedRun, type CacheInputs } from './run-inputs';
import type { StepExecutor } from './steps/step-context';

export interface TriggerOptions {
  /** Overrides of the spec's params; text is read as the default's type (`--param epochs=50`). */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly kind?: DagRun['kind'];
  readonly logicalDate?: number;
  /** Run every step even when a cached result exists (`--force`). */
  readonly force?: boolean;
}

export interface OrchestratorDeps {
  readonly db: Database;
  readonly executors: Readonly<Record<StepKind, StepExecutor>>;
  readonly experiments: ExperimentService;
  readonly logsDir: string;
  /** Key parts beyond the params that decide whether a step is unchanged (resolved dataset versions, file hashes…). */
  readonly cacheInputs?: CacheInputs;
  /** Tasks running at once across all DAG runs. */
  readonly parallelism?: number;
}

interface Running {
  readonly controller: AbortController;
  /** Why it was stopped: 'cancel' never retries; 'timeout' and 'clear' are ordinary failures / restarts. */
  reason: 'cancel' | 'timeout' | 'clear' | 'shutdown' | null;
}

export class Orchestrator {
  readonly store: PipelineStore;
  private readonly running = new Map<number, Running>();
  private readonly parsed = new Map<number, ParsedPipeline>();
  private readonly didChange = new Emitter<{ dagRun: string; pipeline: string; state: DagRunState; finished: boolean }>();
  readonly onDidChange = this.didChange.event;
  private readonly didUpdate = new Emitter<{ name: string }>();
  /** A pipeline was registered, replaced or paused/resumed. */
  readonly onDidUpdatePipeline = this.didUpdate.event;
  private ticking = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;
  private readonly waiters = new Map<number, Array<(run: DagRun) => void>>();

  constructor(private readonly deps: OrchestratorDeps) {
    this.store = new PipelineStore(deps.db);
  }

  /** Checks and stores a pipeline spec (re-registering replaces it; runs keep the text they ran). */
  register(text: string, path: string | null = null): PipelineSummary {
    const parsed = parsePipeline(text, path ?? undefined);
    this.store.upsertPipeline(parsed.spec.name, text, path);
    this.didUpdate.fire({ name: parsed.spec.name });
    return this.summary(parsed.spec.name);
  }

  summary(name: string): PipelineSummary {
    return pipelineSummary(this.store, name);
  }

  list(): PipelineSummary[] {
    return this.store.pipelines().map((row) => this.summary(row.name));
  }

  /** Creates a DAG run (queued) from the pipeline's current spec and starts it when a slot is free. */
  async trigger(name: string, options: TriggerOptions = {}): Promise<DagRun> {
    const row = this.store.pipeline(name);
    const parsed = parsePipeline(row.spec, row.path ?? undefined);
    const params = runParams(parsed.spec.params, options.params ?? {});
    const baseDir = row.path ? dirname(row.path) : process.cwd();
    const kind = options.kind ?? 'manual';
    const logicalDate = options.logicalDate ?? Date.now();
    const id = insertQueuedRun(this.store, parsed, {
      pipeline_id: row.id,
      run_id: `${kind}__${new Date(logicalDate).toISOString()}`,
      kind,
      logical_date: logicalDate,
      params: JSON.stringify(params),
      spec: row.spec,
      base_dir: baseDir,
      code_version: await codeVersion(baseDir),
      rerun_of: null,
      force: options.force ? 1 : 0,
    });
    this.parsed.set(id, parsed);
    this.schedule();
    return this.store.toDagRun(this.store.dagRunRowById(id));
  }

  /** "Re-run exactly": the same spec text, params and pinned dataset versions, linked to the original. */
  async rerun(key: string): Promise<DagRun> {
    const original = this.store.dagRunRow(key);
    const parsed = parsePipeline(original.spec, original.base_dir ? join(original.base_dir, 'pipeline.yaml') : undefined);
    const now = Date.now();
    const id = insertQueuedRun(this.store, parsed, {
      pipeline_id: original.pipeline_id,
      run_id: `rerun__${new Date(now).toISOString()}`,
      kind: 'rerun',
      logical_date: original.logical_date,
      params: original.params,
      spec: original.spec,
      base_dir: original.base_dir,
      code_version: original.base_dir ? await codeVersion(original.base_dir) : null,
      rerun_of: original.id,
      // Reproduce means recompute: a cache hit would only copy the original's outputs.
      force: 1,
    });
    this.parsed.set(id, parsed);
    this.schedule();
    return this.store.toDagRun(this.store.dagRunRowById(id));
  }

  dagRun(key: string): DagRun {
    return this.store.toDagRun(this.store.dagRunRow(key));
  }

  dagRuns(filter: { pipeline?: string; limit?: number } = {}): DagRun[] {
    return this.store.toDagRuns(this.store.dagRunRows(filter));
  }

  /** Resolves when the DAG run reaches success or failed. */
  waitFor(key: string): Promise<DagRun> {
    const row = this.store.dagRunRow(key);
    if (row.state === 'success' || row.state === 'failed') return Promise.resolve(this.store.toDagRun(row));
    return new Promise((resolve) => {
      const list = this.waiters.get(row.id) ?? [];
      list.push(resolve);
      this.waiters.set(row.id, list);
    });
  }

  logPath(key: string, taskId: string, tryNumber?: number): string {
    const run = this.store.dagRunRow(key);
    const task = this.store.taskRow(run.id, taskId);
    const attempt = tryNumber ?? task.try_number;
    if (attempt < 1) throw invalid(`Task '${taskId}' has not run yet in ${key}.`);
    return this.store.attemptLog(task.id, attempt);
  }

  /** Stops a DAG run: running tasks are killed and fail (no retry), tasks not started are skipped. */
  cancel(key: string): void {
    const run = this.store.dagRunRow(key);
    if (run.state === 'success' || run.state === 'failed') throw invalid(`${key} already ended (${run.state}).`);
    const now = Date.now();
    for (const task of this.store.taskRows(run.id)) {
      const active = this.running.get(task.id);
      if (active) stop(active, 'cancel', 'cancelled by the user');
      else if (!finishedStates.includes(task.state)) {
        this.store.updateTask(task.id, { state: 'skipped', ended_at: now, message: 'the DAG run was cancelled' });
      }
    }
    // A cancelled run failed, whatever its leaves say (all skipped would otherwise read as success).
    this.store.updateDagRun(run.id, { state: 'failed', ended_at: now, ...(run.started_at === null ? { started_at: now } : {}) });
    this.finished({ ...run, state: 'failed' });
    this.schedule();
  }

  /** Stops one running (or retry-waiting) task: it fails without retrying; downstream tasks follow their trigger rules. */
  cancelTask(key: string, taskId: string): DagRun {
    const run = this.store.dagRunRow(key);
    const task = this.store.taskRow(run.id, taskId);
    const active = this.running.get(task.id);
    if (active) stop(active, 'cancel', 'cancelled by the user');
    else if (task.state === 'up_for_retry' || task.state === 'none' || task.state === 'scheduled' || task.state === 'queued') {
      this.store.updateTask(task.id, { state: 'failed', ended_at: Date.now(), next_retry_at: null, message: 'cancelled by the user' });
    } else throw invalid(`Task '${taskId}' is ${task.state}: there is nothing to cancel.`);
    this.schedule();
    return this.dagRun(key);
  }

  /**
   * Clears a task (and by default everything downstream of it) so it runs again: state back to
   * none, earlier attempts kept as history, `max_tries` raised so the retries apply afresh.
   */
  clear(key: string, taskId: string, options: { downstream?: boolean } = {}): DagRun {
    const run = this.store.dagRunRow(key);
    const parsed = this.parsedFor(run);
    if (!parsed.spec.steps[taskId]) throw invalid(`${key} has no task '${taskId}'.`);
    const targets = new Set([taskId, ...((options.downstream ?? true) ? parsed.topoOrder.filter((id) => ancestorsOf(id, parsed.upstream).has(taskId)) : [])]);
    for (const task of this.store.taskRows(run.id)) {
      if (!targets.has(task.task_id)) continue;
      const active = this.running.get(task.id);
      if (active) stop(active, 'clear', 'cleared');
      this.store.updateTask(task.id, {
        state: active ? 'restarting' : 'none',
        max_tries: task.try_number + parsed.spec.steps[task.task_id]!.retries + 1,
        next_retry_at: null,
        outputs: '{}',
        cached_from: null,
        message: null,
        ended_at: null,
      });
    }
    this.store.updateDagRun(run.id, { state: 'running', ended_at: null });
    this.schedule();
    return this.dagRun(key);
  }

  /** Sets a task's state by hand (Airflow's "mark success / failed"); downstream tasks follow. */
  mark(key: string, taskId: string, state: 'success' | 'failed'): DagRun {
    const run = this.store.dagRunRow(key);
    const task = this.store.taskRow(run.id, taskId);
    if (this.running.has(task.id)) throw invalid(`Task '${taskId}' is running: cancel or clear it first.`);
    this.store.updateTask(task.id, { state, ended_at: Date.now(), message: `marked ${state} by hand`, next_retry_at: null });
    if (run.state === 'success' || run.state === 'failed') this.store.updateDagRun(run.id, { state: 'running', ended_at: null });
    this.schedule();
    return this.dagRun(key);
  }

  /**
   * At start-up: attempts that were running when the app died failed (then retry per policy), so
   * no DAG run stays RUNNING for ever. Returns how many attempts were recovered.
   */
  recover(): number {
    const count = recoverInterrupted(this.store, (run) => this.parsedFor(run));
    this.schedule();
    return count;
  }

  pause(name: string, paused: boolean): void {
    this.store.setPaused(name, paused);
    this.didUpdate.fire({ name });
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const active of this.running.values()) stop(active, 'shutdown', 'the app is closing');
    this.didChange.dispose();
    this.didUpdate.dispose();
  }

  /** Asks for a tick soon (coalesced). */
  schedule(delayMs = 0): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick();
    }, delayMs);
  }

  private tick(): void {
    if (this.disposed) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    try {
      do {
        this.again = false;
        this.step();
      } while (this.again && !this.disposed);
    } finally {
      this.ticking = false;
    }
  }

  private step(): void {
    const now = Date.now();
    let nextWake = Number.POSITIVE_INFINITY;
    let free = (this.deps.parallelism ?? 4) - this.running.size;
    const active = this.store.dagRunRows({ states: ['queued', 'running'] }).reverse(); // oldest first
    for (const run of active) {
      const parsed = this.parsedFor(run);
      if (run.state === 'queued') {
        const runningOfPipeline = active.filter((other) => other.pipeline_id === run.pipeline_id && other.state === 'running').length;
        if (runningOfPipeline >= parsed.spec.max_active_runs) continue;
        this.store.updateDagRun(run.id, { state: 'running', started_at: now });
        run.state = 'running';
        this.emit(run, false);
      }
      const tasks = this.propagate(run, parsed, now);
      const byId = new Map(tasks.map((task) => [task.task_id, task]));
      const busy = tasks.filter((task) => ['running', 'queued', 'scheduled', 'restarting'].includes(task.state)).length;
      let slots = Math.min(parsed.spec.max_active_tasks - busy, free);
      for (const taskId of parsed.topoOrder) {
        const task = byId.get(taskId)!;
        if (task.state === 'up_for_retry' && task.next_retry_at !== null && task.next_retry_at > now) {
          nextWake = Math.min(nextWake, task.next_retry_at);
          continue;
        }
        if (task.state !== 'none' && task.state !== 'up_for_retry') continue;
        const upstream = (parsed.upstream[taskId] ?? []).map((id) => byId.get(id)!.state);
        if (evaluateTriggerRule(parsed.spec.steps[taskId]!.trigger_rule, upstream) !== 'runnable') continue;
        if (slots <= 0) break;
        slots -= 1;
        free -= 1;
        this.launch(run, parsed, task, byId);
      }
      const after = this.store.taskRows(run.id);
      const state = dagRunState(dagTasks(after, parsed));
      if ((state === 'success' || state === 'failed') && !after.some((task) => this.running.has(task.id))) {
        this.store.updateDagRun(run.id, { state, ended_at: now });
        run.state = state;
        this.finished(run);
      }
    }
    if (Number.isFinite(nextWake)) this.schedule(Math.max(0, nextWake - Date.now()));
  }

  /** Early terminal states (skipped / upstream_failed) per trigger rule, until nothing changes. */
  private propagate(run: DagRunRow, parsed: ParsedPipeline, now: number): TaskRow[] {
    const tasks = this.store.taskRows(run.id);
    const changes = new Map(propagate(dagTasks(tasks, parsed)).map((change) => [change.id, change.to]));
    for (const task of tasks) {
      const state = changes.get(task.task_id);
      if (!state) continue;
      task.state = state;
      task.ended_at = now;
      this.store.updateTask(task.id, { state, ended_at: now });
    }
    return tasks;
  }

  private launch(run: DagRunRow, parsed: ParsedPipeline, task: TaskRow, byId: ReadonlyMap<string, TaskRow>): void {
    const step = parsed.spec.steps[task.task_id]!;
    const key = dagRunKey(run.pipeline, run.run_id);
    const tryNumber = task.try_number + 1;
    const now = Date.now();
    const logPath = attemptLogPath(this.deps.logsDir, run, task.task_id, tryNumber);
    mkdirSync(dirname(logPath), { recursive: true });
    this.store.updateTask(task.id, { state: 'running', try_number: tryNumber, started_at: now, ended_at: null, next_retry_at: null, message: null });
    this.store.insertAttempt(task.id, tryNumber, logPath, now);
    task.state = 'running';
    const log = (line: string): void => {
      if (!this.disposed) appendFileSync(logPath, `[${new Date().toISOString()}] ${line}\n`);
    };
    log(`Starting attempt ${tryNumber} of ${task.max_tries} of ${task.task_id} (${step.kind}) in ${key}`);
    const controller = new AbortController();
    const entry: Running = { controller, reason: null };
    this.running.set(task.id, entry);
    const timeoutS = step.execution_timeout !== undefined ? parseDuration(step.execution_timeout) : null;
    const timeout = timeoutS !== null ? setTimeout(() => stop(entry, 'timeout', `execution_timeout of ${timeoutS} s passed`), timeoutS * 1000) : null;
    this.emit(run, false);

    const attemptDeps = { store: this.store, executors: this.deps.executors, cacheInputs: this.deps.cacheInputs, experimentId: this.experimentFor(run.pipeline) };
    void executeAttempt(attemptDeps, run, step, task, tryNumber, byId, controller.signal, log).then(
      ({ outputs, cachedFrom, cacheKey }) => {
        if (timeout) clearTimeout(timeout);
        this.running.delete(task.id);
        if (this.disposed) return;
        if (entry.reason === 'clear') return this.schedule();
        const ended = Date.now();
        this.store.updateTask(task.id, { state: 'success', ended_at: ended, outputs: JSON.stringify(outputs), cached_from: cachedFrom, cache_key: cacheKey });
        this.store.updateAttempt(task.id, tryNumber, { state: 'success', ended_at: ended, message: cachedFrom ? `cached: outputs of ${cachedFrom}` : null });
        log(cachedFrom ? 'Marked success (cached)' : `Marked success; outputs ${JSON.stringify(outputs)}`);
        this.emit(this.store.dagRunRowById(run.id), false);
        this.schedule();
      },
      (error: unknown) => {
        if (timeout) clearTimeout(timeout);
        this.running.delete(task.id);
        if (this.disposed) return;
        const ended = Date.now();
        const message = failureMessage(entry.reason, controller.signal, error);
        log(`Failed: ${message}`);
        this.store.updateAttempt(task.id, tryNumber, { state: 'failed', ended_at: ended, message });
        if (entry.reason === 'clear') {
          this.store.updateTask(task.id, { state: 'none' });
        } else {
          const current = this.store.taskRow(run.id, task.task_id);
          recordFailure(this.store, this.store.dagRunRowById(run.id), current, step, message, ended, entry.reason === 'cancel');
        }
        this.emit(this.store.dagRunRowById(run.id), false);
        this.schedule();
      },
    );
  }

  private experimentFor(pipeline: string): string {
    const { experiments } = this.deps;
    const name = `pipeline:${pipeline}`;
    return (experiments.getByName(name) ?? experiments.create(name, { 'trainyard.pipeline': pipeline })).id;
  }

  private parsedFor(run: DagRunRow): ParsedPipeline {
    let parsed = this.parsed.get(run.id);
    if (!parsed) {
      parsed = parsePipeline(run.spec);
      this.parsed.set(run.id, parsed);
    }
    return parsed;
  }

  private emit(run: DagRunRow, finished: boolean): void {
    this.didChange.fire({ dagRun: dagRunKey(run.pipeline, run.run_id), pipeline: run.pipeline, state: run.state, finished });
  }

  private finished(run: DagRunRow): void {
    this.emit(run, true);
    const waiting = this.waiters.get(run.id);
    if (!waiting) return;
    this.waiters.delete(run.id);
    const value = this.store.toDagRun(this.store.dagRunRowById(run.id));
    for (const resolve of waiting) resolve(value);
  }
}

/** Task rows as the semantic core reads them. */
function dagTasks(tasks: readonly TaskRow[], parsed: ParsedPipeline): DagTask[] {
  return tasks.map((task) => ({ id: task.task_id, state: task.state, upstream: parsed.upstream[task.task_id] ?? [], triggerRule: parsed.spec.steps[task.task_id]!.trigger_rule }));
}

/** Stops a running attempt, saying why: the reason decides how its failure is recorded. */
function stop(active: Running, reason: NonNullable<Running['reason']>, message: string): void {
  active.reason = reason;
  active.controller.abort(new Error(message));
}
