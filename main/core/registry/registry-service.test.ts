import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

let workbench: Workbench & { home: string };
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(() => workbench.dispose());

const mlmodel = `artifact_path: model
flavors:
  onnx:
    data: model.onnx
metadata:
  trainyard.task: classification
model_uuid: abc
signature:
  inputs: '[{"name": "x", "type": "double"}]'
  outputs: '[{"name": "label", "type": "string"}]'
`;

/** A run holding what registration needs: model/model.onnx (bytes need not be a real model here) and an MLmodel. */
async function runWithModel(name = 'trained'): Promise<string> {
  const run = workbench.tracking.createRun({ name });
  await workbench.artifacts.writeBytes(run.id, 'model/model.onnx', Buffer.from(`onnx bytes of ${name}`));
  await workbench.artifacts.writeBytes(run.id, 'model/MLmodel', Buffer.from(mlmodel));
  workbench.tracking.endRun(run.id, 'FINISHED');
  return run.id;
}

describe('model registry', () => {
  it('registers run models as numbered versions, creating the model on first use, with the signature', async () => {
    const { registry } = workbench;
    const first = registry.register(await runWithModel('a'), 'churn');
    const second = registry.register(await runWithModel('b'), 'churn', { description: 'more data' });
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second).toMatchObject({ name: 'churn', stage: 'None', status: 'READY', description: 'more data', task: 'classification', aliases: [] });
    expect(second.source).toMatch(/^runs:\/[0-9a-f]{32}\/model$/);
    expect(second.signature).toEqual({ inputs: [{ name: 'x', type: 'double' }], outputs: [{ name: 'label', type: 'string' }] });
    expect(registry.get('churn')).toMatchObject({ versionCount: 2, latestVersions: [{ version: 2, stage: 'None' }] });
    // Numbers are never reused after a delete.
    registry.deleteVersion('churn', 2);
    expect(registry.register(await runWithModel('c'), 'churn').version).toBe(3);
  });

  it('refuses runs without a model, and names that break model URIs', async () => {
    const { registry } = workbench;
    const empty = workbench.tracking.createRun({ name: 'no-model' });
    expect(() => registry.register(empty.id, 'm')).toThrow(/has no model to register: there is nothing under 'model\/'/);
    await workbench.artifacts.writeBytes(empty.id, 'model/model.pkl', Buffer.from('pickle'));
    expect(() => registry.register(empty.id, 'm')).toThrow(/has no 'model\/model.onnx' \(it has model.pkl\)/);
    const good = await runWithModel();
    expect(() => registry.register(good, 'a/b')).toThrow(/contains '\/'/);
    expect(() => registry.register('0'.repeat(32), 'm')).toThrow(/0{32}/);
    // A stage refused with archiveExisting leaves no version (nor model) behind.
    expect(() => registry.register(good, 'm', { stage: 'None', archiveExisting: true })).toThrow(/only applies when moving to Staging or Production/);
    expect(() => registry.get('m')).toThrow("No registered model named 'm'.");
    expect(() => registry.create('')).toThrow('A registered model needs a name.');
    registry.create('dup');
    expect(() => registry.create('dup')).toThrow("A registered model named 'dup' already exists.");
  });

  it('moves stages with archive_existing_versions and aliases one version at a time, recording history', async () => {
    const { registry } = workbench;
    for (const name of ['a', 'b', 'c']) registry.register(await runWithModel(name), 'm');
    registry.transitionStage('m', 1, 'production');
    registry.transitionStage('m', 2, 'Staging');
    expect(registry.transitionStage('m', 3, 'PRODUCTION', true).stage).toBe('Production');
    expect(registry.versions('m').map((v) => [v.version, v.stage])).toEqual([[3, 'Production'], [2, 'Staging'], [1, 'Archived']]);
    expect(() => registry.transitionStage('m', 1, 'Retired')).toThrow("Invalid model version stage 'Retired': it must be one of None, Staging, Production, Archived.");
    expect(() => registry.transitionStage('m', 1, 'None', true)).toThrow(/only applies when moving to Staging or Production/);

    registry.setAlias('m', 'champion', 2);
    registry.setAlias('m', 'champion', 3); // moves
    expect(registry.version('m', 2).aliases).toEqual([]);
    expect(registry.versionByAlias('m', 'champion').version).toBe(3);
    expect(registry.get('m').aliases).toEqual([{ alias: 'champion', version: 3 }]);
    expect(() => registry.setAlias('m', 'latest', 1)).toThrow(/'latest' is a reserved alias/);
    expect(() => registry.setAlias('m', 'V2', 1)).toThrow(/'V2' is a reserved alias/);
    expect(() => registry.setAlias('m', 'a b', 1)).toThrow(/only letters, digits/);
    expect(() => registry.versionByAlias('m', 'gone')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    registry.deleteVersion('m', 3); // takes its alias with it
    expect(registry.get('m').aliases).toEqual([]);

    const history = registry.history('m').map((e) => [e.kind, e.version, e.from, e.to]);
    expect(history).toContainEqual(['stage', 1, 'Production', 'Archived']);
    expect(history).toContainEqual(['alias', 3, '@champion on v2', '@champion']);
    expect(history[0]).toEqual(['delete_version', 3, null, null]);
    expect(registry.history('m').at(-1)!.kind).toBe('create_model');
  });

  it('resolves models:/ and runs:/ URIs to the registered files', async () => {
    const { registry } = workbench;
    const runA = await runWithModel('a');
    registry.register(runA, 'm');
    registry.register(await runWithModel('b'), 'm', { stage: 'Production', alias: 'champion' });
    registry.register(await runWithModel('c'), 'm');
    expect(registry.resolve('models:/m/1').version!.version).toBe(1);
    expect(registry.resolve('models:/m/production').version!.version).toBe(2);
    expect(registry.resolve('models:/m@champion').version!.version).toBe(2);
    expect(registry.resolve('models:/m/latest').version!.version).toBe(3);
    expect(registry.resolve(`runs:/${runA}/model`)).toMatchObject({ version: null, runId: runA, artifactPath: 'model' });
    expect(() => registry.resolve('models:/m/Staging')).toThrow('No version of \'m\' is in stage Staging.');
    expect(() => registry.resolve('models:/m/9')).toThrow("Registered model 'm' has no version 9.");
    expect(() => registry.resolve('models:/nope/1')).toThrow("No registered model named 'nope'.");
    expect(() => registry.resolve('models:/m')).toThrow(/names no version/);
    expect(() => registry.resolve('s3://bucket/model')).toThrow(/is not a model URI/);
  });

  it('keeps a registered model working after its run changes or is purged', async () => {
    const { registry } = workbench;
    const runId = await runWithModel('a');
    registry.register(runId, 'm');
    const file = registry.modelFile('models:/m/1');
    workbench.tracking.setDeleted(runId, true);
    const purged = await workbench.dispatch('runs.purge', { ids: [runId] });
    expect(purged.ok).toBe(true);
    expect(registry.modelFile('models:/m/1')).toBe(file);
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(file)).toString()).toBe('onnx bytes of a');
  });

  it('registers MLflow models of any flavor only when asked (allowNonOnnx), and refuses to serve or evaluate them', async () => {
    const { registry } = workbench;
    const run = workbench.tracking.createRun({ name: 'sk' });
    const sklearnMlmodel = 'artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.sklearn\n  sklearn:\n    pickled_model: model.pkl\nmodel_uuid: u1\n';
    await workbench.artifacts.writeBytes(run.id, 'model/MLmodel', Buffer.from(sklearnMlmodel));
    await workbench.artifacts.writeBytes(run.id, 'model/model.pkl', Buffer.from('pickle'));
    // The default (UI, CLI, pipelines) still refuses it.
    expect(() => registry.register(run.id, 'sk')).toThrow(/only ONNX models can be registered/);
    const version = registry.register(run.id, 'sk', { allowNonOnnx: true, source: `mlflow-artifacts:/0/${run.id}/artifacts/model` });
    expect(version).toMatchObject({ version: 1, source: `mlflow-artifacts:/0/${run.id}/artifacts/model`, artifactPath: 'model', runId: run.id });
    expect(registry.flavors('sk', 1)).toEqual(['python_function', 'sklearn']);
    expect(registry.versionFiles('sk', 1).map((file) => file.relpath)).toEqual(['MLmodel', 'model.pkl']);
    const refusal = /models:\/sk\/1 is an MLflow sklearn model without model.onnx: only ONNX models can be served or evaluated by Trainyard/;
    expect(() => registry.modelFile('models:/sk/1')).toThrow(refusal);
    await expect(workbench.serving.start('models:/sk/1')).rejects.toThrow(refusal);
    expect(() => workbench.evaluation.evaluate({ uri: 'models:/sk/1', dataset: 'anything' })).toThrow(refusal);
    // An empty directory is still refused, even for MLflow.
    expect(() => registry.register(run.id, 'sk', { allowNonOnnx: true, artifactPath: 'nothing' })).toThrow(/nothing under 'nothing\/'/);
    // ONNX versions record their flavors too.
    registry.register(await runWithModel(), 'onnx');
    expect(registry.flavors('onnx', 1)).toEqual(['onnx']);
  });

  it('gives a version an explicit number (imports keep MLflow gaps) but never reuses one', async () => {
    const { registry } = workbench;
    const runId = await runWithModel();
    expect(registry.register(runId, 'm', { version: 3 }).version).toBe(3);
    expect(registry.register(runId, 'm').version).toBe(4);
    expect(() => registry.register(runId, 'm', { version: 2 })).toThrow("Registered model 'm' has already used version number 2; the next free one is 5.");
    expect(() => registry.register(runId, 'm', { version: 0 })).toThrow(/positive integer/);
    expect(registry.versions('m').map((v) => v.version)).toEqual([4, 3]);
  });

  it('speaks through the contract and emits model.changed', async () => {
    const runId = await runWithModel();
    const events: string[] = [];
    const subscription = workbench.onDidEmit((event) => {
      if (event.name === 'model.changed') events.push(event.payload.name);
    });
    const registered = await workbench.dispatch('models.register', { name: 'fraud', runId, alias: 'champion' });
    expect(registered).toMatchObject({ ok: true, result: { version: 1, aliases: ['champion'] } });
    const bad = await workbench.dispatch('models.setAlias', { name: 'fraud', version: 1, alias: 'latest' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const missing = await workbench.dispatch('models.version', { name: 'fraud', version: 7 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await workbench.dispatch('models.resolve', { uri: 'models:/fraud@champion' })).toMatchObject({ ok: true, result: { version: { version: 1 }, runId } });
    subscription.dispose();
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events)).toEqual(new Set(['fraud']));
    await writeFile(join(workbench.home, 'unused'), '');
  });
});
