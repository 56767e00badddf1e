// log_artifact / log_artifacts / download_artifacts as the 2.12 client does them: GET runs/get
// for the artifact_uri, one PUT per file under mlflow-artifacts, listings with basenames, GETs.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryString, startMlflowTestServer, type MlflowTestServer } from './test-server';

let mlflow: MlflowTestServer;
let experimentId: string;
beforeAll(async () => {
  mlflow = await startMlflowTestServer();
  experimentId = (await mlflow.send('POST', '/api/2.0/mlflow/experiments/create', { name: 'artifacts' })).body.experiment_id as string;
});
afterAll(() => mlflow.close());

const proxy = '/api/2.0/mlflow-artifacts/artifacts';

/** A run, and the proxied URL prefix its artifact_uri maps to (as the client computes it). */
async function newRun(): Promise<{ runId: string; root: string }> {
  const created = await mlflow.send('POST', '/api/2.0/mlflow/runs/create', { experiment_id: experimentId, run_name: 'a', start_time: Date.now(), tags: [] });
  const runId = (created.body.run as { info: { run_id: string } }).info.run_id;
  const got = await mlflow.get('/api/2.0/mlflow/runs/get', { run_id: runId, run_uuid: runId });
  const uri = (got.body.run as { info: { artifact_uri: string } }).info.artifact_uri;
  expect(uri).toBe(`mlflow-artifacts:/${experimentId}/${runId}/artifacts`);
  return { runId, root: `${proxy}/${uri.slice('mlflow-artifacts:/'.length)}` };
}

async function put(path: string, body: Uint8Array | string, contentType: string): Promise<void> {
  const response = await mlflow.raw('PUT', path, { body, headers: { 'content-type': contentType } });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(await response.json()).toEqual({});
}

