/**
 * Shape-manipulation ops. Shape-like operands (shapes, axes, starts/ends, pads, split sizes) are
 * int64 INPUTS at opset 17 and are given here as number arrays (turned into deduplicated
 * constants) or, where they are only known at run time, as int64 values.
 */
import { attr } from '../attributes';
import type { GraphBuilder, Value } from '../builder';
import { type DType, tensorData, toNumbers } from '../dtype';
import { type Dim, type Shape, broadcastShapes, isUnknownDim, normalizeAxis } from '../shape';

/** The product of dims as a dim: a number, a lone symbol, or unknown. */
export function productDim(g: GraphBuilder, dims: Shape): Dim {
  const symbols = dims.filter((d) => typeof d === 'string');
  const numeric = dims.reduce<number>((p, d) => (typeof d === 'number' ? p * d : p), 1);
  if (symbols.length === 0) return numeric;
  if (symbols.length === 1 && numeric === 1 && !isUnknownDim(symbols[0]!)) return symbols[0]!;
  return g.unknownDim();
}

function shapeOperand(g: GraphBuilder, shape: readonly number[] | Value): Value {
  return Array.isArray(shape) ? g.ints(shape) : (shape as Value);
}

/** Known values of a constant int64 operand, or null when it is computed at run time. */
export function constantInts(g: GraphBuilder, value: Value | null | undefined): number[] | null {
  if (!value) return null;
  const data = g.constantValue(value);
  return data ? toNumbers(data.data) : null;
}

export function reshape(g: GraphBuilder, x: Value, shape: readonly number[] | Value): Value {
  const target = shapeOperand(g, shape);
  const known = constantInts(g, target);
  const out = known ? reshapeShape(g, x.shape, known) : unknownDims(g, target);
  return g.node1('Reshape', [x, target], {}, { dtype: x.dtype, shape: out });
}

function unknownDims(g: GraphBuilder, shapeTensor: Value): Dim[] {
  const length = shapeTensor.shape[0];
  if (typeof length !== 'number') throw new Error(`the rank of ${shapeTensor.name} must be known`);
  return Array.from({ length }, () => g.unknownDim());
}

/** Reshape semantics (allowzero = 0): 0 copies the input dim, one -1 takes what is left. */
export function reshapeShape(g: GraphBuilder, input: Shape, target: readonly number[]): Dim[] {
  const out: (Dim | null)[] = target.map((t, i) => (t === 0 ? input[i]! : t === -1 ? null : t));
  const hole = out.indexOf(null);
  if (hole < 0) return out as Dim[];
  const known = out.filter((d): d is Dim => d !== null);
  const symbolsIn = input.filter((d): d is string => typeof d === 'string');
  const symbolsOut = known.filter((d): d is string => typeof d === 'string');
  const remaining = [...symbolsIn];
  for (const s of symbolsOut) {
    const at = remaining.indexOf(s);
    if (at < 0) return out.map((d) => d ?? g.unknownDim());
    remaining.splice(at, 1);
  }
  const numIn = input.reduce<number>((p, d) => (typeof d === 'number' ? p * d : p), 1);
  const numOut = known.reduce<number>((p, d) => (typeof d === 'number' ? p * d : p), 1);
  let fill: Dim;
  if (remaining.length === 0 && numIn % numOut === 0) fill = numIn / numOut;
  else if (remaining.length === 1 && numIn === numOut && !isUnknownDim(remaining[0]!)) fill = remaining[0]!;
  else fill = g.unknownDim();
  out[hole] = fill;
  return out as Dim[];
}

export function flatten(g: GraphBuilder, x: Value, axis = 1): Value {
  const a = axis < 0 ? axis + x.rank : axis;
  const shape = [productDim(g, x.shape.slice(0, a)), productDim(g, x.shape.slice(a))];
  return g.node1('Flatten', [x], { axis: attr.int(axis) }, { dtype: x.dtype, shape });
}

export function transpose(g: GraphBuilder, x: Value, perm?: readonly number[]): Value {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  return g.node1('Transpose', [x], { perm: attr.ints(p) }, { dtype: x.dtype, shape: p.map((i) => x.shape[i]!) });
}

export function squeeze(g: GraphBuilder, x: Value, axes: readonly number[]): Value {
  const drop = new Set(axes.map((a) => normalizeAxis(a, x.rank)));
  return g.node1('Squeeze', [x, g.ints(axes)], {}, { dtype: x.dtype, shape: x.shape.filter((_, i) => !drop.has(i)) });
}

export function unsqueeze(g: GraphBuilder, x: Value, axes: readonly number[]): Value {
  const rank = x.rank + axes.length;
  const added = new Set(axes.map((a) => normalizeAxis(a, rank)));
  const shape: Dim[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) shape.push(added.has(i) ? 1 : x.shape[next++]!);
  return g.node1('Unsqueeze', [x, g.ints(axes)], {}, { dtype: x.dtype, shape });
}

/** The [start, end) a step-1 slice selects from a dim of size `dim` (ONNX clamping rules). */
export function sliceRange(dim: number, start: number, end: number): [number, number] {
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
  const s = clamp(start);
  return [s, Math.max(clamp(end), s)];
}

