/**
 * Runs pipelines with Airflow's semantics (SEMANTICS.md §2): DAG runs and task instances with
 * their states, trigger rules, retries with the backoff formula, per-attempt timeouts, cancel,
 * clear (and re-run downstream), mark success/failed, caching of unchanged steps, and recovery of
 * attempts that were running when the app died. One `tick` at a time decides what runs next; work
 * happens in the step executors (their services' worker processes, or the command's own process).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { WorkbenchError, invalid } from '../../../shared/errors';
import type { DagRun, DagRunState, ParamValue, PipelineSummary, StepKind, TaskState } from '../../../shared/pipelines';
import { finishedStates } from '../../../shared/pipelines';
import type { Database } from '../db/database';
import { Emitter } from '../events/emitter';
import type { ExperimentService } from '../tracking/experiment-service';
import { PipelineStore, dagRunKey, type DagRunRow, type TaskRow } from './pipeline-store';
import { dagRunState, evaluateTriggerRule, nextRetryAt, retryDecision } from './semantics/index';
import { parseDuration, parsePipeline, resolveReferences, runParams, type ParsedPipeline } from './spec/index';
import { StepAborted, type StepContext, type StepExecutor } from './steps/step-context';

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
  readonly cacheInputs?: (kind: StepKind, params: Readonly<Record<string, unknown>>, baseDir: string) => unknown;
  /** Tasks running at once across all DAG runs. */
  readonly parallelism?: number;
}

interface Running {
  readonly controller: AbortController;
  /** Why it was stopped: 'cancel' never retries; 'timeout' and 'clear' are ordinary failures / restarts. */
  reason: 'cancel' | 'timeout' | 'clear' | 'shutdown' | null;
}

