/**
 * The orchestrator end to end with real processes (`command` steps running node): states,
 * outputs passed by reference, retries, timeouts, cancel, clear, mark, caching, max_active_runs and
 * recovery after a crash.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DagRun } from '../../../shared/pipelines';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

let workbench: Workbench & { home: string };
let dir: string;
beforeEach(async () => {
  workbench = await openTestWorkbench();
  dir = workbench.home;
  workbench.startBackground();
});
afterEach(() => workbench.dispose());

const node = (code: string): string => JSON.stringify([process.execPath, '-e', code]);

function register(yaml: string): void {
  const path = join(dir, 'pipeline.yaml');
  writeFileSync(path, yaml);
  workbench.pipelines.register(yaml, path);
}

async function run(name: string, options: Parameters<Workbench['pipelines']['trigger']>[1] = {}): Promise<DagRun> {
  const started = await workbench.pipelines.trigger(name, options);
  return workbench.pipelines.waitFor(started.id);
}

const states = (dagRun: DagRun): Record<string, string> => Object.fromEntries(dagRun.tasks.map((task) => [task.taskId, task.state]));
const log = (dagRun: DagRun, task: string, attempt?: number): string => readFileSync(workbench.pipelines.logPath(dagRun.id, task, attempt), 'utf8');

describe('orchestrator', () => {
  it('passes outputs to downstream steps', async () => {
    register(`
name: outputs
params: { greeting: hello }
steps:
  make:
    kind: command
    params:
      command: ${node("require('fs').appendFileSync(process.env.TRAINYARD_OUTPUTS, 'word=' + process.env.PARAM_GREETING + '\\n')")}
  use:
    kind: command
    params:
      command: ["${process.execPath}", "-e", "console.log('got', process.argv[1])", "\${{ steps.make.outputs.word }}"]
`);
    const dagRun = await run('outputs', { params: { greeting: 'bonjour' } });
    expect(dagRun.state).toBe('success');
    expect(dagRun.tasks.find((task) => task.taskId === 'make')!.outputs).toEqual({ word: 'bonjour' });
    expect(log(dagRun, 'use')).toMatch(/got bonjour/);
    expect(log(dagRun, 'use')).toMatch(/Starting attempt 1 of 1 of use \(command\)/);
    expect(dagRun.params).toEqual({ greeting: 'bonjour' });
  });

  it('retries a failing attempt and keeps every attempt', async () => {
    const counter = join(dir, 'count');
    register(`
name: flaky
steps:
  flaky:
    kind: command
    retries: 2
    retry_delay: 0
    params:
      command: ${node(`const fs=require('fs');const f=${JSON.stringify(counter)};const n=fs.existsSync(f)?Number(fs.readFileSync(f,'utf8')):0;fs.writeFileSync(f,String(n+1));if(n<1){console.error('boom');process.exit(3)}`)}
`);
    const dagRun = await run('flaky');
    expect(dagRun.state).toBe('success');
    const task = dagRun.tasks[0]!;
    expect(task.tryNumber).toBe(2);
    expect(task.attempts.map((a) => [a.tryNumber, a.state, a.message])).toEqual([[1, 'failed', 'The command exited with code 3.'], [2, 'success', null]]);
    expect(log(dagRun, 'flaky', 1)).toMatch(/\[stderr\] boom/);
  });

  it('applies trigger rules: failures propagate as upstream_failed, all_done still runs, and the leaves decide', async () => {
    register(`
name: rules
steps:
  bad:
    kind: command
    params: { command: ${node('process.exit(1)')} }
  after:
    kind: command
    params: { command: ${node('0')} }
  cleanup:
    kind: command
    depends_on: [bad]
    trigger_rule: all_done
    params: { command: ${node('0')} }
`);
    const dagRun = await run('rules');
    expect(states(dagRun)).toEqual({ bad: 'failed', after: 'upstream_failed', cleanup: 'success' });
    expect(dagRun.state).toBe('failed');
  });

  it('fails an attempt that passes its execution_timeout and kills the process', async () => {
    register(`
name: slow
steps:
  sleepy:
    kind: command
    execution_timeout: 1s
    params: { command: ${node('setTimeout(() => {}, 30000)')} }
`);
    const started = Date.now();
    const dagRun = await run('slow');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(dagRun.tasks[0]).toMatchObject({ state: 'failed', message: expect.stringMatching(/^Timed out: execution_timeout of 1 s passed/) });
  });

  it('cancels a run: the running task fails without retry and the rest is skipped', async () => {
    register(`
name: long
steps:
  wait:
    kind: command
    retries: 3
    params: { command: ${node('setTimeout(() => {}, 30000)')} }
  next:
    kind: command
    params: { command: ${node('0')} }
`);
    const started = await workbench.pipelines.trigger('long');
    while (workbench.pipelines.dagRun(started.id).tasks[0]!.state !== 'running') await new Promise((r) => setTimeout(r, 50));
    workbench.pipelines.cancel(started.id);
    const dagRun = await workbench.pipelines.waitFor(started.id);
    expect(dagRun.state).toBe('failed');
    await new Promise((r) => setTimeout(r, 300));
    expect(states(workbench.pipelines.dagRun(started.id))).toEqual({ wait: 'failed', next: 'skipped' });
  });

  it('cancels one task: it fails without retry and an all_done task after it still runs', async () => {
    register(`
name: onetask
steps:
  wait:
    kind: command
    retries: 2
    params: { command: ${node('setTimeout(() => {}, 30000)')} }
  after:
    kind: command
    trigger_rule: all_done
    params: { command: ${node('0')} }
`);
    const started = await workbench.pipelines.trigger('onetask');
    while (workbench.pipelines.dagRun(started.id).tasks[0]!.state !== 'running') await new Promise((r) => setTimeout(r, 50));
    workbench.pipelines.cancelTask(started.id, 'wait');
    const done = await workbench.pipelines.waitFor(started.id);
    expect(states(done)).toEqual({ wait: 'failed', after: 'success' });
    expect(done.tasks[0]!.message).toBe('Stopped: cancelled by the user');
    expect(done.tasks[0]!.attempts).toHaveLength(1);
    expect(() => workbench.pipelines.cancelTask(started.id, 'after')).toThrow(/is success: there is nothing to cancel/);
  });

  it('clears a failed task and its downstream, which then run again; mark success lets downstream go', async () => {
    const flag = join(dir, 'fixed');
    register(`
name: fixable
steps:
  check:
    kind: command
    params: { command: ${node(`process.exit(require('fs').existsSync(${JSON.stringify(flag)}) ? 0 : 1)`)} }
  after:
    kind: command
    params: { command: ${node('0')} }
`);
    const first = await run('fixable');
    expect(states(first)).toEqual({ check: 'failed', after: 'upstream_failed' });
    writeFileSync(flag, '');
    workbench.pipelines.clear(first.id, 'check');
    const second = await workbench.pipelines.waitFor(first.id);
    expect(second.state).toBe('success');
    expect(second.tasks[0]!.attempts.map((a) => a.state)).toEqual(['failed', 'success']);

    const third = await run('fixable');
    expect(third.state).toBe('success');
  });

  it('skips an unchanged step with the outputs of its last success, unless forced', async () => {
    const marker = join(dir, 'ran');
    register(`
name: cached
steps:
  work:
    kind: command
    params:
      command: ${node(`require('fs').appendFileSync(${JSON.stringify(marker)}, 'x');require('fs').appendFileSync(process.env.TRAINYARD_OUTPUTS, 'answer=42\\n')`)}
`);
    await run('cached');
    const second = await run('cached');
    expect(second.tasks[0]).toMatchObject({ state: 'success', outputs: { answer: '42' }, cachedFrom: expect.stringMatching(/^cached\/manual__/) });
    expect(readFileSync(marker, 'utf8')).toBe('x');
    const forced = await run('cached', { force: true });
    expect(forced.tasks[0]!.cachedFrom).toBeNull();
    expect(readFileSync(marker, 'utf8')).toBe('xx');
  });

  it('keeps runs beyond max_active_runs queued until a slot frees', async () => {
    register(`
name: serial
max_active_runs: 1
steps:
  nap:
    kind: command
    cache: false
    params: { command: ${node('setTimeout(() => {}, 400)')} }
`);
    const a = await workbench.pipelines.trigger('serial');
    const b = await workbench.pipelines.trigger('serial');
    await new Promise((r) => setTimeout(r, 150));
    expect(workbench.pipelines.dagRun(b.id).state).toBe('queued');
    const [doneA, doneB] = await Promise.all([workbench.pipelines.waitFor(a.id), workbench.pipelines.waitFor(b.id)]);
    expect([doneA.state, doneB.state]).toEqual(['success', 'success']);
    expect(doneB.startedAt!).toBeGreaterThanOrEqual(doneA.endedAt!);
  });

  it('recovers attempts left running by a crash: failed, then retried per policy', async () => {
    register(`
name: crashy
steps:
  step:
    kind: command
    retries: 1
    retry_delay: 0
    cache: false
    params: { command: ${node('0')} }
`);
    // What a crash leaves: a running DAG run whose task and attempt say running.
    const created = await workbench.pipelines.trigger('crashy');
    await workbench.pipelines.waitFor(created.id);
    const { store } = workbench.pipelines;
    const row = store.dagRunRow(created.id);
    const task = store.taskRows(row.id)[0]!;
    store.updateDagRun(row.id, { state: 'running', ended_at: null });
    store.updateTask(task.id, { state: 'running', try_number: 1, max_tries: 2 });
    store.updateAttempt(task.id, 1, { state: 'running', ended_at: null });
    expect(workbench.pipelines.recover()).toBe(1);
    const recovered = await workbench.pipelines.waitFor(created.id);
    expect(recovered.state).toBe('success');
    expect(recovered.tasks[0]!.attempts.map((a) => [a.state, a.message])).toEqual([['failed', 'the app stopped while this attempt ran'], ['success', null]]);
  });

  it('refuses unknown params and pipelines', async () => {
    register(`
name: p
params: { epochs: 5 }
steps:
  s: { kind: command, params: { command: ${node('0')} } }
`);
    await expect(workbench.pipelines.trigger('p', { params: { epoch: 3 } })).rejects.toThrow(/'epoch' is not a param of this pipeline/);
    await expect(workbench.pipelines.trigger('nope')).rejects.toThrow("No pipeline named 'nope'.");
    expect(existsSync(join(dir, 'logs'))).toBe(true);
  });
});
