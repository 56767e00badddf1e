import { describe, expect, it } from 'vitest';
import { GraphBuilder, IR_VERSION, OPSET, op, tensorData } from './index';
import { onnx } from './onnx';
import { numbers, runModel } from './run';

const decode = (bytes: Uint8Array) => onnx.ModelProto.decode(bytes);

describe('GraphBuilder names', () => {
  it('hands out fresh names and refuses a name twice', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float', [2]);
    const names = new Set([g.fresh('t'), g.fresh('t'), g.fresh('t'), x.name]);
    expect(names.size).toBe(4);
    expect(() => g.input('x', 'float', [2])).toThrow(/already used/);
    // A fresh name never collides with one claimed later by hand, nor the other way round.
    const sub = g.subgraph();
    expect(() => sub.input('x', 'float', [1])).toThrow(/already used/);
  });

  it('renames a produced value in place for an output, and copies inputs through Identity', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float', [2]);
    const y = g.output(op.relu(g, x), 'y');
    expect(y.name).toBe('y');
    expect(g.nodes.map((n) => n.opType)).toEqual(['Relu']);
    const echoed = g.output(x, 'x_out');
    expect(g.nodes.map((n) => n.opType)).toEqual(['Relu', 'Identity']);
    expect(echoed.name).toBe('x_out');
  });
});

describe('GraphBuilder constants', () => {
  it('deduplicates equal constants into one initializer', () => {
    const g = new GraphBuilder();
    const a = g.constant('float', [2], [1, 2]);
    const b = g.constant('float', [2], Float32Array.from([1, 2]));
    const c = g.constant('double', [2], [1, 2]);
    const d = g.constant('float', [1, 2], [1, 2]);
    const e = g.scalar(0.5);
    const f = g.subgraph().scalar(0.5); // constants are hoisted to the root and shared
    expect(a).toBe(b);
    expect(e).toBe(f);
    expect(new Set([a, c, d, e]).size).toBe(4);
    expect(g.initializers).toHaveLength(4);
    expect(g.constantValue(a)?.data).toEqual(Float32Array.from([1, 2]));
  });

  it('makes number operands constants of the other operand\'s dtype (float64 mode)', async () => {
    const build = (g: GraphBuilder) => {
      const x = g.input('x', g.floatType, [3]);
      g.output(op.mul(g, op.add(g, x, 0.1), 3), 'y');
    };
    const g64 = new GraphBuilder({ floatType: 'double' });
    build(g64);
    expect(g64.initializers.map((i) => i.data.dtype)).toEqual(['double', 'double']);
    const out = await runModel(g64.encode(), { x: tensorData('double', [3], [1, 2, 3]) });
    expect(out.y!.dtype).toBe('double');
    expect(numbers(out.y)).toEqual([(1 + 0.1) * 3, (2 + 0.1) * 3, (3 + 0.1) * 3]);
  });
});

