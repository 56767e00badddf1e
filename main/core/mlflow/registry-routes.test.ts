import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRegistryTestServer, type RegistryTestServer } from './registry-test-server';

let api: RegistryTestServer;
beforeEach(async () => {
  api = await startRegistryTestServer();
});
afterEach(() => api.close());

const pyfuncMlmodel = `artifact_path: model
flavors:
  python_function:
    cloudpickle_version: 3.0.0
    code: null
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.pyfunc.model
    python_model: python_model.pkl
    python_version: 3.11.7
mlflow_version: 2.12.2
model_size_bytes: 1791
model_uuid: 4f1c2bb2a6b84c4f8f0d7f0f51f1c0de
utc_time_created: '2024-05-01 10:00:00.000000'
`;

/** What `mlflow.pyfunc.log_model("model", …)` leaves in a run (MLFLOW.md §4), plus the MLmodel copy under metadata/. */
const pyfuncFiles: Record<string, string | Buffer> = {
  'model/MLmodel': pyfuncMlmodel,
  'model/python_model.pkl': Buffer.from([0x80, 0x05, 0x95, 0x00, 0x01, 0xfe]),
  'model/conda.yaml': 'channels:\n- conda-forge\ndependencies:\n- python=3.11.7\n',
  'model/python_env.yaml': 'python: 3.11.7\n',
  'model/requirements.txt': 'mlflow==2.12.2\ncloudpickle==3.0.0\n',
  'model/metadata/MLmodel': pyfuncMlmodel,
};

async function loggedRun(experimentName = 'mlflow-scripts'): Promise<{ runId: string; experimentId: string }> {
  const { experiments, tracking, artifacts } = api.workbench;
  const experiment = experiments.getByName(experimentName) ?? experiments.create(experimentName);
  const run = tracking.createRun({ experimentId: experiment.id, name: 'train' });
  for (const [path, content] of Object.entries(pyfuncFiles)) await artifacts.writeBytes(run.id, path, typeof content === 'string' ? Buffer.from(content) : content);
  tracking.endRun(run.id, 'FINISHED');
  return { runId: run.id, experimentId: experiment.id };
}

