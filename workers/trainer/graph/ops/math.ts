/**
 * Elementwise, comparison and linear-algebra ops. Each helper computes its output's dtype and
 * shape (numpy broadcasting over symbolic dims) so that autodiff can decide broadcast reductions
 * at build time. A plain number operand becomes a scalar constant of the other operand's dtype,
 * which is what keeps the same building code valid for float and double graphs.
 */
import { type Attr, type Attrs, attr } from '../attributes';
import type { GraphBuilder, Value } from '../builder';
import { DTYPE_CODE, type DType, isFloat } from '../dtype';
import { type Dim, type Shape, broadcastShapes, formatShape } from '../shape';

export type Operand = Value | number;

/** A number becomes a scalar constant of `dtype`; a Value passes through. */
export function lift(g: GraphBuilder, x: Operand, dtype: DType): Value {
  return typeof x === 'number' ? g.scalar(x, dtype) : x;
}

function operands(g: GraphBuilder, opType: string, operandsIn: readonly Operand[]): Value[] {
  const typed = operandsIn.find((x): x is Value => typeof x !== 'number');
  if (!typed) throw new Error(`${opType}: at least one operand must be a graph value`);
  const values = operandsIn.map((x) => lift(g, x, typed.dtype));
  for (const v of values) {
    if (v.dtype !== typed.dtype) throw new Error(`${opType}: mixed element types ${typed.dtype} and ${v.dtype} (${v.name}); Cast first`);
  }
  return values;
}

function broadcastAll(opType: string, values: readonly Value[]): Dim[] {
  try {
    return values.reduce<Dim[]>((shape, v) => broadcastShapes(shape, v.shape), []);
  } catch (error) {
    throw new Error(`${opType}: ${error instanceof Error ? error.message : String(error)} (${values.map(String).join(', ')})`);
  }
}

export function binary(g: GraphBuilder, opType: string, a: Operand, b: Operand): Value {
  const values = operands(g, opType, [a, b]);
  return g.node1(opType, values, {}, { dtype: values[0]!.dtype, shape: broadcastAll(opType, values) });
}

export const add = (g: GraphBuilder, a: Operand, b: Operand): Value => binary(g, 'Add', a, b);
export const sub = (g: GraphBuilder, a: Operand, b: Operand): Value => binary(g, 'Sub', a, b);
export const mul = (g: GraphBuilder, a: Operand, b: Operand): Value => binary(g, 'Mul', a, b);
export const div = (g: GraphBuilder, a: Operand, b: Operand): Value => binary(g, 'Div', a, b);
export const pow = (g: GraphBuilder, a: Operand, b: Operand): Value => binary(g, 'Pow', a, b);
export const min = (g: GraphBuilder, a: Operand, b: Operand): Value => binary(g, 'Min', a, b);
export const max = (g: GraphBuilder, a: Operand, b: Operand): Value => binary(g, 'Max', a, b);

/** Variadic Sum: one node for many addends (used to accumulate gradients). */
export function sum(g: GraphBuilder, values: readonly Value[]): Value {
  if (values.length === 0) throw new Error('Sum of no values');
  if (values.length === 1) return values[0]!;
  const checked = operands(g, 'Sum', values);
  return g.node1('Sum', checked, {}, { dtype: checked[0]!.dtype, shape: broadcastAll('Sum', checked) });
}

export function unary(g: GraphBuilder, opType: string, x: Value, attrs: Attrs = {}): Value {
  return g.node1(opType, [x], attrs, { dtype: x.dtype, shape: x.shape });
}

export const neg = (g: GraphBuilder, x: Value): Value => unary(g, 'Neg', x);
export const relu = (g: GraphBuilder, x: Value): Value => unary(g, 'Relu', x);
export const tanh = (g: GraphBuilder, x: Value): Value => unary(g, 'Tanh', x);
export const sigmoid = (g: GraphBuilder, x: Value): Value => unary(g, 'Sigmoid', x);
export const exp = (g: GraphBuilder, x: Value): Value => unary(g, 'Exp', x);
export const log = (g: GraphBuilder, x: Value): Value => unary(g, 'Log', x);
export const sqrt = (g: GraphBuilder, x: Value): Value => unary(g, 'Sqrt', x);
export const abs = (g: GraphBuilder, x: Value): Value => unary(g, 'Abs', x);
export const sign = (g: GraphBuilder, x: Value): Value => unary(g, 'Sign', x);
export const reciprocal = (g: GraphBuilder, x: Value): Value => unary(g, 'Reciprocal', x);
export const identity = (g: GraphBuilder, x: Value): Value => unary(g, 'Identity', x);
/** Float-only on the CPU provider (no double kernel), so it cannot be gradient-checked in float64. */
export const erf = (g: GraphBuilder, x: Value): Value => unary(g, 'Erf', x);

