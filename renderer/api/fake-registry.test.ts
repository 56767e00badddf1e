import { describe, expect, it } from 'vitest';
import type { WorkbenchEvent } from '../../shared/events';
import { createFakeConnection } from './fake-api';

const mlmodel = `artifact_path: model
flavors:
  onnx:
    data: model.onnx
metadata:
  trainyard.task: classification
signature:
  inputs: '[{"name": "x1", "type": "double"}, {"name": "note''s", "type": "string"}]'
  outputs: '[{"name": "label", "type": "string"}]'
`;

/** A finished run holding model/model.onnx and an MLmodel, as a training run leaves them. */
async function trainedRun(fake: ReturnType<typeof createFakeConnection>, name: string): Promise<string> {
  const run = await fake.api['runs.create']({ name });
  await fake.api['artifacts.write']({ runId: run.id, path: 'model/model.onnx', content: `onnx bytes of ${name}` });
  await fake.api['artifacts.write']({ runId: run.id, path: 'model/MLmodel', content: mlmodel });
  await fake.api['runs.end']({ id: run.id });
  return run.id;
}

describe('the fake model registry', () => {
  it('numbers versions per model, never reusing a number, and reads the signature', async () => {
    const fake = createFakeConnection();
    const events: WorkbenchEvent[] = [];
    fake.onEvent((event) => events.push(event));
    const first = await fake.api['models.register']({ name: 'churn', runId: await trainedRun(fake, 'a') });
    const second = await fake.api['models.register']({ name: 'churn', runId: await trainedRun(fake, 'b'), description: 'more data' });
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second).toMatchObject({ name: 'churn', stage: 'None', description: 'more data', task: 'classification', aliases: [], source: expect.stringMatching(/^runs:\/[0-9a-f]{32}\/model$/) });
    expect(second.signature).toEqual({ inputs: [{ name: 'x1', type: 'double' }, { name: "note's", type: 'string' }], outputs: [{ name: 'label', type: 'string' }] });
    await fake.api['models.deleteVersion']({ name: 'churn', version: 2 });
    expect((await fake.api['models.register']({ name: 'churn', runId: await trainedRun(fake, 'c') })).version).toBe(3);
    expect((await fake.api['models.versions']({ name: 'churn' })).map((version) => version.version)).toEqual([3, 1]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events).toContainEqual({ name: 'model.changed', payload: { name: 'churn' } });
  });

  it('refuses runs without a model, unknown runs and names that break model URIs', async () => {
    const fake = createFakeConnection();
    const empty = await fake.api['runs.create']({ name: 'no-model' });
    await expect(fake.api['models.register']({ name: 'm', runId: empty.id })).rejects.toThrow(/has no model to register: there is nothing under 'model\/'/);
    await fake.api['artifacts.write']({ runId: empty.id, path: 'model/model.pkl', content: 'pickle' });
    await expect(fake.api['models.register']({ name: 'm', runId: empty.id })).rejects.toThrow(/has no 'model\/model.onnx' \(it has model.pkl\)/);
    await expect(fake.api['models.register']({ name: 'm', runId: '0'.repeat(32) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(fake.api['models.register']({ name: 'a/b', runId: await trainedRun(fake, 'x') })).rejects.toThrow(/contains '\/'/);
    // A refused stage leaves no version behind.
    await expect(fake.api['models.register']({ name: 'm', runId: await trainedRun(fake, 'y'), stage: 'None', archiveExisting: true })).rejects.toThrow(/only applies when moving to Staging or Production/);
    await expect(fake.api['models.get']({ name: 'm' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await fake.api['models.create']({ name: 'dup' });
    await expect(fake.api['models.create']({ name: 'dup' })).rejects.toMatchObject({ code: 'ALREADY_EXISTS', message: "A registered model named 'dup' already exists." });
  });

  it('moves stages with archiveExisting and aliases one version at a time, recording history', async () => {
    const fake = createFakeConnection();
    for (const name of ['a', 'b', 'c']) await fake.api['models.register']({ name: 'm', runId: await trainedRun(fake, name) });
    await fake.api['models.transitionStage']({ name: 'm', version: 1, stage: 'production' });
    await fake.api['models.transitionStage']({ name: 'm', version: 2, stage: 'Staging' });
    expect((await fake.api['models.transitionStage']({ name: 'm', version: 3, stage: 'PRODUCTION', archiveExisting: true })).stage).toBe('Production');
    expect((await fake.api['models.versions']({ name: 'm' })).map((version) => [version.version, version.stage])).toEqual([[3, 'Production'], [2, 'Staging'], [1, 'Archived']]);
    await expect(fake.api['models.transitionStage']({ name: 'm', version: 1, stage: 'Retired' })).rejects.toThrow("Invalid model version stage 'Retired': it must be one of None, Staging, Production, Archived.");
    await expect(fake.api['models.transitionStage']({ name: 'm', version: 1, stage: 'None', archiveExisting: true })).rejects.toThrow(/only applies when moving to Staging or Production/);

    await fake.api['models.setAlias']({ name: 'm', version: 2, alias: 'champion' });
    await fake.api['models.setAlias']({ name: 'm', version: 3, alias: 'champion' });
    expect((await fake.api['models.version']({ name: 'm', version: 2 })).aliases).toEqual([]);
    expect((await fake.api['models.get']({ name: 'm' })).aliases).toEqual([{ alias: 'champion', version: 3 }]);
    expect((await fake.api['models.resolve']({ uri: 'models:/m@champion' })).version?.version).toBe(3);
    expect((await fake.api['models.resolve']({ uri: 'models:/m/Staging' })).version?.version).toBe(2);
    await expect(fake.api['models.setAlias']({ name: 'm', version: 1, alias: 'latest' })).rejects.toThrow(/'latest' is a reserved alias/);
    await expect(fake.api['models.setAlias']({ name: 'm', version: 1, alias: 'V2' })).rejects.toThrow(/'V2' is a reserved alias/);
    await expect(fake.api['models.setAlias']({ name: 'm', version: 1, alias: 'a b' })).rejects.toThrow(/only letters, digits/);
    await fake.api['models.deleteAlias']({ name: 'm', alias: 'champion' });
    await expect(fake.api['models.deleteAlias']({ name: 'm', alias: 'champion' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });

    const history = await fake.api['models.history']({ name: 'm' });
    expect(history.slice(0, 4).map(({ kind, version, from, to }) => ({ kind, version, from, to }))).toEqual([
      { kind: 'alias', version: 3, from: '@champion', to: null },
      { kind: 'alias', version: 3, from: '@champion on v2', to: '@champion' },
      { kind: 'alias', version: 2, from: null, to: '@champion' },
      { kind: 'stage', version: 3, from: 'None', to: 'Production' },
    ]);
    expect(history.find((event) => event.kind === 'stage' && event.version === 1 && event.to === 'Archived')).toMatchObject({ from: 'Production' });
    expect(history.at(-1)).toMatchObject({ kind: 'create_model', version: null });
  });

  it('registers with an alias and a stage at once, and a deleted version takes its aliases along', async () => {
    const fake = createFakeConnection();
    await fake.api['models.register']({ name: 'm', runId: await trainedRun(fake, 'a'), stage: 'Production', alias: 'champion' });
    const second = await fake.api['models.register']({ name: 'm', runId: await trainedRun(fake, 'b'), stage: 'Production', archiveExisting: true, alias: 'champion' });
    expect(second).toMatchObject({ version: 2, stage: 'Production', aliases: ['champion'] });
    expect((await fake.api['models.version']({ name: 'm', version: 1 })).stage).toBe('Archived');
    await fake.api['models.deleteVersion']({ name: 'm', version: 2 });
    expect((await fake.api['models.get']({ name: 'm' })).aliases).toEqual([]);
    await expect(fake.api['models.resolve']({ uri: 'models:/m/Production' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('links a version to the dataset versions its run read, and keeps history after a rename', async () => {
    const fake = createFakeConnection();
    const uploadId = await fake.upload!([{ file: new Blob(['x,y\n1,a\n2,b\n']), path: 'points.csv' }]);
    await fake.api['datasets.import']({ source: { kind: 'upload', uploadId }, name: 'points' });
    const runId = await trainedRun(fake, 'reader');
    await fake.api['runs.logInputs']({ runId, inputs: [{ dataset: 'points', version: 1, context: 'train' }] });
    const version = await fake.api['models.register']({ name: 'points-model', runId });
    expect(version.inputs).toEqual([{ dataset: 'points', version: 1, context: 'train' }]);
    await fake.api['models.update']({ name: 'points-model', newName: 'points-classifier', description: 'x → y' });
    const history = await fake.api['models.history']({ name: 'points-classifier' });
    expect(history.map((event) => event.kind)).toEqual(['rename', 'description', 'create_version', 'create_model']);
    await expect(fake.api['models.get']({ name: 'points-model' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('importing an ONNX file stays unavailable in the fake', async () => {
    const fake = createFakeConnection();
    await expect(fake.api['models.importOnnx']({ source: { kind: 'path', path: '/tmp/m.onnx' } })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
