/**
 * The fused Loop and one run per step give bit-identical weights and optimizer state (float32),
 * over several epochs with shuffling, chunks of uneven length, a partial last batch, dropout,
 * layer norm, clipping and a schedule; and the same seed gives the same run.
 */
import { describe, expect, it, vi } from 'vitest';
import { onnx } from '../graph/onnx';
import { createSession } from '../graph/run';
import { dropoutKeys } from '../model/dropout-mask';
import { paramLayout, resolveModelSpec } from '../model/spec';
import { resolveOptimizer } from '../optim/optimizers';
import { epochPermutation } from './data';
import { buildChunkGraph, buildStepGraph } from './graphs';
import { StepRunner } from './runner';
import { blobs, nonlinearRegression } from './test-data';
import { train } from './train';
import type { ChunkMetrics, TrainConfig, TrainData, TrainResult } from './types';

const classification: TrainConfig = {
  model: { task: 'classification', inputs: 5, hidden: [12, 7], activation: 'gelu', layerNorm: true, dropout: 0.2, classes: 3 },
  optimizer: { kind: 'adamw', lr: 0.01 },
  schedule: { kind: 'cosine', warmupSteps: 5 },
  epochs: 3,
  batchSize: 10, // 95 rows: 9 full batches (a non-power-of-two batch, so 1/B is inexact) + 5 rows
  chunkSteps: 4, // chunks of 4, 4, 1 steps
  clipGradNorm: 0.5,
  seed: 17,
};
const blobData = blobs(95, 5, 3, 1);

const regression: TrainConfig = {
  model: { task: 'regression', inputs: 4, hidden: [9], activation: 'tanh', dropout: 0.1, loss: 'huber' },
  optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 },
  schedule: { kind: 'step', stepSize: 1, gamma: 0.5 },
  epochs: 3,
  batchSize: 6,
  chunkSteps: 'auto',
  seed: 3,
};
const regressionData = nonlinearRegression(40, 2);

const logistic: TrainConfig = {
  model: { task: 'classification', inputs: 5, classes: 2 },
  optimizer: { kind: 'adam', lr: 0.05, weightDecay: 0.01 },
  epochs: 2,
  batchSize: 7,
  chunkSteps: 3,
  dropLast: true,
  seed: 5,
};
const binaryData: TrainData = { x: blobData.x, y: blobData.y.map((c) => (c === 2n ? 1n : c)) };

async function both(config: TrainConfig, data: TrainData): Promise<[TrainResult, TrainResult, ChunkMetrics[], ChunkMetrics[]]> {
  const fusedChunks: ChunkMetrics[] = [];
  const stepChunks: ChunkMetrics[] = [];
  const fused = await train({ ...config, execution: 'loop' }, data, { onChunk: (m) => void fusedChunks.push(m) });
  const stepwise = await train({ ...config, execution: 'step' }, data, { onChunk: (m) => void stepChunks.push(m) });
  return [fused, stepwise, fusedChunks, stepChunks];
}

