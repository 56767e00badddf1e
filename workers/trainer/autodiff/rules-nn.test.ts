/** Finite-difference checks of softmax, LayerNormalization, Dropout and GELU. */
import { describe, expect, it } from 'vitest';
import { GraphBuilder, op, tensorData } from '../graph/index';
import { numbers, runModel } from '../graph/run';
import { type GradCheckGraph, type GradCheckOptions, gradCheck, seededRandom } from './gradcheck';
import { gradients } from './gradients';
import { expectGradientsMatch, probeLoss, realInput as inp, uniform } from './test-support';

const check = (label: string, build: (g: GraphBuilder) => GradCheckGraph, options?: GradCheckOptions) =>
  it(label, async () => expectGradientsMatch(label, await gradCheck(build, options)));

describe('softmax family', () => {
  check('LogSoftmax (axis -1)', (g) => {
    const x = inp(g, 'x', [3, 5]);
    return { loss: probeLoss(g, op.logSoftmax(g, x)), params: [x] };
  }, { scale: 3 });
  check('Softmax (axis 0)', (g) => {
    const x = inp(g, 'x', [4, 3]);
    return { loss: probeLoss(g, op.softmax(g, x, 0)), params: [x] };
  }, { scale: 3 });
});

describe('LayerNormalization', () => {
  check('LayerNorm, last axis, with scale and bias', (g) => {
    const x = inp(g, 'x', [4, 6]);
    const gamma = inp(g, 'gamma', [6]);
    const beta = inp(g, 'beta', [6]);
    return { loss: probeLoss(g, op.layerNorm(g, x, gamma, beta)), params: [x, gamma, beta] };
  }, { scale: 2 });
  check('LayerNorm, axis 1 of a rank-3 input (last two axes), no bias', (g) => {
    const x = inp(g, 'x', [2, 3, 4]);
    const gamma = inp(g, 'gamma', [3, 4]);
    return { loss: probeLoss(g, op.layerNorm(g, x, gamma, null, { axis: 1, epsilon: 1e-3 })), params: [x, gamma] };
  });

  it('reuses the op\'s Mean/InvStdDev in a float graph and agrees with the float64 rule', async () => {
    const build = (g: GraphBuilder) => {
      const x = inp(g, 'x', [4, 6]);
      const gamma = inp(g, 'gamma', [6]);
      const beta = inp(g, 'beta', [6]);
      const loss = probeLoss(g, op.layerNorm(g, x, gamma, beta));
      const grads = gradients(g, loss, [x, gamma, beta]);
      grads.forEach((grad, i) => g.output(grad, `grad_${i}`));
      return g;
    };
    const g32 = build(new GraphBuilder({ floatType: 'float' }));
    const g64 = build(new GraphBuilder({ floatType: 'double' }));
    const ln32 = g32.nodes.find((n) => n.opType === 'LayerNormalization')!;
    const readers = g32.nodes.filter((n) => n.inputs.includes(ln32.outputs[2]!));
    expect(readers.length).toBeGreaterThan(0); // the float graph reads InvStdDev instead of recomputing
    const random = seededRandom(5);
    const data = (dims: number[]) => Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => 2 * random() - 1);
    const feedsFor = (g: GraphBuilder) => Object.fromEntries(g.inputs.map((v, i) => [v.name, tensorData(g.floatType, v.shape as number[], values[i]!)]));
    const values = g64.inputs.map((v) => data(v.shape as number[]));
    const [out32, out64] = await Promise.all([runModel(g32.encode(), feedsFor(g32)), runModel(g64.encode(), feedsFor(g64))]);
    for (const name of ['grad_0', 'grad_1', 'grad_2']) {
      const a = numbers(out32[name]);
      const b = numbers(out64[name]);
      const scale = Math.max(...b.map(Math.abs));
      a.forEach((v, i) => expect(Math.abs(v - b[i]!) / scale).toBeLessThan(1e-5));
    }
  });
});

describe('Dropout', () => {
  const dims = [4, 5];
  const random = seededRandom(11);
  const fixedMask = tensorData('bool', dims, Array.from({ length: 20 }, () => random() > 0.3));

  check('Dropout with a precomputed mask input', (g) => {
    const x = inp(g, 'x', dims);
    const mask = g.input('mask', 'bool', dims);
    return { loss: probeLoss(g, op.tanh(g, op.dropout(g, x, { ratio: 0.3, mask }).output)), params: [x] };
  }, { feeds: { mask: fixedMask } });

  check('Dropout op, seeded, a fresh session per evaluation', (g) => {
    const x = inp(g, 'x', dims);
    return { loss: probeLoss(g, op.dropout(g, x, { ratio: 0.4, seed: 7 }).output), params: [x] };
  }, { freshSessionPerRun: true });

  check('Dropout op, training_mode constant false (identity)', (g) => {
    const x = inp(g, 'x', dims);
    return { loss: probeLoss(g, op.dropout(g, x, { ratio: 0.4, training: false }).output), params: [x] };
  });

  check('Dropout op, training_mode true at run time', (g) => {
    const x = inp(g, 'x', dims);
    const training = g.input('training', 'bool', []);
    return { loss: probeLoss(g, op.dropout(g, x, { ratio: 0.25, training, seed: 3 }).output), params: [x] };
  }, { freshSessionPerRun: true, feeds: { training: tensorData('bool', [], [1]) } });

  check('Dropout op, training_mode false at run time (scale 1)', (g) => {
    const x = inp(g, 'x', dims);
    const training = g.input('training', 'bool', []);
    return { loss: probeLoss(g, op.dropout(g, x, { ratio: 0.25, training }).output), params: [x] };
  }, { feeds: { training: tensorData('bool', [], [0]) } });

  it('backward multiplies by the forward mask and scale (mask reused, not redrawn)', async () => {
    const g = new GraphBuilder({ floatType: 'double' });
    const x = inp(g, 'x', [64]);
    const { output, mask } = op.dropout(g, x, { ratio: 0.5 });
    const [dx] = gradients(g, op.reduceSum(g, output, undefined, false), [x]);
    g.output(mask, 'mask');
    g.output(dx!, 'dx');
    const out = await runModel(g.encode(), { x: uniform([64], -1, 1) });
    const m = numbers(out.mask);
    expect(m.some((v) => v === 0) && m.some((v) => v === 1)).toBe(true);
    expect(numbers(out.dx)).toEqual(m.map((v) => v * 2));
  });
});

describe('GELU (tanh approximation, from primitives)', () => {
  check('GELU (tanh approximation)', (g) => {
    const x = inp(g, 'x', [3, 4]);
    return { loss: probeLoss(g, op.gelu(g, x)), params: [x] };
  }, { scale: 3 });

  it('matches 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))', async () => {
    const g = new GraphBuilder({ floatType: 'double' });
    g.output(op.gelu(g, inp(g, 'x', [5])), 'y');
    const xs = [-3, -0.5, 0, 0.7, 2.5];
    const out = await runModel(g.encode(), { x: tensorData('double', [5], xs) });
    const expected = xs.map((x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))));
    numbers(out.y).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 14));
  });
});
