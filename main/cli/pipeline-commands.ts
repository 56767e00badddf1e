/**
 * Headless pipelines: `trainyard run pipeline.yaml` (a live view of task states; exit code 1 when
 * the DAG run fails), `check`, `dags list|runs|show`, `logs`, `rerun`, `scheduler`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import type { DagRun, TaskInstance } from '../../shared/pipelines';
import { PipelineSpecError, parsePipeline } from '../core/pipelines/spec/index';
import type { Workbench } from '../core/workbench';
import { parse, positional, type Command } from './cli-args';
import { keyValues, printJson, withWorkbench } from './context';
import { formatDuration, formatTable, formatTime } from './format';

const marks: Record<string, string> = { success: '✓', failed: '✗', upstream_failed: '⊘', skipped: '↷', running: '▶', up_for_retry: '↻', queued: '…', scheduled: '…', none: '·', removed: '-', restarting: '↻' };

async function readSpec(file: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => {
    throw new WorkbenchError('INVALID_ARGUMENT', `Cannot read ${file}.`);
  });
}

function taskLine(task: TaskInstance, now: number): string {
  const duration = task.startedAt ? formatDuration(task.startedAt, task.endedAt, now) : '';
  const tries = task.maxTries > 1 || task.tryNumber > 1 ? ` try ${task.tryNumber}/${task.maxTries}` : '';
  const extra = task.cachedFrom ? ' (cached)' : task.state === 'up_for_retry' && task.nextRetryAt ? ` retry at ${formatTime(task.nextRetryAt)}` : task.message && task.state === 'failed' ? ` — ${task.message.split('\n')[0]}` : '';
  return `  ${marks[task.state] ?? '?'} ${task.taskId.padEnd(16)} ${task.state.padEnd(15)} ${duration.padStart(8)}${tries}${extra}`;
}

/** Follows a DAG run to its end: a redrawn table on a terminal, one line per change otherwise. */
async function follow(workbench: Workbench, id: string): Promise<DagRun> {
  const tty = process.stdout.isTTY;
  let drawn = 0;
  const seen = new Map<string, string>();
  const render = (): void => {
    const run = workbench.pipelines.dagRun(id);
    const now = Date.now();
    if (tty) {
      if (drawn > 0) process.stdout.write(`\u001b[${drawn}A`);
      const lines = [`${run.id}  ${run.state}`, ...run.tasks.map((task) => taskLine(task, now))];
      process.stdout.write(lines.map((line) => `\u001b[2K${line}\n`).join(''));
      drawn = lines.length;
      return;
    }
    for (const task of run.tasks) {
      const key = `${task.state}:${task.tryNumber}`;
      if (seen.get(task.taskId) === key || task.state === 'none') continue;
      seen.set(task.taskId, key);
      console.log(taskLine(task, now).trimStart());
    }
  };
  const subscription = workbench.pipelines.onDidChange((event) => {
    if (event.dagRun === id) render();
  });
  const timer = tty ? setInterval(render, 1000) : null;
  try {
    render();
    const done = await workbench.pipelines.waitFor(id);
    render();
    return done;
  } finally {
    subscription.dispose();
    if (timer) clearInterval(timer);
  }
}

function summary(run: DagRun): string {
  const failed = run.tasks.filter((task) => task.state === 'failed');
  const took = run.startedAt && run.endedAt ? ` in ${formatDuration(run.startedAt, run.endedAt)}` : '';
  return `${run.id} ${run.state}${took}${failed.length ? `: ${failed.map((task) => `${task.taskId} (${task.message?.split('\n')[0] ?? 'failed'})`).join(', ')}. See: trainyard logs ${run.id} ${failed[0]!.taskId}` : ''}`;
}

