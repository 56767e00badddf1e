import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWorkbench, tempHome } from '../../testing/temp-home';
import type { Workbench } from '../../workbench';
import { MlrunsFixture } from './mlruns-fixture';
import { importMlruns } from './mlruns-import';
import { parseMetricValue } from './mlruns-reader';

let workbench: Workbench & { home: string };
let folder: { path: string; remove(): void };
beforeEach(async () => {
  workbench = await openTestWorkbench();
  folder = tempHome('trainyard-mlruns-');
});
afterEach(async () => {
  await workbench.dispose();
  folder.remove();
});

const parent = 'aa'.repeat(16);
const child = 'bb'.repeat(16);
const crashed = 'cc'.repeat(16);
const trashed = 'dd'.repeat(16);
const inTrashedExperiment = 'ee'.repeat(16);
const t0 = 1_700_000_000_000;

const sklearnMlmodel = `artifact_path: model
flavors:
  python_function:
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.sklearn
    model_path: model.pkl
    predict_fn: predict
    python_version: 3.11.7
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.4.2
mlflow_version: 2.12.1
model_size_bytes: 1234
model_uuid: 5f0c7c2b0d0a4d2e9b8f1e3a2c4d6e8f
run_id: ${parent}
utc_time_created: '2023-11-14 22:13:20.000000'
`;
const onnxMlmodel = `artifact_path: onnx-model
flavors:
  onnx:
    code: null
    data: model.onnx
    onnx_version: 1.16.0
    providers:
    - CUDAExecutionProvider
    - CPUExecutionProvider
  python_function:
    data: model.onnx
    loader_module: mlflow.onnx
mlflow_version: 2.12.1
model_uuid: 0a1b2c3d4e5f60718293a4b5c6d7e8f9
run_id: ${child}
`;

/** Two experiments (one merged into Default), a nested run, a crashed one, trash, and a registry with gaps, stages and aliases. */
function buildMlruns(): void {
  const store = new MlrunsFixture(folder.path);
  store.experiment('0', 'Default', { tags: { 'mlflow.note.content': 'scratch runs' } });
  const churn = store.experiment('1', 'churn', { tags: { 'mlflow.note.content': 'Churn models', team: 'growth' } });
  store.run(churn, '1', {
    id: parent,
    name: 'sweep',
    startTime: t0,
    params: { lr: '0.01', 'optimizer/name': 'adam' },
    tags: { 'mlflow.log-model.history': '[{"artifact_path": "model"}]' },
    metrics: {
      loss: [[t0 + 1, '0.9', 0], [t0 + 2, '0.5', 1], [t0 + 3, '0.25', 2], [t0 + 4, '0.3', 1]],
      'train/acc': [[t0 + 1, '0.5', 0], [t0 + 2, 'nan', 1], [t0 + 3, 'inf', 2], [t0 + 4, '1e-05', 3]],
    },
    artifacts: {
      'model/MLmodel': sklearnMlmodel,
      'model/model.pkl': Buffer.from([0x80, 0x04, 0x95, 0x00, 0xff]),
      'model/requirements.txt': 'scikit-learn==1.4.2\n',
      'notes.txt': 'hello\n',
    },
  });
  store.run(churn, '1', {
    id: child,
    name: 'trial-1',
    startTime: t0 + 10,
    status: 'FAILED',
    endTime: t0 + 20,
    tags: { 'mlflow.parentRunId': parent },
    params: { lr: '0.1' },
    metrics: { loss: [[t0 + 11, '1.5', 0]] },
    artifacts: { 'onnx-model/MLmodel': onnxMlmodel, 'onnx-model/model.onnx': Buffer.from('onnx bytes') },
  });
  // MLflow before 1.0 wrote "<timestamp> <value>" (step 0); a torn last line is reported, not fatal.
  writeFileSync(join(churn, child, 'metrics', 'old'), `${t0} 0.7\n${t0 + 1}`);
  const defaults = join(folder.path, '0');
  store.run(defaults, '0', { id: crashed, name: 'crashed', startTime: t0 + 30, status: 'RUNNING' });
  store.run(defaults, '0', { id: trashed, name: 'deleted-run', startTime: t0 + 40, deleted: true });
  const gone = store.experiment('7', 'abandoned', { deleted: true });
  store.run(gone, '7', { id: inTrashedExperiment, name: 'in-trash', startTime: t0 + 50, deleted: true });

  store.model('churn-model', { description: 'Churn classifier', tags: { owner: 'growth' }, aliases: { champion: 3 } });
  // register_model on a local store resolves runs:/ to the file: URI; create_model_version keeps runs:/.
  store.version('churn-model', 1, { source: pathToFileURL(join(churn, parent, 'artifacts', 'model')).href, runId: parent, stage: 'Archived', description: 'first' });
  store.version('churn-model', 2, { source: `runs:/${parent}/model`, runId: parent, stage: 'Deleted_Internal' });
  store.version('churn-model', 3, { source: `runs:/${child}/onnx-model`, runId: child, stage: 'Production', tags: { validated: 'yes' }, aliases: ['champion'] });
  store.model('orphan', {});
  store.version('orphan', 1, { source: `runs:/${trashed}/model`, runId: trashed });
}

