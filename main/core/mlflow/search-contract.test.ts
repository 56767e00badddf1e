// search_runs / search_experiments with MLflow's grammar (MLFLOW.md §3): AND only, entity
// aliases, backticks and double quotes, LIKE/ILIKE, `!=` only for runs that have the key,
// order_by with missing keys last, page tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowTestServer, type MlflowTestServer } from './test-server';

let mlflow: MlflowTestServer;
let experimentId: string;
const ids: Record<string, string> = {};
const t0 = 1_712_000_000_000;
const api = '/api/2.0/mlflow';

async function createRun(name: string, offset: number, body: { params?: object[]; metrics?: object[]; tags?: object[] }, status?: string): Promise<void> {
  const created = await mlflow.send('POST', `${api}/runs/create`, { experiment_id: experimentId, user_id: name === 'r-a' ? 'alice' : 'bob', run_name: name, start_time: t0 + offset, tags: [{ key: 'mlflow.user', value: name === 'r-a' ? 'alice' : 'bob' }] });
  const runId = (created.body.run as { info: { run_id: string } }).info.run_id;
  ids[name] = runId;
  const logged = await mlflow.send('POST', `${api}/runs/log-batch`, { run_id: runId, ...body });
  expect(logged.status, logged.text).toBe(200);
  if (status) await mlflow.send('POST', `${api}/runs/update`, { run_id: runId, status, end_time: t0 + offset + 100 });
}

beforeAll(async () => {
  mlflow = await startMlflowTestServer();
  experimentId = (await mlflow.send('POST', `${api}/experiments/create`, { name: 'search' })).body.experiment_id as string;
  const metric = (key: string, value: number | string) => ({ key, value, timestamp: t0, step: 0 });
  await createRun('r-a', 1, {
    params: [{ key: 'lr', value: '0.01' }, { key: 'model', value: 'resnet-50' }],
    metrics: [metric('acc', 0.9), metric('f1 score', 0.8)],
    tags: [{ key: 'team', value: 'cv' }, { key: 'data.version', value: 'v1' }],
  }, 'FINISHED');
  await createRun('r-b', 2, { params: [{ key: 'lr', value: '0.1' }, { key: 'model', value: 'ResNet-18' }], metrics: [metric('acc', 0.7)], tags: [{ key: 'team', value: 'nlp' }] }, 'FAILED');
  await createRun('r-c', 3, { metrics: [metric('acc', 'NaN')] });
  await createRun('r-d', 4, { params: [{ key: 'lr', value: '0.001' }] });
});
afterAll(() => mlflow.close());

const nameOf = (runId: string): string => Object.entries(ids).find(([, id]) => id === runId)![0];

async function search(body: Record<string, unknown>): Promise<{ status: number; names: string[]; token?: string; error?: { error_code?: string; message?: string } }> {
  const reply = await mlflow.send('POST', `${api}/runs/search`, { experiment_ids: [experimentId], run_view_type: 'ACTIVE_ONLY', max_results: 1000, ...body });
  if (reply.status !== 200) return { status: reply.status, names: [], error: reply.body };
  const runs = reply.body.runs as Array<{ info: { run_id: string } }>;
  return { status: 200, names: runs.map((run) => nameOf(run.info.run_id)), ...(reply.body.next_page_token ? { token: reply.body.next_page_token as string } : {}) };
}

const names = async (filter: string, orderBy: string[] = []): Promise<string[]> => {
  const result = await search({ filter, order_by: orderBy });
  expect(result.status, JSON.stringify(result.error)).toBe(200);
  return result.names;
};

