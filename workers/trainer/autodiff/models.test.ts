/**
 * Whole models: a deep MLP (LayerNorm + GELU + Dropout with a fixed mask + softmax cross-entropy)
 * with separate parameters and with one flat parameter vector, a logistic regression (BCE), an
 * MLP regressor (Huber), and SGD steps fused in a Loop with gradients taken inside the body.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Value, op, tensorData } from '../graph/index';
import { createSession, runSession } from '../graph/run';
import { gradCheck, seededRandom } from './gradcheck';
import { gradients } from './gradients';
import { expectGradientsMatch, realInput as inp, uniform } from './test-support';

type Take = (name: string, shape: number[]) => Value;

const LAYERS: [string, number[]][] = [
  ['W1', [8, 6]], ['b1', [8]], ['gamma1', [8]], ['beta1', [8]],
  ['W2', [8, 8]], ['b2', [8]], ['W3', [3, 8]], ['b3', [3]],
];
const TOTAL = LAYERS.reduce((s, [, shape]) => s + shape.reduce((a, b) => a * b, 1), 0);

function deepMlp(g: GraphBuilder, x: Value, take: Take, mask: Value): Value {
  const h1 = op.gemm(g, x, take('W1', [8, 6]), take('b1', [8]), { transB: true });
  const n1 = op.layerNorm(g, h1, take('gamma1', [8]), take('beta1', [8]));
  const d1 = op.dropout(g, op.gelu(g, n1), { ratio: 0.25, mask }).output;
  const h2 = op.relu(g, op.gemm(g, d1, take('W2', [8, 8]), take('b2', [8]), { transB: true }));
  return op.gemm(g, h2, take('W3', [3, 8]), take('b3', [3]), { transB: true });
}

const random = seededRandom(21);
const labels = tensorData('int64', [5], Array.from({ length: 5 }, () => BigInt(Math.floor(random() * 3))));
const mask = tensorData('bool', [5, 8], Array.from({ length: 40 }, () => random() > 0.25));

describe('deep MLP: Gemm → LayerNorm → GELU → Dropout → Gemm → Relu → Gemm → softmax cross-entropy', () => {
  it('separate parameter tensors', async () => {
    const result = await gradCheck((g) => {
      const x = inp(g, 'x', [5, 6]);
      const params: Value[] = [];
      const take: Take = (name, shape) => {
        const p = inp(g, name, shape);
        params.push(p);
        return p;
      };
      const logits = deepMlp(g, x, take, g.input('mask', 'bool', [5, 8]));
      return { loss: op.softmaxCrossEntropy(g, logits, g.input('labels', 'int64', [5])), params };
    }, { feeds: { labels, mask } });
    expectGradientsMatch('deep MLP (separate parameters)', result);
  });

  it('one flat parameter vector sliced into the layers; its gradient is one Concat', async () => {
    const result = await gradCheck((g) => {
      const theta = inp(g, 'theta', [TOTAL]);
      const x = inp(g, 'x', [5, 6]);
      let offset = 0;
      const take: Take = (name, shape) => {
        const [, expected] = LAYERS.find(([n]) => n === name)!;
        expect(expected).toEqual(shape);
        const size = shape.reduce((a, b) => a * b, 1);
        const piece = op.slice(g, theta, { starts: [offset], ends: [offset + size] });
        offset += size;
        return shape.length === 1 ? piece : op.reshape(g, piece, shape);
      };
      const logits = deepMlp(g, x, take, g.input('mask', 'bool', [5, 8]));
      return { loss: op.softmaxCrossEntropy(g, logits, g.input('labels', 'int64', [5])), params: [theta] };
    }, { feeds: { labels, mask } });
    expectGradientsMatch('deep MLP (flat parameter vector)', result);
    const concat = result.graph.producerOf(result.gradients[0]!)!;
    expect(concat.opType).toBe('Concat');
    expect(concat.inputs).toHaveLength(LAYERS.length);
  });
});

describe('other heads', () => {
  it('logistic regression with binary cross-entropy', async () => {
    const result = await gradCheck((g) => {
      const x = inp(g, 'x', [6, 3]);
      const w = inp(g, 'w', [1, 3]);
      const b = inp(g, 'b', [1]);
      const logits = op.gemm(g, x, w, b, { transB: true });
      return { loss: op.binaryCrossEntropyWithLogits(g, logits, g.input('y', 'double', [6, 1])), params: [w, b] };
    }, { feeds: { y: tensorData('double', [6, 1], [0, 1, 1, 0, 1, 0]) }, scale: 2 });
    expectGradientsMatch('logistic regression (BCE)', result);
  });

  it('MLP regressor with Huber loss and a symbolic batch', async () => {
    const result = await gradCheck((g) => {
      const x = inp(g, 'x', ['batch', 4]);
      const w1 = inp(g, 'w1', [4, 6]);
      const b1 = inp(g, 'b1', [6]);
      const w2 = inp(g, 'w2', [6, 1]);
      const h = op.leakyRelu(g, op.add(g, op.matmul(g, x, w1), b1), 0.1);
      const y = op.matmul(g, h, w2);
      return { loss: op.huber(g, y, g.input('t', 'double', ['batch', 1]), 0.3), params: [w1, b1, w2] };
    }, { dims: { batch: 7 }, scale: 1.5 });
    expectGradientsMatch('MLP regressor (Huber)', result);
  });
});

describe('gradients inside a Loop body (fused SGD steps)', () => {
  // θ = W1 [5,4] | b1 [5] | W2 [1,5] | b2 [1]; 12 samples in 3 batches of 4.
  const sizes = { W1: 20, b1: 5, W2: 5, b2: 1 };
  const total = 31;
  const step = (g: GraphBuilder, theta: Value, x: Value, t: Value): { next: Value; loss: Value } => {
    const [w1, b1, w2, b2] = op.split(g, theta, [sizes.W1, sizes.b1, sizes.W2, sizes.b2], 0);
    const h = op.tanh(g, op.gemm(g, x, op.reshape(g, w1!, [5, 4]), b1!, { transB: true }));
    const y = op.gemm(g, h, op.reshape(g, w2!, [1, 5]), b2!, { transB: true });
    const loss = op.meanSquaredError(g, y, t);
    const [grad] = gradients(g, loss, [theta]);
    return { next: op.sub(g, theta, op.mul(g, grad!, 0.1)), loss };
  };
  const data = { x: uniform([12, 4], -1, 1, 31), t: uniform([12, 1], -1, 1, 32), theta: uniform([total], -0.5, 0.5, 33) };
  const asFloat = (d: typeof data.x) => tensorData('float', d.dims, Float32Array.from(d.data as Float64Array));

  it('gives the same weights as one run per step', async () => {
    const fused = new GraphBuilder();
    const xs = inp(fused, 'x', [12, 4]);
    const ts = inp(fused, 't', [12, 1]);
    const theta0 = inp(fused, 'theta', [total]);
    const { carried, scans } = op.loop(fused, {
      tripCount: 3, // exactly 12 / 4 batches
      carried: [theta0],
      body: ({ graph: b, iteration, carried: [theta] }) => {
        const start = op.unsqueeze(b, op.mul(b, iteration, 4), [0]);
        const end = op.add(b, start, 4);
        const batch = (v: Value) => op.slice(b, v, { starts: start, ends: end, axes: [0] });
        const { next, loss } = step(b, theta!, batch(xs), batch(ts));
        return { carried: [next], scans: [loss] };
      },
    });
    fused.output(carried[0]!, 'theta_out');
    fused.output(scans[0]!, 'losses');

    const single = new GraphBuilder();
    const { next, loss } = step(single, inp(single, 'theta', [total]), inp(single, 'x', [4, 4]), inp(single, 't', [4, 1]));
    single.output(next, 'theta_out');
    single.output(loss, 'loss');

    const x = asFloat(data.x);
    const t = asFloat(data.t);
    const fusedOut = await runSession(await createSession(fused.encode()), { x, t, theta: asFloat(data.theta) });
    const session = await createSession(single.encode());
    let theta = asFloat(data.theta);
    const losses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const rows = (d: typeof x, width: number) => tensorData('float', [4, width], (d.data as Float32Array).slice(i * 4 * width, (i + 1) * 4 * width));
      const out = await runSession(session, { theta, x: rows(x, 4), t: rows(t, 1) });
      theta = out.theta_out!;
      losses.push(out.loss!.data[0] as number);
    }
    expect(Array.from(fusedOut.losses!.data as Float32Array)).toEqual(losses);
    expect(fusedOut.theta_out!.data).toEqual(theta.data);
    expect(losses.every(Number.isFinite)).toBe(true);
  });
});
