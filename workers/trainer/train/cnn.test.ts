/**
 * The image classifier: a small CNN (Conv → ReLU → MaxPool/AvgPool blocks, Flatten, MLP head) trains
 * through the same fused Loop as the MLPs, bit-identical to the per-step graph, and learns a task
 * an MLP on pixels finds harder: stripe orientation at a random phase and contrast.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../shared/seeded-random';
import { paramLayout, resolveModelSpec } from '../model/spec';
import { train } from './train';
import type { TrainConfig, TrainData } from './types';

/** n grayscale 12×12 images: class 0 horizontal stripes, class 1 vertical, plus noise. */
function stripes(n: number, seed: number): TrainData {
  const random = seededRandom(seed);
  const size = 12;
  const x = new Float32Array(n * size * size);
  const y = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const vertical = i % 2 === 1;
    const phase = Math.floor(random() * 4);
    const contrast = 0.5 + random();
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const along = vertical ? c : r;
        const on = (along + phase) % 4 < 2 ? 1 : -1;
        x[i * size * size + r * size + c] = on * contrast + 0.3 * (2 * random() - 1);
      }
    }
    y[i] = vertical ? 1n : 0n;
  }
  return { x, y };
}

const model = {
  task: 'classification' as const,
  inputs: 144,
  hidden: [16],
  classes: 2,
  binaryHead: 'softmax' as const,
  image: { channels: 1, height: 12, width: 12, conv: [{ filters: 4, kernel: 3, pool: 'max' as const }, { filters: 6, kernel: 3, pool: 'avg' as const }] },
};

describe('CNN', () => {
  it('lays out conv kernels first, [out, in, k, k] as PyTorch stores them', () => {
    const layout = paramLayout(resolveModelSpec(model));
    expect(layout.entries.map((e) => [e.name, e.shape])).toEqual([
      ['conv.0.weight', [4, 1, 3, 3]],
      ['conv.0.bias', [4]],
      ['conv.1.weight', [6, 4, 3, 3]],
      ['conv.1.bias', [6]],
      ['layers.0.weight', [16, 6 * 3 * 3]],
      ['layers.0.bias', [16]],
      ['head.weight', [2, 16]],
      ['head.bias', [2]],
    ]);
    expect(resolveModelSpec(model).image?.flat).toBe(54);
  });

  it('refuses an image shape that does not match the inputs, and even kernels', () => {
    expect(() => resolveModelSpec({ ...model, inputs: 100 })).toThrow(/1×12×12 has 144 values, but the model reads 100/);
    expect(() => resolveModelSpec({ ...model, image: { ...model.image, conv: [{ filters: 2, kernel: 4 }] } })).toThrow(/kernel must be an odd/);
  });

  it('the fused Loop and the per-step graph give bit-identical weights', async () => {
    const config: TrainConfig = { model, optimizer: { kind: 'adam', lr: 0.01 }, epochs: 2, batchSize: 8, chunkSteps: 3, seed: 4 };
    const data = stripes(36, 1);
    const fused = await train({ ...config, execution: 'loop' }, data);
    const stepwise = await train({ ...config, execution: 'step' }, data);
    expect(fused.execution).toBe('loop');
    expect(fused.final.theta).toEqual(stepwise.final.theta);
    expect(fused.history.map((h) => h.trainLoss)).toEqual(stepwise.history.map((h) => h.trainLoss));
  });

  it('learns stripe orientation to ≥ 0.95 validation accuracy', async () => {
    const result = await train({ model, optimizer: { kind: 'adam', lr: 0.01 }, epochs: 15, batchSize: 16, validationFraction: 0.25, seed: 7 }, stripes(240, 2));
    const final = result.history[result.history.length - 1]!;
    if (process.env.TRAIN_REPORT) process.stdout.write(`CNN\tval_accuracy ${final.valAccuracy}\tval_loss ${final.valLoss}\n`);
    expect(final.valAccuracy).toBeGreaterThanOrEqual(0.95);
  });
});
