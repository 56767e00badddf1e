import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWorkbench } from '../../testing/temp-home';
import type { Workbench } from '../../workbench';
import { registerRegistryRoutes } from '../registry-routes';
import { startMlflowTestServer, type MlflowTestServer } from '../test-server';
import { importMlflowServer } from './mlruns-import';
import { proxiedRoot } from './rest-reader';

let server: MlflowTestServer;
let target: Workbench & { home: string };
beforeEach(async () => {
  server = await startMlflowTestServer({ routes: [registerRegistryRoutes] });
  target = await openTestWorkbench();
});
afterEach(async () => {
  await server.close();
  await target.dispose();
});

const t0 = 1_700_000_000_000;
const binary = Buffer.from([0x80, 0x04, 0x95, 0x00, 0xff, 0x0a, 0x0d]);
const mlmodel = (flavor: string, runId: string) => `artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.${flavor}\n  ${flavor}:\n    code: null\nmlflow_version: 2.12.1\nrun_id: ${runId}\n`;

async function ok(reply: Promise<{ status: number; body: Record<string, unknown>; text: string }>): Promise<Record<string, unknown>> {
  const answered = await reply;
  expect(answered.status, answered.text).toBe(200);
  return answered.body;
}

/** What the Python client sends for a session (MLFLOW.md §4): experiment, nested runs, metrics, artifacts, registry. */
async function populate(): Promise<{ experimentId: string; parent: string; child: string }> {
  const { experiment_id: experimentId } = (await ok(server.send('POST', '/api/2.0/mlflow/experiments/create', { name: 'churn', tags: [{ key: 'team', value: 'growth' }] }))) as { experiment_id: string };
  const createRun = async (name: string, startTime: number, tags: Array<{ key: string; value: string }> = []) => {
    const body = await ok(
      server.send('POST', '/api/2.0/mlflow/runs/create', {
        experiment_id: experimentId,
        run_name: name,
        start_time: startTime,
        tags: [{ key: 'mlflow.user', value: 'ana' }, { key: 'mlflow.source.name', value: 'train.py' }, { key: 'mlflow.runName', value: name }, ...tags],
      }),
    );
    return (body['run'] as { info: { run_id: string } }).info.run_id;
  };
  const upload = async (runId: string, path: string, content: string | Buffer) => {
    const response = await server.raw('PUT', `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/${path}`, { body: content, headers: { 'content-type': 'application/octet-stream' } });
    expect(response.status).toBe(200);
  };

  const parent = await createRun('sweep', t0);
  await ok(server.send('POST', '/api/2.0/mlflow/runs/log-batch', { run_id: parent, params: [{ key: 'lr', value: '0.01' }, { key: 'optimizer/name', value: 'adam' }], tags: [{ key: 'stage', value: 'dev' }] }));
  await ok(
    server.send('POST', '/api/2.0/mlflow/runs/log-batch', {
      run_id: parent,
      metrics: [
        { key: 'loss', value: 0.9, timestamp: t0 + 1, step: 0 },
        { key: 'loss', value: 0.5, timestamp: t0 + 2, step: 1 },
        { key: 'loss', value: 0.25, timestamp: t0 + 3, step: 2 },
        { key: 'loss', value: 0.3, timestamp: t0 + 4, step: 1 },
        { key: 'train/acc', value: 0.5, timestamp: t0 + 1, step: 0 },
        { key: 'train/acc', value: 'NaN', timestamp: t0 + 2, step: 1 },
        { key: 'train/acc', value: 'Infinity', timestamp: t0 + 3, step: 2 },
      ],
    }),
  );
  await ok(server.send('POST', '/api/2.0/mlflow/runs/log-metric', { run_id: parent, run_uuid: parent, key: 'train/acc', value: 1e-5, timestamp: t0 + 4, step: 3 }));
  await upload(parent, 'notes.txt', 'hello\n');
  await upload(parent, 'model/MLmodel', mlmodel('sklearn', parent));
  await upload(parent, 'model/model.pkl', binary);
  await upload(parent, 'plots/deep/er/curve.txt', Buffer.from('nested'));
  await ok(server.send('POST', '/api/2.0/mlflow/runs/update', { run_id: parent, run_uuid: parent, status: 'FINISHED', end_time: t0 + 5_000 }));

  const child = await createRun('trial-1', t0 + 10, [{ key: 'mlflow.parentRunId', value: parent }]);
  await ok(server.send('POST', '/api/2.0/mlflow/runs/log-parameter', { run_id: child, run_uuid: child, key: 'lr', value: '0.1' }));
  await ok(server.send('POST', '/api/2.0/mlflow/runs/log-metric', { run_id: child, run_uuid: child, key: 'loss', value: 1.5, timestamp: t0 + 11, step: 0 }));
  await upload(child, 'onnx-model/MLmodel', mlmodel('onnx', child));
  await upload(child, 'onnx-model/model.onnx', Buffer.from('onnx bytes'));
  await ok(server.send('POST', '/api/2.0/mlflow/runs/update', { run_id: child, run_uuid: child, status: 'FAILED', end_time: t0 + 20 }));

  const deleted = await createRun('deleted-run', t0 + 30);
  await ok(server.send('POST', '/api/2.0/mlflow/runs/delete', { run_id: deleted }));

  await ok(server.send('POST', '/api/2.0/mlflow/registered-models/create', { name: 'churn-model', description: 'Churn classifier', tags: [{ key: 'owner', value: 'growth' }] }));
  await ok(server.send('POST', '/api/2.0/mlflow/model-versions/create', { name: 'churn-model', source: `runs:/${parent}/model`, run_id: parent, description: 'first' }));
  await ok(server.send('POST', '/api/2.0/mlflow/model-versions/create', { name: 'churn-model', source: `mlflow-artifacts:/${experimentId}/${child}/artifacts/onnx-model`, run_id: child }));
  await ok(server.send('POST', '/api/2.0/mlflow/model-versions/transition-stage', { name: 'churn-model', version: '2', stage: 'Production', archive_existing_versions: false }));
  await ok(server.send('POST', '/api/2.0/mlflow/model-versions/set-tag', { name: 'churn-model', version: '2', key: 'validated', value: 'yes' }));
  await ok(server.send('POST', '/api/2.0/mlflow/registered-models/alias', { name: 'churn-model', alias: 'champion', version: '2' }));
  return { experimentId, parent, child };
}