const run: Command = {
  words: ['run'],
  async run(args) {
    const { values, positionals } = parse(args, { param: { type: 'string', multiple: true }, force: { type: 'boolean' } });
    const file = resolve(positional(positionals, 0, 'pipeline file (pipeline.yaml)'));
    const text = await readSpec(file);
    const params = Object.fromEntries(keyValues(values.param, 'param').map(({ key, value }) => [key, value]));
    return withWorkbench(values.home, async (workbench) => {
      // Command steps log through it (MLFLOW_TRACKING_URI); any free port, for this run only.
      await workbench.startMlflow({ port: 0 });
      workbench.startBackground();
      const pipeline = workbench.pipelines.register(text, file);
      const started = await workbench.pipelines.trigger(pipeline.name, { params, force: values.force ?? false });
      const done = values.json ? await workbench.pipelines.waitFor(started.id) : await follow(workbench, started.id);
      if (values.json) printJson(done);
      else console.log(summary(done));
      return done.state === 'success' ? 0 : 1;
    }, true);
  },
};

const rerun: Command = {
  words: ['rerun'],
  async run(args) {
    const { values, positionals } = parse(args, {});
    const id = positional(positionals, 0, 'DAG run (<pipeline>/<run id>)');
    return withWorkbench(values.home, async (workbench) => {
      workbench.startBackground();
      const started = await workbench.pipelines.rerun(id);
      const done = values.json ? await workbench.pipelines.waitFor(started.id) : await follow(workbench, started.id);
      if (values.json) printJson(done);
      else console.log(`${summary(done)} (re-run of ${id})`);
      return done.state === 'success' ? 0 : 1;
    }, true);
  },
};

const check: Command = {
  words: ['check'],
  async run(args) {
    const { values, positionals } = parse(args, {});
    const file = resolve(positional(positionals, 0, 'pipeline file (pipeline.yaml)'));
    try {
      const parsed = parsePipeline(await readSpec(file), file);
      if (values.json) printJson({ ok: true, name: parsed.spec.name, steps: parsed.topoOrder, upstream: parsed.upstream });
      else {
        console.log(`${file}: ok — pipeline '${parsed.spec.name}', ${parsed.stepOrder.length} steps`);
        for (const id of parsed.topoOrder) console.log(`  ${id} (${parsed.spec.steps[id]!.kind})${parsed.upstream[id]!.length ? ` ← ${parsed.upstream[id]!.join(', ')}` : ''}`);
      }
      return 0;
    } catch (error) {
      if (!(error instanceof PipelineSpecError)) throw error;
      if (values.json) printJson({ ok: false, issues: error.issues });
      else console.error(error.message);
      return 1;
    }
  },
};

const dagsList: Command = {
  words: ['dags', 'list'],
  async run(args) {
    const { values } = parse(args, {});
    return withWorkbench(values.home, ({ pipelines }) => {
      const list = pipelines.list();
      if (values.json) return printJson(list), 0;
      console.log(formatTable(['PIPELINE', 'STEPS', 'SCHEDULE', 'RUNS', 'LAST RUN'], list.map((p) => [p.name + (p.paused ? ' (paused)' : ''), String(p.steps.length), p.schedule ?? 'manual', String(p.runCount), p.lastRun ? `${p.lastRun.state} ${formatTime(p.lastRun.createdAt)}` : '—'])));
      return 0;
    });
  },
};

const dagsRuns: Command = {
  words: ['dags', 'runs'],
  async run(args) {
    const { values, positionals } = parse(args, { limit: { type: 'string', default: '20' } });
    return withWorkbench(values.home, ({ pipelines }) => {
      const runs = pipelines.dagRuns({ ...(positionals[0] ? { pipeline: positionals[0] } : {}), limit: Number(values.limit) });
      if (values.json) return printJson(runs), 0;
      console.log(formatTable(['DAG RUN', 'STATE', 'TASKS', 'STARTED', 'DURATION'], runs.map((r) => [
        r.id,
        r.state,
        r.tasks.map((t) => marks[t.state] ?? '?').join(''),
        formatTime(r.startedAt),
        r.startedAt ? formatDuration(r.startedAt, r.endedAt) : '',
      ])));
      return 0;
    });
  },
};