export const leakyRelu = (g: GraphBuilder, x: Value, alpha = 0.01): Value => unary(g, 'LeakyRelu', x, { alpha: attr.float(alpha) });

function compare(g: GraphBuilder, opType: string, a: Operand, b: Operand): Value {
  const values = operands(g, opType, [a, b]);
  return g.node1(opType, values, {}, { dtype: 'bool', shape: broadcastAll(opType, values) });
}

export const greater = (g: GraphBuilder, a: Operand, b: Operand): Value => compare(g, 'Greater', a, b);
export const less = (g: GraphBuilder, a: Operand, b: Operand): Value => compare(g, 'Less', a, b);
export const greaterOrEqual = (g: GraphBuilder, a: Operand, b: Operand): Value => compare(g, 'GreaterOrEqual', a, b);
export const lessOrEqual = (g: GraphBuilder, a: Operand, b: Operand): Value => compare(g, 'LessOrEqual', a, b);
export const equal = (g: GraphBuilder, a: Operand, b: Operand): Value => compare(g, 'Equal', a, b);

export function not(g: GraphBuilder, x: Value): Value {
  return g.node1('Not', [x], {}, { dtype: 'bool', shape: x.shape });
}

/** Where(cond, a, b): a number branch takes the dtype of the other branch. */
export function where(g: GraphBuilder, cond: Value, a: Operand, b: Operand): Value {
  if (cond.dtype !== 'bool') throw new Error(`Where: condition ${cond.name} must be bool`);
  const [va, vb] = operands(g, 'Where', [a, b]) as [Value, Value];
  return g.node1('Where', [cond, va, vb], {}, { dtype: va.dtype, shape: broadcastAll('Where', [cond, va, vb]) });
}

export function cast(g: GraphBuilder, x: Value, to: DType): Value {
  if (x.dtype === to) return x;
  return g.node1('Cast', [x], { to: attr.int(DTYPE_CODE[to]) }, { dtype: to, shape: x.shape });
}

export interface GemmOptions {
  readonly alpha?: number;
  readonly beta?: number;
  readonly transA?: boolean;
  readonly transB?: boolean;
}

/** Y = alpha·A'·B' + beta·C, with A' = Aᵀ if transA, B' = Bᵀ if transB; C broadcasts to [M, N]. */
export function gemm(g: GraphBuilder, a: Value, b: Value, c: Value | null, options: GemmOptions = {}): Value {
  if (a.rank !== 2 || b.rank !== 2) throw new Error(`Gemm needs 2-D operands, got ${a} and ${b}`);
  if (!isFloat(a.dtype)) throw new Error(`Gemm needs real operands, got ${a}`);
  const m = options.transA ? a.shape[1]! : a.shape[0]!;
  const n = options.transB ? b.shape[0]! : b.shape[1]!;
  const attrs: Record<string, Attr> = {};
  if (options.alpha !== undefined && options.alpha !== 1) attrs.alpha = attr.float(options.alpha);
  if (options.beta !== undefined && options.beta !== 1) attrs.beta = attr.float(options.beta);
  if (options.transA) attrs.transA = attr.int(1);
  if (options.transB) attrs.transB = attr.int(1);
  if (c) broadcastShapes(c.shape, [m, n]);
  return g.node1('Gemm', c ? [a, b, c] : [a, b], attrs, { dtype: a.dtype, shape: [m, n] });
}

/** numpy matmul: batch dims broadcast; 1-D operands are promoted and the added axis removed. */
export function matmul(g: GraphBuilder, a: Value, b: Value): Value {
  if (a.dtype !== b.dtype) throw new Error(`MatMul: mixed element types ${a} and ${b}`);
  return g.node1('MatMul', [a, b], {}, { dtype: a.dtype, shape: matmulShape(a.shape, b.shape) });
}

export function matmulShape(a: Shape, b: Shape): Dim[] {
  if (a.length === 0 || b.length === 0) throw new Error('MatMul of a scalar');
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  const out: Dim[] = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]!);
  if (b.length > 1) out.push(b2[b2.length - 1]!);
  const ka = a2[a2.length - 1]!;
  const kb = b2[b2.length - 2]!;
  if (typeof ka === 'number' && typeof kb === 'number' && ka !== kb) throw new Error(`MatMul: inner dims differ in ${formatShape(a)} × ${formatShape(b)}`);
  return out;
}
