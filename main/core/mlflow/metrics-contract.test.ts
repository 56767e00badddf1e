// get_metric_history (the client loops on next_page_token with max_results=25000) and the UI's
// get-history-bulk-interval feed, down-sampled from the level-of-detail pyramid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowTestServer, type MlflowTestServer } from './test-server';

let mlflow: MlflowTestServer;
let experimentId: string;
const api = '/api/2.0/mlflow';
const t0 = 1_712_000_000_000;

beforeAll(async () => {
  mlflow = await startMlflowTestServer();
  experimentId = (await mlflow.send('POST', `${api}/experiments/create`, { name: 'metrics' })).body.experiment_id as string;
});
afterAll(() => mlflow.close());

async function newRun(): Promise<string> {
  const created = await mlflow.send('POST', `${api}/runs/create`, { experiment_id: experimentId, start_time: t0 });
  return (created.body.run as { info: { run_id: string } }).info.run_id;
}

/** log_metrics in chunks of 1,000, as the client splits a long series. */
async function logSeries(runId: string, key: string, steps: number, value: (step: number) => number | string): Promise<void> {
  for (let start = 0; start < steps; start += 1000) {
    const metrics = [];
    for (let step = start; step < Math.min(steps, start + 1000); step++) metrics.push({ key, value: value(step), timestamp: t0 + step, step });
    const reply = await mlflow.send('POST', `${api}/runs/log-batch`, { run_id: runId, metrics });
    expect(reply.status, reply.text).toBe(200);
  }
}

interface Point {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
  run_id?: string;
}

describe('get_metric_history', () => {
  let runId: string;
  beforeAll(async () => {
    runId = await newRun();
    await logSeries(runId, 'loss', 100, (step) => (step === 10 ? 'NaN' : 1 / (step + 1)));
    // A second value at step 50 (a resumed run re-logs it): history keeps both.
    await mlflow.send('POST', `${api}/runs/log-metric`, { run_id: runId, run_uuid: runId, key: 'loss', value: 0.5, timestamp: t0 + 1000, step: 50 });
  });

  it('returns every point in step order with NaN as a string', async () => {
    const reply = await mlflow.get(`${api}/metrics/get-history`, { run_id: runId, run_uuid: runId, metric_key: 'loss', max_results: 25000 });
    expect(reply.status).toBe(200);
    expect(reply.body).not.toHaveProperty('next_page_token');
    const metrics = reply.body.metrics as Point[];
    expect(metrics).toHaveLength(101);
    expect(metrics[0]).toEqual({ key: 'loss', value: 1, timestamp: t0, step: 0 });
    expect(metrics[10]).toEqual({ key: 'loss', value: 'NaN', timestamp: t0 + 10, step: 10 });
    expect(metrics.filter((point) => point.step === 50)).toEqual([
      { key: 'loss', value: 1 / 51, timestamp: t0 + 50, step: 50 },
      { key: 'loss', value: 0.5, timestamp: t0 + 1000, step: 50 },
    ]);
    expect(metrics.map((point) => point.step)).toEqual([...metrics.map((point) => point.step)].sort((a, b) => a - b));
  });

  it('pages with next_page_token the way the client loops', async () => {
    const collected: Point[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const reply = await mlflow.get(`${api}/metrics/get-history`, { run_id: runId, run_uuid: runId, metric_key: 'loss', max_results: 30, ...(token ? { page_token: token } : {}) });
      expect(reply.status).toBe(200);
      collected.push(...(reply.body.metrics as Point[]));
      token = reply.body.next_page_token as string | undefined;
      pages++;
    } while (token);
    expect(pages).toBe(4);
    const whole = await mlflow.get(`${api}/metrics/get-history`, { run_id: runId, metric_key: 'loss' });
    expect(collected).toEqual(whole.body.metrics);
  });

  it('answers an unknown key with no points, and an unknown run or a foreign token with an error', async () => {
    const none = await mlflow.get(`${api}/metrics/get-history`, { run_id: runId, metric_key: 'nope', max_results: 25000 });
    expect(none.body).toEqual({ metrics: [] });
    const missing = await mlflow.get(`${api}/metrics/get-history`, { run_id: 'a'.repeat(32), metric_key: 'loss' });
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const page = await mlflow.get(`${api}/metrics/get-history`, { run_id: runId, metric_key: 'loss', max_results: 5 });
    const foreign = await mlflow.get(`${api}/metrics/get-history`, { run_id: runId, metric_key: 'other', max_results: 5, page_token: page.body.next_page_token as string });
    expect(foreign.status).toBe(400);
    const noKey = await mlflow.get(`${api}/metrics/get-history`, { run_id: runId });
    expect(noKey.status).toBe(400);
    expect(noKey.body.message).toMatch(/metric_key/);
  });
});