async function listing(path: string): Promise<unknown> {
  const response = await mlflow.raw('GET', `${proxy}?${queryString({ path })}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { files: unknown }).files;
}

describe('proxied artifacts', () => {
  it('round-trips a text file and a binary file byte for byte', async () => {
    const { runId, root } = await newRun();
    const binary = new Uint8Array(randomBytes(300_000));
    binary[0] = 0;
    binary[1] = 0xff;
    await put(`${root}/notes.txt`, 'hello\nworld ✓\n', 'text/plain');
    await put(`${root}/weights.bin`, binary, 'application/octet-stream');

    const text = await mlflow.raw('GET', `${root}/notes.txt`);
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('text/plain');
    expect(text.headers.get('content-security-policy')).toContain('sandbox');
    expect(await text.text()).toBe('hello\nworld ✓\n');
    const bytes = await mlflow.raw('GET', `${root}/weights.bin`);
    expect(bytes.headers.get('content-length')).toBe(String(binary.byteLength));
    expect(Buffer.from(await bytes.arrayBuffer()).equals(Buffer.from(binary))).toBe(true);

    // Trainyard sees them as the run's artifacts.
    expect(mlflow.workbench.artifacts.list(runId, '').map((entry) => entry.path)).toEqual(['notes.txt', 'weights.bin']);
  });

  it('lists nested folders with basenames, and artifacts/list with run-relative paths', async () => {
    const { runId, root } = await newRun();
    // log_artifacts("out", "plots"): one PUT per file, sub-folders included
    await put(`${root}/plots/loss.svg`, '<svg/>', 'image/svg+xml');
    await put(`${root}/plots/deep/er/a.csv`, 'x\n1\n', 'text/csv');
    await put(`${root}/plots/deep/b%20c.txt`, 'spaced', 'text/plain');
    await put(`${root}/model/MLmodel`, 'flavors: {}\n', 'application/octet-stream');

    expect(await listing(`${experimentId}/${runId}/artifacts`)).toEqual([
      { path: 'model', is_dir: true },
      { path: 'plots', is_dir: true },
    ]);
    expect(await listing(`${experimentId}/${runId}/artifacts/plots`)).toEqual([
      { path: 'deep', is_dir: true },
      { path: 'loss.svg', is_dir: false, file_size: 6 },
    ]);
    expect(await listing(`${experimentId}/${runId}/artifacts/plots/deep`)).toEqual([
      { path: 'er', is_dir: true },
      { path: 'b c.txt', is_dir: false, file_size: 6 },
    ]);
    expect(await listing(`${experimentId}/${runId}`)).toEqual([{ path: 'artifacts', is_dir: true }]);
    expect(await listing(`${experimentId}/${runId}/artifacts/plots/loss.svg`)).toEqual([]);
    expect(await (await mlflow.raw('GET', `${root}/plots/deep/b%20c.txt`)).text()).toBe('spaced');

    const listed = await mlflow.get('/api/2.0/mlflow/artifacts/list', { run_id: runId, path: 'plots/deep' });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      root_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
      files: [
        { path: 'plots/deep/er', is_dir: true },
        { path: 'plots/deep/b c.txt', is_dir: false, file_size: 6 },
      ],
    });
    const top = await mlflow.get('/api/2.0/mlflow/artifacts/list', { run_id: runId });
    expect(top.body.files).toEqual([
      { path: 'model', is_dir: true },
      { path: 'plots', is_dir: true },
    ]);
  });

  it('replaces a file on a second PUT and deletes files and folders', async () => {
    const { runId, root } = await newRun();
    await put(`${root}/a.txt`, 'one', 'text/plain');
    await put(`${root}/a.txt`, 'two', 'text/plain');
    expect(await (await mlflow.raw('GET', `${root}/a.txt`)).text()).toBe('two');
    await put(`${root}/dir/x.txt`, 'x', 'text/plain');
    await put(`${root}/dir/sub/y.txt`, 'y', 'text/plain');
    expect((await mlflow.raw('DELETE', `${root}/dir`)).status).toBe(200);
    expect(mlflow.workbench.artifacts.list(runId, '').map((entry) => entry.path)).toEqual(['a.txt']);
    expect((await mlflow.raw('DELETE', `${root}/a.txt`)).status).toBe(200);
    expect((await mlflow.raw('GET', `${root}/a.txt`)).status).toBe(404);
  });

  it('answers missing files, runs and bad paths with 4xx MLflow errors', async () => {
    const { runId, root } = await newRun();
    const missing = await mlflow.raw('GET', `${root}/nope.txt`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
    const noRun = await mlflow.raw('PUT', `${proxy}/${experimentId}/${'0'.repeat(32)}/artifacts/a.txt`, { body: 'x' });
    expect(noRun.status).toBe(404);
    const wrongExperiment = await mlflow.raw('GET', `${proxy}/0/${runId}/artifacts/a.txt`);
    expect(wrongExperiment.status).toBe(404);
    const escape = await mlflow.raw('PUT', `${root}/..%2F..%2Fetc/passwd`, { body: 'x' });
    expect(escape.status).toBe(400);
    expect(await escape.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    const outside = await mlflow.raw('PUT', `${proxy}/${experimentId}/${runId}/elsewhere/a.txt`, { body: 'x' });
    expect(outside.status).toBe(400);
    const listUnknown = await mlflow.get('/api/2.0/mlflow/artifacts/list', { run_id: 'f'.repeat(32) });
    expect(listUnknown.status).toBe(404);
    const mpu = await mlflow.send('POST', '/api/2.0/mlflow-artifacts/mpu/create/1/x/artifacts/a', {});
    expect(mpu.status).toBe(404);
    expect(mpu.body.error_code).toBe('ENDPOINT_NOT_FOUND');
  });

  it('replays a 2.x pyfunc.log_model: runs/get, one PUT per model file, then runs/log-model', async () => {
    const { runId, root } = await newRun();
    const files: Record<string, string> = {
      MLmodel: `artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\nrun_id: ${runId}\n`,
      'python_model.pkl': '\u0080\u0004pickle',
      'conda.yaml': 'dependencies: []\n',
      'python_env.yaml': 'python: 3.11\n',
      'requirements.txt': 'mlflow==2.12.2\n',
      'metadata/MLmodel': 'artifact_path: model\n',
      'metadata/requirements.txt': 'mlflow==2.12.2\n',
    };
    for (const [path, content] of Object.entries(files)) await put(`${root}/model/${path}`, content, path.endsWith('.pkl') ? 'application/octet-stream' : 'text/plain');
    const model = { run_id: runId, artifact_path: 'model', utc_time_created: '2024-04-01 10:00:00.000000', flavors: { python_function: { loader_module: 'mlflow.pyfunc.model' } }, mlflow_version: '2.12.2' };
    const logged = await mlflow.send('POST', '/api/2.0/mlflow/runs/log-model', { run_id: runId, model_json: JSON.stringify(model) });
    expect(logged.status).toBe(200);

    // download_artifacts("model"): a recursive listing, then one GET per file.
    const walk = async (path: string): Promise<string[]> => {
      const found: string[] = [];
      for (const entry of (await listing(path)) as Array<{ path: string; is_dir: boolean }>) {
        if (entry.is_dir) found.push(...(await walk(`${path}/${entry.path}`)));
        else found.push(`${path}/${entry.path}`);
      }
      return found;
    };
    const prefix = `${experimentId}/${runId}/artifacts/model`;
    const paths = await walk(prefix);
    expect(paths.map((path) => path.slice(prefix.length + 1)).sort()).toEqual(Object.keys(files).sort());
    for (const path of paths) expect(await (await mlflow.raw('GET', `${proxy}/${path}`)).text()).toBe(files[path.slice(prefix.length + 1)]);
    const run = await mlflow.get('/api/2.0/mlflow/runs/get', { run_id: runId });
    const tags = (run.body.run as { data: { tags: Array<{ key: string; value: string }> } }).data.tags;
    expect(JSON.parse(tags.find((tag) => tag.key === 'mlflow.log-model.history')!.value)).toEqual([model]);
  });

  it('serves uploads under the /ajax-api prefix too', async () => {
    const { runId } = await newRun();
    const response = await mlflow.raw('PUT', `/ajax-api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/ui.txt`, { body: 'ui' });
    expect(response.status).toBe(200);
    expect(await (await mlflow.raw('GET', `${proxy}/${experimentId}/${runId}/artifacts/ui.txt`)).text()).toBe('ui');
  });
});
