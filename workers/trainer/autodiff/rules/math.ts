/**
 * Backward rules of elementwise and linear-algebra ops. Binary ops broadcast (numpy), so each
 * input's gradient is summed back to that input's shape (unbroadcast). Activation rules read the
 * op's OUTPUT where it suffices (Relu, Tanh, Sigmoid, Exp, Sqrt): the forward's pre-activation
 * then has a single consumer, which lets the runtime fuse Gemm+Relu (TOOLCHAIN).
 */
import { attrFloat, attrInt, op } from '../../graph/index';
import { unbroadcast } from '../reduce-grad';
import { type RuleContext, type RuleTable, dy0, input, output, per } from '../rule';

const unb = (ctx: RuleContext, grad: ReturnType<typeof dy0>, i: number) => unbroadcast(ctx.g, grad, input(ctx, i));

export const mathRules: RuleTable = {
  Add: (ctx) => per(ctx, () => unb(ctx, dy0(ctx), 0), () => unb(ctx, dy0(ctx), 1)),
  Sub: (ctx) => per(ctx, () => unb(ctx, dy0(ctx), 0), () => unb(ctx, op.neg(ctx.g, dy0(ctx)), 1)),
  Mul: (ctx) => {
    const { g } = ctx;
    return per(
      ctx,
      () => unb(ctx, op.mul(g, dy0(ctx), input(ctx, 1)), 0),
      () => unb(ctx, op.mul(g, dy0(ctx), input(ctx, 0)), 1),
    );
  },
  // y = a / b: da = dy / b, db = −dy·a / b² = −dy·y / b.
  Div: (ctx) => {
    const { g } = ctx;
    return per(
      ctx,
      () => unb(ctx, op.div(g, dy0(ctx), input(ctx, 1)), 0),
      () => unb(ctx, op.neg(g, op.div(g, op.mul(g, dy0(ctx), output(ctx, 0)), input(ctx, 1))), 1),
    );
  },
  Sum: (ctx) => ctx.node.inputs.map((_, i) => (ctx.needs[i] ? unb(ctx, dy0(ctx), i) : null)),
  Neg: (ctx) => [op.neg(ctx.g, dy0(ctx))],
  Identity: (ctx) => [dy0(ctx)],
  // A real-to-real Cast (float ↔ double); casts from ints/bools never carry gradient.
  Cast: (ctx) => [op.cast(ctx.g, dy0(ctx), input(ctx, 0).dtype)],

  Relu: (ctx) => [op.where(ctx.g, op.greater(ctx.g, output(ctx, 0), 0), dy0(ctx), 0)],
  // alpha is the float32 value the runtime uses (attributes are stored rounded). For alpha > 0,
  // y > 0 exactly where x > 0, so the output serves as the mask here too.
  LeakyRelu: (ctx) => {
    const { g } = ctx;
    const alpha = attrFloat(ctx.node.attrs, 'alpha', Math.fround(0.01));
    const positive = op.greater(g, alpha > 0 ? output(ctx, 0) : input(ctx, 0), 0);
    return [op.where(g, positive, dy0(ctx), op.mul(g, dy0(ctx), alpha))];
  },
  Tanh: (ctx) => {
    const y = output(ctx, 0);
    return [op.mul(ctx.g, dy0(ctx), op.sub(ctx.g, 1, op.mul(ctx.g, y, y)))];
  },
  Sigmoid: (ctx) => {
    const y = output(ctx, 0);
    return [op.mul(ctx.g, dy0(ctx), op.mul(ctx.g, y, op.sub(ctx.g, 1, y)))];
  },
  Exp: (ctx) => [op.mul(ctx.g, dy0(ctx), output(ctx, 0))],
  Log: (ctx) => [op.div(ctx.g, dy0(ctx), input(ctx, 0))],
  Sqrt: (ctx) => [op.div(ctx.g, op.mul(ctx.g, dy0(ctx), 0.5), output(ctx, 0))],
  Reciprocal: (ctx) => {
    const y = output(ctx, 0);
    return [op.neg(ctx.g, op.mul(ctx.g, dy0(ctx), op.mul(ctx.g, y, y)))];
  },
  // d|x| = sign(x); at exactly 0 the gradient is 0 (a subgradient).
  Abs: (ctx) => [op.mul(ctx.g, dy0(ctx), op.sign(ctx.g, input(ctx, 0)))],

  Where: (ctx) => {
    const { g } = ctx;
    const cond = input(ctx, 0);
    return per(ctx, null, () => unb(ctx, op.where(g, cond, dy0(ctx), 0), 1), () => unb(ctx, op.where(g, cond, 0, dy0(ctx)), 2));
  },
  // On ties the first operand gets the gradient (as PyTorch's minimum/maximum split it is a subgradient).
  Min: (ctx) => minMax(ctx, 'LessOrEqual'),
  Max: (ctx) => minMax(ctx, 'GreaterOrEqual'),

  Gemm: (ctx) => gemmRule(ctx),
  MatMul: (ctx) => matmulRule(ctx),
};