describe('get-history-bulk-interval', () => {
  let long: string;
  let short: string;
  beforeAll(async () => {
    long = await newRun();
    short = await newRun();
    await logSeries(long, 'loss', 10_000, (step) => (step === 7777 ? 100 : step === 3333 ? -50 : 1 - step / 10_000));
    await logSeries(short, 'loss', 50, (step) => step);
  });

  const bulk = (fields: Record<string, string | number | string[]>) => mlflow.get(`${api}/metrics/get-history-bulk-interval`, fields);

  it('down-samples a long series to max_results per run, keeping spikes and both ends', async () => {
    const reply = await bulk({ run_ids: [long, short], metric_key: 'loss', max_results: 320 });
    expect(reply.status, reply.text).toBe(200);
    const metrics = reply.body.metrics as Point[];
    const ofLong = metrics.filter((point) => point.run_id === long);
    const ofShort = metrics.filter((point) => point.run_id === short);
    expect(ofLong.length).toBeLessThanOrEqual(320);
    expect(ofLong.length).toBeGreaterThan(100);
    expect(ofLong.map((point) => point.value)).toContain(100);
    expect(ofLong.map((point) => point.value)).toContain(-50);
    expect(ofLong[ofLong.length - 1]).toMatchObject({ key: 'loss', step: 9999, value: 1 - 9999 / 10_000 });
    expect(ofLong[0]!.step).toBe(0);
    expect(ofLong.every((point, index) => index === 0 || point.step >= ofLong[index - 1]!.step)).toBe(true);
    // A short series comes back whole.
    expect(ofShort).toEqual(Array.from({ length: 50 }, (_, step) => ({ key: 'loss', value: step, timestamp: t0 + step, step, run_id: short })));
    // Runs come grouped, in run id order.
    const order = [...new Set(metrics.map((point) => point.run_id))];
    expect(order).toEqual([long, short].sort());
  });

  it('returns every point of a step window that fits', async () => {
    const reply = await bulk({ run_ids: [long], metric_key: 'loss', start_step: 100, end_step: 199, max_results: 2500 });
    const metrics = reply.body.metrics as Point[];
    expect(metrics.map((point) => point.step)).toEqual(Array.from({ length: 100 }, (_, index) => 100 + index));
  });

  it('accepts run_ids[] as MLflow\'s server does', async () => {
    const reply = await mlflow.raw('GET', `${api}/metrics/get-history-bulk-interval?run_ids[]=${short}&metric_key=loss&max_results=10`);
    const body = (await reply.json()) as { metrics: Point[] };
    expect(reply.status).toBe(200);
    expect(body.metrics.length).toBeLessThanOrEqual(10);
    expect(body.metrics[body.metrics.length - 1]).toMatchObject({ step: 49, value: 49 });
  });

  it('refuses requests outside MLflow\'s bounds with INVALID_PARAMETER_VALUE, unknown runs with 404', async () => {
    const cases: Array<Record<string, string | number | string[]>> = [
      { metric_key: 'loss' },
      { run_ids: Array.from({ length: 101 }, (_, index) => index.toString(16).padStart(32, '0')), metric_key: 'loss' },
      { run_ids: [long], metric_key: 'loss', start_step: 5 },
      { run_ids: [long], metric_key: 'loss', start_step: 9, end_step: 5 },
      { run_ids: [long], metric_key: 'loss', max_results: 2501 },
      { run_ids: [long], metric_key: 'loss', max_results: 0 },
    ];
    for (const fields of cases) {
      const reply = await bulk(fields);
      expect(reply.status, JSON.stringify(fields).slice(0, 80)).toBe(400);
      expect(reply.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    const unknown = await bulk({ run_ids: [long, 'b'.repeat(32)], metric_key: 'loss' });
    expect(unknown.status).toBe(404);
  });
});
