/** Finite-difference checks of the elementwise rules, broadcasting included. */
import { describe, it } from 'vitest';
import { type GraphBuilder, op } from '../graph/index';
import { type GradCheckGraph, type GradCheckOptions, gradCheck } from './gradcheck';
import { expectGradientsMatch, probeLoss, realInput as inp, uniform } from './test-support';

const check = (label: string, build: (g: GraphBuilder) => GradCheckGraph, options?: GradCheckOptions) =>
  it(label, async () => expectGradientsMatch(label, await gradCheck(build, options)));

describe('binary ops with numpy broadcasting', () => {
  check('Add bias [n] + [b,n]', (g) => {
    const x = inp(g, 'x', [3, 4]);
    const b = inp(g, 'b', [4]);
    return { loss: probeLoss(g, op.add(g, x, b)), params: [x, b] };
  });
  check('Add [b,1] + [b,n] and [1,n] + [b,1]', (g) => {
    const a = inp(g, 'a', [3, 1]);
    const c = inp(g, 'c', [1, 4]);
    const x = inp(g, 'x', [3, 4]);
    return { loss: probeLoss(g, op.add(g, op.add(g, a, x), op.add(g, c, a))), params: [a, c, x] };
  });
  check('Sub [b,n] − [b,1] and [n] − [b,n]', (g) => {
    const x = inp(g, 'x', [3, 4]);
    const m = inp(g, 'm', [3, 1]);
    const v = inp(g, 'v', [4]);
    return { loss: probeLoss(g, op.add(g, op.sub(g, x, m), op.sub(g, v, x))), params: [x, m, v] };
  });
  check('Mul scalar · tensor', (g) => {
    const s = inp(g, 's', []);
    const x = inp(g, 'x', [2, 3]);
    return { loss: probeLoss(g, op.mul(g, s, x)), params: [s, x] };
  });
  check('Mul [b,n] · [n] with rank-3 broadcast [2,1,n]', (g) => {
    const x = inp(g, 'x', [3, 4]);
    const w = inp(g, 'w', [4]);
    const z = inp(g, 'z', [2, 1, 4]);
    return { loss: probeLoss(g, op.mul(g, op.mul(g, x, w), z)), params: [x, w, z] };
  });
  check(
    'Div [b,n] / [b,1] and [n] / [b,n]',
    (g) => {
      const x = inp(g, 'x', [3, 4]);
      const d = inp(g, 'd', [3, 1]);
      const v = inp(g, 'v', [4]);
      const q = inp(g, 'q', [3, 4]);
      return { loss: probeLoss(g, op.add(g, op.div(g, x, d), op.div(g, v, q))), params: [x, d, v, q] };
    },
    { feeds: { d: uniform([3, 1], 0.5, 1.5, 1), q: uniform([3, 4], 0.5, 1.5, 2) } },
  );
  check('Sum of three with broadcast', (g) => {
    const x = inp(g, 'x', [2, 3]);
    const b = inp(g, 'b', [3]);
    const s = inp(g, 's', []);
    return { loss: probeLoss(g, op.sum(g, [x, b, s])), params: [x, b, s] };
  });
  check('Min and Max', (g) => {
    const a = inp(g, 'a', [3, 4]);
    const b = inp(g, 'b', [4]);
    return { loss: probeLoss(g, op.add(g, op.min(g, a, b), op.max(g, a, b))), params: [a, b] };
  });
  check('Where with a broadcast scalar branch', (g) => {
    const c = inp(g, 'c', [3, 4]);
    const a = inp(g, 'a', [3, 4]);
    const b = inp(g, 'b', []);
    return { loss: probeLoss(g, op.where(g, op.greater(g, c, 0), a, op.mul(g, b, 3))), params: [a, b] };
  });
});

describe('a value used more than once', () => {
  check('x·x + x (Mul reads x twice, Add reads it again)', (g) => {
    const x = inp(g, 'x', [2, 3]);
    return { loss: probeLoss(g, op.add(g, op.mul(g, x, x), x)), params: [x] };
  });
  check('shared weight in two branches', (g) => {
    const x = inp(g, 'x', [3, 4]);
    const w = inp(g, 'w', [4, 4]);
    const h = op.tanh(g, op.matmul(g, x, w));
    return { loss: probeLoss(g, op.matmul(g, h, w)), params: [x, w] };
  });
});

describe('unary ops', () => {
  const unary = (name: string, f: (g: GraphBuilder, x: ReturnType<typeof inp>) => ReturnType<typeof inp>, options?: GradCheckOptions) =>
    check(name, (g) => {
      const x = inp(g, 'x', [3, 4]);
      return { loss: probeLoss(g, f(g, x)), params: [x] };
    }, options);
  const positive = { feeds: { x: uniform([3, 4], 0.3, 2) } };
  unary('Neg', (g, x) => op.neg(g, x));
  unary('Identity', (g, x) => op.identity(g, x));
  unary('Relu', (g, x) => op.relu(g, x));
  unary('LeakyRelu (alpha 0.2)', (g, x) => op.leakyRelu(g, x, 0.2));
  unary('LeakyRelu (default alpha 0.01)', (g, x) => op.leakyRelu(g, x));
  unary('Tanh', (g, x) => op.tanh(g, x));
  unary('Sigmoid', (g, x) => op.sigmoid(g, x), { scale: 3 });
  unary('Exp', (g, x) => op.exp(g, x));
  unary('Log', (g, x) => op.log(g, x), positive);
  unary('Sqrt', (g, x) => op.sqrt(g, x), positive);
  unary('Reciprocal', (g, x) => op.reciprocal(g, x), positive);
  unary('Abs', (g, x) => op.abs(g, x));
});