/** MLflow's client lists a proxied folder recursively and GETs each file (`_download_artifact_from_uri`). */
async function downloadTree(artifactUri: string): Promise<Record<string, Buffer>> {
  const root = artifactUri.replace(/^mlflow-artifacts:\//, '');
  const files: Record<string, Buffer> = {};
  const walk = async (relative: string): Promise<void> => {
    const listing = await api.call('GET', 'mlflow-artifacts/artifacts', { path: relative ? `${root}/${relative}` : root });
    expect(listing.status).toBe(200);
    for (const entry of listing.body['files'] as Array<{ path: string; is_dir: boolean; file_size?: number }>) {
      const child = relative ? `${relative}/${entry.path}` : entry.path;
      expect(entry.path).not.toContain('/'); // basenames only
      if (entry.is_dir) await walk(child);
      else {
        const file = await api.fetchBytes(`/api/2.0/mlflow-artifacts/artifacts/${root}/${child}`.split('/').map(encodeURIComponent).join('/'));
        expect(file.status).toBe(200);
        expect(file.bytes.length).toBe(entry.file_size);
        files[child] = file.bytes;
      }
    }
  };
  await walk('');
  return files;
}

const asBuffers = (files: Record<string, string | Buffer>, prefix: string): Record<string, Buffer> =>
  Object.fromEntries(Object.entries(files).map(([path, content]) => [path.slice(prefix.length), Buffer.from(content)]));

describe('MLflow registry REST API: the client sequences of MLFLOW.md §4', () => {
  it('register_model: create (RESOURCE_ALREADY_EXISTS tolerated), then model-versions/create with an mlflow-artifacts source, READY at once', async () => {
    const { runId, experimentId } = await loggedRun();
    const created = await api.call('POST', 'mlflow/registered-models/create', { name: 'churn' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      registered_model: { name: 'churn', creation_timestamp: expect.any(Number), last_updated_timestamp: expect.any(Number), user_id: expect.any(String), description: '', latest_versions: [], tags: [], aliases: [] },
    });
    // The second register_model of the same name: the client swallows exactly this error.
    const again = await api.call('POST', 'mlflow/registered-models/create', { name: 'churn' });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error_code: 'RESOURCE_ALREADY_EXISTS', message: "A registered model named 'churn' already exists." });

    const source = `mlflow-artifacts:/${experimentId}/${runId}/artifacts/model`;
    const version = await api.call('POST', 'mlflow/model-versions/create', { name: 'churn', source, run_id: runId });
    expect(version.status).toBe(200);
    const message = version.body['model_version'] as Record<string, unknown>;
    expect(message).toEqual({
      name: 'churn',
      version: '1',
      creation_timestamp: expect.any(Number),
      last_updated_timestamp: expect.any(Number),
      user_id: expect.any(String),
      current_stage: 'None',
      description: '',
      source,
      run_id: runId,
      status: 'READY',
      status_message: '',
      tags: [],
      run_link: '',
      aliases: [],
    });
    expect(message['creation_timestamp']).toBe(message['last_updated_timestamp']);
    // The client's wait loop would poll get; it already says READY.
    expect((await api.call('GET', 'mlflow/model-versions/get', { name: 'churn', version: '1' })).body).toEqual({ model_version: message });

    // A pyfunc model has no model.onnx: MLflow registers any flavor, and so does this API; serving refuses it.
    expect(api.workbench.registry.flavors('churn', 1)).toEqual(['python_function']);
    await expect(api.workbench.serving.start('models:/churn/1')).rejects.toThrow(/only ONNX models can be served or evaluated/);
    const model = (await api.call('GET', 'mlflow/registered-models/get', { name: 'churn' })).body['registered_model'] as Record<string, unknown>;
    expect(model['latest_versions']).toEqual([message]);
  });

  it('create_model_version with a runs:/ source as given, tags and description; set alias; transition stage with archive_existing_versions', async () => {
    const first = await loggedRun();
    const second = await loggedRun();
    await api.call('POST', 'mlflow/registered-models/create', { name: 'm', description: 'the model', tags: [{ key: 'team', value: 'growth' }] });
    const v1 = await api.call('POST', 'mlflow/model-versions/create', { name: 'm', source: `runs:/${first.runId}/model`, run_id: first.runId });
    const v2 = await api.call('POST', 'mlflow/model-versions/create', {
      name: 'm',
      source: `runs:/${second.runId}/model`,
      tags: [{ key: 'validated', value: 'true' }],
      description: 'more data',
    });
    expect(v1.body['model_version']).toMatchObject({ version: '1', source: `runs:/${first.runId}/model`, run_id: first.runId });
    expect(v2.body['model_version']).toMatchObject({ version: '2', run_id: second.runId, description: 'more data', tags: [{ key: 'validated', value: 'true' }] });

    expect(await api.call('POST', 'mlflow/registered-models/alias', { name: 'm', alias: 'champion', version: '1' })).toEqual({ status: 200, body: {} });
    expect(await api.call('POST', 'mlflow/registered-models/alias', { name: 'm', alias: 'champion', version: '2' })).toEqual({ status: 200, body: {} }); // moves

    await api.call('POST', 'mlflow/model-versions/transition-stage', { name: 'm', version: '1', stage: 'production', archive_existing_versions: false });
    const moved = await api.call('POST', 'mlflow/model-versions/transition-stage', { name: 'm', version: '2', stage: 'Production', archive_existing_versions: true });
    expect(moved.status).toBe(200);
    expect(moved.body['model_version']).toMatchObject({ name: 'm', version: '2', current_stage: 'Production', aliases: ['champion'] });
    expect((await api.call('GET', 'mlflow/model-versions/get', { name: 'm', version: '1' })).body['model_version']).toMatchObject({ current_stage: 'Archived', aliases: [] });

    const model = (await api.call('GET', 'mlflow/registered-models/get', { name: 'm' })).body['registered_model'] as Record<string, unknown>;
    expect(model).toMatchObject({ name: 'm', description: 'the model', tags: [{ key: 'team', value: 'growth' }], aliases: [{ alias: 'champion', version: '2' }] });
    expect((model['latest_versions'] as Array<{ version: string; current_stage: string }>).map((v) => [v.current_stage, v.version])).toEqual([['Production', '2'], ['Archived', '1']]);

    // get-latest-versions, GET with repeated stages and POST with a list, case-insensitive.
    const latest = await api.call('GET', 'mlflow/registered-models/get-latest-versions', { name: 'm', stages: ['production', 'ARCHIVED'] });
    expect((latest.body['model_versions'] as Array<{ version: string }>).map((v) => v.version)).toEqual(['2', '1']);
    const posted = await api.call('POST', 'mlflow/registered-models/get-latest-versions', { name: 'm', stages: ['Staging'] });
    expect(posted).toEqual({ status: 200, body: { model_versions: [] } });
  });

  it('pyfunc.load_model("models:/m@champion"): GET alias → get-download-uri → listing → GET each file, byte for byte', async () => {
    const { runId, experimentId } = await loggedRun();
    await api.call('POST', 'mlflow/registered-models/create', { name: 'm' });
    await api.call('POST', 'mlflow/model-versions/create', { name: 'm', source: `runs:/${runId}/model`, run_id: runId });
    await api.call('POST', 'mlflow/registered-models/alias', { name: 'm', alias: 'champion', version: '1' });

    const alias = await api.call('GET', 'mlflow/registered-models/alias', { name: 'm', alias: 'champion' });
    expect(alias.status).toBe(200);
    expect(alias.body['model_version']).toMatchObject({ name: 'm', version: '1', aliases: ['champion'], run_id: runId });
    const uri = await api.call('GET', 'mlflow/model-versions/get-download-uri', { name: 'm', version: '1' });
    expect(uri).toEqual({ status: 200, body: { artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts/model` } });
    expect(await downloadTree(uri.body['artifact_uri'] as string)).toEqual(asBuffers(pyfuncFiles, 'model/'));
  });

  it('keeps a version loadable after its run is purged: get-download-uri points at the registered files', async () => {
    const { runId } = await loggedRun();
    await api.call('POST', 'mlflow/registered-models/create', { name: 'my model' });
    await api.call('POST', 'mlflow/model-versions/create', { name: 'my model', source: `runs:/${runId}/model`, run_id: runId });
    api.workbench.tracking.setDeleted(runId, true);
    expect((await api.workbench.dispatch('runs.purge', { ids: [runId] })).ok).toBe(true);

    const uri = await api.call('GET', 'mlflow/model-versions/get-download-uri', { name: 'my model', version: '1' });
    expect(uri).toEqual({ status: 200, body: { artifact_uri: 'mlflow-artifacts:/registry/my model/1' } });
    expect(await downloadTree(uri.body['artifact_uri'] as string)).toEqual(asBuffers(pyfuncFiles, 'model/'));
    // The run's own path is gone, as the client would find it.
    expect((await api.call('GET', 'mlflow-artifacts/artifacts', { path: `1/${runId}/artifacts/model` })).status).toBe(404);
    const missing = await api.fetchBytes('/api/2.0/mlflow-artifacts/artifacts/registry/my%20model/1/nope');
    expect(missing.status).toBe(404);
  });

  it('answers the registered files too when the run folder changed after registration', async () => {
    const { runId } = await loggedRun();
    await api.call('POST', 'mlflow/registered-models/create', { name: 'm' });
    await api.call('POST', 'mlflow/model-versions/create', { name: 'm', source: `runs:/${runId}/model`, run_id: runId });
    await api.workbench.artifacts.writeBytes(runId, 'model/requirements.txt', Buffer.from('changed\n'));
    const uri = await api.call('GET', 'mlflow/model-versions/get-download-uri', { name: 'm', version: '1' });
    expect(uri.body).toEqual({ artifact_uri: 'mlflow-artifacts:/registry/m/1' });
    expect((await downloadTree('mlflow-artifacts:/registry/m/1'))['requirements.txt']!.toString()).toBe('mlflow==2.12.2\ncloudpickle==3.0.0\n');
  });
});

describe('MLflow registry REST API: the rest of the surface', () => {
  it('renames, updates (PATCH), tags and deletes (DELETE with a JSON body) models and versions', async () => {
    const { runId } = await loggedRun();
    await api.call('POST', 'mlflow/registered-models/create', { name: 'a' });
    await api.call('POST', 'mlflow/model-versions/create', { name: 'a', source: `runs:/${runId}/model` });
    const renamed = await api.call('POST', 'mlflow/registered-models/rename', { name: 'a', new_name: 'b' });
    expect(renamed.body['registered_model']).toMatchObject({ name: 'b' });
    expect((await api.call('GET', 'mlflow/registered-models/get', { name: 'a' })).status).toBe(404);
    expect((await api.call('PATCH', 'mlflow/registered-models/update', { name: 'b', description: 'described' })).body['registered_model']).toMatchObject({ description: 'described' });
    expect((await api.call('PATCH', 'mlflow/model-versions/update', { name: 'b', version: '1', description: 'v1 notes' })).body['model_version']).toMatchObject({ name: 'b', description: 'v1 notes' });

    expect(await api.call('POST', 'mlflow/registered-models/set-tag', { name: 'b', key: 'k', value: 'v' })).toEqual({ status: 200, body: {} });
    expect(await api.call('POST', 'mlflow/model-versions/set-tag', { name: 'b', version: '1', key: 'vk', value: 'vv' })).toEqual({ status: 200, body: {} });
    expect((await api.call('GET', 'mlflow/registered-models/get', { name: 'b' })).body['registered_model']).toMatchObject({ tags: [{ key: 'k', value: 'v' }] });
    expect((await api.call('GET', 'mlflow/model-versions/get', { name: 'b', version: '1' })).body['model_version']).toMatchObject({ tags: [{ key: 'vk', value: 'vv' }] });
    expect(await api.call('DELETE', 'mlflow/registered-models/delete-tag', { name: 'b', key: 'k' })).toEqual({ status: 200, body: {} });
    expect(await api.call('DELETE', 'mlflow/model-versions/delete-tag', { name: 'b', version: '1', key: 'vk' })).toEqual({ status: 200, body: {} });
    expect((await api.call('GET', 'mlflow/registered-models/get', { name: 'b' })).body['registered_model']).toMatchObject({ tags: [] });

    await api.call('POST', 'mlflow/registered-models/alias', { name: 'b', alias: 'prod', version: '1' });
    expect(await api.call('DELETE', 'mlflow/registered-models/alias', { name: 'b', alias: 'prod' })).toEqual({ status: 200, body: {} });
    // Deleting an alias that is not there succeeds, as on MLflow's stores.
    expect(await api.call('DELETE', 'mlflow/registered-models/alias', { name: 'b', alias: 'prod' })).toEqual({ status: 200, body: {} });

    expect(await api.call('DELETE', 'mlflow/model-versions/delete', { name: 'b', version: '1' })).toEqual({ status: 200, body: {} });
    expect((await api.call('GET', 'mlflow/model-versions/get', { name: 'b', version: '1' })).body['error_code']).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(await api.call('DELETE', 'mlflow/registered-models/delete', { name: 'b' })).toEqual({ status: 200, body: {} });
    expect((await api.call('GET', 'mlflow/registered-models/get', { name: 'b' })).status).toBe(404);
    // The UI's prefix serves the same handlers.
    const ajax = await fetch(`${api.url}/ajax-api/2.0/mlflow/registered-models/search`);
    expect(await ajax.json()).toEqual({ registered_models: [] });
  });

  it('answers client errors with MLflow codes and 4xx statuses, never a 5xx', async () => {
    const { runId, experimentId } = await loggedRun();
    await api.call('POST', 'mlflow/registered-models/create', { name: 'm' });
    await api.call('POST', 'mlflow/model-versions/create', { name: 'm', source: `runs:/${runId}/model` });
    const cases: Array<[Parameters<RegistryTestServer['call']>, number, string, RegExp?]> = [
      [['POST', 'mlflow/registered-models/create', {}], 400, 'INVALID_PARAMETER_VALUE', /Missing value for required parameter 'name'/],
      [['POST', 'mlflow/registered-models/create', { name: 'a/b' }], 400, 'INVALID_PARAMETER_VALUE', /contains '\/'/],
      [['GET', 'mlflow/registered-models/get', { name: 'nope' }], 404, 'RESOURCE_DOES_NOT_EXIST', /No registered model named 'nope'/],
      [['GET', 'mlflow/registered-models/alias', { name: 'm', alias: 'gone' }], 400, 'INVALID_PARAMETER_VALUE', /has no alias 'gone'/],
      [['GET', 'mlflow/registered-models/alias', { name: 'nope', alias: 'x' }], 404, 'RESOURCE_DOES_NOT_EXIST'],
      [['POST', 'mlflow/registered-models/alias', { name: 'm', alias: 'latest', version: '1' }], 400, 'INVALID_PARAMETER_VALUE', /reserved alias/],
      [['POST', 'mlflow/registered-models/alias', { name: 'm', alias: 'v1', version: '1' }], 400, 'INVALID_PARAMETER_VALUE', /reserved alias/],
      [['POST', 'mlflow/registered-models/alias', { name: 'm', alias: 'ok', version: '9' }], 404, 'RESOURCE_DOES_NOT_EXIST', /has no version 9/],
      [['POST', 'mlflow/registered-models/rename', { name: 'm', new_name: 'm' }], 200, ''],
      [['GET', 'mlflow/model-versions/get', { name: 'm', version: 'one' }], 400, 'INVALID_PARAMETER_VALUE', /must be an integer/],
      [['GET', 'mlflow/model-versions/get', { name: 'm', version: '7' }], 404, 'RESOURCE_DOES_NOT_EXIST'],
      [['POST', 'mlflow/model-versions/transition-stage', { name: 'm', version: '1', stage: 'Retired' }], 400, 'INVALID_PARAMETER_VALUE', /Invalid model version stage 'Retired'/],
      [['POST', 'mlflow/model-versions/transition-stage', { name: 'm', version: '1', stage: 'None', archive_existing_versions: true }], 400, 'INVALID_PARAMETER_VALUE', /only applies when moving to Staging or Production/],
      [['POST', 'mlflow/model-versions/create', { name: 'unknown', source: `runs:/${runId}/model` }], 404, 'RESOURCE_DOES_NOT_EXIST'],
      [['POST', 'mlflow/model-versions/create', { name: 'm', source: 's3://bucket/model' }], 400, 'INVALID_PARAMETER_VALUE', /not inside a run's artifacts/],
      [['POST', 'mlflow/model-versions/create', { name: 'm', source: 'models:/m-0123456789' }], 400, 'INVALID_PARAMETER_VALUE', /MLflow 3 logged model/],
      [['POST', 'mlflow/model-versions/create', { name: 'm', source: `runs:/${'0'.repeat(32)}/model` }], 404, 'RESOURCE_DOES_NOT_EXIST', /No run/],
      [['POST', 'mlflow/model-versions/create', { name: 'm', source: `runs:/${runId}/model`, run_id: 'f'.repeat(32) }], 400, 'INVALID_PARAMETER_VALUE', /not to run_id/],
      [['POST', 'mlflow/model-versions/create', { name: 'm', source: `mlflow-artifacts:/${experimentId}/${runId}/artifacts/empty` }], 400, 'INVALID_PARAMETER_VALUE', /nothing under 'empty\/'/],
      [['POST', 'mlflow/model-versions/create', { name: 'm', source: `mlflow-artifacts:/${experimentId}/${runId}/artifacts` }], 400, 'INVALID_PARAMETER_VALUE', /whole artifact root/],
      [['POST', 'mlflow/model-versions/create', { name: 'm' }], 400, 'INVALID_PARAMETER_VALUE', /'source'/],
      [['GET', 'mlflow/registered-models/search', { filter: "name = 'a' OR name = 'b'" }], 400, 'INVALID_PARAMETER_VALUE', /Invalid clause\(s\) in filter string: 'or'/],
      [['GET', 'mlflow/registered-models/search', { max_results: 1001 }], 400, 'INVALID_PARAMETER_VALUE', /at most 1000/],
      [['GET', 'mlflow/registered-models/search', { page_token: 'garbage' }], 400, 'INVALID_PARAMETER_VALUE', /page token/],
      [['GET', 'mlflow/model-versions/search', { filter: 'version_number > one' }], 400, 'INVALID_PARAMETER_VALUE'],
      [['GET', 'mlflow/model-versions/search', { filter: "stage = 'None'" }], 400, 'INVALID_PARAMETER_VALUE', /Invalid attribute key 'stage'/],
      [['POST', 'mlflow/registered-models/search', {}], 405, 'ENDPOINT_NOT_FOUND'],
    ];
    for (const [request, status, code, message] of cases) {
      const reply = await api.call(...request);
      expect({ request, status: reply.status }).toEqual({ request, status });
      if (status === 200) continue;
      expect(reply.body['error_code']).toBe(code);
      if (message) expect(reply.body['message']).toMatch(message);
    }
    // None of that left a version behind.
    expect(api.workbench.registry.versions('m')).toHaveLength(1);
  });
});