describe('trainyard import mlflow <tracking URI> (REST)', () => {
  it('copies experiments, runs with full metric history, artifacts and the registry from a running server; a second import adds nothing', async () => {
    const { parent, child } = await populate();
    // A page size of 2 makes every search and history walk its next_page_token.
    const report = await importMlflowServer(target, `${server.base}/`, { pageSize: 2 });
    expect(report.warnings).toEqual([]);
    expect(report).toMatchObject({
      source: server.base,
      experiments: { created: 1, merged: 1, skippedDeleted: 0 },
      runs: { imported: 2, alreadyThere: 0, newIds: 0, skippedDeleted: 1 },
      params: 3,
      metricPoints: 9,
      artifacts: 6,
      models: { created: 1, alreadyThere: 0 },
      versions: { imported: 2, alreadyThere: 0, skipped: 0 },
      aliases: 1,
    });

    const { tracking, experiments, registry, artifacts } = target;
    const churn = experiments.getByName('churn')!;
    expect(churn.tags).toMatchObject({ team: 'growth' });
    const sweep = tracking.getRun(parent);
    expect(sweep).toMatchObject({ id: parent, name: 'sweep', experimentId: churn.id, status: 'FINISHED', startTime: t0, endTime: t0 + 5_000, parentRunId: null });
    expect(sweep.params).toEqual({ lr: '0.01', 'optimizer/name': 'adam' });
    expect(sweep.tags).toMatchObject({ 'mlflow.user': 'ana', 'mlflow.source.name': 'train.py', stage: 'dev' });
    expect(sweep.tags['mlflow.runName']).toBeUndefined();
    expect(sweep.metrics['loss']).toMatchObject({ value: 0.25, step: 2, timestamp: t0 + 3, count: 4 });
    const history = tracking.series({ runId: parent, key: 'train/acc', maxPoints: 100 }).points;
    expect(history.map((point) => [point.step, point.value, point.timestamp])).toEqual([[0, 0.5, t0 + 1], [1, Number.NaN, t0 + 2], [2, Number.POSITIVE_INFINITY, t0 + 3], [3, 1e-5, t0 + 4]]);
    expect(tracking.getRun(child)).toMatchObject({ name: 'trial-1', status: 'FAILED', endTime: t0 + 20, parentRunId: parent, params: { lr: '0.1' } });
    expect(tracking.getRun(child).tags['mlflow.parentRunId']).toBeUndefined();

    // Artifacts byte for byte, nested folders kept.
    expect((await readFile(artifacts.locate(parent, 'model/model.pkl').file)).equals(binary)).toBe(true);
    expect((await artifacts.read(parent, 'notes.txt', 100)).content).toBe('hello\n');
    expect((await artifacts.read(parent, 'plots/deep/er/curve.txt', 100)).content).toBe('nested');
    expect((await readFile(artifacts.locate(child, 'onnx-model/model.onnx').file)).toString()).toBe('onnx bytes');

    // Registry: numbers, stage, tags, description, alias; sources point at the imported runs.
    expect(registry.get('churn-model')).toMatchObject({ description: 'Churn classifier', tags: { owner: 'growth' }, aliases: [{ alias: 'champion', version: 2 }] });
    expect(registry.versions('churn-model').map((v) => [v.version, v.stage, v.source, v.description, v.tags])).toEqual([
      [2, 'Production', `runs:/${child}/onnx-model`, '', { validated: 'yes' }],
      [1, 'None', `runs:/${parent}/model`, 'first', {}],
    ]);
    expect(registry.modelFile('models:/churn-model@champion')).toBe(target.objects.pathOf(artifacts.locate(child, 'onnx-model/model.onnx').md5));

    const again = await importMlflowServer(target, server.base);
    expect(again).toMatchObject({
      experiments: { created: 0, merged: 2 },
      runs: { imported: 0, alreadyThere: 2, newIds: 0, skippedDeleted: 1 },
      params: 0,
      metricPoints: 0,
      artifacts: 0,
      models: { created: 0, alreadyThere: 1 },
      versions: { imported: 0, alreadyThere: 2, skipped: 0 },
      aliases: 0,
    });
    expect(tracking.getRun(parent).metrics['loss']!.count).toBe(4);
    expect(registry.versions('churn-model')).toHaveLength(2);
    expect(experiments.list().filter((experiment) => experiment.name === 'churn')).toHaveLength(1);
  });

  it('fills in artifacts an interrupted import did not copy', async () => {
    const { parent } = await populate();
    await importMlflowServer(target, server.base);
    expect(target.artifacts.remove(parent, 'plots')).toBe(1);
    const again = await importMlflowServer(target, server.base);
    expect(again).toMatchObject({ runs: { alreadyThere: 2 }, artifacts: 1 });
    expect((await target.artifacts.read(parent, 'plots/deep/er/curve.txt', 100)).content).toBe('nested');
  });
});