export interface SliceSpec {
  readonly starts: readonly number[] | Value;
  readonly ends: readonly number[] | Value;
  readonly axes?: readonly number[];
  readonly steps?: readonly number[];
}

export function slice(g: GraphBuilder, x: Value, spec: SliceSpec): Value {
  const starts = shapeOperand(g, spec.starts);
  const ends = shapeOperand(g, spec.ends);
  const axes = spec.axes ?? x.shape.map((_, i) => i).slice(0, starts.shape[0] as number);
  const s = constantInts(g, starts);
  const e = constantInts(g, ends);
  const shape: Dim[] = [...x.shape];
  axes.forEach((axis, i) => {
    const a = normalizeAxis(axis, x.rank);
    const dim = x.shape[a]!;
    const step = spec.steps?.[i] ?? 1;
    if (s && e && typeof dim === 'number' && step === 1) {
      const [lo, hi] = sliceRange(dim, s[i]!, e[i]!);
      shape[a] = hi - lo;
    } else if (!(s && e && s[i] === 0 && e[i]! >= Number.MAX_SAFE_INTEGER && step === 1)) {
      shape[a] = g.unknownDim();
    }
  });
  const inputs = [x, starts, ends, g.ints(axes), spec.steps ? g.ints(spec.steps) : null];
  return g.node1('Slice', inputs, {}, { dtype: x.dtype, shape });
}

export function concat(g: GraphBuilder, xs: readonly Value[], axis: number): Value {
  const first = xs[0];
  if (!first) throw new Error('Concat of no values');
  const a = normalizeAxis(axis, first.rank);
  const shape: Dim[] = [...first.shape];
  shape[a] = productSum(g, xs.map((x) => x.shape[a]!));
  return g.node1('Concat', xs, { axis: attr.int(axis) }, { dtype: first.dtype, shape });
}

function productSum(g: GraphBuilder, dims: readonly Dim[]): Dim {
  return dims.every((d) => typeof d === 'number') ? dims.reduce<number>((s, d) => s + (d as number), 0) : g.unknownDim();
}

/** Split into pieces of the given sizes along `axis` (sizes are an input at opset 13+). */
export function split(g: GraphBuilder, x: Value, sizes: readonly number[], axis = 0): Value[] {
  const a = normalizeAxis(axis, x.rank);
  const outputs = sizes.map((size) => ({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === a ? size : d)) }));
  return g.node('Split', [x, g.ints(sizes)], { axis: attr.int(axis) }, outputs);
}

export function expand(g: GraphBuilder, x: Value, shape: readonly number[] | Value): Value {
  const target = shapeOperand(g, shape);
  const known = constantInts(g, target);
  const out = known ? broadcastShapes(x.shape, known) : broadcastShapes(x.shape, unknownDims(g, target));
  return g.node1('Expand', [x, target], {}, { dtype: x.dtype, shape: out });
}

/** The run-time shape of x as int64[rank]; a constant when every dim is known. */
export function shapeOf(g: GraphBuilder, x: Value): Value {
  if (x.shape.every((d) => typeof d === 'number')) return g.ints(x.shape as number[]);
  return g.node1('Shape', [x], {}, { dtype: 'int64', shape: [x.rank] });
}

export function size(g: GraphBuilder, x: Value): Value {
  return g.node1('Size', [x], {}, { dtype: 'int64', shape: [] });
}

export function gather(g: GraphBuilder, data: Value, indices: Value, axis = 0): Value {
  const a = normalizeAxis(axis, data.rank);
  const shape = [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)];
  return g.node1('Gather', [data, indices], { axis: attr.int(axis) }, { dtype: data.dtype, shape });
}

export function gatherElements(g: GraphBuilder, data: Value, indices: Value, axis = 0): Value {
  return g.node1('GatherElements', [data, indices], { axis: attr.int(axis) }, { dtype: data.dtype, shape: indices.shape });
}

/** Constant-mode Pad; pads = [begin_0, …, begin_n, end_0, …, end_n]. */
export function pad(g: GraphBuilder, x: Value, pads: readonly number[]): Value {
  const r = x.rank;
  const shape = x.shape.map((d, i) => (typeof d === 'number' ? d + pads[i]! + pads[i + r]! : pads[i] === 0 && pads[i + r] === 0 ? d : g.unknownDim()));
  return g.node1('Pad', [x, g.ints(pads)], {}, { dtype: x.dtype, shape });
}

/** A tensor of `value` with the run-time shape `shape` (an int64[rank] value). */
export function constantOfShape(g: GraphBuilder, shape: Value, dtype: DType, value: number): Value {
  const known = constantInts(g, shape);
  const dims = known ?? unknownDims(g, shape);
  return g.node1('ConstantOfShape', [shape], { value: attr.tensor(tensorData(dtype, [1], [value])) }, { dtype, shape: dims });
}

/** Zeros shaped like x: a deduplicated constant when x's shape is static, else ConstantOfShape. */
export function zerosLike(g: GraphBuilder, x: Value): Value {
  if (x.shape.every((d) => typeof d === 'number')) {
    const dims = x.shape as number[];
    return g.constant(x.dtype, dims, new Array<number>(dims.reduce((a, b) => a * b, 1)).fill(0));
  }
  return constantOfShape(g, shapeOf(g, x), x.dtype, 0);
}
