/**
 * Training on a derived dataset version exports a model over the RAW columns, with the version's
 * transform steps (over several hops) baked in; steps that cannot be baked leave a features model
 * and say why on the run.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trainingConfigSchema } from '../../../shared/training';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

let workbench: Workbench & { home: string };
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(() => workbench.dispose());

/** 240 rows: a text column, a numeric one with gaps, and a label that depends on both. */
async function writeCustomers(): Promise<string> {
  const lines = ['id,city,income,age,churn'];
  for (let i = 0; i < 240; i++) {
    const city = ['oslo', 'lima', 'pune'][i % 3]!;
    const income = i % 11 === 0 ? '' : String(20 + ((i * 37) % 80));
    const age = 18 + ((i * 13) % 60);
    const churn = (city === 'lima' ? 1 : 0) ^ (age > 50 ? 1 : 0) ? 'left' : 'stayed';
    lines.push(`${i},${city},${income},${age},${churn}`);
  }
  const file = join(workbench.home, 'customers.csv');
  await writeFile(file, lines.join('\n') + '\n');
  return file;
}

const config = trainingConfigSchema.parse({ target: 'churn', features: undefined, epochs: 30, batchSize: 32, optimizer: { lr: 0.02 } });

async function session(runId: string): Promise<InferenceSession> {
  return InferenceSession.create(await readFile(workbench.artifacts.locate(runId, 'model/model.onnx').file));
}

describe('exports of models trained on derived versions', () => {
  it('bakes impute, encode and scale from two transform hops into a model that takes the raw columns', async () => {
    await workbench.datasets.importPath(await writeCustomers());
    await workbench.datasets.transform('customers', undefined, [
      { op: 'impute', columns: ['income'], strategy: 'median' },
      { op: 'encode', columns: ['city'], method: 'onehot' },
    ], 'customers-clean');
    await workbench.datasets.transform('customers-clean', undefined, [
      { op: 'drop', columns: ['id'] },
      { op: 'scale', columns: ['income', 'age'], method: 'standard' },
      { op: 'split', fractions: { train: 0.8, validation: 0.2 }, seed: 1 },
    ]);
    const { run, error } = await workbench.training.start({ dataset: 'customers-clean' }, config).done;
    expect(error).toBeNull();
    expect(run.status).toBe('FINISHED');
    const tags = workbench.tracking.getRun(run.id).tags;
    expect(tags['trainyard.export_inputs']).toBe('raw columns of customers@1 (city, income, age), with 5 transform step(s) baked in');
    expect(Number(tags['trainyard.export_verified_rows'])).toBe(240);
    const mlmodel = (await workbench.artifacts.read(run.id, 'model/MLmodel', 20_000)).content;
    expect(mlmodel).toContain('"name": "city", "type": "string"');

    // Raw rows in, as a user would send them: text city, a missing income, unscaled age.
    const model = await session(run.id);
    try {
      const feeds = {
        city: new Tensor('string', ['lima', 'oslo', 'pune'], [3]),
        income: new Tensor('float64', [Number.NaN, 55, 90], [3]),
        age: new Tensor('float64', [25, 60, 30], [3]),
      };
      const out = await model.run(feeds);
      expect(Array.from(out.label!.data as string[])).toEqual(['left', 'left', 'stayed']);
    } finally {
      await model.release();
    }
  }, 120_000);

  it('keeps a features model and says why when a step cannot be baked (a filter)', async () => {
    await workbench.datasets.importPath(await writeCustomers());
    await workbench.datasets.transform('customers', undefined, [
      { op: 'filter', where: 'income IS NOT NULL' },
      { op: 'encode', columns: ['city'], method: 'onehot' },
    ], 'customers-filtered');
    const { run, error } = await workbench.training.start({ dataset: 'customers-filtered' }, trainingConfigSchema.parse({ ...config, features: ['income', 'age'] })).done;
    expect(error).toBeNull();
    const note = workbench.tracking.getRun(run.id).tags['trainyard.export_inputs'];
    expect(note).toMatch(/^the training features \(income, age\); the preprocessing cannot be baked into the exported model: step 1 \(filter\): a filter decides which rows exist/);
  }, 120_000);
});
