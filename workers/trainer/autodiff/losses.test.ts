/** Losses: forward values against plain JS arithmetic, and finite-difference gradient checks. */
import { describe, expect, it } from 'vitest';
import { GraphBuilder, type TensorData, op, tensorData } from '../graph/index';
import { numbers, runModel } from '../graph/run';
import { gradCheck } from './gradcheck';
import { expectGradientsMatch, realInput as inp, uniform } from './test-support';

const labels = tensorData('int64', [5], [2n, 0n, 1n, 2n, 1n]);
const logits = tensorData('double', [5, 3], [0.2, -1, 3, 1.5, 0.1, -0.4, -2, 2, 0.5, 0, 0, 0, 4, -3, 1]);

async function forward(build: (g: GraphBuilder) => ReturnType<typeof op.huber>, feeds: Record<string, TensorData>): Promise<number> {
  const g = new GraphBuilder({ floatType: 'double' });
  g.output(build(g), 'loss');
  return numbers((await runModel(g.encode(), feeds)).loss)[0]!;
}

describe('softmax cross-entropy (from LogSoftmax, int64 labels)', () => {
  const build = (g: GraphBuilder) => op.softmaxCrossEntropy(g, inp(g, 'logits', [5, 3]), g.input('labels', 'int64', [5]));

  it('equals −mean log softmax[label]', async () => {
    const z = numbers(logits);
    const y = numbers(labels);
    let total = 0;
    for (let r = 0; r < 5; r++) {
      const row = z.slice(3 * r, 3 * r + 3);
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
      total += lse - row[y[r]!]!;
    }
    expect(await forward(build, { logits, labels })).toBeCloseTo(total / 5, 14);
  });

  it('stays finite for huge logits', async () => {
    const big = tensorData('double', [5, 3], numbers(logits).map((v) => v * 1000));
    expect(Number.isFinite(await forward(build, { logits: big, labels }))).toBe(true);
  });

  it('gradient with respect to the logits', async () => {
    const result = await gradCheck((g) => {
      const loss = build(g);
      return { loss, params: [g.inputs[0]!] };
    }, { feeds: { labels }, scale: 3 });
    expectGradientsMatch('softmax cross-entropy (int64 labels)', result);
  });

  it('gradient with class-probability targets', async () => {
    const result = await gradCheck((g) => {
      const z = inp(g, 'logits', [4, 3]);
      const p = op.softmax(g, inp(g, 'targets', [4, 3]));
      return { loss: op.softmaxCrossEntropy(g, z, p), params: [z] };
    }, { scale: 3 });
    expectGradientsMatch('softmax cross-entropy (probability targets)', result);
  });
});

describe('binary cross-entropy with logits', () => {
  const targets = uniform([2, 4], 0, 1, 3);
  const z = tensorData('double', [2, 4], [-40, -3, -0.2, 0, 0.5, 2, 7, 40]);
  const build = (g: GraphBuilder) => op.binaryCrossEntropyWithLogits(g, inp(g, 'z', [2, 4]), inp(g, 'y', [2, 4]));

  it('equals −mean(y·log σ(z) + (1−y)·log(1−σ(z))) and stays finite at |z| = 40', async () => {
    const y = numbers(targets);
    const expected = numbers(z).reduce((s, v, i) => {
      const logSig = -Math.log1p(Math.exp(-v));
      const logOneMinus = -v - Math.log1p(Math.exp(-v));
      return s - (y[i]! * logSig + (1 - y[i]!) * logOneMinus);
    }, 0) / 8;
    expect(await forward(build, { z, y: targets })).toBeCloseTo(expected, 12);
  });

  it('gradient with respect to logits and targets', async () => {
    const result = await gradCheck((g) => {
      const loss = build(g);
      return { loss, params: [g.inputs[0]!, g.inputs[1]!] };
    }, { scale: 4, feeds: { y: targets } });
    expectGradientsMatch('binary cross-entropy with logits', result);
  });
});

describe('mean squared error', () => {
  it('value and gradient', async () => {
    const p = tensorData('double', [3], [1, 2, 3]);
    const t = tensorData('double', [3], [0, 2, 5]);
    const build = (g: GraphBuilder) => op.meanSquaredError(g, inp(g, 'p', [3]), inp(g, 't', [3]));
    expect(await forward(build, { p, t })).toBeCloseTo((1 + 0 + 4) / 3, 15);
    const result = await gradCheck((g) => {
      const loss = op.meanSquaredError(g, inp(g, 'p', [4, 2]), inp(g, 't', [4, 2]));
      return { loss, params: [g.inputs[0]!, g.inputs[1]!] };
    });
    expectGradientsMatch('mean squared error', result);
  });
});

describe('Huber', () => {
  const d = [-2.5, -0.8, -0.3, 0.1, 0.45, 0.6, 1.7, 3];
  const build = (g: GraphBuilder, delta: number) => op.huber(g, inp(g, 'p', [8]), inp(g, 't', [8]), delta);

  it('is quadratic inside delta and linear outside', async () => {
    const delta = 0.5;
    const expected = d.reduce((s, v) => s + (Math.abs(v) <= delta ? 0.5 * v * v : delta * (Math.abs(v) - 0.5 * delta)), 0) / d.length;
    const feeds = { p: tensorData('double', [8], d), t: tensorData('double', [8], new Array(8).fill(0)) };
    expect(await forward((g) => build(g, delta), feeds)).toBeCloseTo(expected, 15);
  });

  for (const delta of [0.5, 1.35]) {
    it(`gradient on both sides of delta = ${delta}`, async () => {
      const result = await gradCheck((g) => {
        const loss = build(g, delta);
        return { loss, params: [g.inputs[0]!, g.inputs[1]!] };
      }, { feeds: { p: tensorData('double', [8], d), t: uniform([8], -0.05, 0.05, 8) } });
      expectGradientsMatch(`Huber (delta ${delta})`, result);
    });
  }
});