describe('search_runs filters', () => {
  it('defaults to newest first and returns full runs', async () => {
    expect(await names('')).toEqual(['r-d', 'r-c', 'r-b', 'r-a']);
    const reply = await mlflow.send('POST', `${api}/runs/search`, { experiment_ids: [experimentId], filter: "attributes.run_name = 'r-a'" });
    const [run] = reply.body.runs as Array<{ info: Record<string, unknown>; data: Record<string, unknown> }>;
    expect(run!.info).toMatchObject({ run_id: ids['r-a'], run_name: 'r-a', status: 'FINISHED', user_id: 'alice', end_time: t0 + 101 });
    expect(run!.data.params).toEqual(expect.arrayContaining([{ key: 'lr', value: '0.01' }]));
  });

  it('compares metrics with numbers; NaN matches no comparison', async () => {
    expect(await names('metrics.acc > 0.8')).toEqual(['r-a']);
    expect(await names('metrics.acc >= 0.7 and metrics.acc < 0.95')).toEqual(['r-b', 'r-a']);
    expect(await names('metrics.acc != 0.9')).toEqual(['r-b']);
  });

  it('reads keys in backticks and double quotes, and dotted keys bare', async () => {
    expect(await names('metrics.`f1 score` >= 0.8')).toEqual(['r-a']);
    expect(await names('metrics."f1 score" >= 0.8')).toEqual(['r-a']);
    expect(await names("tags.`data.version` = 'v1'")).toEqual(['r-a']);
    expect(await names("tags.data.version = 'v1'")).toEqual(['r-a']);
  });

  it('takes every entity alias MLflow does', async () => {
    expect(await names('metric.acc > 0.8')).toEqual(['r-a']);
    expect(await names("param.lr = '0.1'")).toEqual(['r-b']);
    expect(await names("parameter.lr = '0.1'")).toEqual(['r-b']);
    expect(await names("parameters.lr = '0.1'")).toEqual(['r-b']);
    expect(await names("tag.team = 'nlp'")).toEqual(['r-b']);
    expect(await names("attribute.status = 'FAILED'")).toEqual(['r-b']);
    expect(await names("attr.run_name = 'r-c'")).toEqual(['r-c']);
    expect(await names("run.status = 'FINISHED'")).toEqual(['r-a']);
  });

  it('matches LIKE case-sensitively and ILIKE case-insensitively', async () => {
    expect(await names("params.model LIKE 'res%'")).toEqual(['r-a']);
    expect(await names("params.model ILIKE 'res%'")).toEqual(['r-b', 'r-a']);
    expect(await names("params.model LIKE 'resnet-_0'")).toEqual(['r-a']);
    expect(await names("attributes.run_name LIKE 'r-%'")).toEqual(['r-d', 'r-c', 'r-b', 'r-a']);
  });

  it('matches != only on runs that have the key', async () => {
    expect(await names("params.lr != '0.01'")).toEqual(['r-d', 'r-b']);
    expect(await names("tags.team != 'cv'")).toEqual(['r-b']);
  });

  it('filters on attributes: run_id IN, status, times, user_id, and the mlflow.runName tag', async () => {
    expect(await names(`attributes.run_id IN ('${ids['r-a']}', '${ids['r-c']}')`)).toEqual(['r-c', 'r-a']);
    expect(await names(`attributes.start_time > ${t0 + 2}`)).toEqual(['r-d', 'r-c']);
    expect(await names(`attributes.end_time <= ${t0 + 102}`)).toEqual(['r-b', 'r-a']);
    expect(await names("attributes.user_id = 'alice'")).toEqual(['r-a']);
    expect(await names("tags.mlflow.user = 'bob'")).toEqual(['r-d', 'r-c', 'r-b']);
    expect(await names("tags.mlflow.runName = 'r-b'")).toEqual(['r-b']);
    expect(await names('attributes."run name" = \'r-d\'')).toEqual(['r-d']);
    expect(await names(`attributes.artifact_uri = 'mlflow-artifacts:/${experimentId}/${ids['r-a']}/artifacts'`)).toEqual(['r-a']);
  });

  it('refuses OR with MLflow\'s message, and malformed filters, as INVALID_PARAMETER_VALUE', async () => {
    for (const filter of ["params.lr = '0.1' or params.lr = '0.01'", "params.lr = '0.1' OR metrics.acc > 0"]) {
      const result = await search({ filter });
      expect(result.status).toBe(400);
      expect(result.error).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: "Invalid clause(s) in filter string: 'or'" });
    }
    for (const filter of ['metrics.acc >', "metrics.acc = 'high'", "unknown.x = '1'", 'params.lr = 0.1 and']) {
      const result = await search({ filter });
      expect(result.status, filter).toBe(400);
      expect(result.error?.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
  });
});

describe('search_runs order_by and paging', () => {
  it('sorts metrics with NaN after values and missing keys last, in both directions', async () => {
    expect(await names('', ['metrics.acc DESC'])).toEqual(['r-a', 'r-b', 'r-c', 'r-d']);
    expect(await names('', ['metrics.acc ASC'])).toEqual(['r-b', 'r-a', 'r-c', 'r-d']);
  });

  it('sorts params numerically when they are numbers, tags as text, missing last', async () => {
    expect(await names('', ['params.lr'])).toEqual(['r-d', 'r-a', 'r-b', 'r-c']);
    expect(await names('', ['params.lr DESC'])).toEqual(['r-b', 'r-a', 'r-d', 'r-c']);
    expect(await names('', ['tags.team ASC'])).toEqual(['r-a', 'r-b', 'r-d', 'r-c']);
  });

  it('applies order_by entries left to right', async () => {
    expect(await names('', ['attributes.status DESC', 'attributes.start_time ASC'])).toEqual(['r-c', 'r-d', 'r-a', 'r-b']);
    expect(await names('', ['tags.mlflow.runName DESC'])).toEqual(['r-d', 'r-c', 'r-b', 'r-a']);
  });

  it('pages with opaque tokens until the last page, which has none', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await search({ max_results: 3, order_by: ['params.lr'], ...(token ? { page_token: token } : {}) });
      expect(page.status).toBe(200);
      seen.push(...page.names);
      token = page.token;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toEqual(['r-d', 'r-a', 'r-b', 'r-c']);
    const exact = await search({ max_results: 4 });
    expect(exact.token).toBeUndefined();
  });

  it('refuses a token from another search and max_results over 50,000', async () => {
    const first = await search({ max_results: 1, filter: '' });
    const replay = await search({ max_results: 1, filter: 'metrics.acc > 0', page_token: first.token });
    expect(replay.status).toBe(400);
    expect(replay.error?.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await search({ page_token: 'garbage' })).status).toBe(400);
    const tooMany = await search({ max_results: 50_001 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.error?.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect((await search({ max_results: 50_000 })).status).toBe(200);
  });

  it('searches no runs without experiment ids, and several experiments at once', async () => {
    const none = await mlflow.send('POST', `${api}/runs/search`, { filter: '' });
    expect(none.body).toEqual({ runs: [] });
    const both = await mlflow.send('POST', `${api}/runs/search`, { experiment_ids: [experimentId, '0'] });
    expect((both.body.runs as unknown[]).length).toBe(4);
  });
});

