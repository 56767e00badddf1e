/**
 * A run's lifecycle: NaN/Inf detection with the last good checkpoint, cancel (callback and
 * AbortSignal), resume continuing exactly like an uninterrupted run, execution-provider fallback,
 * and bad input.
 */
import { describe, expect, it } from 'vitest';
import { blobs, nonlinearRegression, rowsOf } from './test-data';
import { NonFiniteLossError, train } from './train';
import type { Checkpoint, EpochMetrics, TrainConfig, TrainData } from './types';

const blobSet = blobs(300, 4, 3, 21);
const trainRows = rowsOf(blobSet, 4, 0, 250);
const data: TrainData = { ...trainRows, validation: rowsOf(blobSet, 4, 250, 300) };
const config: TrainConfig = {
  model: { task: 'classification', inputs: 4, hidden: [10], dropout: 0.1, classes: 3 },
  optimizer: { kind: 'adam', lr: 0.01 },
  schedule: { kind: 'cosine', warmupSteps: 3 },
  epochs: 4,
  batchSize: 16, // 250 rows: 15 full batches + 10 rows
  chunkSteps: 4,
  earlyStopping: { patience: 10 },
  seed: 9,
};

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the run to fail');
}

describe('NaN / Inf loss', () => {
  it('a huge learning rate stops the run with "loss became NaN at step N" and keeps the last good checkpoint', async () => {
    const error = await failure(train({ ...config, model: { task: 'classification', inputs: 4, hidden: [10], classes: 3 }, optimizer: { kind: 'sgd', lr: 1e12 }, chunkSteps: 1 }, data));
    expect(error).toBeInstanceOf(NonFiniteLossError);
    const e = error as NonFiniteLossError;
    expect(e.message).toBe(`loss became NaN at step ${e.step}`);
    expect(e.step).toBeGreaterThan(1);
    // One-step chunks: the last good checkpoint is the state right before the failing step.
    expect(e.lastGood.step).toBe(e.step - 1);
    expect(e.lastGood.theta.every(Number.isFinite)).toBe(true);
    expect(e.providerReport.provider).toBe('cpu');
  });

  it('names an infinite loss and the step inside a fused chunk', async () => {
    const targets = nonlinearRegression(64, 1);
    const error = (await failure(train({ model: { task: 'regression', inputs: 4, hidden: [8] }, optimizer: { kind: 'sgd', lr: 1e30 }, epochs: 3, batchSize: 8, chunkSteps: 8 }, targets))) as NonFiniteLossError;
    expect(error.message).toMatch(/^loss became (NaN|Infinity) at step \d+$/);
    // Chunks of 8 steps (one per epoch): the last good state is the start of the failing chunk.
    expect(error.lastGood.step).toBe(Math.floor((error.step - 1) / 8) * 8);
    expect(error.lastGood.theta.every(Number.isFinite)).toBe(true);
  });
});

describe('cancel', () => {
  it('a callback returning true stops between chunks, with a checkpoint to resume from', async () => {
    let chunks = 0;
    const result = await train(config, data, { onChunk: () => void chunks++, shouldCancel: () => chunks >= 2 });
    expect(result.status).toBe('cancelled');
    expect(chunks).toBe(2);
    expect(result.final.step).toBe(8);
    expect(result.final.batchInEpoch).toBe(8);
    expect(result.final.epoch).toBe(0);
    expect(result.history).toEqual([]);
  });

  it('an AbortSignal stops it too', async () => {
    const controller = new AbortController();
    const result = await train(config, data, { signal: controller.signal, onEpoch: (m) => (m.epoch === 1 ? controller.abort() : undefined) });
    expect(result.status).toBe('cancelled');
    expect(result.final.epoch).toBe(1);
    expect(result.final.batchInEpoch).toBe(0);
    expect(result.history).toHaveLength(1);
  });
});

