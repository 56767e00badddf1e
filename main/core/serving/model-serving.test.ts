import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServedModelInfo } from '../../../shared/serving';
import { trainingConfigSchema } from '../../../shared/training';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

const iris = join(process.cwd(), 'workers', 'trainer', 'train', 'fixtures', 'iris.csv');
let workbench: Workbench & { home: string };
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(() => workbench.dispose());

describe('serving registered models', () => {
  it('serves models:/name@alias through the contract, relays a prediction, lists and stops', async () => {
    await workbench.datasets.importPath(iris);
    const { run } = await workbench.training.start({ dataset: 'iris' }, trainingConfigSchema.parse({ target: 'species', epochs: 30, optimizer: { lr: 0.02 } })).done;
    workbench.registry.register(run.id, 'iris', { alias: 'champion' });
    const changes: number[] = [];
    const subscription = workbench.onDidEmit((event) => {
      if (event.name === 'serving.changed') changes.push(event.payload.servers.length);
    });
    const started = (await workbench.dispatch('serving.start', { uri: 'models:/iris@champion' })) as { ok: true; result: ServedModelInfo };
    expect(started.ok).toBe(true);
    expect(started.result).toMatchObject({ uri: 'models:/iris@champion', label: 'iris v1', model: { name: 'iris', version: 1 }, host: '127.0.0.1' });
    expect(started.result.inputs.map((input) => input.name)).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    const id = started.result.id;
    const row = { sepal_length: 6.7, sepal_width: 3.0, petal_length: 5.2, petal_width: 2.3 };
    const reply = (await workbench.dispatch('serving.predict', { id, body: JSON.stringify({ dataframe_records: [row] }) })) as { ok: true; result: { status: number; body: { predictions: Array<Record<string, unknown>> } } };
    expect(reply.result.status).toBe(200);
    expect(reply.result.body.predictions[0]).toMatchObject({ label: 'virginica' });
    const csv = (await workbench.dispatch('serving.predict', { id, body: 'sepal_length,sepal_width,petal_length,petal_width\n6.7,3.0,5.2,2.3\n', contentType: 'text/csv' })) as typeof reply;
    expect(csv.result.body.predictions).toEqual(reply.result.body.predictions);
    const bad = (await workbench.dispatch('serving.predict', { id, body: JSON.stringify({ dataframe_records: [{ sepal_length: 1 }] }) })) as { ok: true; result: { status: number; body: { message: string } } };
    expect(bad.result.status).toBe(400);
    expect(bad.result.body.message).toMatch(/sepal_width/);
    expect(((await workbench.dispatch('serving.list', {})) as { ok: true; result: unknown[] }).result).toHaveLength(1);
    expect(await workbench.dispatch('serving.stop', { id })).toEqual({ ok: true, result: { ok: true } });
    expect(((await workbench.dispatch('serving.list', {})) as { ok: true; result: unknown[] }).result).toHaveLength(0);
    subscription.dispose();
    expect(changes[0]).toBe(1);
    expect(changes.at(-1)).toBe(0);
    expect(await workbench.dispatch('serving.start', { uri: 'models:/iris@gone' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: "Registered model 'iris' has no alias 'gone'." } });
  }, 120_000);
});