describe('Loop vs per-step', () => {
  const cases: [string, TrainConfig, TrainData][] = [
    ['MLP classifier: AdamW, cosine + warmup, clipping, dropout, layer norm, partial batch', classification, blobData],
    ['MLP regressor: SGD Nesterov + L2, step decay, dropout, Huber, auto-sized chunks', regression, regressionData],
    ['logistic regression: Adam + L2, dropped partial batch', logistic, binaryData],
  ];
  for (const [label, config, data] of cases) {
    it(`${label}: bit-identical weights, state and losses`, async () => {
      const [fused, stepwise, fusedChunks, stepChunks] = await both(config, data);
      expect(fused.execution).toBe('loop');
      expect(stepwise.execution).toBe('step');
      expect(fused.final.step).toBe(stepwise.final.step);
      expect(fused.final.theta).toEqual(stepwise.final.theta);
      expect(fused.final.optimizerState).toEqual(stepwise.final.optimizerState);
      expect(fused.history.map((h) => [h.trainLoss, h.valLoss])).toEqual(stepwise.history.map((h) => [h.trainLoss, h.valLoss]));
      expect(fused.final.theta.every(Number.isFinite)).toBe(true);
      if (config.chunkSteps !== 'auto') expect(fusedChunks.map((c) => c.steps)).toEqual(stepChunks.map((c) => c.steps));
    });
  }

  it('runs the exact number of steps: trip counts add up to the full batches, plus the partial one', async () => {
    const chunks: ChunkMetrics[] = [];
    const result = await train(classification, blobData, { onChunk: (m) => void chunks.push(m) });
    expect(chunks.filter((c) => c.epoch === 1).map((c) => [c.steps, c.samples])).toEqual([[4, 40], [4, 40], [1, 10], [1, 5]]);
    expect(result.final.step).toBe(3 * 10);
    expect(chunks.every((c) => Number.isFinite(c.trainLoss))).toBe(true);
  });

  it('never feeds a trip count beyond the rows it has (TOOLCHAIN: one trip too many trains on an empty batch)', async () => {
    const model = resolveModelSpec(classification.model);
    const optimizer = resolveOptimizer(classification.optimizer);
    const session = await createSession(buildChunkGraph({ model, optimizer, clipGradNorm: null }, 10));
    const runner = new StepRunner(model, optimizer, { x: blobData.x, y: blobData.y, rows: 95 }, dropoutKeys(1));
    const size = paramLayout(model).size;
    const request = { perm: epochPermutation(1, 0, 95, true), steps: 10, batch: 10, lrs: new Float64Array(10).fill(0.01), step0: 0, theta: new Float32Array(size), state: [new Float32Array(size), new Float32Array(size)] };
    await expect(runner.runFused(session, { ...request, firstRow: 0 })).rejects.toThrow(/exceed the epoch's 95 rows/);
    const nine = await runner.runFused(session, { ...request, firstRow: 0, steps: 9, lrs: request.lrs.subarray(0, 9) });
    expect(nine.losses).toHaveLength(9);
    expect(Array.from(nine.losses).every(Number.isFinite)).toBe(true);
    await session.release();
  });

  it("the step graph's gradient of θ is one Concat (the flat-vector layout), feeding the update", () => {
    const model = resolveModelSpec(classification.model);
    const bytes = buildStepGraph({ model, optimizer: resolveOptimizer(classification.optimizer), clipGradNorm: null }, 10);
    const graph = onnx.ModelProto.decode(bytes).graph!;
    const concats = graph.node!.filter((n) => n.opType === 'Concat');
    expect(concats).toHaveLength(1);
    expect(concats[0]!.input).toHaveLength(paramLayout(model).entries.length);
    expect(graph.node!.filter((n) => n.opType === 'Split')).toHaveLength(1);
  });
});

describe('fallback', () => {
  it('a fused run that fails at run time is redone per step, and the run continues per step', async () => {
    const spy = vi.spyOn(StepRunner.prototype, 'runFused').mockRejectedValueOnce(new Error('Loop is not supported by this provider'));
    try {
      const fellBack = await train({ ...classification, execution: 'loop' }, blobData);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(fellBack.execution).toBe('step');
      expect(fellBack.fallbackReason).toMatch(/fused Loop graph failed \(Loop is not supported by this provider\)/);
      const stepwise = await train({ ...classification, execution: 'step' }, blobData);
      expect(fellBack.final.theta).toEqual(stepwise.final.theta);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('determinism', () => {
  it('the same seed gives the same final weights; another seed does not', async () => {
    const a = await train(classification, blobData);
    const b = await train(classification, blobData);
    const c = await train({ ...classification, seed: 18 }, blobData);
    expect(a.final.theta).toEqual(b.final.theta);
    expect(a.history).toHaveLength(3);
    expect(a.history.map((h) => h.trainLoss)).toEqual(b.history.map((h) => h.trainLoss));
    expect(a.final.theta).not.toEqual(c.final.theta);
  });

  it('dropout is active in training (masks change the result) and off in evaluation', async () => {
    const withDropout = await train({ ...classification, epochs: 1 }, blobData);
    const without = await train({ ...classification, epochs: 1, model: { ...classification.model, dropout: 0 } }, blobData);
    expect(withDropout.final.theta).not.toEqual(without.final.theta);
  });
});
