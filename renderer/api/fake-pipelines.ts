import type { WorkbenchApi } from '../../shared/api';
import type { WorkbenchEvent } from '../../shared/events';
import type { DagRun, ParamValue, PipelineSummary, TaskInstance, TaskState } from '../../shared/pipelines';
import { finishedStates } from '../../shared/pipelines';
import { ApiError } from './api-error';
import { readPipelineSpec, type ReadSpec } from './fake-pipeline-spec';

/** A registered pipeline as the fake keeps it. */
interface StoredPipeline {
  readonly read: ReadSpec;
  readonly text: string;
  readonly path: string | null;
  paused: boolean;
}

/** What a simulated attempt does: print some lines, then succeed or fail with a message. */
export interface FakeTaskScript {
  readonly lines?: readonly string[];
  readonly fail?: string;
  /** What a successful attempt produced (dataset versions, run ids, model URIs). */
  readonly outputs?: Readonly<Record<string, string>>;
}

/** The pipelines half of the fake back end, exposed so tests and the demo can look inside. */
export interface FakePipelines {
  readonly pipelines: Map<string, StoredPipeline>;
  /** Every DAG run, oldest first. */
  readonly runs: DagRun[];
  /** Attempt logs by `<dag run id>\u0000<task>\u0000<try>`. */
  readonly logs: Map<string, string>;
  /** How long a simulated attempt runs (0 in tests: it ends on the next timer tick). */
  taskMs: number;
  /** How long up_for_retry waits before the next attempt. */
  retryMs: number;
  /** What an attempt does; by default it prints two lines and succeeds. */
  script: (pipeline: string, taskId: string, tryNumber: number) => FakeTaskScript;
  /** Adds a DAG run as it is (the demo's history), with its attempt logs. */
  insert(run: DagRun, logs?: Readonly<Record<string, string>>): void;
}

type PipelineOperation = Extract<keyof WorkbenchApi, `pipelines.${string}`>;

export const logKey = (dagRun: string, taskId: string, tryNumber: number): string => `${dagRun}\u0000${taskId}\u0000${tryNumber}`;
const stamp = (): string => `[${new Date().toISOString()}]`;

/**
 * An in-memory orchestrator with the app's observable behaviour (main/core/pipelines/
 * orchestrator.ts, after Airflow): DAG runs queued → running → success | failed, tasks through
 * none → running → success, up_for_retry while tries are left, upstream_failed below a failure,
 * cancel, clear (with downstream), mark, re-run exactly, per-attempt logs read by offset, and a
 * `pipeline.changed` after every change. Every trigger rule is taken as all_success.
 */
