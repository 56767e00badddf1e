/**
 * Conv's backward in float32 against direct float64 loops, which proves the rule exact without
 * finite-difference noise; and the layout of the runtime's MaxPool Indices, which the MaxPool rule
 * relies on.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder, type TensorData, op, tensorData } from '../graph/index';
import { numbers, runModel } from '../graph/run';
import { seededRandom } from './gradcheck';
import { gradients } from './gradients';
import { probeLoss, realInput as inp } from './test-support';

type Dims4 = [number, number, number, number];

interface Geometry {
  readonly strides: [number, number];
  readonly pads: [number, number, number, number];
  readonly dilations: [number, number];
  readonly group: number;
}

/** Gradients of L = Σ y·r for y = Conv(x, w, b): every (output, kernel tap) pair visited once. */
function convGradReference(x: TensorData, w: TensorData, r: TensorData, geo: Geometry) {
  const [n, c, h, wd] = x.dims as Dims4;
  const [m, cg, kh, kw] = w.dims as Dims4;
  const [, , ho, wo] = r.dims as Dims4;
  const [xs, ws, rs] = [numbers(x), numbers(w), numbers(r)];
  const dx = new Float64Array(xs.length);
  const dw = new Float64Array(ws.length);
  const db = new Float64Array(m);
  const mg = m / geo.group;
  for (let b = 0; b < n; b++)
    for (let o = 0; o < m; o++)
      for (let p = 0; p < ho; p++)
        for (let q = 0; q < wo; q++) {
          const grad = rs[((b * m + o) * ho + p) * wo + q]!;
          db[o]! += grad;
          for (let k = 0; k < cg; k++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const row = p * geo.strides[0] - geo.pads[0] + i * geo.dilations[0];
                const col = q * geo.strides[1] - geo.pads[1] + j * geo.dilations[1];
                if (row < 0 || row >= h || col < 0 || col >= wd) continue;
                const xi = ((b * c + Math.floor(o / mg) * cg + k) * h + row) * wd + col;
                const wi = ((o * cg + k) * kh + i) * kw + j;
                dx[xi]! += grad * ws[wi]!;
                dw[wi]! += grad * xs[xi]!;
              }
        }
  return { dx, dw, db };
}

function randomFloats(dims: readonly number[], seed: number): TensorData {
  const random = seededRandom(seed);
  return tensorData('float', dims, Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => 2 * random() - 1));
}

/** max |a − e| / max |e|: the error relative to the gradient's scale. */
function scaledError(actual: readonly number[], expected: Float64Array): number {
  const scale = Math.max(...expected.map(Math.abs));
  return Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!))) / scale;
}

describe('Conv backward in float32 against a float64 reference', () => {
  const cases: { label: string; x: Dims4; w: Dims4; geo: Geometry }[] = [
    // 9 rows: a remainder row past the last window, with no end pad (dX needs output_padding).
    { label: 'stride 2, pads [1, 0, 0, 1], 9x7', x: [2, 3, 9, 7], w: [4, 3, 3, 3], geo: { strides: [2, 2], pads: [1, 0, 0, 1], dilations: [1, 1], group: 1 } },
    { label: 'group 2, dilation 2, strides [2, 1], pads [0, 2, 1, 0], 9x8', x: [3, 4, 9, 8], w: [6, 2, 2, 3], geo: { strides: [2, 1], pads: [0, 2, 1, 0], dilations: [2, 2], group: 2 } },
  ];
  for (const { label, x: xDims, w: wDims, geo } of cases) {
    it(label, async () => {
      const g = new GraphBuilder({ floatType: 'float' });
      const x = inp(g, 'x', xDims);
      const w = inp(g, 'w', wDims);
      const b = inp(g, 'b', [wDims[0]]);
      const y = op.conv(g, x, w, b, geo);
      const loss = probeLoss(g, y);
      const [dx, dw, db] = gradients(g, loss, [x, w, b]);
      g.output(dx!, 'dx');
      g.output(dw!, 'dw');
      g.output(db!, 'db');
      const feeds = { x: randomFloats(xDims, 1), w: randomFloats(wDims, 2), b: randomFloats([wDims[0]], 3), [g.inputs[3]!.name]: randomFloats(y.shape as number[], 4) };
      const out = await runModel(g.encode(), feeds);
      const expected = convGradReference(feeds.x, feeds.w, feeds[g.inputs[3]!.name]!, geo);
      expect(out.dx!.dims).toEqual(xDims);
      expect(out.dw!.dims).toEqual(wDims);
      // Measured ≤ 1.9e-7: float32 round-off of the runtime's sums, nothing systematic.
      const errors = { dx: scaledError(numbers(out.dx), expected.dx), dw: scaledError(numbers(out.dw), expected.dw), db: scaledError(numbers(out.db), expected.db) };
      if (process.env.GRADCHECK_REPORT) process.stdout.write(`EXACT\t${label}\t${JSON.stringify(errors)}\n`);
      for (const [name, error] of Object.entries(errors)) expect(error, `${label}: ${name}`).toBeLessThan(1e-5);
    });
  }
});

describe('MaxPool Indices', () => {
  it('are offsets into the whole flattened input, N and C included, ignoring padding', async () => {
    const g = new GraphBuilder({ floatType: 'double' });
    const y = op.maxPool(g, inp(g, 'x', [2, 3, 4, 5]), { kernel: 3, strides: 2, pads: 1 });
    g.output(y, 'y');
    g.output(g.producerOf(y)!.outputs[1]!, 'indices');
    const x = randomFloats([2, 3, 4, 5], 7);
    const xs = numbers(x);
    const out = await runModel(g.encode(), { x: tensorData('double', x.dims, xs) });
    const indices = numbers(out.indices);
    const expected: number[] = [];
    for (let plane = 0; plane < 6; plane++)
      for (let p = 0; p < 2; p++)
        for (let q = 0; q < 3; q++) {
          let best = -1;
          for (let row = Math.max(2 * p - 1, 0); row <= Math.min(2 * p + 1, 3); row++)
            for (let col = Math.max(2 * q - 1, 0); col <= Math.min(2 * q + 1, 4); col++) {
              const at = plane * 20 + row * 5 + col;
              if (best < 0 || xs[at]! > xs[best]!) best = at;
            }
          expected.push(best);
        }
    expect(indices).toEqual(expected);
    expect(numbers(out.y)).toEqual(expected.map((i) => xs[i]));
  });
});
