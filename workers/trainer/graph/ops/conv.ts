/**
 * 2-D convolution and pooling over NCHW tensors. Spatial dims must be numbers: the output size is
 * computed here at build time, and the backward rules (autodiff/rules/conv.ts) need it to make
 * their transposed convolutions come out at exactly the input's size. The batch dim may be
 * symbolic. Flatten lives with the shape ops (`op.flatten`).
 *
 * The CPU provider (onnxruntime-node 1.30) has no double kernel for Conv, ConvTranspose,
 * AveragePool or GlobalAveragePool (MaxPool has one), so graphs using them run in float32 and
 * their gradient checks use gradCheck's float mode.
 */
import { attr, type Attr } from '../attributes';
import type { GraphBuilder, Value } from '../builder';
import type { Dim } from '../shape';

/** One number for both spatial axes, or [height, width]. */
export type Pair = number | readonly [number, number];
/** One number for all four sides, or ONNX order [top, left, bottom, right]. */
export type Pads = number | readonly [number, number, number, number];

export interface ConvOptions {
  readonly strides?: Pair;
  readonly pads?: Pads;
  readonly dilations?: Pair;
  /** Channels are split into this many groups; input and output channels must divide by it. */
  readonly group?: number;
}

export interface ConvTransposeOptions extends ConvOptions {
  /** Extra rows/columns at the bottom/right of the output (each below the stride). */
  readonly outputPadding?: Pair;
}

export interface PoolOptions {
  readonly kernel: Pair;
  /** ONNX's default is 1 (PyTorch's is the kernel size): pass it for non-overlapping windows. */
  readonly strides?: Pair;
  readonly pads?: Pads;
}

export interface AveragePoolOptions extends PoolOptions {
  /** Whether padded zeros count in a window's divisor (ONNX default: no). */
  readonly countIncludePad?: boolean;
}

/** Resolved geometry of a 2-D window op, as the ONNX attributes hold it. */
export interface Window2d {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly dilations: readonly [number, number];
}

const pair = (p: Pair | undefined, fallback: number): [number, number] => (p === undefined ? [fallback, fallback] : typeof p === 'number' ? [p, p] : [p[0], p[1]]);
const pads4 = (p: Pads | undefined): [number, number, number, number] => (p === undefined ? [0, 0, 0, 0] : typeof p === 'number' ? [p, p, p, p] : [p[0], p[1], p[2], p[3]]);

/** Height and width of x, which must be known numbers. */
export function spatialDims(x: Value, opType: string): [number, number] {
  const [h, w] = [x.shape[2], x.shape[3]];
  if (x.rank !== 4 || typeof h !== 'number' || typeof w !== 'number') throw new Error(`${opType} needs an NCHW input with known height and width, got ${x}`);
  return [h, w];
}

/** floor((in + pads − dilated kernel) / stride) + 1 per spatial axis (ceil_mode 0). */
export function windowOutput(opType: string, [h, w]: readonly [number, number], win: Window2d): [number, number] {
  const out = [h, w].map((size, a) => {
    const span = (win.kernel[a]! - 1) * win.dilations[a]! + 1;
    const padded = size + win.pads[a]! + win.pads[a + 2]!;
    if (padded < span) throw new Error(`${opType}: window ${span} exceeds padded size ${padded} on spatial axis ${a}`);
    return Math.floor((padded - span) / win.strides[a]!) + 1;
  });
  return [out[0]!, out[1]!];
}

/** AveragePool has no dilations attribute at opset 17, hence the flag. */
function windowAttrs(win: Window2d, withDilations = true): Record<string, Attr> {
  const attrs: Record<string, Attr> = { kernel_shape: attr.ints(win.kernel), strides: attr.ints(win.strides), pads: attr.ints(win.pads) };
  if (withDilations) attrs.dilations = attr.ints(win.dilations);
  return attrs;
}

function convGeometry(w: Value, options: ConvOptions): Window2d {
  const [kh, kw] = [w.shape[2], w.shape[3]];
  if (w.rank !== 4 || typeof kh !== 'number' || typeof kw !== 'number') throw new Error(`conv weights must be [M, C/group, kh, kw] with known kh, kw, got ${w}`);
  return { kernel: [kh, kw], strides: pair(options.strides, 1), pads: pads4(options.pads), dilations: pair(options.dilations, 1) };
}

function checkChannels(what: string, actual: Dim | undefined, expected: Dim | undefined): void {
  if (typeof actual === 'number' && typeof expected === 'number' && actual !== expected) throw new Error(`${what}: ${actual} channels where ${expected} are expected`);
}