describe('the REST reader against other servers', () => {
  let fake: Server;
  let base: string;
  const seen: Array<{ url: string; authorization: string | undefined }> = [];
  /** A server that answers `routes[path]` (path without the query), 404 ENDPOINT_NOT_FOUND otherwise. */
  async function startFake(routes: Record<string, (url: URL) => [number, unknown]>): Promise<void> {
    fake = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      seen.push({ url: request.url ?? '', authorization: request.headers.authorization });
      request.resume();
      request.on('end', () => {
        const [status, body] = routes[url.pathname]?.(url) ?? [404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No route for ${url.pathname}` }];
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  }
  afterEach(async () => {
    seen.length = 0;
    fake.closeAllConnections();
    await new Promise<void>((resolve) => fake.close(() => resolve()));
  });

  it('sends MLFLOW_TRACKING_TOKEN as a Bearer token, and names the URL and status of a refused request', async () => {
    await startFake({ '/prefix/api/2.0/mlflow/experiments/search': () => [403, { error_code: 'PERMISSION_DENIED', message: 'Permission denied' }] });
    const failure = importMlflowServer(target, `${base}/prefix`, { token: 'sekrit' });
    await expect(failure).rejects.toThrow(`POST ${base}/prefix/api/2.0/mlflow/experiments/search answered 403 Forbidden: PERMISSION_DENIED: Permission denied (set MLFLOW_TRACKING_TOKEN`);
    expect(seen[0]!.authorization).toBe('Bearer sekrit');
  });

  it('retries 503, then reports artifacts of a server that does not proxy them as skipped', async () => {
    let busy = 1;
    const run = { info: { run_id: 'ab'.repeat(16), experiment_id: '3', run_name: 'r', status: 'FINISHED', start_time: t0, end_time: t0 + 1, lifecycle_stage: 'active', artifact_uri: 's3://bucket/3/abab/artifacts' }, data: {} };
    await startFake({
      '/api/2.0/mlflow/experiments/search': () => (busy-- > 0 ? [503, {}] : [200, { experiments: [{ experiment_id: '3', name: 'remote', lifecycle_stage: 'active' }] }]),
      '/api/2.0/mlflow/runs/search': () => [200, { runs: [run] }],
      '/api/2.0/mlflow/artifacts/list': () => [200, { root_uri: 's3://bucket/3/abab/artifacts', files: [{ path: 'model', is_dir: true }] }],
      '/api/2.0/mlflow/registered-models/search': () => [200, {}],
      '/api/2.0/mlflow/model-versions/search': () => [200, {}],
    });
    const report = await importMlflowServer(target, base, { retryDelayMs: 1 });
    expect(report).toMatchObject({ runs: { imported: 1 }, artifacts: 0 });
    expect(report.warnings).toEqual([`Run ${'ab'.repeat(16)}: its artifacts are at s3://bucket/3/abab/artifacts, which the server does not proxy (it runs without --serve-artifacts); they were not copied.`]);
    expect(target.tracking.getRun('ab'.repeat(16))).toMatchObject({ name: 'r', status: 'FINISHED', endTime: t0 + 1 });
  });

  it('says which server could not be reached', async () => {
    await startFake({});
    fake.closeAllConnections();
    await new Promise<void>((resolve) => fake.close(() => resolve()));
    fake = createServer();
    fake.listen(0, '127.0.0.1');
    await expect(importMlflowServer(target, base, { retryDelayMs: 1 })).rejects.toThrow(`POST ${base}/api/2.0/mlflow/experiments/search failed:`);
  });

  it('maps proxied artifact URIs onto the artifact API path', () => {
    expect([proxiedRoot('mlflow-artifacts:/1/abc/artifacts'), proxiedRoot('mlflow-artifacts://host:5000/1/abc/artifacts/'), proxiedRoot('s3://b/1'), proxiedRoot(null)]).toEqual(['1/abc/artifacts', '1/abc/artifacts', null, null]);
  });
});
