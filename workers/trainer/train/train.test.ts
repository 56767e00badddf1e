/**
 * The training loop's behaviour: learning on separable and nonlinear synthetic problems, metrics
 * streaming, early stopping and best checkpoints, NaN detection, cancel, resume, provider
 * fallback, and bad input.
 */
import { describe, expect, it } from 'vitest';
import { blobs, nonlinearRegression, rings, rowsOf } from './test-data';
import { train } from './train';
import type { ChunkMetrics, EpochMetrics, ProviderReport, TrainData } from './types';

const blobSet = blobs(600, 6, 4, 11);
const blobData: TrainData = { ...rowsOf(blobSet, 6, 0, 480), validation: rowsOf(blobSet, 6, 480, 600) };
const ringSet = rings(1200, 5);
const ringData: TrainData = { ...rowsOf(ringSet, 2, 0, 1000), validation: rowsOf(ringSet, 2, 1000, 1200) };
const regressionSet = nonlinearRegression(2400, 8);
const regressionData: TrainData = { ...rowsOf(regressionSet, 4, 0, 2000), validation: rowsOf(regressionSet, 4, 2000, 2400) };

const last = <T>(items: readonly T[]): T => items[items.length - 1]!;

describe('learning', () => {
  it('logistic (softmax) regression separates 4 Gaussian blobs', async () => {
    const result = await train({ model: { task: 'classification', inputs: 6, classes: 4 }, optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9 }, epochs: 10, batchSize: 32 }, blobData);
    expect(last(result.history).valAccuracy).toBeGreaterThanOrEqual(0.98);
    expect(result.status).toBe('completed');
  });

  it('an MLP separates two rings (not linearly separable), which logistic regression cannot', async () => {
    const mlp = await train({ model: { task: 'classification', inputs: 2, hidden: [32, 32], classes: 2 }, optimizer: { kind: 'adam', lr: 0.01 }, epochs: 40, batchSize: 32, seed: 1 }, ringData);
    expect(last(mlp.history).valAccuracy).toBeGreaterThanOrEqual(0.97);
    const linear = await train({ model: { task: 'classification', inputs: 2, classes: 2 }, optimizer: { kind: 'adam', lr: 0.01 }, epochs: 10, batchSize: 32 }, ringData);
    expect(last(linear.history).valAccuracy).toBeLessThan(0.75);
  });

  it('an MLP regressor fits a nonlinear function (RMSE well under the target spread)', async () => {
    const result = await train(
      { model: { task: 'regression', inputs: 4, hidden: [64, 64], activation: 'tanh' }, optimizer: { kind: 'adamw', lr: 0.005 }, schedule: { kind: 'cosine' }, epochs: 60, batchSize: 64, seed: 2 },
      regressionData,
    );
    // The targets' standard deviation is ≈ 1.1 and the noise 0.05; a linear fit leaves ≈ 0.55.
    expect(last(result.history).valRmse).toBeLessThan(0.12);
  });
});

describe('metrics stream', () => {
  it('reports every chunk and epoch as it happens, with the learning rate of the schedule', async () => {
    const chunks: ChunkMetrics[] = [];
    const epochs: EpochMetrics[] = [];
    const providers: ProviderReport[] = [];
    const order: string[] = [];
    const result = await train(
      { model: { task: 'classification', inputs: 6, classes: 4 }, optimizer: { kind: 'sgd', lr: 0.1 }, schedule: { kind: 'step', stepSize: 1, gamma: 0.5 }, epochs: 3, batchSize: 100, chunkSteps: 2 },
      blobData,
      { onProvider: (p) => void providers.push(p), onChunk: (m) => void (chunks.push(m), order.push('chunk')), onEpoch: (m) => void (epochs.push(m), order.push('epoch')) },
    );
    expect(providers).toEqual([{ provider: 'cpu', failures: [] }]);
    // 480 rows / 100: chunks of 2, 2 full steps, then the 80-row partial batch; then the epoch.
    expect(order).toEqual(['chunk', 'chunk', 'chunk', 'epoch', 'chunk', 'chunk', 'chunk', 'epoch', 'chunk', 'chunk', 'chunk', 'epoch']);
    expect(chunks.slice(0, 3).map((c) => c.samples)).toEqual([200, 200, 80]);
    expect(chunks.map((c) => c.lr)).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025]);
    for (const c of chunks) {
      expect(c.samplesPerSec).toBeGreaterThan(0);
      expect(c.trainAccuracy).toBeGreaterThanOrEqual(0);
      expect(c.trainAccuracy).toBeLessThanOrEqual(1);
    }
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    for (const e of epochs) {
      expect(e.valLoss).toBeGreaterThan(0);
      expect(e.valAccuracy).toBeGreaterThan(0.5);
      expect(e.trainRmse).toBeUndefined();
    }
    expect(result.history).toEqual(epochs);
    // The epoch's train loss is the sample-weighted mean of its chunks'.
    const first = chunks.slice(0, 3);
    expect(epochs[0]!.trainLoss).toBeCloseTo(first.reduce((s, c) => s + c.trainLoss * c.samples, 0) / 480, 10);
  });
});

describe('early stopping and best checkpoints', () => {
  it('stops after `patience` epochs without improvement and keeps the best epoch', async () => {
    // lr 0: val_loss never changes, so only the first epoch improves on "no value yet".
    const result = await train({ model: { task: 'classification', inputs: 6, classes: 4 }, optimizer: { kind: 'sgd', lr: 0 }, epochs: 20, batchSize: 64, earlyStopping: { patience: 2 } }, blobData);
    expect(result.status).toBe('early_stopped');
    expect(result.history.map((h) => h.improved)).toEqual([true, false, false]);
    expect(result.best?.epoch).toBe(1);
    expect(result.best?.metrics?.valLoss).toBe(result.history[0]!.valLoss);
  });

  it('the best checkpoint holds the weights of the epoch with the best monitored metric', async () => {
    const bests: number[] = [];
    const result = await train(
      { model: { task: 'classification', inputs: 2, hidden: [16], classes: 2 }, optimizer: { kind: 'adam', lr: 0.02 }, epochs: 8, batchSize: 50, monitor: 'val_accuracy', seed: 4 },
      ringData,
      { onBest: (c) => void bests.push(c.epoch) },
    );
    const accuracies = result.history.map((h) => h.valAccuracy!);
    const bestEpoch = accuracies.indexOf(Math.max(...accuracies)) + 1;
    expect(result.best?.epoch).toBe(bestEpoch);
    expect(last(bests)).toBe(bestEpoch);
    // The same run cancelled right after that epoch ends holds the same weights.
    let stop = false;
    const again = await train({ model: { task: 'classification', inputs: 2, hidden: [16], classes: 2 }, optimizer: { kind: 'adam', lr: 0.02 }, epochs: 8, batchSize: 50, monitor: 'val_accuracy', seed: 4 }, ringData, {
      onEpoch: (m) => void (stop = m.epoch === bestEpoch),
      shouldCancel: () => stop,
    });
    expect(again.status).toBe(bestEpoch === 8 ? 'completed' : 'cancelled');
    expect(again.final.theta).toEqual(result.best!.theta);
    expect(again.final.optimizerState).toEqual(result.best!.optimizerState);
  });
});
