/** Shape helpers shared by rules: undoing broadcasting, and spreading a reduced gradient back. */
import { type GraphBuilder, type Value, op } from '../graph/index';
import { broadcastAxes } from '../graph/shape';

/**
 * Sums a gradient of the broadcast output shape back to `target`'s shape: over the leading axes
 * the target lacks, and over the axes where it has a literal 1. At most two ReduceSums, no
 * Reshape, both with constant axes decided at build time.
 */
export function unbroadcast(g: GraphBuilder, grad: Value, target: Value): Value {
  const { leading, ones } = broadcastAxes(target.shape, grad.shape);
  let result = grad;
  if (ones.length > 0) result = op.reduceSum(g, result, ones, true);
  if (leading.length > 0) result = op.reduceSum(g, result, leading, false);
  return result;
}

/** Expands `grad`, the gradient of a reduction of x over `axes`, back to x's shape. */
export function spread(g: GraphBuilder, grad: Value, x: Value, axes: readonly number[], keepdims: boolean): Value {
  const kept = keepdims || axes.length === 0 ? grad : op.unsqueeze(g, grad, axes);
  return op.expand(g, kept, op.shapeOf(g, x));
}

/** Number of elements averaged by a reduction of x over `axes`: a number, or a run-time value. */
export function reducedCount(g: GraphBuilder, x: Value, reduced: Value, axes: readonly number[]): number | Value {
  const dims = axes.map((a) => x.shape[a]!);
  if (dims.every((d) => typeof d === 'number')) return (dims as number[]).reduce((p, d) => p * d, 1);
  const ratio = op.div(g, op.size(g, x), op.size(g, reduced));
  return op.cast(g, ratio, x.dtype);
}
