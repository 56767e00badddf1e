// Error answers per endpoint (MLFLOW.md §1): `{"error_code", "message"}` with MLflow's statuses,
// and never a 5xx for a client's mistake — the client retries those for minutes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowTestServer, type MlflowTestServer } from './test-server';

let mlflow: MlflowTestServer;
let runId: string;
const api = '/api/2.0/mlflow';
const ghost = '0123456789abcdef0123456789abcdef';

beforeAll(async () => {
  mlflow = await startMlflowTestServer();
  const created = await mlflow.send('POST', `${api}/runs/create`, { experiment_id: '0', run_name: 'errors' });
  runId = (created.body.run as { info: { run_id: string } }).info.run_id;
});
afterAll(() => mlflow.close());

/** Every run endpoint with a body naming a run that does not exist. */
const runEndpoints: Array<['GET' | 'POST', string, Record<string, unknown>]> = [
  ['GET', 'runs/get', {}],
  ['POST', 'runs/update', { status: 'FINISHED', end_time: 1 }],
  ['POST', 'runs/delete', {}],
  ['POST', 'runs/restore', {}],
  ['POST', 'runs/log-parameter', { key: 'k', value: 'v' }],
  ['POST', 'runs/log-metric', { key: 'k', value: 1, timestamp: 1, step: 0 }],
  ['POST', 'runs/set-tag', { key: 'k', value: 'v' }],
  ['POST', 'runs/delete-tag', { key: 'k' }],
  ['POST', 'runs/log-batch', { metrics: [{ key: 'k', value: 1, timestamp: 1, step: 0 }] }],
  ['POST', 'runs/log-model', { model_json: JSON.stringify({ artifact_path: 'm', flavors: {}, utc_time_created: 'now', run_id: ghost }) }],
  ['POST', 'runs/log-inputs', { datasets: [{ dataset: { name: 'd', digest: '1', source_type: 'local', source: 'x' } }] }],
  ['GET', 'metrics/get-history', { metric_key: 'k' }],
  ['GET', 'artifacts/list', {}],
];

const call = (method: 'GET' | 'POST', path: string, fields: Record<string, unknown>) =>
  method === 'GET' ? mlflow.get(`${api}/${path}`, fields as never) : mlflow.send('POST', `${api}/${path}`, fields);

