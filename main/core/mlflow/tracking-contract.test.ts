// Replays what MLflow's 2.12 Python client sends for the calls of MLFLOW.md §4 (bodies and
// query strings as the client writes them) and checks the answers field by field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowTestServer, type MlflowTestServer } from './test-server';

let mlflow: MlflowTestServer;
beforeAll(async () => {
  mlflow = await startMlflowTestServer();
});
afterAll(() => mlflow.close());

const api = '/api/2.0/mlflow';
const startTime = 1_712_000_000_000;

/** `mlflow.set_experiment(name)`: get-by-name, create when it is a 404, then get. */
async function setExperiment(name: string): Promise<string> {
  const found = await mlflow.get(`${api}/experiments/get-by-name`, { experiment_name: name });
  if (found.status === 200) return (found.body.experiment as { experiment_id: string }).experiment_id;
  expect(found.status).toBe(404);
  const created = await mlflow.send('POST', `${api}/experiments/create`, { name });
  expect(created.status).toBe(200);
  const id = created.body.experiment_id as string;
  expect((await mlflow.get(`${api}/experiments/get`, { experiment_id: id })).status).toBe(200);
  return id;
}

/** `mlflow.start_run(run_name=…)` as the fluent API sends it. */
async function startRun(experimentId: string, runName: string, extraTags: Array<{ key: string; value: string }> = []) {
  const reply = await mlflow.send('POST', `${api}/runs/create`, {
    experiment_id: experimentId,
    user_id: 'alice',
    start_time: startTime,
    tags: [
      { key: 'mlflow.user', value: 'alice' },
      { key: 'mlflow.source.name', value: 'train.py' },
      { key: 'mlflow.source.type', value: 'LOCAL' },
      { key: 'mlflow.source.git.commit', value: '0123456789abcdef0123456789abcdef01234567' },
      { key: 'mlflow.runName', value: runName },
      ...extraTags,
    ],
    run_name: runName,
  });
  expect(reply.status).toBe(200);
  return reply.body.run as { info: Record<string, unknown>; data: Record<string, unknown>; inputs: Record<string, unknown> };
}

const tagsOf = (run: { data: Record<string, unknown> }): Record<string, string> =>
  Object.fromEntries((run.data.tags as Array<{ key: string; value: string }>).map((tag) => [tag.key, tag.value]));

