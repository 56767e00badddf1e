/**
 * Models: the generator, PyTorch's init bounds, determinism by seed, the θ layout, the forward
 * graph with θ baked in (the export path) against the training-time evaluation, and the in-graph
 * dropout masks against their JS transcription.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder, op, tensorData } from '../graph/index';
import { numbers, runModel } from '../graph/run';
import { FEISTEL_ROUNDS, dropoutKeys, dropoutMaskGraph, dropoutMaskReference, feistelReference, stepKeysGraph, stepKeysReference } from './dropout-mask';
import { addInferenceGraph, buildForward } from './forward';
import { initParameters, linearInitBound } from './init';
import { Prng, deriveSeed, permutation } from './prng';
import { type ModelSpec, paramLayout, paramView, resolveModelSpec } from './spec';

describe('seeded generator', () => {
  it('is xoshiro128** (reference vector from state 1, 2, 3, 4)', () => {
    const prng = Prng.fromState([1, 2, 3, 4]);
    expect([prng.nextUint32(), prng.nextUint32(), prng.nextUint32()]).toEqual([11520, 0, 5927040]);
  });

  it('gives the same stream for the same seed and unrelated streams for neighbouring seeds', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, ((p) => () => p.nextUint32())(new Prng(seed)));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(deriveSeed(1, 2, 3)).not.toBe(deriveSeed(1, 3, 2));
  });

  it('draws uniform floats in [0, 1) and unbiased permutations', () => {
    const prng = new Prng(5);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const u = prng.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
    }
    expect(sum / 20000).toBeCloseTo(0.5, 2);
    const firstCounts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) firstCounts[permutation(4, prng)[0]!]!++;
    for (const c of firstCounts) expect(Math.abs(c - 1000)).toBeLessThan(120);
    expect(Array.from(permutation(10, new Prng(1))).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('layout and init', () => {
  const spec = resolveModelSpec({ task: 'classification', inputs: 5, hidden: [16, 8], classes: 3, layerNorm: true });

  it('lays θ out in PyTorch state_dict order with [out, in] weights', () => {
    const layout = paramLayout(spec);
    expect(layout.entries.map((e) => `${e.name}${JSON.stringify(e.shape)}@${e.offset}`)).toEqual([
      'layers.0.weight[16,5]@0', 'layers.0.bias[16]@80', 'norms.0.weight[16]@96', 'norms.0.bias[16]@112',
      'layers.1.weight[8,16]@128', 'layers.1.bias[8]@256', 'norms.1.weight[8]@264', 'norms.1.bias[8]@272',
      'head.weight[3,8]@280', 'head.bias[3]@304',
    ]);
    expect(layout.size).toBe(307);
  });

  it("uses PyTorch's nn.Linear bounds: kaiming_uniform(a=√5) → 1/√fan_in for weights and biases; LayerNorm γ=1, β=0", () => {
    expect(linearInitBound(16)).toBeCloseTo(0.25, 15);
    const wide = resolveModelSpec({ task: 'regression', inputs: 400, hidden: [300] });
    const layout = paramLayout(wide);
    const theta = initParameters(layout, 11);
    for (const entry of layout.entries) {
      const bound = 1 / Math.sqrt(entry.fanIn);
      const values = paramView(theta, entry);
      const max = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(max, entry.name).toBeLessThanOrEqual(Math.fround(bound));
      if (values.length >= 10000) {
        // U(−b, b): the extremes approach b, the mean is ~0 and the variance is b²/3.
        expect(max).toBeGreaterThan(bound * 0.98);
        const mean = values.reduce((s, v) => s + v, 0) / values.length;
        const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
        expect(Math.abs(mean)).toBeLessThan(bound * 0.05);
        expect(variance / (bound * bound / 3)).toBeGreaterThan(0.95);
        expect(variance / (bound * bound / 3)).toBeLessThan(1.05);
      }
    }
    const normed = initParameters(paramLayout(spec), 3);
    const byName = new Map(paramLayout(spec).entries.map((e) => [e.name, paramView(normed, e)]));
    expect(Array.from(byName.get('norms.0.weight')!).every((v) => v === 1)).toBe(true);
    expect(Array.from(byName.get('norms.1.bias')!).every((v) => v === 0)).toBe(true);
  });

  it('is deterministic by seed', () => {
    const layout = paramLayout(spec);
    expect(initParameters(layout, 9)).toEqual(initParameters(layout, 9));
    expect(initParameters(layout, 9)).not.toEqual(initParameters(layout, 10));
  });

  it('explains a bad spec', () => {
    expect(() => resolveModelSpec({ task: 'classification', inputs: 3, classes: 1 })).toThrow(/at least 2 classes/);
    expect(() => resolveModelSpec({ task: 'regression', inputs: 3, dropout: 1 })).toThrow(/dropout must be in \[0, 1\)/);
    expect(() => resolveModelSpec({ task: 'regression', inputs: 3, activation: 'swish' } as unknown as ModelSpec)).toThrow(/unknown activation "swish"/);
  });
});

describe('forward graph', () => {
  const specs: [string, ModelSpec][] = [
    ['MLP classifier, gelu + layer norm', { task: 'classification', inputs: 4, hidden: [6, 5], activation: 'gelu', layerNorm: true, classes: 3 }],
    ['logistic regression (sigmoid head)', { task: 'classification', inputs: 4, classes: 2 }],
    ['linear regression, 2 targets', { task: 'regression', inputs: 4, outputs: 2 }],
    ['MLP regressor, leaky relu', { task: 'regression', inputs: 4, hidden: [7], activation: 'leaky_relu' }],
  ];
  const x = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i) * 2);

  for (const [label, raw] of specs) {
    it(`${label}: θ as one initializer, as separate named initializers, and θ fed give the same outputs`, async () => {
      const spec = resolveModelSpec(raw);
      const theta = initParameters(paramLayout(spec), 1);
      const feeds = { x: tensorData('float', [3, 4], x) };
      const flat = new GraphBuilder();
      addInferenceGraph(flat, spec, theta);
      const separate = new GraphBuilder();
      addInferenceGraph(separate, spec, theta, { separateInitializers: true });
      expect(separate.initializers.map((i) => i.value.name)).toContain('head.weight');
      const fed = new GraphBuilder();
      const out = buildForward(fed, spec, fed.input('theta', 'float', [theta.length]), fed.input('x', 'float', ['N', 4]));
      fed.output(out, 'out');
      const [a, b, c] = await Promise.all([runModel(flat.encode(), feeds), runModel(separate.encode(), feeds), runModel(fed.encode(), { ...feeds, theta: tensorData('float', [theta.length], theta) })]);
      const head = spec.task === 'regression' ? 'predictions' : 'logits';
      expect(numbers(a[head])).toEqual(numbers(c.out));
      expect(numbers(b[head])).toEqual(numbers(c.out));
      if (spec.task === 'classification') {
        const probabilities = numbers(a.probabilities);
        for (let r = 0; r < 3; r++) expect(probabilities.slice(r * spec.classes, (r + 1) * spec.classes).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 6);
        expect(a.label!.dims).toEqual([3]);
      }
    });
  }
});

describe('dropout masks from a hash of (seed, step, layer, element)', () => {
  async function graphMask(keys: number[], t: number, layer: number, rows: number, width: number, ratio: number): Promise<number[]> {
    const g = new GraphBuilder();
    const stepKeys = stepKeysGraph(g, g.input('keys', 'int64', [FEISTEL_ROUNDS]), g.input('t', 'int64', []));
    g.output(op.cast(g, dropoutMaskGraph(g, stepKeys, layer, rows, width, ratio), 'int64'), 'mask');
    const out = await runModel(g.encode(), { keys: tensorData('int64', [FEISTEL_ROUNDS], keys), t: tensorData('int64', [], [t]) });
    return numbers(out.mask);
  }

  it('the graph computes exactly the JS transcription', async () => {
    for (const [seed, t, layer] of [[0, 1, 0], [4294967295, 123456789, 3], [7, 2, 1]] as const) {
      const keys = dropoutKeys(seed);
      expect(await graphMask(keys, t, layer, 16, 32, 0.3)).toEqual(Array.from(dropoutMaskReference(keys, t, layer, 16, 32, 0.3)));
    }
  });

  it('the Feistel hash is a permutation of 32-bit counters', () => {
    const keys = stepKeysReference(dropoutKeys(1), 1);
    const seen = new Set<number>();
    for (let i = 0; i < 70000; i++) seen.add(feistelReference(i * 61337, keys));
    expect(seen.size).toBe(70000);
  });

  it('keeps 1 − ratio of the units, independently across elements, rows, steps, layers and seeds', () => {
    const rows = 256;
    const width = 128;
    for (const ratio of [0.1, 0.25, 0.5]) {
      const keys = dropoutKeys(99);
      const a = dropoutMaskReference(keys, 5, 0, rows, width, ratio);
      const others = [dropoutMaskReference(keys, 6, 0, rows, width, ratio), dropoutMaskReference(keys, 5, 1, rows, width, ratio), dropoutMaskReference(dropoutKeys(100), 5, 0, rows, width, ratio)];
      const n = a.length;
      expect(Math.abs(a.reduce((s, v) => s + v, 0) / n - (1 - ratio))).toBeLessThan(0.01);
      // Two independent masks agree on a fraction p² + (1 − p)² of the units (0.625 at ratio 0.25);
      // so must a mask and its neighbours (next unit, next row), other steps, layers and seeds.
      // The near-linear mixer this replaced gave 0.83 for consecutive steps.
      const expected = ratio * ratio + (1 - ratio) * (1 - ratio);
      const agree = (p: Uint8Array, q: Uint8Array, shift = 0) => {
        let same = 0;
        for (let i = 0; i + shift < n; i++) same += p[i] === q[i + shift] ? 1 : 0;
        return same / (n - shift);
      };
      for (const value of [...others.map((o) => agree(a, o)), agree(a, a, 1), agree(a, a, width)]) expect(Math.abs(value - expected)).toBeLessThan(0.012);
    }
  });
});
