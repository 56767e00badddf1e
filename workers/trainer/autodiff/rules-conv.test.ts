/**
 * Checks of the Conv and pooling rules. The CPU provider has no double kernel for Conv,
 * ConvTranspose, AveragePool or GlobalAveragePool, so those are checked in float32 (see
 * FLOAT_REL_TOLERANCE for the measured errors); MaxPool and Flatten have double kernels and keep
 * the float64 check. rules-conv-exact.test.ts compares Conv's backward with a float64 reference.
 *
 * The float32 checks use eps 0.1, not the default 1e-2: each loss here is linear in any single
 * input element (Conv is bilinear in x and w; pooling is linear; Relu and MaxPool are linear
 * while their `pieces` stay put), so the central difference has no truncation error at any eps,
 * and its float32 round-off (~5e-5 absolute at eps 1e-2, as the sums inside a Conv re-round when
 * one input moves) shrinks as 1/eps.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder, op, tensorData } from '../graph/index';
import { type GradCheckGraph, type GradCheckOptions, gradCheck } from './gradcheck';
import { gradients } from './gradients';
import { FLOAT_REL_TOLERANCE, expectGradientsMatch, probeLoss, probeLossInDouble, realInput as inp } from './test-support';

const check = (label: string, build: (g: GraphBuilder) => GradCheckGraph, options?: GradCheckOptions) =>
  it(label, async () => expectGradientsMatch(label, await gradCheck(build, options)));
const checkFloat = (label: string, build: (g: GraphBuilder) => GradCheckGraph, options?: GradCheckOptions) =>
  it(label, async () => expectGradientsMatch(label, await gradCheck(build, { floatType: 'float', eps: 0.1, ...options }), FLOAT_REL_TOLERANCE));

describe('Conv (float32 check)', () => {
  checkFloat('Conv 3x3, stride 1, pad 1, with bias, 2 → 3 channels', (g) => {
    const x = inp(g, 'x', [2, 2, 5, 5]);
    const w = inp(g, 'w', [3, 2, 3, 3]);
    const b = inp(g, 'b', [3]);
    return { loss: probeLossInDouble(g, op.conv(g, x, w, b, { pads: 1 })), params: [x, w, b] };
  });
  checkFloat('Conv 3x3, stride 2, no pad, no bias, 8x6 input (a remainder row and column)', (g) => {
    const x = inp(g, 'x', [2, 3, 8, 6]);
    const w = inp(g, 'w', [2, 3, 3, 3]);
    return { loss: probeLossInDouble(g, op.conv(g, x, w, null, { strides: 2 })), params: [x, w] };
  });
  checkFloat('Conv 2x2, stride 2, pad 1, with bias, 7x5 input', (g) => {
    const x = inp(g, 'x', [2, 2, 7, 5]);
    const w = inp(g, 'w', [2, 2, 2, 2]);
    const b = inp(g, 'b', [2]);
    return { loss: probeLossInDouble(g, op.conv(g, x, w, b, { strides: 2, pads: 1 })), params: [x, w, b] };
  });
  checkFloat('Conv, group 2, dilation 2, strides [2, 3], uneven pads, symbolic batch', (g) => {
    const x = inp(g, 'x', ['batch', 4, 9, 10]);
    const w = inp(g, 'w', [6, 2, 2, 3]);
    const b = inp(g, 'b', [6]);
    return { loss: probeLossInDouble(g, op.conv(g, x, w, b, { strides: [2, 3], pads: [1, 0, 0, 2], dilations: 2, group: 2 })), params: [x, w, b] };
  }, { dims: { batch: 2 } });
});

describe('pooling', () => {
  // Random reals have no ties, so each window's argmax is unique and stays put under a 1e-6 nudge.
  check('MaxPool 2x2 stride 2 on 6x7 (float64)', (g) => {
    const x = inp(g, 'x', [2, 3, 6, 7]);
    return { loss: probeLoss(g, op.maxPool(g, x, { kernel: 2, strides: 2 })), params: [x] };
  });
  check('MaxPool 3x3 stride 2 pad 1, overlapping windows (float64)', (g) => {
    const x = inp(g, 'x', [2, 2, 7, 7]);
    return { loss: probeLoss(g, op.maxPool(g, x, { kernel: 3, strides: 2, pads: 1 })), params: [x] };
  });
  for (const countIncludePad of [false, true]) {
    checkFloat(`AveragePool 3x3 stride 2 pad 1 (overlapping), count_include_pad ${countIncludePad}`, (g) => {
      const x = inp(g, 'x', [2, 2, 7, 6]);
      return { loss: probeLossInDouble(g, op.averagePool(g, x, { kernel: 3, strides: 2, pads: 1, countIncludePad })), params: [x] };
    });
  }
  checkFloat('AveragePool 2x2 stride 2 on 7x5 (non-overlapping, a remainder)', (g) => {
    const x = inp(g, 'x', [2, 3, 7, 5]);
    return { loss: probeLossInDouble(g, op.averagePool(g, x, { kernel: 2, strides: 2 })), params: [x] };
  });
  checkFloat('GlobalAveragePool', (g) => {
    const x = inp(g, 'x', [2, 3, 4, 5]);
    return { loss: probeLossInDouble(g, op.globalAveragePool(g, x)), params: [x] };
  });
  check('Flatten of NCHW (float64)', (g) => {
    const x = inp(g, 'x', [2, 3, 2, 2]);
    return { loss: probeLoss(g, op.tanh(g, op.flatten(g, x))), params: [x] };
  });

  it('MaxPool backward refuses a node without the Indices output', () => {
    const g = new GraphBuilder();
    const x = inp(g, 'x', [1, 1, 4, 4]);
    const y = g.node1('MaxPool', [x], {}, { dtype: 'float', shape: [1, 1, 4, 4] });
    expect(() => gradients(g, probeLoss(g, y), [x])).toThrow(/MaxPool backward needs the Indices output/);
  });
});

describe('a small CNN (float32 check)', () => {
  it('Conv → Relu → MaxPool → Flatten → Gemm', async () => {
    const label = 'Conv → Relu → MaxPool → Flatten → Gemm';
    // eps 0.05 reaches some Relu and MaxPool kinks; `pieces` skips those elements. A probe loss,
    // not cross-entropy, keeps the loss piecewise linear (cross-entropy's curvature at this eps
    // would add ~1e-2 truncation error).
    const result = await gradCheck((g) => {
      const x = inp(g, 'x', [2, 2, 6, 6]);
      const w = inp(g, 'w', [3, 2, 3, 3]);
      const b = inp(g, 'b', [3]);
      const w2 = inp(g, 'w2', [4, 27]);
      const b2 = inp(g, 'b2', [4]);
      const pooled = op.maxPool(g, op.relu(g, op.conv(g, x, w, b, { pads: 1 })), { kernel: 2, strides: 2 });
      const logits = op.gemm(g, op.flatten(g, pooled), w2, b2, { transB: true });
      // A pooled value is linear in the inputs while its window's argmax and its sign stay put.
      const pieces = [g.producerOf(pooled)!.outputs[1]!, op.greater(g, pooled, 0)];
      return { loss: probeLossInDouble(g, logits), params: [x, w, b, w2, b2], pieces };
    }, { floatType: 'float', eps: 0.05 });
    expectGradientsMatch(label, result, FLOAT_REL_TOLERANCE);
    const elements = (result.evaluations - 1) / 2;
    expect(result.skipped, `${label}: ${result.skipped} of ${elements} skipped`).toBeLessThan(elements * 0.15);
  });
});

describe('gradCheck pieces', () => {
  const build = (withPieces: boolean) => (g: GraphBuilder): GradCheckGraph => {
    const x = inp(g, 'x', [3]);
    const y = op.relu(g, x);
    return { loss: probeLoss(g, y), params: [x], ...(withPieces ? { pieces: [op.greater(g, y, 0)] } : {}) };
  };
  // x[1] lies 0.001 from Relu's kink, within reach of an eps of 0.01.
  const options: GradCheckOptions = { eps: 0.01, feeds: { x: tensorData('double', [3], [0.7, 0.001, -0.4]) } };

  it('a nudge across a kink reads as a large error without them', async () => {
    expect((await gradCheck(build(false), options)).maxRelError).toBeGreaterThan(0.1);
  });
  it('and is skipped and counted with them', async () => {
    const result = await gradCheck(build(true), options);
    expect(result.skipped).toBe(1);
    expect(result.maxRelError).toBeLessThan(1e-9);
  });
});

describe('ops/conv shapes', () => {
  it('computes NCHW output sizes statically and rejects unknown spatial dims', () => {
    const g = new GraphBuilder();
    const x = inp(g, 'x', ['batch', 3, 9, 10]);
    expect(op.conv(g, x, inp(g, 'w', [6, 1, 2, 3]), null, { strides: [2, 3], pads: [1, 0, 0, 2], dilations: 2, group: 3 }).shape).toEqual(['batch', 6, 4, 3]);
    expect(op.maxPool(g, x, { kernel: 3, strides: 2, pads: 1 }).shape).toEqual(['batch', 3, 5, 5]);
    expect(op.averagePool(g, x, { kernel: 2, strides: 2 }).shape).toEqual(['batch', 3, 4, 5]);
    expect(op.globalAveragePool(g, x).shape).toEqual(['batch', 3, 1, 1]);
    expect(() => op.conv(g, inp(g, 'v', [1, 3, 'h', 4]), inp(g, 'k', [2, 3, 1, 1]), null)).toThrow(/known height and width/);
    expect(() => op.conv(g, x, inp(g, 'k2', [2, 2, 1, 1]), null)).toThrow(/3 channels where 2 are expected/);
  });
});