describe('attributes and encoding', () => {
  it('writes every attribute with its explicit type and round-trips through ModelProto.decode', async () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'float', ['batch', 3]);
    const w = g.initializer('w', tensorData('float', [4, 3], Array.from({ length: 12 }, (_, i) => i / 10)));
    const y = op.gemm(g, a, w, null, { transB: true, alpha: 0.5 });
    const t = op.transpose(g, y, [1, 0]);
    g.output(op.reduceMean(g, t, [0], false), 'm');
    const model = decode(g.encode());
    expect(Number(model.irVersion)).toBe(IR_VERSION);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', OPSET]]);
    const graph = onnx.GraphProto.fromObject(model.graph!);
    expect(graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Transpose', 'ReduceMean']);
    const T = onnx.AttributeProto.AttributeType;
    const types = graph.node.flatMap((n) => onnx.NodeProto.fromObject(n).attribute.map((at) => [n.opType, at.name, at.type]));
    expect(types).toEqual([
      ['Gemm', 'alpha', T.FLOAT],
      ['Gemm', 'transB', T.INT],
      ['Transpose', 'perm', T.INTS],
      ['ReduceMean', 'keepdims', T.INT],
      ['ReduceMean', 'axes', T.INTS],
    ]);
    expect(graph.input[0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 3]);
    expect(graph.output.map((o) => o.name)).toEqual(['m']);
    const init = graph.initializer.find((i) => i.name === 'w')!;
    expect(Array.from(new Float32Array(Uint8Array.from(init.rawData!).buffer))).toEqual(Array.from(Float32Array.from({ length: 12 }, (_, i) => i / 10)));
    // And the runtime agrees with the arithmetic: row r of 0.5·a·wᵀ picks column r of w, then
    // the mean runs over the 4 outputs (axis 0 after the transpose).
    const out = await runModel(g.encode(), { a: tensorData('float', [2, 3], [1, 0, 0, 0, 1, 0]) });
    const expected = [0, 1].map((r) => (0.5 * [0, 1, 2, 3].reduce((s, j) => s + (3 * j + r) / 10, 0)) / 4);
    numbers(out.m).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it('infers shapes through reshape with -1 and symbolic dims, and rejects bad broadcasts', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float', ['n', 4, 6]);
    expect(op.reshape(g, x, [-1, 24]).shape).toEqual(['n', 24]);
    expect(op.reshape(g, x, [0, -1]).shape).toEqual(['n', 24]);
    expect(op.reshape(g, x, [0, 8, -1]).shape).toEqual(['n', 8, 3]);
    expect(op.flatten(g, x, 1).shape).toEqual(['n', 24]);
    expect(op.add(g, x, g.input('b', 'float', [6])).shape).toEqual(['n', 4, 6]);
    expect(() => op.add(g, x, g.input('c', 'float', [5]))).toThrow(/do not broadcast/);
    expect(() => op.add(g, x, g.input('d', 'double', [6]))).toThrow(/mixed element types/);
  });

  it('refuses a value from an unrelated graph', () => {
    const g = new GraphBuilder();
    const other = new GraphBuilder();
    const v = other.input('v', 'float', [1]);
    expect(() => op.relu(g, v)).toThrow(/cannot see/);
  });
});

describe('Loop', () => {
  const sumSequence = (tripCount: number | 'input') => {
    const g = new GraphBuilder({ floatType: 'double' });
    const xs = g.input('xs', 'double', ['t']);
    const trip = tripCount === 'input' ? g.input('trip', 'int64', []) : tripCount;
    const zero = g.scalar(0);
    const { carried, scans } = op.loop(g, {
      tripCount: trip,
      carried: [zero],
      body: ({ graph: b, iteration, carried: [acc] }) => {
        // xs lives in the outer graph: the body reads it by outer-scope capture.
        const item = op.gather(b, xs, iteration, 0);
        const next = op.add(b, acc!, item);
        return { carried: [next], scans: [next] };
      },
    });
    g.output(carried[0]!, 'total');
    g.output(scans[0]!, 'partials');
    return g;
  };

  it('sums a sequence with an exact trip count', async () => {
    const g = sumSequence(5);
    const xs = tensorData('double', [5], [1, 2, 3, 4, 5]);
    const out = await runModel(g.encode(), { xs });
    expect(numbers(out.total)).toEqual([15]);
    expect(numbers(out.partials)).toEqual([1, 3, 6, 10, 15]);
    expect(g.outputs[1]!.shape).toEqual([5]);
  });

  it('takes the trip count as a run-time input and captures outer values', async () => {
    const g = sumSequence('input');
    const body = g.nodes.find((n) => n.opType === 'Loop')!.attrs.body;
    expect(body?.type).toBe('graph');
    const out = await runModel(g.encode(), { xs: tensorData('double', [4], [1, 2, 3, 4]), trip: tensorData('int64', [], [3n]) });
    expect(numbers(out.total)).toEqual([6]);
    expect(numbers(out.partials)).toEqual([1, 3, 6]);
  });
});
