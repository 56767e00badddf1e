import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRegistryTestServer, type RegistryTestServer } from './registry-test-server';

let api: RegistryTestServer;
beforeEach(async () => {
  api = await startRegistryTestServer();
});
afterEach(() => api.close());

async function runWithModel(): Promise<string> {
  const run = api.workbench.tracking.createRun({ name: 'r' });
  await api.workbench.artifacts.writeBytes(run.id, 'model/MLmodel', Buffer.from('flavors:\n  python_function: {}\n'));
  await api.workbench.artifacts.writeBytes(run.id, 'other/MLmodel', Buffer.from('flavors:\n  python_function: {}\n'));
  return run.id;
}

const names = (reply: { body: Record<string, unknown> }, field: string) => (reply.body[field] as Array<{ name: string; version?: string }>).map((item) => (item.version ? `${item.name}/${item.version}` : item.name));

/** Follows next_page_token the way the client's paged searches do. */
async function allPages(path: string, field: string, fields: Record<string, unknown>): Promise<string[][]> {
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const reply = await api.call('GET', path, { ...fields, ...(token ? { page_token: token } : {}) });
    expect(reply.status).toBe(200);
    pages.push(names(reply, field));
    token = reply.body['next_page_token'] as string | undefined;
  } while (token);
  return pages;
}

describe('MLflow registry searches', () => {
  it('search registered models: name = / LIKE / ILIKE, tags, order_by, paging', async () => {
    const { registry } = api.workbench;
    for (const [name, team] of [['churn-a', 'growth'], ['Churn-B', 'growth'], ['fraud', 'risk'], ['untagged', null]] as const) {
      registry.create(name, team ? { tags: { team } } : {});
      await new Promise((resolve) => setTimeout(resolve, 2)); // distinct creation times
    }
    const search = (fields: Record<string, unknown>) => api.call('GET', 'mlflow/registered-models/search', fields);
    expect(names(await search({}), 'registered_models')).toEqual(['Churn-B', 'churn-a', 'fraud', 'untagged']);
    expect(names(await search({ filter: "name = 'fraud'" }), 'registered_models')).toEqual(['fraud']);
    expect(names(await search({ filter: "name LIKE 'churn%'" }), 'registered_models')).toEqual(['churn-a']);
    expect(names(await search({ filter: "name ILIKE 'churn%'" }), 'registered_models')).toEqual(['Churn-B', 'churn-a']);
    expect(names(await search({ filter: "attribute.name != 'fraud' AND tags.team = 'growth'" }), 'registered_models')).toEqual(['Churn-B', 'churn-a']);
    expect(names(await search({ filter: "tags.`team` LIKE 'r%'" }), 'registered_models')).toEqual(['fraud']);
    // A tag condition only matches models that have the tag.
    expect(names(await search({ filter: "tags.team != 'growth'" }), 'registered_models')).toEqual(['fraud']);
    expect(names(await search({ order_by: ['creation_timestamp DESC'] }), 'registered_models')).toEqual(['untagged', 'fraud', 'Churn-B', 'churn-a']);
    expect(names(await search({ order_by: ['last_updated_timestamp ASC'] }), 'registered_models')).toEqual(['churn-a', 'Churn-B', 'fraud', 'untagged']);
    expect(await allPages('mlflow/registered-models/search', 'registered_models', { max_results: 3 })).toEqual([['Churn-B', 'churn-a', 'fraud'], ['untagged']]);
    // The last page carries no token.
    expect((await search({ max_results: 4 })).body['next_page_token']).toBeUndefined();
  });

  it('search model versions: name, run_id (= and IN), source_path, version_number, tags, order_by, paging', async () => {
    const { registry } = api.workbench;
    const runA = await runWithModel();
    const runB = await runWithModel();
    registry.register(runA, 'm', { allowNonOnnx: true });
    registry.register(runB, 'm', { allowNonOnnx: true, tags: { validated: 'yes' } });
    registry.register(runB, 'm', { allowNonOnnx: true, artifactPath: 'other' });
    registry.register(runA, 'n', { allowNonOnnx: true });
    const search = (fields: Record<string, unknown>) => api.call('GET', 'mlflow/model-versions/search', fields);
    // Default order: name ASC, then version DESC.
    expect(names(await search({}), 'model_versions')).toEqual(['m/3', 'm/2', 'm/1', 'n/1']);
    expect(names(await search({ filter: "name = 'm'" }), 'model_versions')).toEqual(['m/3', 'm/2', 'm/1']);
    expect(names(await search({ filter: `run_id = '${runA}'` }), 'model_versions')).toEqual(['m/1', 'n/1']);
    expect(names(await search({ filter: `run_id IN ('${runB}', '${'0'.repeat(32)}')` }), 'model_versions')).toEqual(['m/3', 'm/2']);
    expect(names(await search({ filter: "source_path LIKE '%/other'" }), 'model_versions')).toEqual(['m/3']);
    expect(names(await search({ filter: "name = 'm' AND version_number >= 2" }), 'model_versions')).toEqual(['m/3', 'm/2']);
    expect(names(await search({ filter: "tags.validated = 'yes'" }), 'model_versions')).toEqual(['m/2']);
    expect(names(await search({ order_by: ['version_number ASC', 'name DESC'] }), 'model_versions')).toEqual(['n/1', 'm/1', 'm/2', 'm/3']);
    expect(await allPages('mlflow/model-versions/search', 'model_versions', { max_results: 2, filter: "name ILIKE 'M'" })).toEqual([['m/3', 'm/2'], ['m/1']]);
    const version = (await search({ filter: "name = 'n'" })).body['model_versions'] as Array<Record<string, unknown>>;
    expect(version[0]).toMatchObject({ name: 'n', version: '1', run_id: runA, source: `runs:/${runA}/model`, current_stage: 'None', status: 'READY' });
  });
});
