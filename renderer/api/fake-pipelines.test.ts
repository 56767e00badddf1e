import { describe, expect, it } from 'vitest';
import type { WorkbenchEvent } from '../../shared/events';
import { createFakeConnection } from './fake-api';

const spec = `name: flow
params:
  lines: 3
steps:
  hello:
    kind: command
    params: { command: echo hi }
  flaky:
    kind: command
    depends_on: []
    retries: 1
    retry_delay: 0
    params: { command: "exit 1" }
  report:
    kind: command
    depends_on: [hello, flaky]
    params: { command: echo done }
`;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('timed out');
}

function setup() {
  const fake = createFakeConnection();
  const events: WorkbenchEvent[] = [];
  fake.onEvent((event) => events.push(event));
  fake.backend.pipelines.script = (_pipeline, taskId, tryNumber) =>
    taskId === 'flaky' && tryNumber === 1 ? { lines: ['flaky: first try'], fail: 'The command exited with code 1.' } : { lines: [`${taskId}: line 1`, `${taskId}: line 2`] };
  return { fake, api: fake.api, events };
}

describe('fake pipelines', () => {
  it('checks a spec and places each problem at its line and column', async () => {
    const { api } = setup();
    expect(await api['pipelines.check']({ text: spec })).toEqual({ ok: true, issues: [] });
    const broken = spec.replace('depends_on: [hello, flaky]', 'depends_on: [hello, ghost]').replace('kind: command\n    depends_on: []', 'kind: cmd\n    depends_on: []');
    const { ok, issues } = await api['pipelines.check']({ text: broken });
    expect(ok).toBe(false);
    expect(issues).toEqual([expect.objectContaining({ line: 9, column: 11, path: 'steps.flaky.kind' })]);
    const graph = await api['pipelines.check']({ text: spec.replace('depends_on: [hello, flaky]', 'depends_on: [hello, ghost]') });
    expect(graph.issues).toEqual([expect.objectContaining({ line: 16, column: 17, message: expect.stringContaining("unknown step 'ghost'") })]);
    const syntax = await api['pipelines.check']({ text: 'name: [unclosed\n' });
    expect(syntax.ok).toBe(false);
    expect(syntax.issues[0]!.line).toBeGreaterThanOrEqual(1);
  });

  it('runs a DAG with Airflow states: a retry, then success, with a log per try read by offset', async () => {
    const { api, events } = setup();
    const summary = await api['pipelines.register']({ text: spec });
    expect(summary.steps).toEqual([
      { id: 'hello', kind: 'command', dependsOn: [] },
      { id: 'flaky', kind: 'command', dependsOn: [] },
      { id: 'report', kind: 'command', dependsOn: ['hello', 'flaky'] },
    ]);
    const started = await api['pipelines.trigger']({ name: 'flow', params: { lines: 5 } });
    expect(started).toMatchObject({ state: 'queued', params: { lines: 5 }, kind: 'manual' });
    const done = await until(() => api['pipelines.run']({ id: started.id }), (run) => run.state === 'success');
    expect(done.tasks.map((task) => [task.taskId, task.state, task.tryNumber, task.maxTries])).toEqual([
      ['hello', 'success', 1, 1],
      ['flaky', 'success', 2, 2],
      ['report', 'success', 1, 1],
    ]);
    expect(done.tasks[1]!.attempts.map((attempt) => attempt.state)).toEqual(['failed', 'success']);
    expect(events.filter((event) => event.name === 'pipeline.changed').at(-1)).toEqual({ name: 'pipeline.changed', payload: { pipeline: 'flow', dagRun: started.id, state: 'success', finished: true } });

    const first = await api['pipelines.log']({ id: started.id, taskId: 'flaky', tryNumber: 1, offset: 0, maxBytes: 120 });
    expect(first.text).toContain('Starting attempt 1 of 2');
    expect(first.offset).toBeLessThan(first.size);
    const rest = await api['pipelines.log']({ id: started.id, taskId: 'flaky', tryNumber: 1, offset: first.offset, maxBytes: 10_000 });
    expect(first.text + rest.text).toContain('Failed: The command exited with code 1.');
    expect(rest.offset).toBe(rest.size);
    expect((await api['pipelines.list']({}))[0]).toMatchObject({ name: 'flow', runCount: 1, lastRun: { id: started.id, state: 'success' } });
  });

  it('cancels, clears with downstream, marks and re-runs', async () => {
    const { api, fake } = setup();
    await api['pipelines.register']({ text: spec });
    fake.backend.pipelines.taskMs = 10_000;
    const slow = await api['pipelines.trigger']({ name: 'flow' });
    await until(() => api['pipelines.run']({ id: slow.id }), (run) => run.tasks[0]!.state === 'running');
    await api['pipelines.cancel']({ id: slow.id });
    const cancelled = await api['pipelines.run']({ id: slow.id });
    expect(cancelled.state).toBe('failed');
    expect(cancelled.tasks.map((task) => task.state)).toEqual(['failed', 'failed', 'skipped']);
    await expect(api['pipelines.cancel']({ id: slow.id })).rejects.toThrow('already ended');

    fake.backend.pipelines.taskMs = 0;
    const cleared = await api['pipelines.clear']({ id: slow.id, taskId: 'hello', downstream: true });
    expect(cleared.tasks.map((task) => task.state)).toEqual(['none', 'failed', 'none']);
    expect(cleared.tasks[0]!.maxTries).toBe(2);
    const marked = await api['pipelines.mark']({ id: slow.id, taskId: 'flaky', state: 'success' });
    expect(marked.tasks[1]!.state).toBe('success');
    const finished = await until(() => api['pipelines.run']({ id: slow.id }), (run) => run.state === 'success');
    expect(finished.tasks.map((task) => task.state)).toEqual(['success', 'success', 'success']);

    const again = await api['pipelines.rerun']({ id: slow.id });
    expect(again).toMatchObject({ kind: 'rerun', rerunOf: slow.id });
    const runs = await api['pipelines.runs']({ pipeline: 'flow' });
    expect(runs.map((run) => run.id)).toEqual([again.id, slow.id]);
  });
});