describe('search_experiments', () => {
  beforeAll(async () => {
    for (const [name, team] of [['exp-alpha', 'cv'], ['exp-beta', 'nlp'], ['Exp-Gamma', 'cv']] as const) {
      await mlflow.send('POST', `${api}/experiments/create`, { name, tags: [{ key: 'team', value: team }] });
    }
    const gone = await mlflow.send('POST', `${api}/experiments/create`, { name: 'exp-deleted' });
    await mlflow.send('POST', `${api}/experiments/delete`, { experiment_id: gone.body.experiment_id });
  });

  const experimentNames = async (body: Record<string, unknown>, method: 'GET' | 'POST' = 'POST'): Promise<string[]> => {
    const reply = method === 'POST' ? await mlflow.send('POST', `${api}/experiments/search`, body) : await mlflow.get(`${api}/experiments/search`, body as never);
    expect(reply.status, reply.text).toBe(200);
    return (reply.body.experiments as Array<{ name: string }>).map((experiment) => experiment.name);
  };

  it('filters by name (LIKE, ILIKE, =) and tags, sorted as asked', async () => {
    expect(await experimentNames({ filter: "name LIKE 'exp-%'", order_by: ['name ASC'] })).toEqual(['exp-alpha', 'exp-beta']);
    expect(await experimentNames({ filter: "name ILIKE 'exp-%'", order_by: ['name DESC'] })).toEqual(['exp-beta', 'exp-alpha', 'Exp-Gamma']);
    expect(await experimentNames({ filter: "tags.team = 'cv' and attribute.name != 'exp-alpha'" })).toEqual(['Exp-Gamma']);
    expect(await experimentNames({ filter: "tags.`team` != 'cv'" })).toEqual(['exp-beta']);
    expect(await experimentNames({ filter: 'creation_time > 0', max_results: 1000 })).toContain('Default');
  });

  it('honours view_type and pages, over GET with repeated order_by keys too', async () => {
    expect(await experimentNames({ view_type: 'DELETED_ONLY' })).toEqual(['exp-deleted']);
    expect(await experimentNames({ view_type: 'ALL', filter: "name = 'exp-deleted'" })).toEqual(['exp-deleted']);
    const first = await mlflow.get(`${api}/experiments/search`, { max_results: 2, order_by: ['name ASC', 'creation_time DESC'], filter: "name ILIKE 'exp%'" });
    expect((first.body.experiments as Array<{ name: string }>).map((experiment) => experiment.name)).toEqual(['Exp-Gamma', 'exp-alpha']);
    const second = await mlflow.get(`${api}/experiments/search`, { max_results: 2, order_by: ['name ASC', 'creation_time DESC'], filter: "name ILIKE 'exp%'", page_token: first.body.next_page_token as string });
    expect((second.body.experiments as Array<{ name: string }>).map((experiment) => experiment.name)).toEqual(['exp-beta']);
    expect(second.body).not.toHaveProperty('next_page_token');
  });

  it('refuses OR and unknown fields', async () => {
    const or = await mlflow.send('POST', `${api}/experiments/search`, { filter: "name = 'a' OR name = 'b'" });
    expect(or.status).toBe(400);
    expect(or.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: "Invalid clause(s) in filter string: 'or'" });
    const unknown = await mlflow.send('POST', `${api}/experiments/search`, { filter: "colour = 'red'" });
    expect(unknown.status).toBe(400);
    const badOrder = await mlflow.send('POST', `${api}/experiments/search`, { order_by: ['tags.team'] });
    expect(badOrder.status).toBe(400);
  });
});
