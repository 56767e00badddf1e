/**
 * The ONNX Loop op with a typed body. The body is a subgraph: its nodes may read any value of
 * the enclosing graphs (outer-scope capture, e.g. the whole training set and a permutation),
 * and constants made inside it are hoisted to the root and shared.
 *
 * Trip counts are exact: Loop runs `tripCount` iterations and nothing checks that an input holds
 * enough batches for them (TOOLCHAIN: one too many silently feeds an empty batch), so callers
 * compute it from the data, not from a rounded-up epoch length.
 */
import { attr } from '../attributes';
import type { GraphBuilder, Value } from '../builder';
import { type Dim, sameShape } from '../shape';

export interface LoopBody {
  readonly graph: GraphBuilder;
  /** int64 scalar: 0, 1, … */
  readonly iteration: Value;
  /** bool scalar: the condition the iteration started with. */
  readonly condition: Value;
  /** The loop-carried values as this iteration sees them. */
  readonly carried: readonly Value[];
}

export interface LoopBodyResult {
  /** Whether to continue; defaults to the incoming condition. */
  readonly condition?: Value;
  /** Next values of the loop-carried state, same dtypes and shapes as the initial ones. */
  readonly carried: readonly Value[];
  /** Per-iteration outputs, stacked along a new leading axis. */
  readonly scans?: readonly Value[];
}

export interface LoopSpec {
  readonly tripCount?: Value | number;
  readonly condition?: Value | boolean;
  readonly carried: readonly Value[];
  readonly body: (body: LoopBody) => LoopBodyResult;
  readonly name?: string;
}

export function loop(g: GraphBuilder, spec: LoopSpec): { carried: Value[]; scans: Value[] } {
  if (spec.tripCount === undefined && spec.condition === undefined) throw new Error('Loop needs a trip count or a condition; it would never stop');
  const body = g.subgraph(spec.name ?? g.fresh('loop_body'));
  const iteration = body.freshInput('iteration', 'int64', []);
  const conditionIn = body.freshInput('condition', 'bool', []);
  const carriedIn = spec.carried.map((v) => body.freshInput(`${v.name}_in`, v.dtype, v.shape));
  const result = spec.body({ graph: body, iteration, condition: conditionIn, carried: carriedIn });
  if (result.carried.length !== spec.carried.length) throw new Error(`Loop body returned ${result.carried.length} carried values for ${spec.carried.length}`);
  result.carried.forEach((next, i) => {
    const initial = spec.carried[i]!;
    if (next.dtype !== initial.dtype || next.rank !== initial.rank) throw new Error(`Loop-carried ${initial} comes back as ${next}`);
  });
  const conditionOut = result.condition ?? conditionIn;
  if (conditionOut.dtype !== 'bool') throw new Error('Loop condition must be bool');
  body.output(conditionOut);
  const carriedOut = result.carried.map((v) => body.output(v));
  const scans = (result.scans ?? []).map((v) => body.output(v));

  const trip = typeof spec.tripCount === 'number' ? g.constant('int64', [], [spec.tripCount]) : (spec.tripCount ?? null);
  const cond = typeof spec.condition === 'boolean' ? g.constant('bool', [], [spec.condition]) : (spec.condition ?? null);
  const stackDim: Dim = typeof spec.tripCount === 'number' && spec.condition === undefined ? spec.tripCount : g.unknownDim();
  const outputs = [
    ...spec.carried.map((v, i) => ({ dtype: v.dtype, shape: sameShape(v.shape, carriedOut[i]!.shape) ? v.shape : v.shape.map(() => g.unknownDim()) })),
    ...scans.map((v) => ({ dtype: v.dtype, shape: [stackDim, ...v.shape] })),
  ];
  const values = g.node('Loop', [trip, cond, ...spec.carried], { body: attr.graph(body) }, outputs);
  return { carried: values.slice(0, spec.carried.length), scans: values.slice(spec.carried.length) };
}
