import type { WorkbenchApi } from '../../shared/api';
import type { FakeBackend } from './fake-api';

/**
 * Demo registry for `?demo`: three training runs on customers-clean, registered as `churn` v1–v3
 * with stage moves and an alias that moved, and an image model with no versions in a stage.
 */

const mlmodel = (task: string, inputs: string, outputs: string): string => `artifact_path: model
flavors:
  onnx:
    data: model.onnx
metadata:
  trainyard.task: ${task}
signature:
  inputs: '${inputs}'
  outputs: '${outputs}'
`;

const churnModel = mlmodel(
  'classification',
  JSON.stringify(['age', 'income', 'plan'].map((name) => ({ name, type: 'double' })).concat([{ name: 'country', type: 'string' }])),
  JSON.stringify([{ name: 'label', type: 'string' }, { name: 'probability_false', type: 'float' }, { name: 'probability_true', type: 'float' }]),
);
const petsModel = mlmodel(
  'image_classification',
  JSON.stringify([{ name: 'image', type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 3, 32, 32] } }]),
  JSON.stringify([{ name: 'label', type: 'string' }]),
);

export async function seedDemoModels(api: WorkbenchApi, backend: FakeBackend, experimentId: string): Promise<void> {
  const clean = backend.datasets.datasets.get('customers-clean')?.at(-1)?.version;
  const pets = backend.datasets.datasets.get('pets-images')?.at(-1)?.version;
  const train = async (name: string, accuracy: number, loss: number, model: string, input: number | undefined): Promise<string> => {
    const run = await api['runs.create']({ experimentId, name, tags: [{ key: 'trainyard.kind', value: 'train' }, { key: 'trainyard.data', value: 'customers-clean@1 (train / validation parts)' }] });
    await api['runs.logBatch']({ runId: run.id, metrics: [{ key: 'val_accuracy', value: accuracy, step: 20 }, { key: 'val_loss', value: loss, step: 20 }] });
    await api['artifacts.write']({ runId: run.id, path: 'model/model.onnx', content: `onnx bytes of ${name}` });
    await api['artifacts.write']({ runId: run.id, path: 'model/MLmodel', content: model });
    if (input !== undefined) backend.datasets.runInputs.push({ runId: run.id, versionId: input, context: 'train' });
    await api['runs.end']({ id: run.id });
    return run.id;
  };
  const first = await train('churn-mlp-64', 0.81, 0.44, churnModel, clean?.id);
  const second = await train('churn-mlp-128', 0.84, 0.39, churnModel, clean?.id);
  const third = await train('churn-mlp-128-wd', 0.86, 0.36, churnModel, clean?.id);
  await api['models.register']({ name: 'churn', runId: first, description: 'Baseline MLP', stage: 'Production', alias: 'champion' });
  await api['models.update']({ name: 'churn', description: 'Predicts churn from the cleaned customers table; serves the retention dashboard.' });
  await api['models.setTag']({ name: 'churn', key: 'team', value: 'growth' });
  await api['models.register']({ name: 'churn', runId: second, description: 'Wider hidden layer', stage: 'Staging' });
  await api['models.register']({ name: 'churn', runId: third, description: 'Weight decay 0.01', alias: 'challenger' });
  await api['models.transitionStage']({ name: 'churn', version: 2, stage: 'Production', archiveExisting: true });
  await api['models.setAlias']({ name: 'churn', version: 2, alias: 'champion' });

  const petsRun = await api['runs.create']({ experimentId, name: 'pets-cnn' });
  await api['artifacts.write']({ runId: petsRun.id, path: 'model/model.onnx', content: 'onnx bytes of pets-cnn' });
  await api['artifacts.write']({ runId: petsRun.id, path: 'model/MLmodel', content: petsModel });
  if (pets) backend.datasets.runInputs.push({ runId: petsRun.id, versionId: pets.id, context: 'train' });
  await api['runs.end']({ id: petsRun.id });
  await api['models.register']({ name: 'pets-classifier', runId: petsRun.id });
}