export function createFakePipelines(emit: (event: WorkbenchEvent) => void): { state: FakePipelines; api: Pick<WorkbenchApi, PipelineOperation> } {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const state: FakePipelines = {
    pipelines: new Map(),
    runs: [],
    logs: new Map(),
    taskMs: 0,
    retryMs: 0,
    script: (_pipeline, taskId) => ({ lines: [`${taskId}: working`, `${taskId}: done`] }),
    insert(run, logs = {}) {
      state.runs.push(run);
      for (const [key, text] of Object.entries(logs)) state.logs.set(key, text);
    },
  };
  const changed = (run: DagRun, finished = false): void => emit({ name: 'pipeline.changed', payload: { pipeline: run.pipeline, dagRun: run.id, state: run.state, finished } });
  const pipeline = (name: string): StoredPipeline => {
    const found = state.pipelines.get(name);
    if (!found) throw new ApiError('NOT_FOUND', `No pipeline named '${name}'.`);
    return found;
  };
  const dagRun = (id: string): DagRun => {
    const found = state.runs.find((run) => run.id === id);
    if (!found) throw new ApiError('NOT_FOUND', `No DAG run '${id}'; DAG runs are named <pipeline>/<run id>.`);
    return found;
  };
  const task = (run: DagRun, taskId: string): TaskInstance => {
    const found = run.tasks.find((candidate) => candidate.taskId === taskId);
    if (!found) throw new ApiError('INVALID_ARGUMENT', `${run.id} has no task '${taskId}'.`);
    return found;
  };
  const log = (run: DagRun, instance: TaskInstance, line: string): void => {
    const key = logKey(run.id, instance.taskId, instance.tryNumber);
    state.logs.set(key, `${state.logs.get(key) ?? ''}${stamp()} ${line}\n`);
  };
  const summary = (name: string): PipelineSummary => {
    const stored = pipeline(name);
    const { spec, stepOrder, upstream } = stored.read;
    const runs = state.runs.filter((run) => run.pipeline === name);
    const last = runs.at(-1);
    return {
      name,
      description: spec.description ?? null,
      tags: spec.tags,
      path: stored.path,
      steps: stepOrder.map((id) => ({ id, kind: spec.steps[id]!.kind, dependsOn: upstream[id] ?? [] })),
      schedule: spec.schedule ? `${spec.schedule.cron} (${spec.schedule.timezone})` : null,
      paused: stored.paused,
      lastRun: last ? { id: last.id, state: last.state, createdAt: last.createdAt } : null,
      runCount: runs.length,
    };
  };
  const upstreamOf = (run: DagRun, taskId: string): string[] => state.pipelines.get(run.pipeline)?.read.upstream[taskId] ?? [];
  const stopTimer = (key: string): void => {
    const timer = timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(key);
  };

  /** One scheduling pass over a run: early terminal states, launches, and the run's own state. */
  const advance = (run: DagRun): void => {
    if (run.state === 'success' || run.state === 'failed') return;
    const now = Date.now();
    if (run.state === 'queued') {
      const limit = state.pipelines.get(run.pipeline)?.read.spec.max_active_runs ?? 1;
      if (state.runs.filter((other) => other.pipeline === run.pipeline && other.state === 'running').length >= limit) return;
      run.state = 'running';
      run.startedAt = now;
    }
    let moved = true;
    while (moved) {
      moved = false;
      for (const instance of run.tasks) {
        if (instance.state !== 'none') continue;
        const upstream = upstreamOf(run, instance.taskId).map((id) => task(run, id).state);
        if (upstream.some((value) => value === 'failed' || value === 'upstream_failed')) {
          Object.assign(instance, { state: 'upstream_failed', endedAt: now });
          moved = true;
        } else if (upstream.length > 0 && upstream.every((value) => value === 'skipped')) {
          Object.assign(instance, { state: 'skipped', endedAt: now });
          moved = true;
        }
      }
    }
    for (const instance of run.tasks) {
      const ready = instance.state === 'none' || (instance.state === 'up_for_retry' && (instance.nextRetryAt ?? 0) <= now);
      if (ready && upstreamOf(run, instance.taskId).every((id) => ['success', 'skipped'].includes(task(run, id).state))) launch(run, instance);
    }
    if (run.tasks.every((instance) => finishedStates.includes(instance.state))) {
      run.state = run.tasks.some((instance) => instance.state === 'failed' || instance.state === 'upstream_failed') ? 'failed' : 'success';
      run.endedAt = now;
      ended(run);
    } else {
      changed(run);
    }
  };
  const later = (run: DagRun, ms: number): void => void setTimeout(() => advance(run), ms);
  /** A run that ends frees a slot for the oldest queued run of its pipeline. */
  const ended = (run: DagRun): void => {
    changed(run, true);
    const waiting = state.runs.find((other) => other.pipeline === run.pipeline && other.state === 'queued');
    if (waiting) later(waiting, 0);
  };

  const launch = (run: DagRun, instance: TaskInstance): void => {
    const now = Date.now();
    const tryNumber = instance.tryNumber + 1;
    Object.assign(instance, { state: 'running' as TaskState, tryNumber, startedAt: now, endedAt: null, nextRetryAt: null, message: null });
    instance.attempts.push({ tryNumber, state: 'running', startedAt: now, endedAt: null, message: null, runId: null });
    log(run, instance, `Starting attempt ${tryNumber} of ${instance.maxTries} of ${instance.taskId} (${instance.kind}) in ${run.id}`);
    const script = state.script(run.pipeline, instance.taskId, tryNumber);
    const lines = [...(script.lines ?? [])];
    const key = logKey(run.id, instance.taskId, tryNumber);
    const tick = Math.max(0, state.taskMs / Math.max(1, lines.length + 1));
    const step = (): void => {
      const line = lines.shift();
      if (line !== undefined) {
        log(run, instance, line);
        timers.set(key, setTimeout(step, tick));
        return;
      }
      timers.delete(key);
      finish(run, instance, tryNumber, script.fail ?? null, script.outputs ?? {});
    };
    timers.set(key, setTimeout(step, tick));
  };

  const finish = (run: DagRun, instance: TaskInstance, tryNumber: number, failure: string | null, outputs: Readonly<Record<string, string>>): void => {
    const now = Date.now();
    const attempt = instance.attempts.find((entry) => entry.tryNumber === tryNumber)!;
    Object.assign(attempt, { state: failure ? 'failed' : 'success', endedAt: now, message: failure });
    if (!failure) {
      log(run, instance, `Marked success; outputs ${JSON.stringify(outputs)}`);
      Object.assign(instance, { state: 'success', endedAt: now, outputs: { ...outputs } });
    } else {
      log(run, instance, `Failed: ${failure}`);
      const retry = tryNumber < instance.maxTries;
      Object.assign(instance, { state: retry ? 'up_for_retry' : 'failed', endedAt: now, message: failure, nextRetryAt: retry ? now + state.retryMs : null });
      if (retry) later(run, state.retryMs);
    }
    advance(run);
  };

  const create = (name: string, kind: DagRun['kind'], params: Record<string, ParamValue>, rerunOf: string | null): DagRun => {
    const stored = pipeline(name);
    const { spec, stepOrder } = stored.read;
    let logicalDate = Date.now();
    while (state.runs.some((run) => run.id === `${name}/${kind}__${new Date(logicalDate).toISOString()}`)) logicalDate += 1;
    const runId = `${kind}__${new Date(logicalDate).toISOString()}`;
    const run: DagRun = {
      id: `${name}/${runId}`, pipeline: name, runId, kind, state: 'queued', logicalDate, createdAt: Date.now(), startedAt: null, endedAt: null,
      params, rerunOf, codeVersion: null, inputs: [],
      tasks: stepOrder.map((id) => ({
        taskId: id, kind: spec.steps[id]!.kind, state: 'none', tryNumber: 0, maxTries: spec.steps[id]!.retries + 1, startedAt: null, endedAt: null,
        nextRetryAt: null, outputs: {}, cachedFrom: null, message: null, attempts: [],
      })),
    };
    state.runs.push(run);
    changed(run);
    later(run, 0);
    return run;
  };
  const copy = (run: DagRun): DagRun => structuredClone(run);

  const api: Pick<WorkbenchApi, PipelineOperation> = {
    'pipelines.list': async () => [...state.pipelines.keys()].sort().map(summary),
    'pipelines.get': async ({ name }) => ({ ...summary(name), spec: pipeline(name).text }),
    'pipelines.check': async ({ text }) => {
      const read = readPipelineSpec(text);
      return read.ok ? { ok: true, issues: [] } : { ok: false, issues: read.issues };
    },
    'pipelines.register': async ({ text, path }) => {
      if (!text === !path) throw new ApiError('INVALID_ARGUMENT', 'Give the spec as text, or the path of a pipeline.yaml (not both).');
      if (path) throw new ApiError('UNAVAILABLE', 'The demo back end cannot read files: paste the YAML instead.');
      const read = readPipelineSpec(text!);
      if (!read.ok) throw new ApiError('INVALID_ARGUMENT', read.issues.map((issue) => `pipeline.yaml:${issue.line}:${issue.column}: ${issue.message}`).join('\n'));
      const name = read.value.spec.name;
      state.pipelines.set(name, { read: read.value, text: text!, path: null, paused: state.pipelines.get(name)?.paused ?? false });
      return summary(name);
    },
    'pipelines.trigger': async ({ name, params }) => {
      const { spec } = pipeline(name).read;
      return copy(create(name, 'manual', { ...spec.params, ...(params ?? {}) }, null));
    },
    'pipelines.runs': async ({ pipeline: name, limit = 100 }) =>
      state.runs.filter((run) => !name || run.pipeline === name).slice(-limit).reverse().map(copy),
    'pipelines.run': async ({ id }) => copy(dagRun(id)),
    'pipelines.cancel': async ({ id }) => {
      const run = dagRun(id);
      if (run.state === 'success' || run.state === 'failed') throw new ApiError('INVALID_ARGUMENT', `${id} already ended (${run.state}).`);
      const now = Date.now();
      for (const instance of run.tasks) {
        if (instance.state === 'running') {
          stopTimer(logKey(run.id, instance.taskId, instance.tryNumber));
          const attempt = instance.attempts.find((entry) => entry.tryNumber === instance.tryNumber);
          if (attempt) Object.assign(attempt, { state: 'failed', endedAt: now, message: 'Stopped: cancelled by the user' });
          log(run, instance, 'Failed: Stopped: cancelled by the user');
          Object.assign(instance, { state: 'failed', endedAt: now, message: 'Stopped: cancelled by the user' });
        } else if (!finishedStates.includes(instance.state)) {
          Object.assign(instance, { state: 'skipped', endedAt: now, message: 'the DAG run was cancelled' });
        }
      }
      Object.assign(run, { state: 'failed', endedAt: now, startedAt: run.startedAt ?? now });
      ended(run);
      return { ok: true };
    },
    'pipelines.cancelTask': async ({ id, taskId }) => {
      const run = dagRun(id);
      const instance = task(run, taskId);
      if (finishedStates.includes(instance.state)) throw new ApiError('INVALID_ARGUMENT', `Task '${taskId}' is ${instance.state}: there is nothing to cancel.`);
      const now = Date.now();
      stopTimer(logKey(run.id, instance.taskId, instance.tryNumber));
      const attempt = instance.attempts.find((entry) => entry.tryNumber === instance.tryNumber);
      if (attempt && instance.state === 'running') Object.assign(attempt, { state: 'failed', endedAt: now, message: 'Stopped: cancelled by the user' });
      Object.assign(instance, { state: 'failed', endedAt: now, nextRetryAt: null, message: 'Stopped: cancelled by the user' });
      advance(run);
      return copy(run);
    },
    'pipelines.clear': async ({ id, taskId, downstream = true }) => {
      const run = dagRun(id);
      task(run, taskId);
      const targets = new Set([taskId]);
      if (downstream) for (const instance of run.tasks) if (upstreamOf(run, instance.taskId).some((up) => targets.has(up))) targets.add(instance.taskId);
      for (const instance of run.tasks) {
        if (!targets.has(instance.taskId)) continue;
        stopTimer(logKey(run.id, instance.taskId, instance.tryNumber));
        const retries = (pipeline(run.pipeline).read.spec.steps[instance.taskId]?.retries ?? 0) + 1;
        Object.assign(instance, { state: 'none', maxTries: instance.tryNumber + retries, nextRetryAt: null, outputs: {}, cachedFrom: null, message: null, endedAt: null });
      }
      Object.assign(run, { state: 'running', endedAt: null });
      later(run, 0);
      return copy(run);
    },
    'pipelines.mark': async ({ id, taskId, state: marked }) => {
      const run = dagRun(id);
      const instance = task(run, taskId);
      if (instance.state === 'running') throw new ApiError('INVALID_ARGUMENT', `Task '${taskId}' is running: cancel or clear it first.`);
      Object.assign(instance, { state: marked, endedAt: Date.now(), message: `marked ${marked} by hand`, nextRetryAt: null });
      if (run.state === 'success' || run.state === 'failed') Object.assign(run, { state: 'running', endedAt: null });
      advance(run);
      return copy(run);
    },
    'pipelines.rerun': async ({ id }) => {
      const original = dagRun(id);
      return copy(create(original.pipeline, 'rerun', { ...original.params }, original.id));
    },
    'pipelines.pause': async ({ name, paused }) => {
      pipeline(name).paused = paused;
      return { ok: true };
    },
    'pipelines.log': async ({ id, taskId, tryNumber, offset = 0, maxBytes = 256_000 }) => {
      const instance = task(dagRun(id), taskId);
      const attempt = tryNumber ?? instance.tryNumber;
      if (attempt < 1) return { text: '', size: 0, offset: 0, tryNumber: 0 };
      const text = state.logs.get(logKey(id, taskId, attempt));
      if (text === undefined) throw new ApiError('NOT_FOUND', `No attempt ${attempt} of this task.`);
      if (offset >= text.length) return { text: '', size: text.length, offset: text.length, tryNumber: attempt };
      const length = Math.min(maxBytes, text.length - offset);
      let slice = text.slice(offset, offset + length);
      const cut = slice.lastIndexOf('\n');
      if (cut >= 0 && offset + length < text.length) slice = slice.slice(0, cut + 1);
      return { text: slice, size: text.length, offset: offset + slice.length, tryNumber: attempt };
    },
  };
  return { state, api };
}
