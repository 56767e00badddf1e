/**
 * Backward rules of shape ops and reductions. Slice returns a SlicePiece rather than a padded
 * tensor, so the differentiation pass can join the pieces of a sliced flat parameter vector
 * with one Concat (see gradients.ts).
 */
import { type Value, attrInt, attrInts, op } from '../../graph/index';
import { normalizeAxis } from '../../graph/shape';
import { reducedCount, spread, unbroadcast } from '../reduce-grad';
import { type BackwardRule, type RuleContext, type RuleTable, dy0, input, output, per } from '../rule';

/** Shape-only ops: the gradient is dY reshaped back to the input's shape. */
const reshapeBack: BackwardRule = (ctx) => per(ctx, () => op.reshape(ctx.g, dy0(ctx), op.shapeOf(ctx.g, input(ctx, 0))));

export const shapeRules: RuleTable = {
  Reshape: reshapeBack,
  Flatten: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Transpose: (ctx) => {
    const x = input(ctx, 0);
    const perm = attrInts(ctx.node.attrs, 'perm') ?? [...x.shape.keys()].reverse();
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [op.transpose(ctx.g, dy0(ctx), inverse)];
  },
  Expand: (ctx) => per(ctx, () => unbroadcast(ctx.g, dy0(ctx), input(ctx, 0))),
  Slice: sliceRule,
  Concat: concatRule,
  Split: splitRule,
  ReduceSum: (ctx) => {
    const x = input(ctx, 0);
    const axesInput = ctx.node.inputs[1];
    const axes = axesInput ? constantAxes(ctx, axesInput, x.rank) : null;
    if (axes && axes.length === 0 && attrInt(ctx.node.attrs, 'noop_with_empty_axes', 0) === 1) return [dy0(ctx)];
    const reduced = axes && axes.length > 0 ? axes : [...x.shape.keys()];
    return [spread(ctx.g, dy0(ctx), x, reduced, attrInt(ctx.node.attrs, 'keepdims', 1) === 1)];
  },
  ReduceMean: (ctx) => {
    const { g } = ctx;
    const x = input(ctx, 0);
    const axes = (attrInts(ctx.node.attrs, 'axes') ?? [...x.shape.keys()]).map((a) => normalizeAxis(a, x.rank));
    const count = reducedCount(g, x, output(ctx, 0), axes);
    const scaled = typeof count === 'number' ? op.mul(g, dy0(ctx), 1 / count) : op.div(g, dy0(ctx), count);
    return [spread(g, scaled, x, axes, attrInt(ctx.node.attrs, 'keepdims', 1) === 1)];
  },
};

function constantAxes(ctx: RuleContext, value: Value, rank: number): number[] {
  const axes = op.constantInts(ctx.g, value);
  if (!axes) throw new Error(`${ctx.node.opType} backward needs constant axes (${ctx.node.name})`);
  return axes.map((a) => normalizeAxis(a, rank));
}

/**
 * Step-1 slices with constant bounds over static dims. A slice along one axis becomes a
 * SlicePiece; a slice along several axes is padded back with zeros here.
 */
function sliceRule(ctx: RuleContext) {
  const { g, node } = ctx;
  const x = input(ctx, 0);
  const [starts, ends, axesIn, steps] = [1, 2, 3, 4].map((i) => (node.inputs[i] ? op.constantInts(g, node.inputs[i]) : undefined));
  if (!starts || !ends || axesIn === null || steps === null) throw new Error(`Slice backward needs constant starts, ends, axes and steps (${node.name})`);
  const axes = (axesIn ?? starts.map((_, i) => i)).map((a) => normalizeAxis(a, x.rank));
  const cut: { axis: number; start: number; end: number; dim: number }[] = [];
  axes.forEach((axis, i) => {
    const dim = x.shape[axis];
    if (typeof dim !== 'number') throw new Error(`Slice backward needs a known size for axis ${axis} of ${x} (${node.name})`);
    if ((steps?.[i] ?? 1) !== 1) throw new Error(`Slice backward supports step 1 only (${node.name})`);
    const [start, end] = op.sliceRange(dim, starts[i]!, ends[i]!);
    if (start !== 0 || end !== dim) cut.push({ axis, start, end, dim });
  });
  const dy = dy0(ctx);
  if (cut.length === 0) return [dy];
  if (cut.length === 1) return [{ kind: 'slice' as const, axis: cut[0]!.axis, start: cut[0]!.start, end: cut[0]!.end, grad: dy }];
  const pads = new Array<number>(2 * x.rank).fill(0);
  for (const c of cut) {
    pads[c.axis] = c.start;
    pads[c.axis + x.rank] = c.dim - c.end;
  }
  return [op.pad(g, dy, pads)];
}

function concatRule(ctx: RuleContext) {
  const { g, node } = ctx;
  const first = input(ctx, 0);
  const axis = normalizeAxis(attrInt(node.attrs, 'axis', 0), first.rank);
  const sizes = node.inputs.map((v) => v?.shape[axis]);
  if (!sizes.every((s): s is number => typeof s === 'number')) throw new Error(`Concat backward needs known sizes along axis ${axis} (${node.name})`);
  if (sizes.length === 1) return [dy0(ctx)];
  return op.split(g, dy0(ctx), sizes, axis);
}

/** The inverse of Split is Concat; outputs no gradient reached contribute zeros. */
function splitRule(ctx: RuleContext) {
  const { g, node } = ctx;
  const axis = normalizeAxis(attrInt(node.attrs, 'axis', 0), input(ctx, 0).rank);
  const pieces = node.outputs.map((out, i) => ctx.dy[i] ?? op.zerosLike(g, out));
  return [pieces.length === 1 ? pieces[0]! : op.concat(g, pieces, axis)];
}
