/** Backward rules of the softmax family, LayerNormalization and Dropout. */
import { type Value, attrFloat, attrInt, op } from '../../graph/index';
import { normalizeAxis } from '../../graph/shape';
import { unbroadcast } from '../reduce-grad';
import { type RuleContext, type RuleTable, dy0, input, output, per } from '../rule';

export const nnRules: RuleTable = {
  // y = x − log Σ exp x: dx = dy − softmax(x)·Σ dy, with softmax(x) = exp(y).
  LogSoftmax: (ctx) => {
    const { g } = ctx;
    const y = output(ctx, 0);
    const axis = normalizeAxis(attrInt(ctx.node.attrs, 'axis', -1), y.rank);
    const dy = dy0(ctx);
    return [op.sub(g, dy, op.mul(g, op.exp(g, y), op.reduceSum(g, dy, [axis], true)))];
  },
  // dx = y·(dy − Σ dy·y)
  Softmax: (ctx) => {
    const { g } = ctx;
    const y = output(ctx, 0);
    const axis = normalizeAxis(attrInt(ctx.node.attrs, 'axis', -1), y.rank);
    const dy = dy0(ctx);
    return [op.mul(g, y, op.sub(g, dy, op.reduceSum(g, op.mul(g, dy, y), [axis], true)))];
  },
  LayerNormalization: layerNormRule,
  Dropout: dropoutRule,
};

/**
 * y = x̂·γ + β with x̂ = (x − μ)·σ⁻¹ over axes [axis, rank). With ĝ = dy·γ:
 * dx = σ⁻¹·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)), dγ = Σ dy·x̂, dβ = Σ dy (over the leading axes).
 * μ and σ⁻¹ come from the op's own Mean/InvStdDev outputs when they have x's dtype (float
 * graphs); the CPU provider stashes them in float only, so double graphs recompute them in double.
 */
function layerNormRule(ctx: RuleContext) {
  const { g, node } = ctx;
  const x = input(ctx, 0);
  const scale = input(ctx, 1);
  const axis = normalizeAxis(attrInt(node.attrs, 'axis', -1), x.rank);
  const axes = [...x.shape.keys()].slice(axis);
  const dy = dy0(ctx);
  const [mean, invStd] = layerNormStats(ctx, x, axes);
  const xhat = op.mul(g, op.sub(g, x, mean), invStd);
  return per(
    ctx,
    () => {
      const gh = op.mul(g, dy, scale);
      const centred = op.sub(g, gh, op.reduceMean(g, gh, axes, true));
      const projected = op.mul(g, xhat, op.reduceMean(g, op.mul(g, gh, xhat), axes, true));
      return op.mul(g, op.sub(g, centred, projected), invStd);
    },
    () => unbroadcast(g, op.mul(g, dy, xhat), scale),
    () => unbroadcast(g, dy, input(ctx, 2)),
  );
}

function layerNormStats(ctx: RuleContext, x: Value, axes: readonly number[]): [Value, Value] {
  const { g, node } = ctx;
  const [, mean, invStd] = node.outputs;
  if (mean && invStd && mean.dtype === x.dtype && invStd.dtype === x.dtype) return [mean, invStd];
  const epsilon = attrFloat(node.attrs, 'epsilon', Math.fround(1e-5));
  const mu = op.reduceMean(g, x, axes, true);
  const d = op.sub(g, x, mu);
  const variance = op.reduceMean(g, op.mul(g, d, d), axes, true);
  return [mu, op.reciprocal(g, op.sqrt(g, op.add(g, variance, epsilon)))];
}

/**
 * y = x·mask·s with s = 1/(1 − ratio) in training mode, y = x otherwise (where the op reports an
 * all-true mask). The same mask output is reused, never redrawn; the scale is 1 when training_mode
 * is false or absent.
 */
function dropoutRule(ctx: RuleContext) {
  const { g, node } = ctx;
  const x = input(ctx, 0);
  const dy = dy0(ctx);
  const training = node.inputs[2] ?? null;
  const trainingConst = training ? op.constantInts(g, training) : [0];
  if (trainingConst && trainingConst[0] === 0) return [dy];
  const mask = node.outputs[1];
  if (!mask) throw new Error(`Dropout backward needs the mask output (${node.name}); build it with op.dropout`);
  const ratioInput = node.inputs[1] ?? null;
  const ratioConst = ratioInput ? g.constantValue(ratioInput) : undefined;
  let scale: Value | number;
  if (!ratioInput) scale = 2; // the default ratio is 0.5
  else if (ratioConst) scale = 1 / (1 - Number(ratioConst.data[0]));
  else scale = op.reciprocal(g, op.sub(g, 1, ratioInput));
  if (!trainingConst && training) scale = op.where(g, training, typeof scale === 'number' ? g.scalar(scale, x.dtype) : scale, 1);
  const masked = op.mul(g, dy, op.cast(g, mask, x.dtype));
  return [op.mul(g, masked, scale)];
}