describe('errors per endpoint', () => {
  it.each(runEndpoints)('%s %s: an unknown run is 404 RESOURCE_DOES_NOT_EXIST', async (method, path, fields) => {
    const reply = await call(method, path, { run_id: ghost, ...fields });
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: expect.stringContaining(ghost) });
  });

  it.each(runEndpoints)('%s %s: a missing run_id is 400 INVALID_PARAMETER_VALUE', async (method, path, fields) => {
    const reply = await call(method, path, fields);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining("'run_id'") });
  });

  it('names a missing experiment 404 and missing experiment fields 400', async () => {
    for (const [path, fields] of [['experiments/get', { experiment_id: '999' }], ['experiments/delete', { experiment_id: '999' }], ['experiments/set-experiment-tag', { experiment_id: '999', key: 'k', value: 'v' }]] as const) {
      const reply = await call(path === 'experiments/get' ? 'GET' : 'POST', path, fields);
      expect(reply.status, path).toBe(404);
      expect(reply.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    }
    expect((await mlflow.send('POST', `${api}/runs/create`, { experiment_id: '999' })).status).toBe(404);
    for (const [method, path] of [['GET', 'experiments/get-by-name'], ['POST', 'experiments/create'], ['GET', 'experiments/get'], ['POST', 'experiments/update']] as const) {
      const reply = await call(method, path, {});
      expect(reply.status, path).toBe(400);
      expect(reply.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
  });

  it('refuses bad values: wrong types, unknown enums, too-long keys, oversized batches', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['runs/log-metric', { run_id: runId, key: 'k', value: 'high', timestamp: 1, step: 0 }],
      ['runs/log-metric', { run_id: runId, key: 'k', value: 1, timestamp: 1, step: 'one' }],
      ['runs/log-metric', { run_id: runId, key: 'k'.repeat(251), value: 1, timestamp: 1, step: 0 }],
      ['runs/log-parameter', { run_id: runId, key: 'big', value: 'v'.repeat(6001) }],
      ['runs/log-parameter', { run_id: runId, key: { nested: true }, value: 'v' }],
      ['runs/update', { run_id: runId, status: 'DONE' }],
      ['runs/update', { run_id: runId, status: 'SCHEDULED' }],
      ['runs/log-batch', { run_id: runId, metrics: Array.from({ length: 1001 }, (_, step) => ({ key: 'k', value: 1, timestamp: 1, step })) }],
      ['runs/log-batch', { run_id: runId, params: Array.from({ length: 101 }, (_, index) => ({ key: `p${index}`, value: '1' })) }],
      ['runs/log-batch', { run_id: runId, metrics: 'not a list' }],
      ['runs/log-model', { run_id: runId, model_json: '{not json' }],
      ['runs/search', { experiment_ids: ['0'], run_view_type: 'SOMETIMES' }],
      ['runs/search', { experiment_ids: ['zero'] }],
      ['experiments/search', { max_results: 0 }],
    ];
    for (const [path, body] of cases) {
      const reply = await mlflow.send('POST', `${api}/${path}`, body);
      expect(reply.status, `${path} ${JSON.stringify(body).slice(0, 60)}`).toBe(400);
      expect(reply.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(reply.body.message).toEqual(expect.any(String));
    }
    // Nothing of the refused requests was logged.
    const run = mlflow.workbench.tracking.getRun(runId);
    expect(run.metrics).toEqual({});
    expect(run.params).toEqual({});
    expect(run.status).toBe('RUNNING');
  });

  it('answers malformed JSON and non-object bodies with 400 BAD_REQUEST', async () => {
    for (const body of ['{"run_id": ', '[1, 2]', '42', 'nonsense']) {
      const reply = await mlflow.send('POST', `${api}/runs/log-metric`, body);
      expect(reply.status, body).toBe(400);
      expect(reply.body.error_code).toBe('BAD_REQUEST');
    }
    // A body double-encoded as a JSON string (older clients) is read.
    const doubled = await mlflow.send('POST', `${api}/runs/set-tag`, JSON.stringify(JSON.stringify({ run_id: runId, key: 'twice', value: 'encoded' })));
    expect(doubled.status).toBe(200);
    expect(mlflow.workbench.tracking.getRun(runId).tags.twice).toBe('encoded');
  });

  it('answers unknown routes with 404 ENDPOINT_NOT_FOUND and a wrong method with 405', async () => {
    for (const path of ['/api/2.0/mlflow/runs/explode', '/api/2.0/mlflow/logged-models', '/ajax-api/2.0/nothing', '/api/2.0/mlflow-artifacts/mpu/create/x']) {
      const reply = await mlflow.send('POST', path, {});
      expect(reply.status, path).toBe(404);
      expect(reply.body).toEqual({ error_code: 'ENDPOINT_NOT_FOUND', message: expect.stringContaining(path) });
    }
    const wrong = await mlflow.get(`${api}/runs/create`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(wrong.body.error_code).toBe('ENDPOINT_NOT_FOUND');
  });

  it('reads a DELETE\'s JSON body, and its query string when the body is empty', async () => {
    await mlflow.send('POST', `${api}/runs/set-tag`, { run_id: runId, key: 'a', value: '1' });
    await mlflow.send('POST', `${api}/runs/set-tag`, { run_id: runId, key: 'b', value: '2' });
    expect((await mlflow.send('DELETE', `${api}/runs/delete-tag`, { run_id: runId, key: 'a' })).status).toBe(200);
    expect((await mlflow.raw('DELETE', `${api}/runs/delete-tag?run_id=${runId}&key=b`)).status).toBe(200);
    expect(Object.keys(mlflow.workbench.tracking.getRun(runId).tags)).not.toContain('a');
    expect(Object.keys(mlflow.workbench.tracking.getRun(runId).tags)).not.toContain('b');
  });
});