function minMax(ctx: RuleContext, comparison: 'LessOrEqual' | 'GreaterOrEqual') {
  const { g } = ctx;
  if (ctx.node.inputs.length !== 2) throw new Error(`${ctx.node.opType} backward supports two operands, ${ctx.node.name} has ${ctx.node.inputs.length}`);
  const a = input(ctx, 0);
  const b = input(ctx, 1);
  const first = comparison === 'LessOrEqual' ? op.lessOrEqual(g, a, b) : op.greaterOrEqual(g, a, b);
  return per(ctx, () => unb(ctx, op.where(g, first, dy0(ctx), 0), 0), () => unb(ctx, op.where(g, first, 0, dy0(ctx)), 1));
}

/**
 * Y = alpha·A'·B' + beta·C with A' = op(A), B' = op(B). Then dA' = alpha·dY·B'ᵀ and
 * dB' = alpha·A'ᵀ·dY; each is written as one Gemm whose trans flags absorb the transposes, so
 * no Transpose node is emitted. dC = beta·dY summed back to C's shape.
 */
function gemmRule(ctx: RuleContext) {
  const { g } = ctx;
  const a = input(ctx, 0);
  const b = input(ctx, 1);
  const dy = dy0(ctx);
  const alpha = attrFloat(ctx.node.attrs, 'alpha', 1);
  const beta = attrFloat(ctx.node.attrs, 'beta', 1);
  const transA = attrInt(ctx.node.attrs, 'transA', 0) === 1;
  const transB = attrInt(ctx.node.attrs, 'transB', 0) === 1;
  return per(
    ctx,
    () => (transA ? op.gemm(g, b, dy, null, { alpha, transA: transB, transB: true }) : op.gemm(g, dy, b, null, { alpha, transB: !transB })),
    () => (transB ? op.gemm(g, dy, a, null, { alpha, transA: true, transB: transA }) : op.gemm(g, a, dy, null, { alpha, transA: !transA })),
    () => unbroadcast(g, beta === 1 ? dy : op.mul(g, dy, beta), input(ctx, 2)),
  );
}

/** Batched matmul (rank ≥ 2): dA = dY·Bᵀ, dB = Aᵀ·dY over the last two axes, then unbroadcast. */
function matmulRule(ctx: RuleContext) {
  const { g } = ctx;
  const a = input(ctx, 0);
  const b = input(ctx, 1);
  if (a.rank < 2 || b.rank < 2) throw new Error(`MatMul backward needs operands of rank ≥ 2 (${ctx.node.name}: ${a}, ${b}); reshape vectors to matrices`);
  const swapLast = (x: typeof a) => op.transpose(g, x, [...x.shape.keys()].map((i) => (i === x.rank - 2 ? x.rank - 1 : i === x.rank - 1 ? x.rank - 2 : i)));
  const dy = dy0(ctx);
  // Plain matrices: Gemm's trans flags replace the Transpose nodes.
  if (a.rank === 2 && b.rank === 2) return per(ctx, () => op.gemm(g, dy, b, null, { transB: true }), () => op.gemm(g, a, dy, null, { transA: true }));
  return per(
    ctx,
    () => unbroadcast(g, op.matmul(g, dy, swapLast(b)), a),
    () => unbroadcast(g, op.matmul(g, swapLast(a), dy), b),
  );
}
