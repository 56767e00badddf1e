/**
 * Reductions. At opset 17 ReduceSum takes `axes` as an int64 input (since 13) while ReduceMean,
 * ReduceMax, ReduceMin, ReduceSumSquare and ReduceL2 still take it as an attribute (until 18);
 * these helpers hide the difference. Omitted axes reduce over every axis.
 */
import { attr, type Attr } from '../attributes';
import type { GraphBuilder, Value } from '../builder';
import { type Dim, normalizeAxis } from '../shape';

export function reducedShape(shape: readonly Dim[], axes: readonly number[] | undefined, keepdims: boolean): Dim[] {
  const reduced = new Set((axes ?? shape.map((_, i) => i)).map((a) => normalizeAxis(a, shape.length)));
  return shape.flatMap((d, i) => (reduced.has(i) ? (keepdims ? [1] : []) : [d]));
}

export function reduceSum(g: GraphBuilder, x: Value, axes?: readonly number[], keepdims = true): Value {
  const inputs = axes === undefined ? [x] : [x, g.ints(axes)];
  return g.node1('ReduceSum', inputs, { keepdims: attr.int(keepdims) }, { dtype: x.dtype, shape: reducedShape(x.shape, axes, keepdims) });
}

/** ReduceMean, ReduceMax, ReduceMin, ReduceSumSquare, ReduceL2, ReduceProd: axes attribute at 17. */
export function reduceWithAttr(g: GraphBuilder, opType: string, x: Value, axes?: readonly number[], keepdims = true): Value {
  const attrs: Record<string, Attr> = { keepdims: attr.int(keepdims) };
  if (axes !== undefined) attrs.axes = attr.ints(axes);
  return g.node1(opType, [x], attrs, { dtype: x.dtype, shape: reducedShape(x.shape, axes, keepdims) });
}

export const reduceMean = (g: GraphBuilder, x: Value, axes?: readonly number[], keepdims = true): Value => reduceWithAttr(g, 'ReduceMean', x, axes, keepdims);
export const reduceMax = (g: GraphBuilder, x: Value, axes?: readonly number[], keepdims = true): Value => reduceWithAttr(g, 'ReduceMax', x, axes, keepdims);
export const reduceMin = (g: GraphBuilder, x: Value, axes?: readonly number[], keepdims = true): Value => reduceWithAttr(g, 'ReduceMin', x, axes, keepdims);
export const reduceSumSquare = (g: GraphBuilder, x: Value, axes?: readonly number[], keepdims = true): Value => reduceWithAttr(g, 'ReduceSumSquare', x, axes, keepdims);

export function argMax(g: GraphBuilder, x: Value, axis = -1, keepdims = false): Value {
  return g.node1('ArgMax', [x], { axis: attr.int(axis), keepdims: attr.int(keepdims) }, { dtype: 'int64', shape: reducedShape(x.shape, [axis], keepdims) });
}