describe('trainyard import mlflow (FileStore)', () => {
  it('copies experiments, runs with their full metric history, artifacts and the registry; a second import adds nothing', async () => {
    buildMlruns();
    const report = await importMlruns(workbench, folder.path);
    expect(report).toMatchObject({
      experiments: { created: 1, merged: 1, skippedDeleted: 1 },
      runs: { imported: 3, alreadyThere: 0, newIds: 0, skippedDeleted: 2 },
      params: 3,
      metricPoints: 10,
      artifacts: 6,
      models: { created: 2, alreadyThere: 0 },
      versions: { imported: 2, alreadyThere: 0, skipped: 1 },
      aliases: 1,
    });
    expect(report.warnings).toEqual([
      `orphan v1: its run ${trashed} was not imported (deleted, or not in this mlruns folder); not imported.`,
      `Run ${child}: metric 'old' line 2 ('${t0 + 1}') is not "<timestamp> <value> <step>"; skipped.`,
    ]);

    const { tracking, experiments, registry, artifacts } = workbench;
    const churn = experiments.getByName('churn')!;
    expect(churn.tags).toEqual({ 'mlflow.note.content': 'Churn models', team: 'growth' });
    expect(experiments.getByName('abandoned')).toBeNull();
    // Merged into Trainyard's Default, which gains the tags it lacked.
    expect(experiments.get('0')).toMatchObject({ name: 'Default', tags: { 'mlflow.note.content': 'scratch runs' } });

    // Ids, names, times, status, params (keys with '/'), tags, nesting.
    const sweep = tracking.getRun(parent);
    expect(sweep).toMatchObject({ id: parent, name: 'sweep', experimentId: churn.id, status: 'FINISHED', startTime: t0, endTime: t0 + 5_000, parentRunId: null, environment: null });
    expect(sweep.params).toEqual({ lr: '0.01', 'optimizer/name': 'adam' });
    expect(sweep.tags).toMatchObject({ 'mlflow.user': 'ana', 'mlflow.source.name': 'train.py', 'mlflow.log-model.history': '[{"artifact_path": "model"}]' });
    // Name and parent are run fields (the MLflow API derives these tags from them), so they are not stored twice.
    expect(sweep.tags['mlflow.runName']).toBeUndefined();
    expect(tracking.getRun(child)).toMatchObject({ name: 'trial-1', status: 'FAILED', endTime: t0 + 20, parentRunId: parent, metrics: { old: { value: 0.7, step: 0, count: 1 } } });
    expect(tracking.getRun(child).tags['mlflow.parentRunId']).toBeUndefined();
    expect(tracking.getRun(crashed)).toMatchObject({ experimentId: '0', status: 'RUNNING', endTime: null });
    expect(() => tracking.getRun(trashed)).toThrow(/No run/);

    // The full history, and MLflow's latest-value rule (step 2 beats the later step 1).
    expect(sweep.metrics['loss']).toMatchObject({ value: 0.25, step: 2, timestamp: t0 + 3, count: 4 });
    const history = tracking.series({ runId: parent, key: 'train/acc', maxPoints: 100 }).points;
    expect(history.map((point) => [point.step, point.value])).toEqual([[0, 0.5], [1, Number.NaN], [2, Number.POSITIVE_INFINITY], [3, 1e-5]]);

    // Artifacts byte for byte.
    expect((await readFile(artifacts.locate(parent, 'model/model.pkl').file)).equals(Buffer.from([0x80, 0x04, 0x95, 0x00, 0xff]))).toBe(true);
    expect((await artifacts.read(parent, 'notes.txt', 100)).content).toBe('hello\n');

    // The registry: MLflow's numbers (the deleted v2 stays a gap), stages, tags, aliases, sources rewritten.
    expect(registry.get('churn-model')).toMatchObject({ description: 'Churn classifier', tags: { owner: 'growth' }, aliases: [{ alias: 'champion', version: 3 }] });
    const versions = registry.versions('churn-model');
    expect(versions.map((v) => [v.version, v.stage, v.source, v.description])).toEqual([
      [3, 'Production', `runs:/${child}/onnx-model`, ''],
      [1, 'Archived', `runs:/${parent}/model`, 'first'],
    ]);
    expect(versions[0]!.tags).toEqual({ validated: 'yes' });
    expect(registry.flavors('churn-model', 1)).toEqual(['python_function', 'sklearn']);
    expect(registry.modelFile('models:/churn-model@champion')).toBe(workbench.objects.pathOf(artifacts.locate(child, 'onnx-model/model.onnx').md5));
    expect(() => registry.modelFile('models:/churn-model/1')).toThrow(/MLflow sklearn model without model.onnx/);
    expect(registry.get('orphan').versionCount).toBe(0);

    const again = await importMlruns(workbench, folder.path);
    expect(again).toMatchObject({
      experiments: { created: 0, merged: 2 },
      runs: { imported: 0, alreadyThere: 3, newIds: 0 },
      params: 0,
      metricPoints: 0,
      artifacts: 0,
      models: { created: 0, alreadyThere: 2 },
      versions: { imported: 0, alreadyThere: 2, skipped: 1 },
      aliases: 0,
    });
    expect(tracking.getRun(parent).metrics['loss']!.count).toBe(4);
    expect(registry.versions('churn-model')).toHaveLength(2);
    expect(experiments.list().filter((experiment) => experiment.name === 'churn')).toHaveLength(1);
  });

  it('gives a clashing run a new id with mlflow.import.source_run_id, and merges into a model that already has versions', async () => {
    buildMlruns();
    // A different run already holds the sweep's id; the registry already used churn-model v1.
    const holder = workbench.tracking.createRun({ name: 'other', startTime: 5 }, { id: parent });
    await workbench.artifacts.writeBytes(holder.id, 'model/model.onnx', Buffer.from('ours'));
    workbench.registry.register(holder.id, 'churn-model');

    const report = await importMlruns(workbench, folder.path);
    expect(report.runs).toMatchObject({ imported: 3, newIds: 1 });
    const search = await workbench.dispatch('runs.search', { filter: `tags.\`mlflow.import.source_run_id\` = '${parent}'` });
    expect(search.ok).toBe(true);
    const runs = (search as { ok: true; result: { runs: Array<{ id: string; name: string }> } }).result.runs;
    expect(runs).toHaveLength(1);
    const newId = runs[0]!.id;
    expect(newId).not.toBe(parent);
    expect(workbench.tracking.getRun(newId)).toMatchObject({ name: 'sweep', startTime: t0 });
    // The child still finds its parent under the new id.
    expect(workbench.tracking.getRun(child).parentRunId).toBe(newId);
    expect(workbench.tracking.getRun(parent).name).toBe('other');

    // MLflow v1 could not keep its number: it became v2 with the source-version tag; v3 kept 3.
    const versions = workbench.registry.versions('churn-model').map((v) => [v.version, v.runId, v.tags['mlflow.import.source_version'] ?? null]);
    expect(versions).toEqual([[3, child, null], [2, newId, '1'], [1, parent, null]]);
    expect((await importMlruns(workbench, folder.path)).versions).toMatchObject({ imported: 0, alreadyThere: 2 });
    expect(workbench.registry.versions('churn-model')).toHaveLength(3);
  });

  it('refuses a folder that is not an mlruns store, and reads Python float spellings', async () => {
    await expect(importMlruns(workbench, join(folder.path, 'missing'))).rejects.toThrow(/is not a folder/);
    await expect(importMlruns(workbench, folder.path)).rejects.toThrow(/is not an MLflow mlruns folder/);
    expect([parseMetricValue('nan'), parseMetricValue('-inf'), parseMetricValue('1e-05'), parseMetricValue('x')]).toEqual([Number.NaN, Number.NEGATIVE_INFINITY, 1e-5, null]);
  });
});
