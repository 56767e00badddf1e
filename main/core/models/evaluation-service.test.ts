import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trainingConfigSchema } from '../../../shared/training';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';
import { evaluationPart } from './evaluation-service';

const iris = join(process.cwd(), 'workers', 'trainer', 'train', 'fixtures', 'iris.csv');
let workbench: Workbench & { home: string };
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(() => workbench.dispose());

async function trainedIris(): Promise<string> {
  await workbench.datasets.importPath(iris);
  await workbench.datasets.transform('iris', undefined, [{ op: 'split', fractions: { train: 0.7, test: 0.3 }, seed: 5, stratify: 'species' }], 'iris-split');
  const { run } = await workbench.training.start({ dataset: 'iris-split' }, trainingConfigSchema.parse({ target: 'species', epochs: 40, optimizer: { lr: 0.02 }, batchSize: 16 })).done;
  expect(run.status).toBe('FINISHED');
  workbench.registry.register(run.id, 'iris', { alias: 'champion' });
  return run.id;
}

describe('evaluation', () => {
  it("evaluates a registered model on the version's test part: metrics, plots and a link on the version", async () => {
    const trainRun = await trainedIris();
    const started = workbench.evaluation.evaluate({ uri: 'models:/iris@champion', dataset: 'iris-split' });
    const { run, result, error } = await started.done;
    expect(error).toBeNull();
    expect(run.status).toBe('FINISHED');
    expect(result?.rows).toBe(45);
    const logged = workbench.tracking.getRun(run.id);
    expect(logged.params).toMatchObject({ model_uri: 'models:/iris@champion', dataset: 'iris-split@1 (test part)', target: 'species' });
    expect(logged.tags).toMatchObject({ 'trainyard.kind': 'evaluate', 'trainyard.model_version': 'iris/1', 'trainyard.source_run': trainRun });
    expect(logged.metrics.accuracy!.value).toBeGreaterThan(0.8);
    for (const key of ['f1_macro', 'f1_weighted', 'log_loss', 'roc_auc_macro', 'precision_setosa', 'eval_rows']) expect(logged.metrics[key], key).toBeDefined();
    const files = workbench.artifacts.list(run.id, 'eval').map((entry) => entry.path);
    expect(files).toEqual(expect.arrayContaining(['eval/confusion_matrix.svg', 'eval/confusion_matrix.json', 'eval/roc.svg', 'eval/pr.svg', 'eval/calibration.svg', 'eval/summary.json']));
    expect((await workbench.artifacts.read(run.id, 'eval/confusion_matrix.svg', 100_000)).content).toMatch(/^<svg[\s\S]*setosa[\s\S]*<\/svg>\s*$/);
    expect(workbench.registry.version('iris', 1).tags['trainyard.last_evaluation']).toBe(run.id);
    // Lineage: the evaluation read the split version.
    const lineage = (await workbench.dispatch('datasets.lineage', { dataset: 'iris-split' })) as { ok: true; result: { runs: Array<{ id: string }> } };
    expect(lineage.result.runs.map((r) => r.id)).toContain(run.id);
  }, 120_000);

  it('fails the run when the gate holds, and refuses a malformed gate at once', async () => {
    await trainedIris();
    const { run, gate, error } = await workbench.evaluation.evaluate({ uri: 'models:/iris/1', dataset: 'iris-split', failIf: 'metrics.accuracy < 1.01' }).done;
    expect(run.status).toBe('FAILED');
    expect(gate?.failed).toBe(true);
    expect(error).toMatch(/^The gate failed: metrics\.accuracy = [\d.]+ < 1\.01 \(fail_if: metrics\.accuracy < 1\.01\)\.$/);
    expect(() => workbench.evaluation.evaluate({ uri: 'models:/iris/1', dataset: 'iris-split', failIf: 'accuracy is bad' })).toThrow(/cannot read 'accuracy is bad'/);
    const passed = await workbench.evaluation.evaluate({ uri: 'models:/iris/1', dataset: 'iris-split', failIf: 'metrics.accuracy < 0.1' }).done;
    expect(passed.run.status).toBe('FINISHED');
  }, 120_000);

  it('needs a target when the model does not record one, and names the columns', async () => {
    await workbench.datasets.importPath(iris);
    const run = workbench.tracking.createRun({ name: 'imported' });
    await workbench.artifacts.writeBytes(run.id, 'model/model.onnx', Buffer.from('x'));
    workbench.registry.register(run.id, 'mystery');
    expect(() => workbench.evaluation.evaluate({ uri: 'models:/mystery/1', dataset: 'iris' })).toThrow(/Say which column holds the true values \(target\).*sepal_length, sepal_width, petal_length, petal_width, species/);
  });

  it('takes the test part of a split version, else validation, else the whole', () => {
    const source = { format: 'parquet' as const, files: ['/a', '/b', '/c'] };
    expect(evaluationPart(source, ['test.parquet', 'train.parquet', 'validation.parquet'])).toEqual({ source: { format: 'parquet', files: ['/a'] }, part: 'test' });
    expect(evaluationPart({ ...source, files: ['/a', '/b'] }, ['train.parquet', 'val.parquet'])).toEqual({ source: { format: 'parquet', files: ['/b'] }, part: 'val' });
    expect(evaluationPart(source, ['x.parquet', 'y.parquet', 'z.parquet'])).toEqual({ source, part: null });
  });
});
