/** Neural-network ops: softmax family, LayerNormalization, Dropout, GELU. */
import { attr, type Attr } from '../attributes';
import type { GraphBuilder, Value } from '../builder';
import { normalizeAxis } from '../shape';
import { add, cast, mul, tanh } from './math';

export const softmax = (g: GraphBuilder, x: Value, axis = -1): Value => g.node1('Softmax', [x], { axis: attr.int(axis) }, { dtype: x.dtype, shape: x.shape });
export const logSoftmax = (g: GraphBuilder, x: Value, axis = -1): Value => g.node1('LogSoftmax', [x], { axis: attr.int(axis) }, { dtype: x.dtype, shape: x.shape });

export interface LayerNormOptions {
  readonly axis?: number;
  readonly epsilon?: number;
}

/**
 * LayerNormalization (opset 17) over axes [axis, rank). It also emits the Mean and InvStdDev
 * outputs, which the backward rule reuses instead of recomputing them. Those are stashed in
 * float (stash_type 1: the CPU provider has no double stash kernel), so for a double graph the
 * backward recomputes them in double, while Y itself is computed in double either way.
 */
export function layerNorm(g: GraphBuilder, x: Value, scale: Value, bias: Value | null, options: LayerNormOptions = {}): Value {
  const axis = normalizeAxis(options.axis ?? -1, x.rank);
  const stats = x.shape.map((d, i) => (i < axis ? d : 1));
  const attrs: Record<string, Attr> = { axis: attr.int(axis), epsilon: attr.float(options.epsilon ?? 1e-5), stash_type: attr.int(1) };
  const [y] = g.node('LayerNormalization', [x, scale, bias], attrs, [
    { dtype: x.dtype, shape: x.shape },
    { dtype: 'float', shape: stats },
    { dtype: 'float', shape: stats },
  ]);
  return y!;
}

export type DropoutOptions =
  /** The ONNX Dropout op; it draws a new mask on every run (seeded per session by `seed`). */
  | { readonly ratio: number; readonly training?: boolean | Value; readonly seed?: number; readonly mask?: undefined }
  /** A mask computed elsewhere (bool or 0/1 reals, shaped like x or broadcastable to it). */
  | { readonly ratio: number; readonly mask: Value };

/**
 * Inverted dropout: y = x·mask / (1 − ratio). The mask is an output, and the backward rule
 * multiplies by the same mask and scale, so forward and backward agree on which units dropped.
 * With `mask` given the result is deterministic, which the gradient checks rely on.
 */
export function dropout(g: GraphBuilder, x: Value, options: DropoutOptions): { output: Value; mask: Value } {
  if (!(options.ratio >= 0 && options.ratio < 1)) throw new Error(`dropout ratio must be in [0, 1), got ${options.ratio}`);
  if (options.mask) {
    const scaled = mul(g, cast(g, options.mask, x.dtype), 1 / (1 - options.ratio));
    return { output: mul(g, x, scaled), mask: options.mask };
  }
  const training = typeof options.training === 'object' ? options.training : g.constant('bool', [], [options.training ?? true]);
  const attrs: Record<string, Attr> = options.seed === undefined ? {} : { seed: attr.int(options.seed) };
  const [output, mask] = g.node('Dropout', [x, g.scalar(options.ratio, x.dtype), training], attrs, [
    { dtype: x.dtype, shape: x.shape },
    { dtype: 'bool', shape: x.shape },
  ]);
  return { output: output!, mask: mask! };
}

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/**
 * GELU, tanh approximation (PyTorch's `approximate='tanh'`):
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). Opset 17 has no Gelu op, and the CPU provider has
 * no double Erf kernel, so the exact erf form could not be gradient-checked in float64; built from
 * primitives, its gradient comes from the primitives' rules.
 */
export function gelu(g: GraphBuilder, x: Value): Value {
  const x3 = mul(g, mul(g, x, x), x);
  const inner = mul(g, add(g, x, mul(g, x3, GELU_K)), GELU_C);
  const half = mul(g, x, 0.5);
  return mul(g, half, add(g, tanh(g, inner), 1));
}