const execFileAsync = promisify(execFile);

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
    const row = this.store.pipeline(name);
    const parsed = parsePipeline(row.spec, row.path ?? undefined);
    const last = this.store.dagRunRows({ pipeline: name, limit: 1 })[0];
    const count = (this.deps.db.prepare('SELECT count(*) AS n FROM dag_runs WHERE pipeline_id = ?').get(row.id) as { n: number }).n;
    return {
      name,
      description: parsed.spec.description ?? null,
      tags: parsed.spec.tags,
      path: row.path,
      steps: parsed.stepOrder.map((id) => ({ id, kind: parsed.spec.steps[id]!.kind, dependsOn: parsed.upstream[id] ?? [] })),
      schedule: parsed.spec.schedule ? `${parsed.spec.schedule.cron} (${parsed.spec.schedule.timezone})` : null,
      paused: row.paused === 1,
      lastRun: last ? { id: dagRunKey(last.pipeline, last.run_id), state: last.state, createdAt: last.created_at } : null,
      runCount: count,
    };
  }

  list(): PipelineSummary[] {
    return this.store.pipelines().map((row) => this.summary(row.name));
  }

  /** Creates a DAG run (queued) from the pipeline's current spec and starts it when a slot is free. */
  async trigger(name: string, options: TriggerOptions = {}): Promise<DagRun> {
    const row = this.store.pipeline(name);
    const parsed = parsePipeline(row.spec, row.path ?? undefined);
    const params = this.params(parsed, options.params ?? {});
    const baseDir = row.path ? dirname(row.path) : process.cwd();
    const now = Date.now();
    const kind = options.kind ?? 'manual';
    const logicalDate = options.logicalDate ?? now;
    const id = this.store.insertDagRun(
      {
        pipeline_id: row.id,
        run_id: `${kind}__${new Date(logicalDate).toISOString()}`,
        kind,
        state: 'queued',
        logical_date: logicalDate,
        created_at: now,
        params: JSON.stringify(params),
        spec: row.spec,
        base_dir: baseDir,
        code_version: await codeVersion(baseDir),
        inputs: '[]',
        rerun_of: null,
        force: options.force ? 1 : 0,
      },
      parsed.topoOrder.map((taskId) => ({ taskId, kind: parsed.spec.steps[taskId]!.kind, maxTries: parsed.spec.steps[taskId]!.retries + 1 })),
    );
    this.parsed.set(id, parsed);
    this.schedule();
    return this.store.toDagRun(this.store.dagRunRowById(id));
  }

  /** "Re-run exactly": the same spec text, params and pinned dataset versions, linked to the original. */
  async rerun(key: string): Promise<DagRun> {
    const original = this.store.dagRunRow(key);
    const parsed = parsePipeline(original.spec, original.base_dir ? join(original.base_dir, 'pipeline.yaml') : undefined);
    const now = Date.now();
    const id = this.store.insertDagRun(
      {
        pipeline_id: original.pipeline_id,
        run_id: `rerun__${new Date(now).toISOString()}`,
        kind: 'rerun',
        state: 'queued',
        logical_date: original.logical_date,
        created_at: now,
        params: original.params,
        spec: original.spec,
        base_dir: original.base_dir,
        code_version: original.base_dir ? await codeVersion(original.base_dir) : null,
        inputs: '[]',
        rerun_of: original.id,
        // Reproduce means recompute: a cache hit would only copy the original's outputs.
        force: 1,
      },
      parsed.topoOrder.map((taskId) => ({ taskId, kind: parsed.spec.steps[taskId]!.kind, maxTries: parsed.spec.steps[taskId]!.retries + 1 })),
    );
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
      if (active) {
        active.reason = 'cancel';
        active.controller.abort(new Error('cancelled by the user'));
      } else if (!finishedStates.includes(task.state)) {
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
    if (active) {
      active.reason = 'cancel';
      active.controller.abort(new Error('cancelled by the user'));
    } else if (task.state === 'up_for_retry' || task.state === 'none' || task.state === 'scheduled' || task.state === 'queued') {
      this.store.updateTask(task.id, { state: 'failed', ended_at: Date.now(), next_retry_at: null, message: 'cancelled by the user' });
    } else {
      throw invalid(`Task '${taskId}' is ${task.state}: there is nothing to cancel.`);
    }
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
    const targets = new Set([taskId]);
    if (options.downstream ?? true) {
      for (const id of parsed.topoOrder) if ((parsed.upstream[id] ?? []).some((up) => targets.has(up))) targets.add(id);
    }
    for (const task of this.store.taskRows(run.id)) {
      if (!targets.has(task.task_id)) continue;
      const active = this.running.get(task.id);
      if (active) {
        active.reason = 'clear';
        active.controller.abort(new Error('cleared'));
      }
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
    const now = Date.now();
    let count = 0;
    for (const run of this.store.dagRunRows({ states: ['running'] })) {
      const parsed = this.parsedFor(run);
      for (const task of this.store.taskRows(run.id)) {
        if (!['running', 'queued', 'scheduled', 'restarting'].includes(task.state)) continue;
        count += 1;
        const message = 'the app stopped while this attempt ran';
        if (task.try_number > 0) this.store.updateAttempt(task.id, task.try_number, { state: 'failed', ended_at: now, message });
        const step = parsed.spec.steps[task.task_id]!;
        if (task.state === 'restarting') this.store.updateTask(task.id, { state: 'none' });
        else this.failTask(run, task, step, message, now, false);
      }
    }
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
    for (const active of this.running.values()) {
      active.reason = 'shutdown';
      active.controller.abort(new Error('the app is closing'));
    }
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
      const state = dagRunState(after.map((task) => ({ id: task.task_id, state: task.state, upstream: parsed.upstream[task.task_id] ?? [], triggerRule: parsed.spec.steps[task.task_id]!.trigger_rule })));
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
    const byId = new Map(tasks.map((task) => [task.task_id, task]));
    let changed = true;
    while (changed) {
      changed = false;
      for (const taskId of parsed.topoOrder) {
        const task = byId.get(taskId)!;
        if (task.state !== 'none') continue;
        const upstream = (parsed.upstream[taskId] ?? []).map((id) => byId.get(id)!.state);
        const verdict = evaluateTriggerRule(parsed.spec.steps[taskId]!.trigger_rule, upstream);
        if (verdict === 'skipped' || verdict === 'upstream_failed') {
          task.state = verdict;
          task.ended_at = now;
          this.store.updateTask(task.id, { state: verdict, ended_at: now });
          changed = true;
        }
      }
    }
    return tasks;
  }

  private launch(run: DagRunRow, parsed: ParsedPipeline, task: TaskRow, byId: ReadonlyMap<string, TaskRow>): void {
    const step = parsed.spec.steps[task.task_id]!;
    const key = dagRunKey(run.pipeline, run.run_id);
    const tryNumber = task.try_number + 1;
    const now = Date.now();
    const logPath = join(this.deps.logsDir, `dag_id=${run.pipeline}`, `run_id=${run.run_id}`, `task_id=${task.task_id}`, `attempt=${tryNumber}.log`);
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
    const timeout = timeoutS !== null ? setTimeout(() => {
      entry.reason = 'timeout';
      controller.abort(new Error(`execution_timeout of ${timeoutS} s passed`));
    }, timeoutS * 1000) : null;
    this.emit(run, false);

    void (async () => {
      const outputs = Object.fromEntries([...byId.values()].map((other) => [other.task_id, JSON.parse(other.outputs) as Record<string, string>]));
      const params = JSON.parse(run.params) as Record<string, ParamValue>;
      const resolved = resolveReferences(step.params, { params, outputs }) as Record<string, unknown>;
      const baseDir = run.base_dir ?? process.cwd();
      const original = run.rerun_of !== null ? this.store.dagRunRowById(run.rerun_of) : null;
      const pins = original ? pinsOf(JSON.parse(original.inputs) as string[]) : {};
      const pinnedOutputs = original ? (JSON.parse(this.store.taskRow(original.id, task.task_id).outputs) as Record<string, string>) : null;
      const cacheKey = step.cache && step.kind !== 'ingest' ? hashKey({ kind: step.kind, params: resolved, dagParams: step.kind === 'command' ? params : null, code: step.kind === 'command' ? run.code_version : null, inputs: this.deps.cacheInputs?.(step.kind, resolved, baseDir) ?? null }) : null;
      if (cacheKey && run.force === 0) {
        const hit = this.store.cached(cacheKey, run.id);
        if (hit) {
          log(`unchanged since ${hit.dagRun}: reusing its outputs ${hit.outputs} (run with --force to recompute)`);
          return { outputs: JSON.parse(hit.outputs) as Record<string, string>, cachedFrom: hit.dagRun, cacheKey };
        }
      }
      const context: StepContext = {
        pipeline: run.pipeline,
        dagRun: key,
        taskId: task.task_id,
        tryNumber,
        baseDir,
        params,
        signal: controller.signal,
        pins,
        pinnedOutputs,
        experimentId: this.experimentFor(run.pipeline),
        log,
        setRun: (runId) => this.store.updateAttempt(task.id, tryNumber, { run_id: runId }),
        readInput: (ref) => this.addInput(run.id, ref),
      };
      const produced = await this.deps.executors[step.kind](resolved, context);
      return { outputs: produced, cachedFrom: null, cacheKey };
    })().then(
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
        const message = entry.reason === 'timeout' ? `Timed out: ${controller.signal.reason instanceof Error ? controller.signal.reason.message : 'execution_timeout passed'}` : error instanceof StepAborted || entry.reason ? `Stopped: ${controller.signal.reason instanceof Error ? controller.signal.reason.message : 'stopped'}` : error instanceof Error ? error.message : String(error);
        log(`Failed: ${message}`);
        this.store.updateAttempt(task.id, tryNumber, { state: 'failed', ended_at: ended, message });
        if (entry.reason === 'clear') {
          this.store.updateTask(task.id, { state: 'none' });
        } else {
          const current = this.store.taskRow(run.id, task.task_id);
          this.failTask(this.store.dagRunRowById(run.id), current, step, message, ended, entry.reason === 'cancel');
        }
        this.emit(this.store.dagRunRowById(run.id), false);
        this.schedule();
      },
    );
  }

  private failTask(run: DagRunRow, task: TaskRow, step: ParsedPipeline['spec']['steps'][string], message: string, ended: number, noRetry: boolean): void {
    const retriesLeft = task.max_tries - 1;
    const decision = noRetry ? 'failed' : retryDecision({ retries: retriesLeft, tryNumber: task.try_number });
    if (decision === 'up_for_retry') {
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
      this.store.updateTask(task.id, { state: 'up_for_retry', ended_at: ended, next_retry_at: at, message });
    } else {
      this.store.updateTask(task.id, { state: 'failed', ended_at: ended, message });
    }
  }

  private addInput(dagRunId: number, ref: string): void {
    const row = this.store.dagRunRowById(dagRunId);
    const inputs = new Set(JSON.parse(row.inputs) as string[]);
    if (inputs.has(ref)) return;
    inputs.add(ref);
    this.store.updateDagRun(dagRunId, { inputs: JSON.stringify([...inputs].sort()) });
  }

  private experimentFor(pipeline: string): string {
    const { experiments } = this.deps;
    const name = `pipeline:${pipeline}`;
    return (experiments.getByName(name) ?? experiments.create(name, { 'trainyard.pipeline': pipeline })).id;
  }

  private params(parsed: ParsedPipeline, overrides: Readonly<Record<string, unknown>>): Record<string, ParamValue> {
    return runParams(parsed.spec.params, overrides);
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

function hashKey(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function pinsOf(inputs: readonly string[]): Record<string, number> {
  const pins: Record<string, number> = {};
  for (const ref of inputs) {
    const at = ref.lastIndexOf('@');
    if (at > 0) pins[ref.slice(0, at)] = Number(ref.slice(at + 1));
  }
  return pins;
}

/** git commit of the folder (+ `-dirty` with uncommitted changes), or null outside a repository. */
export async function codeVersion(dir: string): Promise<string | null> {
  try {
    const { stdout: head } = await execFileAsync('git', ['rev-parse', 'HEAD'], { cwd: dir, timeout: 5_000 });
    const { stdout: status } = await execFileAsync('git', ['status', '--porcelain', '--', '.'], { cwd: dir, timeout: 5_000 });
    return `${head.trim()}${status.trim() ? '-dirty' : ''}`;
  } catch {
    return null;
  }
}

export type { TaskState };
export { WorkbenchError };
