/** Finite-difference checks of shape ops and reductions, including symbolic (batch) dims. */
import { describe, expect, it } from 'vitest';
import { type GraphBuilder, op } from '../graph/index';
import { type GradCheckGraph, type GradCheckOptions, gradCheck } from './gradcheck';
import { expectGradientsMatch, probeLoss, realInput as inp } from './test-support';

const check = (label: string, build: (g: GraphBuilder) => GradCheckGraph, options?: GradCheckOptions) =>
  it(label, async () => expectGradientsMatch(label, await gradCheck(build, options)));

describe('reshaping ops', () => {
  check('Reshape [2,3,4] → [6,4] → [4,6]', (g) => {
    const x = inp(g, 'x', [2, 3, 4]);
    const y = op.reshape(g, op.tanh(g, op.reshape(g, x, [6, 4])), [4, -1]);
    return { loss: probeLoss(g, y), params: [x] };
  });
  check('Reshape with a symbolic batch dim (run-time Shape)', (g) => {
    const x = inp(g, 'x', ['batch', 2, 3]);
    return { loss: probeLoss(g, op.tanh(g, op.reshape(g, x, [0, 6]))), params: [x] };
  }, { dims: { batch: 3 } });
  check('Flatten', (g) => {
    const x = inp(g, 'x', [2, 3, 2]);
    return { loss: probeLoss(g, op.flatten(g, x, 1)), params: [x] };
  });
  check('Transpose with a permutation and its default', (g) => {
    const x = inp(g, 'x', [2, 3, 4]);
    return { loss: probeLoss(g, op.add(g, op.transpose(g, x, [1, 2, 0]), op.transpose(g, op.transpose(g, x), [1, 0, 2]))), params: [x] };
  });
  check('Squeeze and Unsqueeze', (g) => {
    const x = inp(g, 'x', [3, 1, 4]);
    return { loss: probeLoss(g, op.unsqueeze(g, op.tanh(g, op.squeeze(g, x, [1])), [0, 3])), params: [x] };
  });
  check('Expand [n] → [b,n] and [b,1] → [b,n]', (g) => {
    const v = inp(g, 'v', [4]);
    const c = inp(g, 'c', [3, 1]);
    return { loss: probeLoss(g, op.add(g, op.expand(g, v, [3, 4]), op.expand(g, c, [3, 4]))), params: [v, c] };
  });
});

describe('slicing and joining', () => {
  check('Slice one axis, negative bounds', (g) => {
    const x = inp(g, 'x', [3, 6]);
    return { loss: probeLoss(g, op.slice(g, x, { starts: [1], ends: [-1], axes: [1] })), params: [x] };
  });
  check('Slice two axes (padded back)', (g) => {
    const x = inp(g, 'x', [4, 5]);
    return { loss: probeLoss(g, op.slice(g, x, { starts: [1, 2], ends: [3, 5], axes: [0, 1] })), params: [x] };
  });
  check('overlapping slices of one value (Pad + Sum)', (g) => {
    const x = inp(g, 'x', [8]);
    const a = op.slice(g, x, { starts: [0], ends: [5] });
    const b = op.slice(g, x, { starts: [3], ends: [8] });
    return { loss: probeLoss(g, op.mul(g, a, b)), params: [x] };
  });
  check('a slice and a dense use of the same value', (g) => {
    const x = inp(g, 'x', [6]);
    return { loss: probeLoss(g, op.add(g, op.slice(g, x, { starts: [2], ends: [4] }), op.reduceSum(g, x, [0], true))), params: [x] };
  });
  check('Concat', (g) => {
    const a = inp(g, 'a', [2, 3]);
    const b = inp(g, 'b', [2, 1]);
    return { loss: probeLoss(g, op.tanh(g, op.concat(g, [a, b, a], 1))), params: [a, b] };
  });
  check('Split, with one piece unused', (g) => {
    const x = inp(g, 'x', [7, 2]);
    const [p, , r] = op.split(g, x, [2, 3, 2], 0);
    return { loss: probeLoss(g, op.mul(g, p!, r!)), params: [x] };
  });
});

describe('reductions', () => {
  check('ReduceSum over axis 1, keepdims 1 and 0', (g) => {
    const x = inp(g, 'x', [3, 4]);
    return { loss: probeLoss(g, op.add(g, op.reduceSum(g, x, [1], true), op.unsqueeze(g, op.reduceSum(g, op.tanh(g, x), [-1], false), [1]))), params: [x] };
  });
  check('ReduceSum over every axis', (g) => {
    const x = inp(g, 'x', [2, 3]);
    return { loss: op.reduceSum(g, op.mul(g, op.tanh(g, x), x), undefined, false), params: [x] };
  });
  check('ReduceMean over axes [0, 2]', (g) => {
    const x = inp(g, 'x', [2, 3, 4]);
    return { loss: probeLoss(g, op.reduceMean(g, op.mul(g, x, x), [0, 2], false)), params: [x] };
  });
  check('ReduceMean over a symbolic batch dim (run-time count)', (g) => {
    const x = inp(g, 'x', ['batch', 3]);
    return { loss: op.reduceMean(g, op.tanh(g, x), undefined, false), params: [x] };
  }, { dims: { batch: 5 } });
});

describe('one flat parameter vector', () => {
  // θ holds W1 [4,3] at 0, b1 [4] at 12, W2 [2,4] at 20 and b2 [2] at 28; [16, 20) and [30, 32)
  // are unused, so their gradient must be exact zeros, placed inside the one Concat.
  const build = (g: GraphBuilder): GradCheckGraph => {
    const theta = inp(g, 'theta', [32]);
    const x = inp(g, 'x', [5, 3]);
    const take = (start: number, shape: number[]) => {
      const size = shape.reduce((a, b) => a * b, 1);
      return op.reshape(g, op.slice(g, theta, { starts: [start], ends: [start + size] }), shape);
    };
    const h = op.relu(g, op.gemm(g, x, take(0, [4, 3]), take(12, [4]), { transB: true }));
    const y = op.gemm(g, h, take(20, [2, 4]), take(28, [2]), { transB: true });
    return { loss: probeLoss(g, y), params: [theta] };
  };

  it('differentiates through Slice + Reshape and joins the gradient with ONE Concat', async () => {
    const result = await gradCheck(build);
    expectGradientsMatch('flat parameter vector (Slice + Reshape)', result);
    const [grad] = result.gradients;
    const producer = result.graph.producerOf(grad!);
    expect(producer?.opType).toBe('Concat');
    expect(producer!.inputs.map((v) => v!.shape)).toEqual([[12], [4], [4], [8], [2], [2]]);
    // No Pad and no Sum: pieces are placed, not padded and added.
    const ops = result.graph.nodes.map((n) => n.opType);
    expect(ops).not.toContain('Pad');
    expect(ops).not.toContain('Sum');
  });

  check('Split of the flat vector instead of Slices', (g) => {
    const theta = inp(g, 'theta', [16]);
    const x = inp(g, 'x', [5, 3]);
    const [w, b] = op.split(g, theta, [12, 4], 0);
    const h = op.tanh(g, op.gemm(g, x, op.reshape(g, w!, [4, 3]), b!, { transB: true }));
    return { loss: probeLoss(g, h), params: [theta] };
  });
});
