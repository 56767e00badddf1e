import { expect, test } from './fixtures';

// The MLflow-compatible server of browser mode: its URI is in the status bar, and a script
// logging the way MLflow's client does (here: its REST requests from Node) shows up as an
// ordinary run with a live chart.

test('a run logged through the MLflow API shows in the runs table and its chart', async ({ runsPage, runPage, page }) => {
  await runsPage.open();
  const uri = (await page.getByTestId('status-mlflow-uri').textContent())!;
  expect(uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const base = `${uri}/api/2.0/mlflow`;
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const reply = await fetch(`${base}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(reply.status, path).toBe(200);
    return (await reply.json()) as Record<string, unknown>;
  };

  // mlflow.set_experiment("mlflow-e2e"): get-by-name 404, then create.
  expect((await fetch(`${base}/experiments/get-by-name?experiment_name=mlflow-e2e`)).status).toBe(404);
  const { experiment_id } = (await post('experiments/create', { name: 'mlflow-e2e' })) as { experiment_id: string };
  // mlflow.start_run(run_name="scripted")
  const created = (await post('runs/create', { experiment_id, run_name: 'scripted', start_time: Date.now(), tags: [{ key: 'mlflow.user', value: 'e2e' }, { key: 'mlflow.runName', value: 'scripted' }] })) as { run: { info: { run_id: string } } };
  const run_id = created.run.info.run_id;
  await post('runs/log-parameter', { run_id, run_uuid: run_id, key: 'lr', value: '0.01' });
  await post('runs/log-batch', { run_id, metrics: Array.from({ length: 50 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: Date.now(), step })) });

  await expect(runsPage.row(run_id)).toBeVisible();
  await runsPage.openRun(run_id);
  await expect(runPage.title).toHaveText('scripted');
  await expect(runPage.chart('loss')).toBeVisible();
  await post('runs/update', { run_id, run_uuid: run_id, status: 'FINISHED', end_time: Date.now() });
  await expect(runPage.status).toHaveText(/finished/i);
});