/** ONNX Conv: x [N, C, H, W], w [M, C/group, kh, kw], b [M] or null → [N, M, Ho, Wo]. */
export function conv(g: GraphBuilder, x: Value, w: Value, b: Value | null, options: ConvOptions = {}): Value {
  const win = convGeometry(w, options);
  const group = options.group ?? 1;
  const [c, m] = [x.shape[1], w.shape[0]];
  checkChannels('Conv input', typeof c === 'number' ? c / group : c, w.shape[1]);
  if (typeof m === 'number' && m % group !== 0) throw new Error(`Conv: ${m} output channels do not divide into ${group} groups`);
  const [ho, wo] = windowOutput('Conv', spatialDims(x, 'Conv'), win);
  const attrs = { ...windowAttrs(win), group: attr.int(group) };
  return g.node1('Conv', [x, w, b], attrs, { dtype: x.dtype, shape: [x.shape[0]!, m!, ho, wo] });
}

/**
 * ONNX ConvTranspose, the adjoint of Conv with the same weights: x [N, M, H, W],
 * w [M, C/group, kh, kw] → [N, C, Ho, Wo] with Ho = s·(H−1) + op + d·(kh−1) + 1 − pads.
 */
export function convTranspose(g: GraphBuilder, x: Value, w: Value, b: Value | null, options: ConvTransposeOptions = {}): Value {
  const win = convGeometry(w, options);
  const group = options.group ?? 1;
  const [c, m] = [w.shape[1], x.shape[1]];
  checkChannels('ConvTranspose input', m, w.shape[0]);
  const extra = pair(options.outputPadding, 0);
  const [h, wd] = spatialDims(x, 'ConvTranspose');
  const out = [h, wd].map((size, a) => win.strides[a]! * (size - 1) + extra[a]! + (win.kernel[a]! - 1) * win.dilations[a]! + 1 - win.pads[a]! - win.pads[a + 2]!);
  const attrs = { ...windowAttrs(win), group: attr.int(group), output_padding: attr.ints(extra) };
  return g.node1('ConvTranspose', [x, w, b], attrs, { dtype: x.dtype, shape: [x.shape[0]!, typeof c === 'number' ? c * group : g.unknownDim(), out[0]!, out[1]!] });
}

function poolGeometry(options: PoolOptions): Window2d {
  return { kernel: pair(options.kernel, 1), strides: pair(options.strides, 1), pads: pads4(options.pads), dilations: [1, 1] };
}

/**
 * MaxPool with its Indices output, which the backward rule scatters the gradient through. The
 * runtime's indices are positions in the flattened, unpadded input, N and C offsets included
 * (rules-conv-exact.test.ts checks this). With Indices the CPU provider runs a slower MaxPool
 * kernel than without, but a whole training step still ran faster this way than with an
 * Indices-free MaxPool and an ArgMax-over-windows backward.
 */
export function maxPool(g: GraphBuilder, x: Value, options: PoolOptions & { readonly indices?: boolean }): Value {
  const win = poolGeometry(options);
  const [ho, wo] = windowOutput('MaxPool', spatialDims(x, 'MaxPool'), win);
  const shape = [x.shape[0]!, x.shape[1]!, ho, wo];
  // Asking for Indices selects a much slower CPU kernel: forward-only graphs (validation, export) go without.
  const outputs = options.indices === false ? [{ dtype: x.dtype, shape }] : [{ dtype: x.dtype, shape }, { dtype: 'int64' as const, shape }];
  const [y] = g.node('MaxPool', [x], windowAttrs(win), outputs);
  return y!;
}

export function averagePool(g: GraphBuilder, x: Value, options: AveragePoolOptions): Value {
  const win = poolGeometry(options);
  const [ho, wo] = windowOutput('AveragePool', spatialDims(x, 'AveragePool'), win);
  const attrs = { ...windowAttrs(win, false), count_include_pad: attr.int(options.countIncludePad ?? false) };
  return g.node1('AveragePool', [x], attrs, { dtype: x.dtype, shape: [x.shape[0]!, x.shape[1]!, ho, wo] });
}

/** [N, C, H, W] → [N, C, 1, 1]. */
export function globalAveragePool(g: GraphBuilder, x: Value): Value {
  spatialDims(x, 'GlobalAveragePool');
  return g.node1('GlobalAveragePool', [x], {}, { dtype: x.dtype, shape: [x.shape[0]!, x.shape[1]!, 1, 1] });
}