describe('set_experiment', () => {
  it('creates a new experiment: get-by-name 404, create, get', async () => {
    const missing = await mlflow.get(`${api}/experiments/get-by-name`, { experiment_name: 'fresh' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Could not find experiment with name 'fresh'" });

    const created = await mlflow.send('POST', `${api}/experiments/create`, { name: 'fresh' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ experiment_id: expect.stringMatching(/^\d+$/) });
    const id = created.body.experiment_id as string;

    const got = await mlflow.get(`${api}/experiments/get`, { experiment_id: id });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(got.body.experiment).toEqual({
      experiment_id: id,
      name: 'fresh',
      artifact_location: `mlflow-artifacts:/${id}`,
      lifecycle_stage: 'active',
      creation_time: expect.any(Number),
      last_update_time: expect.any(Number),
      tags: [],
    });
  });

  it('finds an existing experiment by name and does not create it again', async () => {
    const id = await setExperiment('existing');
    const again = await mlflow.get(`${api}/experiments/get-by-name`, { experiment_name: 'existing' });
    expect(again.status).toBe(200);
    expect(again.body.experiment).toMatchObject({ experiment_id: id, name: 'existing', lifecycle_stage: 'active' });
    const duplicate = await mlflow.send('POST', `${api}/experiments/create`, { name: 'existing' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
  });

  it('creates with tags and ignores a given artifact_location (artifacts are proxied)', async () => {
    const created = await mlflow.send('POST', `${api}/experiments/create`, { name: 'tagged', artifact_location: 'file:///tmp/elsewhere', tags: [{ key: 'team', value: 'cv' }] });
    const got = await mlflow.get(`${api}/experiments/get`, { experiment_id: created.body.experiment_id as string });
    expect(got.body.experiment).toMatchObject({ artifact_location: `mlflow-artifacts:/${created.body.experiment_id}`, tags: [{ key: 'team', value: 'cv' }] });
  });
});

describe('a training script, call by call', () => {
  it('start_run sends the mlflow.* tags; the run comes back with MLflow\'s RunInfo', async () => {
    const experimentId = await setExperiment('script');
    const run = await startRun(experimentId, 'r1');
    const runId = run.info.run_id as string;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info).toEqual({
      run_id: runId,
      run_uuid: runId,
      run_name: 'r1',
      experiment_id: experimentId,
      user_id: 'alice',
      status: 'RUNNING',
      start_time: startTime,
      artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
      lifecycle_stage: 'active',
    });
    expect(run.info).not.toHaveProperty('end_time');
    expect(run.data.metrics).toEqual([]);
    expect(run.data.params).toEqual([]);
    expect(tagsOf(run)).toEqual({
      'mlflow.user': 'alice',
      'mlflow.source.name': 'train.py',
      'mlflow.source.type': 'LOCAL',
      'mlflow.source.git.commit': '0123456789abcdef0123456789abcdef01234567',
      'mlflow.runName': 'r1',
    });
    expect(run.inputs).toEqual({ dataset_inputs: [] });
    // The same run in Trainyard's own terms: named, with its source, visible to the UI.
    const native = mlflow.workbench.tracking.getRun(runId);
    expect(native).toMatchObject({ name: 'r1', experimentId, status: 'RUNNING', source: { gitCommit: '0123456789abcdef0123456789abcdef01234567', entryPoint: 'train.py' } });
    expect(native.tags).not.toHaveProperty('mlflow.runName');
  });

  it('logs params, metrics (NaN included) and tags, then ends the run', async () => {
    const experimentId = await setExperiment('script-2');
    const runId = (await startRun(experimentId, 'r2')).info.run_id as string;
    const ok = async (path: string, body: unknown): Promise<void> => {
      const reply = await mlflow.send('POST', `${api}/${path}`, body);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toEqual({});
    };
    // log_param("lr", 0.01), then log_params({...}) and the same value again (allowed)
    await ok('runs/log-parameter', { run_id: runId, run_uuid: runId, key: 'lr', value: '0.01' });
    await ok('runs/log-batch', { run_id: runId, params: [{ key: 'epochs', value: '10' }, { key: 'optimizer', value: 'adam' }] });
    await ok('runs/log-parameter', { run_id: runId, run_uuid: runId, key: 'lr', value: '0.01' });
    // log_metric("loss", 0.5, step=1), a diverging step, then step 7 before step 5
    await ok('runs/log-metric', { run_id: runId, run_uuid: runId, key: 'loss', value: 0.5, timestamp: startTime + 1, step: 1 });
    await ok('runs/log-metric', { run_id: runId, run_uuid: runId, key: 'loss', value: 'NaN', timestamp: startTime + 2, step: 2 });
    await ok('runs/log-metric', { run_id: runId, run_uuid: runId, key: 'loss', value: 0.25, timestamp: startTime + 3, step: 7 });
    await ok('runs/log-metric', { run_id: runId, run_uuid: runId, key: 'loss', value: 0.3, timestamp: startTime + 4, step: 5 });
    // log_metrics({...}, step=2) and an infinite value
    await ok('runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'acc', value: 0.9, timestamp: startTime + 5, step: 2 },
        { key: 'grad_norm', value: 'Infinity', timestamp: startTime + 5, step: 2 },
        { key: 'diverged', value: 'NaN', timestamp: startTime + 5, step: 2 },
      ],
    });
    await ok('runs/set-tag', { run_id: runId, run_uuid: runId, key: 'stage', value: 'dev' });
    // end_run()
    const ended = await mlflow.send('POST', `${api}/runs/update`, { run_id: runId, run_uuid: runId, status: 'FINISHED', end_time: startTime + 10 });
    expect(ended.status).toBe(200);
    expect(ended.body.run_info).toMatchObject({ run_id: runId, run_uuid: runId, run_name: 'r2', status: 'FINISHED', start_time: startTime, end_time: startTime + 10, user_id: 'alice', lifecycle_stage: 'active' });

    // The raw JSON carries non-finite doubles as strings, as proto3-JSON does.
    const raw = await mlflow.get(`${api}/runs/get`, { run_id: runId, run_uuid: runId });
    expect(raw.text).toContain('"value":"Infinity"');
    expect(raw.text).toContain('"value":"NaN"');
    const run = raw.body.run as { info: Record<string, unknown>; data: { metrics: unknown[]; params: unknown[] } };
    expect(run.info).toMatchObject({ status: 'FINISHED', end_time: startTime + 10 });
    expect(run.data.params).toEqual(expect.arrayContaining([{ key: 'lr', value: '0.01' }, { key: 'epochs', value: '10' }, { key: 'optimizer', value: 'adam' }]));
    expect(run.data.params).toHaveLength(3);
    // Latest value per key by (step, timestamp, value): step 7 wins although step 5 came later.
    expect(run.data.metrics).toEqual(
      expect.arrayContaining([
        { key: 'loss', value: 0.25, timestamp: startTime + 3, step: 7 },
        { key: 'acc', value: 0.9, timestamp: startTime + 5, step: 2 },
        { key: 'grad_norm', value: 'Infinity', timestamp: startTime + 5, step: 2 },
        { key: 'diverged', value: 'NaN', timestamp: startTime + 5, step: 2 },
      ]),
    );
    expect(run.data.metrics).toHaveLength(4);
    expect(tagsOf(run as never)).toMatchObject({ stage: 'dev', 'mlflow.runName': 'r2' });
  });

  it('refuses to change a param (write-once) and logs nothing of that batch', async () => {
    const experimentId = await setExperiment('write-once');
    const runId = (await startRun(experimentId, 'w')).info.run_id as string;
    await mlflow.send('POST', `${api}/runs/log-parameter`, { run_id: runId, run_uuid: runId, key: 'lr', value: '0.01' });
    const changed = await mlflow.send('POST', `${api}/runs/log-parameter`, { run_id: runId, run_uuid: runId, key: 'lr', value: '0.02' });
    expect(changed.status).toBe(400);
    expect(changed.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(changed.body.message).toMatch(/'lr'.*'0\.01'.*'0\.02'/);
    const batch = await mlflow.send('POST', `${api}/runs/log-batch`, {
      run_id: runId,
      metrics: [{ key: 'm', value: 1, timestamp: startTime, step: 0 }],
      params: [{ key: 'lr', value: '0.03' }],
      tags: [{ key: 't', value: 'x' }],
    });
    expect(batch.status).toBe(400);
    const run = mlflow.workbench.tracking.getRun(runId);
    expect(run.params).toEqual({ lr: '0.01' });
    expect(run.metrics).toEqual({});
    expect(run.tags).not.toHaveProperty('t');
  });

  it('nests a run under its parent through mlflow.parentRunId', async () => {
    const experimentId = await setExperiment('nested');
    const parentId = (await startRun(experimentId, 'parent')).info.run_id as string;
    const child = await startRun(experimentId, 'child', [{ key: 'mlflow.parentRunId', value: parentId }]);
    expect(tagsOf(child)['mlflow.parentRunId']).toBe(parentId);
    expect(mlflow.workbench.tracking.getRunInfo(child.info.run_id as string).parentRunId).toBe(parentId);
    const search = await mlflow.send('POST', `${api}/runs/search`, { experiment_ids: [experimentId], filter: `tags.mlflow.parentRunId = '${parentId}'`, run_view_type: 'ACTIVE_ONLY', max_results: 10 });
    expect((search.body.runs as Array<{ info: { run_id: string } }>).map((run) => run.info.run_id)).toEqual([child.info.run_id]);
  });

  it('takes the name from the mlflow.runName tag alone, refuses two different names, renames through set-tag and update', async () => {
    const experimentId = await setExperiment('names');
    const tagOnly = await mlflow.send('POST', `${api}/runs/create`, { experiment_id: experimentId, start_time: startTime, tags: [{ key: 'mlflow.runName', value: 'from-tag' }] });
    expect((tagOnly.body.run as { info: { run_name: string; user_id: string } }).info).toMatchObject({ run_name: 'from-tag', user_id: '' });
    const clash = await mlflow.send('POST', `${api}/runs/create`, { experiment_id: experimentId, run_name: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] });
    expect(clash.status).toBe(400);
    expect(clash.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    const unnamed = await mlflow.send('POST', `${api}/runs/create`, { experiment_id: experimentId });
    const runId = (unnamed.body.run as { info: { run_id: string; run_name: string } }).info.run_id;
    expect((unnamed.body.run as { info: { run_name: string } }).info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    await mlflow.send('POST', `${api}/runs/set-tag`, { run_id: runId, key: 'mlflow.runName', value: 'renamed' });
    expect(mlflow.workbench.tracking.getRunInfo(runId).name).toBe('renamed');
    const updated = await mlflow.send('POST', `${api}/runs/update`, { run_id: runId, run_name: 'again' });
    expect((updated.body.run_info as { run_name: string; status: string }).run_name).toBe('again');
    expect((updated.body.run_info as { status: string }).status).toBe('RUNNING');
  });

  it('deletes and restores runs softly; a deleted run refuses logging', async () => {
    const experimentId = await setExperiment('trash');
    const runId = (await startRun(experimentId, 'gone')).info.run_id as string;
    expect((await mlflow.send('POST', `${api}/runs/delete`, { run_id: runId })).body).toEqual({});
    const deleted = await mlflow.get(`${api}/runs/get`, { run_id: runId });
    expect((deleted.body.run as { info: { lifecycle_stage: string } }).info.lifecycle_stage).toBe('deleted');
    const refused = await mlflow.send('POST', `${api}/runs/log-metric`, { run_id: runId, key: 'm', value: 1, timestamp: startTime, step: 0 });
    expect(refused.status).toBe(400);
    expect(refused.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    const hidden = await mlflow.send('POST', `${api}/runs/search`, { experiment_ids: [experimentId] });
    expect(hidden.body.runs).toEqual([]);
    const shown = await mlflow.send('POST', `${api}/runs/search`, { experiment_ids: [experimentId], run_view_type: 'DELETED_ONLY' });
    expect(shown.body.runs).toHaveLength(1);
    await mlflow.send('POST', `${api}/runs/restore`, { run_id: runId });
    const restored = await mlflow.get(`${api}/runs/get`, { run_id: runId });
    expect((restored.body.run as { info: { lifecycle_stage: string } }).info.lifecycle_stage).toBe('active');
  });

  it('deletes a tag, and a missing tag is RESOURCE_DOES_NOT_EXIST', async () => {
    const experimentId = await setExperiment('tags');
    const runId = (await startRun(experimentId, 't')).info.run_id as string;
    await mlflow.send('POST', `${api}/runs/set-tag`, { run_id: runId, key: 'temp', value: '1' });
    expect((await mlflow.send('POST', `${api}/runs/delete-tag`, { run_id: runId, key: 'temp' })).status).toBe(200);
    expect(mlflow.workbench.tracking.getRun(runId).tags).not.toHaveProperty('temp');
    const again = await mlflow.send('POST', `${api}/runs/delete-tag`, { run_id: runId, key: 'temp' });
    expect(again.status).toBe(404);
    expect(again.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('records 2.x log_model in mlflow.log-model.history and log_input datasets as run inputs', async () => {
    const experimentId = await setExperiment('models');
    const runId = (await startRun(experimentId, 'm')).info.run_id as string;
    const model = { run_id: runId, artifact_path: 'model', utc_time_created: '2024-04-01 10:00:00.000000', flavors: { python_function: { loader_module: 'mlflow.sklearn' } } };
    expect((await mlflow.send('POST', `${api}/runs/log-model`, { run_id: runId, model_json: JSON.stringify(model) })).status).toBe(200);
    expect((await mlflow.send('POST', `${api}/runs/log-model`, { run_id: runId, model_json: JSON.stringify({ ...model, artifact_path: 'second' }) })).status).toBe(200);
    const incomplete = await mlflow.send('POST', `${api}/runs/log-model`, { run_id: runId, model_json: JSON.stringify({ artifact_path: 'x' }) });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.message).toMatch(/missing mandatory fields.*'flavors'/);

    const dataset = { name: 'iris', digest: 'abc123', source_type: 'local', source: '{"uri": "/data/iris.csv"}', schema: '{"mlflow_colspec": []}', profile: '{"num_rows": 150}' };
    const inputs = { run_id: runId, datasets: [{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }] };
    expect((await mlflow.send('POST', `${api}/runs/log-inputs`, inputs)).status).toBe(200);
    expect((await mlflow.send('POST', `${api}/runs/log-inputs`, inputs)).status).toBe(200); // the same dataset again: no duplicate

    const run = (await mlflow.get(`${api}/runs/get`, { run_id: runId })).body.run as { data: { tags: Array<{ key: string; value: string }> }; inputs: unknown };
    const history = JSON.parse(run.data.tags.find((tag) => tag.key === 'mlflow.log-model.history')!.value) as Array<{ artifact_path: string }>;
    expect(history.map((entry) => entry.artifact_path)).toEqual(['model', 'second']);
    expect(run.inputs).toEqual({ dataset_inputs: [{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }] });
    expect(run.data.tags.map((tag) => tag.key)).not.toContain('trainyard.mlflow.inputs');
  });
});

describe('experiments: update, tags, delete and restore', () => {
  it('renames, sets and deletes tags, deletes and restores', async () => {
    const id = await setExperiment('lifecycle');
    expect((await mlflow.send('POST', `${api}/experiments/update`, { experiment_id: id, new_name: 'lifecycle-2' })).status).toBe(200);
    expect((await mlflow.send('POST', `${api}/experiments/set-experiment-tag`, { experiment_id: id, key: 'owner', value: 'ml' })).status).toBe(200);
    let got = (await mlflow.get(`${api}/experiments/get`, { experiment_id: id })).body.experiment as Record<string, unknown>;
    expect(got).toMatchObject({ name: 'lifecycle-2', tags: [{ key: 'owner', value: 'ml' }] });
    expect((await mlflow.send('POST', `${api}/experiments/delete-experiment-tag`, { experiment_id: id, key: 'owner' })).status).toBe(200);
    expect((await mlflow.send('POST', `${api}/experiments/delete`, { experiment_id: id })).body).toEqual({});
    got = (await mlflow.get(`${api}/experiments/get`, { experiment_id: id })).body.experiment as Record<string, unknown>;
    expect(got).toMatchObject({ lifecycle_stage: 'deleted', tags: [] });
    // set_experiment on a deleted experiment finds it (the client then refuses to use it)
    expect((await mlflow.get(`${api}/experiments/get-by-name`, { experiment_name: 'lifecycle-2' })).body.experiment).toMatchObject({ lifecycle_stage: 'deleted' });
    const refused = await mlflow.send('POST', `${api}/runs/create`, { experiment_id: id });
    expect(refused.status).toBe(400);
    const rename = await mlflow.send('POST', `${api}/experiments/update`, { experiment_id: id, new_name: 'x' });
    expect(rename.status).toBe(400);
    await mlflow.send('POST', `${api}/experiments/restore`, { experiment_id: id });
    expect(((await mlflow.get(`${api}/experiments/get`, { experiment_id: id })).body.experiment as { lifecycle_stage: string }).lifecycle_stage).toBe('active');
  });
});

describe('server basics', () => {
  it('answers /health and /version as text', async () => {
    const health = await mlflow.raw('GET', '/health');
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('OK');
    const version = await mlflow.raw('GET', '/version');
    expect(await version.text()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('serves the same handlers under /ajax-api/2.0', async () => {
    const reply = await mlflow.get('/ajax-api/2.0/mlflow/experiments/get', { experiment_id: '0' });
    expect(reply.status).toBe(200);
    expect(reply.body.experiment).toMatchObject({ experiment_id: '0', name: 'Default' });
  });

  it('leaves other paths to the host server', async () => {
    const other = await mlflow.raw('GET', '/api/rpc/app.info');
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('not the MLflow API');
  });

  it('refuses requests a web page of another origin sends', async () => {
    const reply = await mlflow.raw('POST', `${api}/experiments/create`, { body: JSON.stringify({ name: 'csrf' }), headers: { origin: 'http://evil.example', 'content-type': 'text/plain' } });
    expect(reply.status).toBe(403);
    expect(mlflow.workbench.experiments.getByName('csrf')).toBeNull();
  });
});