const dagsShow: Command = {
  words: ['dags', 'show'],
  async run(args) {
    const { values, positionals } = parse(args, {});
    const id = positional(positionals, 0, 'DAG run (<pipeline>/<run id>)');
    return withWorkbench(values.home, ({ pipelines }) => {
      const dagRun = pipelines.dagRun(id);
      if (values.json) return printJson(dagRun), 0;
      console.log(`${dagRun.id} ${dagRun.state}; params ${JSON.stringify(dagRun.params)}; inputs ${dagRun.inputs.join(', ') || 'none'}${dagRun.codeVersion ? `; code ${dagRun.codeVersion}` : ''}${dagRun.rerunOf ? `; re-run of ${dagRun.rerunOf}` : ''}`);
      const now = Date.now();
      for (const task of dagRun.tasks) {
        console.log(taskLine(task, now));
        const outputs = Object.entries(task.outputs);
        if (outputs.length) console.log(`      → ${outputs.map(([k, v]) => `${k}=${v}`).join('  ')}`);
      }
      return 0;
    });
  },
};

const logs: Command = {
  words: ['logs'],
  async run(args) {
    const { values, positionals } = parse(args, { attempt: { type: 'string' } });
    const id = positional(positionals, 0, 'DAG run (<pipeline>/<run id>)');
    const task = positional(positionals, 1, 'task id');
    return withWorkbench(values.home, async ({ pipelines }) => {
      const file = pipelines.logPath(id, task, values.attempt ? Number(values.attempt) : undefined);
      process.stdout.write(await readFile(file, 'utf8').catch(() => ''));
      return 0;
    });
  },
};

/** `trainyard server`: the MLflow-compatible server alone (plus pipelines and schedules), until Ctrl-C. */
const server: Command = {
  words: ['server'],
  async run(args) {
    const { values } = parse(args, { port: { type: 'string', default: '5000' }, host: { type: 'string', default: '127.0.0.1' }, token: { type: 'string' } });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new WorkbenchError('INVALID_ARGUMENT', `--port must be 0–65535, got '${values.port}'.`);
    return withWorkbench(values.home, async (workbench) => {
      const url = await workbench.startMlflow({ port, host: values.host, ...(values.token ? { token: values.token } : {}) });
      workbench.startBackground();
      console.log(`MLflow-compatible server at ${url}`);
      console.log(`  export MLFLOW_TRACKING_URI=${url}${values.token ? '  MLFLOW_TRACKING_TOKEN=<the token>' : ''}`);
      console.log('Press Ctrl-C to stop.');
      await new Promise<void>((resolvePromise) => {
        process.once('SIGINT', resolvePromise);
        process.once('SIGTERM', resolvePromise);
      });
      return 0;
    }, true);
  },
};

const scheduler: Command = {
  words: ['scheduler'],
  async run(args) {
    const { values } = parse(args, {});
    return withWorkbench(values.home, async (workbench) => {
      const recovered = workbench.startBackground();
      if (recovered > 0) console.log(`Recovered ${recovered} attempt(s) left running by a crash.`);
      console.log(`Scheduling ${workbench.pipelines.list().filter((p) => p.schedule && !p.paused).length} pipeline(s). Press Ctrl-C to stop.`);
      const subscription = workbench.pipelines.onDidChange((event) => {
        if (event.finished) console.log(`${new Date().toISOString()} ${event.dagRun} ${event.state}`);
      });
      await new Promise<void>((resolvePromise) => {
        process.once('SIGINT', resolvePromise);
        process.once('SIGTERM', resolvePromise);
      });
      subscription.dispose();
      return 0;
    }, true);
  },
};

export const pipelineCommands: readonly Command[] = [run, rerun, check, dagsList, dagsRuns, dagsShow, logs, scheduler, server];