describe('resume', () => {
  it('continues from a mid-epoch checkpoint exactly as the uninterrupted run', async () => {
    const straightEpochs: EpochMetrics[] = [];
    const straight = await train(config, data, { onEpoch: (m) => void straightEpochs.push(m) });
    expect(straight.status).toBe('completed');

    // Stop in the middle of epoch 2 (after 5 chunks: 4 + 4 + 4 + 3 + 1 partial = epoch 1, then 4).
    let chunks = 0;
    const firstEpochs: EpochMetrics[] = [];
    const first = await train(config, data, { onChunk: () => void chunks++, shouldCancel: () => chunks >= 6, onEpoch: (m) => void firstEpochs.push(m) });
    expect(first.final.epoch).toBe(1);
    expect(first.final.batchInEpoch).toBe(4);

    // A checkpoint survives a round trip through plain data (what a worker posts or a file keeps).
    const stored = structuredClone(first.final) as Checkpoint;
    const restEpochs: EpochMetrics[] = [];
    const rest = await train(config, data, { onEpoch: (m) => void restEpochs.push(m) }, { resume: stored, ...(first.best ? { resumeBest: first.best } : {}) });
    expect(rest.status).toBe('completed');
    expect(rest.final.theta).toEqual(straight.final.theta);
    expect(rest.final.optimizerState).toEqual(straight.final.optimizerState);
    expect(rest.final.step).toBe(straight.final.step);
    const strip = (m: EpochMetrics) => ({ ...m, samplesPerSec: 0, seconds: 0 });
    expect([...firstEpochs, ...restEpochs].map(strip)).toEqual(straightEpochs.map(strip));
    expect(rest.best?.epoch).toBe(straight.best?.epoch);
    expect(rest.best?.theta).toEqual(straight.best?.theta);
  });

  it('refuses a checkpoint of another model, or a mid-epoch one over other batches', async () => {
    let chunks = 0;
    const first = await train(config, data, { onChunk: () => void chunks++, shouldCancel: () => chunks >= 1 });
    await expect(train({ ...config, model: { ...config.model, hidden: [11] } }, data, {}, { resume: first.final })).rejects.toThrow(/different model or optimizer/);
    await expect(train({ ...config, batchSize: 32 }, data, {}, { resume: first.final })).rejects.toThrow(/middle of an epoch/);
  });
});

describe('execution providers', () => {
  it("['cuda', 'cpu']: cuda fails to load here, the run goes on on the CPU and says so", async () => {
    const reports: unknown[] = [];
    const result = await train({ ...config, epochs: 1, providers: ['cuda', 'cpu'] }, data, { onProvider: (r) => void reports.push(r) });
    expect(result.provider).toBe('cpu');
    expect(result.failures.map((f) => f.provider)).toEqual(['cuda']);
    expect(result.failures[0]!.message.length).toBeGreaterThan(0);
    expect(reports).toEqual([{ provider: 'cpu', failures: result.failures }]);
  });

  it('fails with every reason when no provider works', async () => {
    await expect(train({ ...config, epochs: 1, providers: ['cuda'] }, data)).rejects.toThrow(/no execution provider could run the training graph \(cuda: /);
  });
});

describe('bad input', () => {
  const cases: [string, TrainConfig, TrainData, RegExp][] = [
    ['a batch larger than the data', { ...config, batchSize: 251 }, data, /batch size 251 is larger than the 250 training rows/],
    ['a single class', config, { x: data.x, y: new BigInt64Array(250).fill(1n) }, /single class \(1\)/],
    ['a NaN feature', config, { x: Float32Array.from(data.x, (v, i) => (i === 13 ? NaN : v)), y: data.y }, /feature 1 of row 3 is NaN/],
    ['a label outside the classes', config, { x: data.x, y: trainRows.y.map((v, i) => (i === 7 ? 3n : v)) }, /label 3 of row 7 is not a class index in \[0, 3\)/],
    ['float targets for a classifier', config, { x: data.x, y: new Float32Array(250) }, /int64 class indices/],
    ['ragged features', config, { x: data.x.subarray(1), y: data.y }, /not a whole number of rows of 4 features/],
    ['a validation monitor without validation data', { ...config, monitor: 'val_accuracy', earlyStopping: undefined }, { x: data.x, y: data.y }, /needs validation data/],
    ['an RMSE monitor for a classifier', { ...config, monitor: 'val_rmse', earlyStopping: undefined }, data, /regression metric/],
  ];
  for (const [label, cfg, d, message] of cases) {
    it(label, async () => {
      await expect(train(cfg, d)).rejects.toThrow(message);
    });
  }

  it('validationFraction holds out a seeded share of the rows', async () => {
    const result = await train({ ...config, epochs: 1, validationFraction: 0.2 }, { x: data.x, y: data.y });
    expect(result.history[0]!.valAccuracy).toBeDefined();
    expect(result.final.position).toContain('"rows":200');
  });
});
