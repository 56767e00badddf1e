/** What the pass skips, what it refuses, and how it says so. */
import { describe, expect, it } from 'vitest';
import { GraphBuilder, op, tensorData } from '../graph/index';
import { numbers, runModel } from '../graph/run';
import { gradients } from './gradients';
import type { BackwardRule } from './rule';
import { probeLoss, realInput as inp } from './test-support';

describe('ops without a rule', () => {
  it('is an error naming the op and node when it lies between a parameter and the loss', () => {
    const g = new GraphBuilder();
    const w = inp(g, 'w', [3]);
    const y = op.erf(g, w);
    const loss = op.reduceSum(g, y, undefined, false);
    expect(() => gradients(g, loss, [w])).toThrow(/cannot differentiate through Erf \(node Erf_node_\d+\).*no backward rule.*parameters \[w\]/);
  });

  it('is fine off the path: rule-less ops on data, labels and metrics are skipped', () => {
    const g = new GraphBuilder();
    const x = inp(g, 'x', [4, 3]);
    const w = inp(g, 'w', [3, 2]);
    const labels = g.input('labels', 'int64', [4]);
    const features = op.erf(g, x); // no rule, but no parameter upstream
    const logits = op.matmul(g, features, w);
    const loss = op.softmaxCrossEntropy(g, logits, labels); // Equal and Cast on labels: int/bool, skipped
    const accuracy = op.reduceMean(g, op.cast(g, op.equal(g, op.argMax(g, logits, 1), labels), 'float'), undefined, false);
    const [dw] = gradients(g, loss, [w]);
    expect(dw!.shape).toEqual([3, 2]);
    expect(accuracy.dtype).toBe('float');
  });

  it('accepts extra rules through options (here Erf, checked against 2/√π·e^(−x²))', async () => {
    const erfRule: BackwardRule = ({ g, node, dy }) => {
      const x = node.inputs[0]!;
      return [op.mul(g, dy[0]!, op.mul(g, op.exp(g, op.neg(g, op.mul(g, x, x))), 2 / Math.sqrt(Math.PI)))];
    };
    const g = new GraphBuilder();
    const w = inp(g, 'w', [3]);
    const [dw] = gradients(g, op.reduceSum(g, op.erf(g, w), undefined, false), [w], { rules: { Erf: erfRule } });
    g.output(dw!, 'dw');
    const xs = [-1, 0, 0.5];
    const out = await runModel(g.encode(), { w: tensorData('float', [3], xs) });
    numbers(out.dw).forEach((v, i) => expect(v).toBeCloseTo((2 / Math.sqrt(Math.PI)) * Math.exp(-(xs[i]! ** 2)), 6));
  });

  it('refuses a Loop whose body reads a parameter by capture', () => {
    const g = new GraphBuilder();
    const w = inp(g, 'w', [2]);
    const { carried } = op.loop(g, {
      tripCount: 2,
      carried: [g.constant('float', [2], [0, 0])],
      body: ({ graph: b, carried: [acc] }) => ({ carried: [op.add(b, acc!, w)] }),
    });
    const loss = op.reduceSum(g, carried[0]!, undefined, false);
    expect(() => gradients(g, loss, [w])).toThrow(/cannot differentiate through Loop .*no backward rule.*subgraph reads a parameter-dependent value by outer-scope capture/);
  });
});

describe('arguments', () => {
  it('wants a one-element loss unless a seed is given', () => {
    const g = new GraphBuilder();
    const w = inp(g, 'w', [3]);
    const y = op.tanh(g, w);
    expect(() => gradients(g, y, [w])).toThrow(/exactly one element/);
    const seed = inp(g, 'seed', [3]);
    expect(gradients(g, y, [w], { seed })[0]!.shape).toEqual([3]);
  });

  it('refuses integer parameters', () => {
    const g = new GraphBuilder();
    const n = g.input('n', 'int64', [3]);
    const loss = op.reduceSum(g, inp(g, 'x', [3]), undefined, false);
    expect(() => gradients(g, loss, [n])).toThrow(/not real-valued/);
  });

  it('returns zeros for a parameter the loss does not depend on', async () => {
    const g = new GraphBuilder();
    const w = inp(g, 'w', [2, 2]);
    const unused = inp(g, 'unused', ['batch', 2]);
    const loss = op.reduceSum(g, op.mul(g, w, w), undefined, false);
    const [dw, du] = gradients(g, loss, [w, unused]);
    g.output(dw!, 'dw');
    g.output(du!, 'du');
    const out = await runModel(g.encode(), { w: tensorData('float', [2, 2], [1, 2, 3, 4]), unused: tensorData('float', [3, 2], [1, 1, 1, 1, 1, 1]) });
    expect(numbers(out.dw)).toEqual([2, 4, 6, 8]);
    expect(out.du!.dims).toEqual([3, 2]);
    expect(numbers(out.du)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('Cast between float and double', () => {
  it('casts the gradient back (exact: the check cannot nudge a float input by 1e-6)', async () => {
    const g = new GraphBuilder();
    const x = inp(g, 'x', [3]);
    const loss = probeLoss(g, op.cast(g, x, 'double'));
    const [dx] = gradients(g, loss, [x]);
    g.output(dx!, 'dx');
    const probe = g.inputs.find((v) => v.name.startsWith('probe'))!;
    const r = [0.1, -2.5, 3.25];
    const out = await runModel(g.encode(), { x: tensorData('float', [3], [1, 2, 3]), [probe.name]: tensorData('double', [3], r) });
    expect(out.dx!.dtype).toBe('float');
    expect(numbers(out.dx)).toEqual(Array.from(Float32Array.from(r)));
  });
});
