/**
 * A pipeline `command` step gets MLFLOW_TRACKING_URI / MLFLOW_RUN_ID / MLFLOW_EXPERIMENT_ID, and
 * a program speaking the REST API the way `mlflow.start_run()` does (it resumes MLFLOW_RUN_ID)
 * lands its params and metrics on the step's run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

let workbench: Workbench & { home: string };
beforeEach(async () => {
  workbench = await openTestWorkbench();
  workbench.startBackground();
});
afterEach(() => workbench.dispose());

/** What the Python client sends for start_run() (resuming), log_param, log_metric and end_run(). */
const program = `
const base = process.env.MLFLOW_TRACKING_URI + '/api/2.0/mlflow';
const run_id = process.env.MLFLOW_RUN_ID;
const post = (path, body) => fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => { if (!r.ok) throw new Error(path + ' ' + r.status + ' ' + await r.text()); return r.json(); });
(async () => {
  const got = await fetch(base + '/runs/get?run_id=' + run_id).then((r) => r.json());
  if (got.run.info.experiment_id !== process.env.MLFLOW_EXPERIMENT_ID) throw new Error('wrong experiment');
  await post('/runs/log-parameter', { run_id, run_uuid: run_id, key: 'lr', value: '0.01' });
  for (let step = 0; step < 3; step++) await post('/runs/log-metric', { run_id, run_uuid: run_id, key: 'loss', value: 1 / (step + 1), timestamp: Date.now(), step });
  await post('/runs/update', { run_id, run_uuid: run_id, status: 'FINISHED', end_time: Date.now() });
  console.log('logged to', run_id);
})().catch((e) => { console.error(e.message); process.exit(1); });
`;

describe('command steps and the MLflow server', () => {
  it("a program's MLflow calls land on the step's run", async () => {
    await workbench.startMlflow({ port: 0 });
    const script = join(workbench.home, 'train.js');
    writeFileSync(script, program);
    workbench.pipelines.register(`name: scripted\nsteps:\n  fit:\n    kind: command\n    params: { command: ${JSON.stringify([process.execPath, script])} }\n`);
    const started = await workbench.pipelines.trigger('scripted');
    const done = await workbench.pipelines.waitFor(started.id);
    expect(done.state).toBe('success');
    const task = done.tasks[0]!;
    const runId = task.outputs.run!;
    expect(task.attempts[0]!.runId).toBe(runId);
    const run = workbench.tracking.getRun(runId);
    expect(run.status).toBe('FINISHED');
    expect(run.params).toEqual({ lr: '0.01' });
    expect(run.metrics.loss).toMatchObject({ value: 1 / 3, step: 2 });
    expect(run.tags['trainyard.dag_run']).toBe(done.id);
    expect(workbench.experiments.get(run.experimentId).name).toBe('pipeline:scripted');
    expect((await workbench.dispatch('app.info', {})) as { ok: true; result: { mlflowTrackingUri: string } }).toMatchObject({ ok: true, result: { mlflowTrackingUri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) } });
  });

  it('refuses to bind beyond loopback without a token, and checks the token when given', async () => {
    await expect(workbench.startMlflow({ port: 0, host: '0.0.0.0' })).rejects.toThrow(/give a token/);
    const url = await workbench.startMlflow({ port: 0, host: '0.0.0.0', token: 's3cret' });
    const port = new URL(url).port;
    expect((await fetch(`http://127.0.0.1:${port}/api/2.0/mlflow/experiments/get?experiment_id=0`)).status).toBe(401);
    const ok = await fetch(`http://127.0.0.1:${port}/api/2.0/mlflow/experiments/get?experiment_id=0`, { headers: { authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(200);
  });
});
