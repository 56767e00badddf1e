import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepSpecSchema, trainingConfigSchema } from '../../../shared/training';
import type { Lineage } from '../../../shared/datasets';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';
import { flattenParams, splitParts } from './training-service';

const iris = join(process.cwd(), 'workers', 'trainer', 'train', 'fixtures', 'iris.csv');
let workbench: Workbench;
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(() => workbench.dispose());

describe('training runs', () => {
  it('trains on a dataset version in a worker, streaming metrics into a FINISHED run with lineage', async () => {
    await workbench.datasets.importPath(iris);
    const config = trainingConfigSchema.parse({ target: 'species', epochs: 60, optimizer: { lr: 0.01 }, batchSize: 16 });
    const started = workbench.training.start({ dataset: 'iris' }, config, { name: 'iris-mlp' });
    expect(workbench.tracking.getRun(started.runId).status).toBe('RUNNING');
    const { run, summary } = await started.done;
    expect(run.status).toBe('FINISHED');
    expect(summary).toMatchObject({ status: 'completed', provider: 'cpu', rows: 150, classes: ['setosa', 'versicolor', 'virginica'] });
    const logged = workbench.tracking.getRun(run.id);
    expect(logged.params).toMatchObject({ target: 'species', 'optimizer.lr': '0.01', 'model.hidden': '64,64', execution_provider: 'cpu' });
    expect(logged.metrics.val_accuracy!.value).toBeGreaterThanOrEqual(0.9);
    expect(logged.metrics.train_loss!.count).toBeGreaterThan(1);
    // The exported model is stored with the run, with its MLmodel, after it reproduced the training predictions.
    expect(workbench.artifacts.list(run.id, 'model').map((entry) => entry.path)).toEqual(
      expect.arrayContaining(['model/model.onnx', 'model/MLmodel', 'model/requirements.txt']),
    );
    expect((await workbench.artifacts.read(run.id, 'model/MLmodel', 10_000)).content).toMatch(/flavors:[\s\S]*onnx:/);
    expect(logged.tags['trainyard.export_verified_rows']).toBe('30'); // the 20% held out for validation
    expect(logged.tags['trainyard.export_inputs']).toBe('the training features (sepal_length, sepal_width, petal_length, petal_width)');
    const lineage = (await workbench.dispatch('datasets.lineage', { dataset: 'iris' })) as { ok: true; result: Lineage };
    expect(lineage.result.runs.map((r) => r.name)).toEqual(['iris-mlp']);
  }, 120_000);

  it('fails the run with the reason when the data cannot be trained on', async () => {
    const started = workbench.training.start({ file: iris }, trainingConfigSchema.parse({ target: 'colour' }));
    const { run, error } = await started.done;
    expect(run.status).toBe('FAILED');
    expect(error).toMatch(/Unknown target column 'colour'/);
    expect(workbench.tracking.getRun(run.id).tags['trainyard.error']).toMatch(/Unknown target column/);
  });

  it('stops a run on cancel and marks it KILLED', async () => {
    const started = workbench.training.start({ file: iris }, trainingConfigSchema.parse({ target: 'species', epochs: 100_000 }));
    const cancelled = new Promise<void>((resolve) => {
      const subscription = workbench.tracking.onDidLogMetrics(({ runId }) => {
        if (runId !== started.runId) return;
        subscription.dispose();
        workbench.training.cancel(started.runId);
        resolve();
      });
    });
    await cancelled;
    expect((await started.done).run.status).toBe('KILLED');
  }, 60_000);

  it('trains on the train part of a split version and validates on its validation part', async () => {
    await workbench.datasets.importPath(iris);
    await workbench.datasets.transform('iris', undefined, [{ op: 'split', fractions: { train: 0.7, validation: 0.3 }, seed: 3, stratify: 'species' }], 'iris-split');
    const { run, summary } = await workbench.training.start({ dataset: 'iris-split' }, trainingConfigSchema.parse({ target: 'species', epochs: 5 })).done;
    expect(run.status).toBe('FINISHED');
    expect(summary?.rows).toBe(105);
    expect(workbench.tracking.getRun(run.id).tags['trainyard.data']).toBe('iris-split@1 (train / validation parts)');
    expect(workbench.tracking.getRun(run.id).metrics.val_accuracy).toBeDefined();
  }, 60_000);

  it('runs a grid sweep as nested trial runs and marks the best on the parent', async () => {
    await workbench.datasets.importPath(iris);
    const base = trainingConfigSchema.parse({ target: 'species', epochs: 8, batchSize: 16 });
    const sweep = workbench.training.sweep({ dataset: 'iris' }, base, sweepSpecSchema.parse({ parameters: { 'optimizer.lr': [0.0001, 0.03] }, metric: 'val_accuracy', parallel: 2 }));
    const { run, bestRunId, trials } = await sweep.done;
    expect(run.status).toBe('FINISHED');
    expect(trials).toBe(2);
    const children = (await workbench.dispatch('runs.search', { parentRunId: sweep.runId })) as { ok: true; result: { runs: Array<{ id: string; params: Record<string, string>; metrics: Record<string, { value: number }> }> } };
    expect(children.result.runs.map((child) => child.params['optimizer.lr']).sort()).toEqual(['0.0001', '0.03']);
    const best = children.result.runs.reduce((a, b) => (a.metrics.val_accuracy!.value >= b.metrics.val_accuracy!.value ? a : b));
    expect(bestRunId).toBe(best.id);
    const parent = workbench.tracking.getRun(sweep.runId);
    expect(parent.tags['trainyard.best_run']).toBe(best.id);
    expect(parent.metrics.best_val_accuracy!.value).toBe(best.metrics.val_accuracy!.value);
  }, 120_000);

  it('picks the parts of a split version by name', () => {
    const source = { format: 'parquet' as const, files: ['/o/a', '/o/b', '/o/c'] };
    expect(splitParts(source, ['test.parquet', 'train.parquet', 'validation.parquet'])).toEqual({
      train: { format: 'parquet', files: ['/o/b'] },
      validation: { format: 'parquet', files: ['/o/c'] },
      split: true,
    });
    expect(splitParts(source, ['a.parquet', 'b.parquet', 'c.parquet'])).toEqual({ train: source, split: false });
  });

  it('flattens nested config into MLflow-style params', () => {
    expect(flattenParams({ a: 1, b: { c: [64, 32], d: 'x' }, e: undefined })).toEqual([
      { key: 'a', value: '1' },
      { key: 'b.c', value: '64,32' },
      { key: 'b.d', value: 'x' },
    ]);
  });
});
