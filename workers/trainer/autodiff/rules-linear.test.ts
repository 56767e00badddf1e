/** Finite-difference checks of Gemm (every trans combination, alpha/beta, C shapes) and MatMul. */
import { describe, expect, it } from 'vitest';
import { GraphBuilder, op } from '../graph/index';
import { type GradCheckGraph, gradCheck } from './gradcheck';
import { gradients } from './gradients';
import { expectGradientsMatch, probeLoss, realInput as inp } from './test-support';

const check = (label: string, build: (g: GraphBuilder) => GradCheckGraph) => it(label, async () => expectGradientsMatch(label, await gradCheck(build)));

describe('Gemm', () => {
  // A' is [3, 4] and B' is [4, 5] whatever the flags, so Y is [3, 5].
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      check(`Gemm transA=${transA} transB=${transB}, alpha 0.7, beta 1.3, C [n]`, (g) => {
        const a = inp(g, 'a', transA ? [4, 3] : [3, 4]);
        const b = inp(g, 'b', transB ? [5, 4] : [4, 5]);
        const c = inp(g, 'c', [5]);
        return { loss: probeLoss(g, op.gemm(g, a, b, c, { alpha: 0.7, beta: 1.3, transA, transB })), params: [a, b, c] };
      });
    }
  }
  check('Gemm transB with alpha 2.5 (a linear layer x·Wᵀ + b)', (g) => {
    const x = inp(g, 'x', [6, 4]);
    const w = inp(g, 'w', [3, 4]);
    const b = inp(g, 'b', [3]);
    return { loss: probeLoss(g, op.gemm(g, x, w, b, { transB: true, alpha: 2.5 })), params: [x, w, b] };
  });
  for (const cShape of [[3, 5], [1, 5], [3, 1], []] as number[][]) {
    check(`Gemm, beta 0.5, C of shape [${cShape.join(', ')}]`, (g) => {
      const a = inp(g, 'a', [3, 4]);
      const b = inp(g, 'b', [4, 5]);
      const c = inp(g, 'c', cShape);
      return { loss: probeLoss(g, op.gemm(g, a, b, c, { beta: 0.5 })), params: [a, b, c] };
    });
  }
  check('Gemm without C', (g) => {
    const a = inp(g, 'a', [3, 4]);
    const b = inp(g, 'b', [4, 5]);
    return { loss: probeLoss(g, op.gemm(g, a, b, null)), params: [a, b] };
  });

  it('emits no gradient Gemm for an input that needs none (the data of the first layer)', () => {
    const g = new GraphBuilder({ floatType: 'double' });
    const x = inp(g, 'x', [6, 4]);
    const w = inp(g, 'w', [3, 4]);
    const before = g.nodes.length;
    const loss = probeLoss(g, op.gemm(g, x, w, null, { transB: true }));
    gradients(g, loss, [w]);
    const backward = g.nodes.slice(before).filter((n) => n.opType === 'Gemm');
    expect(backward).toHaveLength(2); // the forward Gemm and dW, no dX
    expect(backward[1]!.inputs.map((v) => v?.name)).toContain('x');
  });
});

describe('MatMul', () => {
  check('MatMul 2-D', (g) => {
    const a = inp(g, 'a', [3, 4]);
    const b = inp(g, 'b', [4, 2]);
    return { loss: probeLoss(g, op.matmul(g, a, b)), params: [a, b] };
  });
  check('MatMul [2,3,4] × [4,5] (B broadcast over the batch)', (g) => {
    const a = inp(g, 'a', [2, 3, 4]);
    const b = inp(g, 'b', [4, 5]);
    return { loss: probeLoss(g, op.matmul(g, a, b)), params: [a, b] };
  });
  check('MatMul [2,1,3,4] × [3,4,2]', (g) => {
    const a = inp(g, 'a', [2, 1, 3, 4]);
    const b = inp(g, 'b', [3, 4, 2]);
    return { loss: probeLoss(g, op.matmul(g, a, b)), params: [a, b] };
  });
});
