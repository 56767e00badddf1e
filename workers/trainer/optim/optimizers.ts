/**
 * Optimizers as graph updates over the flat parameter vector θ, following PyTorch's single-tensor
 * (for-loop) implementations operation by operation, so a step here tracks torch.optim's:
 *
 * SGD (torch.optim.SGD, dampening 0):
 *   d = g + wd·θ;  buf = μ·buf + d  (PyTorch's first-step `buf = d` equals this with buf₀ = 0);
 *   d = nesterov ? d + μ·buf : buf;  θ = θ + (−lr)·d
 * Adam / AdamW (torch.optim.Adam/AdamW, amsgrad off):
 *   AdamW: θ = θ·(1 − lr·wd)  (decoupled);  Adam: g = g + wd·θ  (L2)
 *   m = lerp(m, g, 1 − β1);  v = β2·v + (1 − β2)·g·g
 *   θ = θ + (−lr/(1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 *
 * Scalars that PyTorch computes in Python doubles (bias corrections, lr/bc1, 1 − lr·wd) are
 * computed here in double from the fed lr (double) and step number (int64, 1-based), then cast
 * to float, as PyTorch's kernels cast a Python scalar to the tensor's float. The learning rate
 * comes in per step so schedules stay in JS (schedule.ts); the step number comes in so the bias
 * correction needs no carried counter.
 *
 * State (momentum buffer / m, v) are flat float vectors shaped like θ, carried by the caller as
 * graph inputs and outputs (and Loop-carried values in the fused graph).
 */
import { invalid } from '../../../shared/errors';
import { type GraphBuilder, type Value, op } from '../graph/index';

export type OptimizerConfig =
  | { readonly kind: 'sgd'; readonly lr: number; readonly momentum?: number; readonly nesterov?: boolean; readonly weightDecay?: number }
  | { readonly kind: 'adam' | 'adamw'; readonly lr: number; readonly betas?: readonly [number, number]; readonly eps?: number; readonly weightDecay?: number };

export type OptimizerKind = OptimizerConfig['kind'];

export interface ResolvedOptimizer {
  readonly kind: OptimizerKind;
  /** Base learning rate; the schedule scales it per step. */
  readonly lr: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

/** PyTorch's defaults: Adam wd 0, AdamW wd 0.01, β (0.9, 0.999), ε 1e-8; SGD momentum 0. */
export function resolveOptimizer(config: OptimizerConfig): ResolvedOptimizer {
  if (!(config.lr >= 0) || !Number.isFinite(config.lr)) throw invalid(`learning rate must be a finite number ≥ 0, got ${config.lr}`);
  if (config.kind === 'sgd') {
    const momentum = config.momentum ?? 0;
    const nesterov = config.nesterov ?? false;
    if (!(momentum >= 0)) throw invalid(`momentum must be ≥ 0, got ${momentum}`);
    if (nesterov && momentum <= 0) throw invalid('Nesterov momentum requires a momentum > 0 (as in PyTorch)');
    return { kind: 'sgd', lr: config.lr, momentum, nesterov, weightDecay: nonNegative('weightDecay', config.weightDecay ?? 0), beta1: 0, beta2: 0, eps: 0 };
  }
  if (config.kind !== 'adam' && config.kind !== 'adamw') throw invalid(`unknown optimizer "${String((config as { kind: unknown }).kind)}"; use sgd, adam or adamw`);
  const [beta1, beta2] = config.betas ?? [0.9, 0.999];
  for (const [name, b] of [['β1', beta1], ['β2', beta2]] as const) if (!(b >= 0 && b < 1)) throw invalid(`${name} must be in [0, 1), got ${b}`);
  const eps = config.eps ?? 1e-8;
  if (!(eps >= 0)) throw invalid(`eps must be ≥ 0, got ${eps}`);
  const weightDecay = nonNegative('weightDecay', config.weightDecay ?? (config.kind === 'adamw' ? 0.01 : 0));
  return { kind: config.kind, lr: config.lr, momentum: 0, nesterov: false, weightDecay, beta1, beta2, eps };
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0)) throw invalid(`${name} must be ≥ 0, got ${value}`);
  return value;
}

/** Names of the state vectors, PyTorch's: momentum_buffer, or exp_avg and exp_avg_sq. */
export function optimizerStateNames(opt: ResolvedOptimizer): string[] {
  if (opt.kind === 'sgd') return opt.momentum > 0 ? ['momentum_buffer'] : [];
  return ['exp_avg', 'exp_avg_sq'];
}

export function initialOptimizerState(opt: ResolvedOptimizer, size: number): Float32Array[] {
  return optimizerStateNames(opt).map(() => new Float32Array(size));
}

export interface UpdateInputs {
  readonly theta: Value;
  /** dLoss/dθ (already clipped, if clipping is on). */
  readonly grad: Value;
  readonly state: readonly Value[];
  /** This step's learning rate, a double scalar. */
  readonly lr: Value;
  /** This step's number, 1-based, an int64 scalar. */
  readonly step: Value;
}

export interface UpdateResult {
  readonly theta: Value;
  readonly state: Value[];
}

export function optimizerUpdate(g: GraphBuilder, opt: ResolvedOptimizer, inputs: UpdateInputs): UpdateResult {
  const expected = optimizerStateNames(opt).length;
  if (inputs.state.length !== expected) throw new Error(`${opt.kind} carries ${expected} state vectors, got ${inputs.state.length}`);
  if (inputs.lr.dtype !== 'double' || inputs.lr.rank !== 0) throw new Error(`the learning rate must be a double scalar, got ${inputs.lr}`);
  if (inputs.step.dtype !== 'int64' || inputs.step.rank !== 0) throw new Error(`the step number must be an int64 scalar, got ${inputs.step}`);
  return opt.kind === 'sgd' ? sgd(g, opt, inputs) : adam(g, opt, inputs);
}

/** A double scalar computed from fed values, cast to the graph's float type for the vector ops. */
const toFloat = (g: GraphBuilder, x: Value, like: Value): Value => op.cast(g, x, like.dtype);

function sgd(g: GraphBuilder, opt: ResolvedOptimizer, { theta, grad, state, lr }: UpdateInputs): UpdateResult {
  let d = opt.weightDecay > 0 ? op.add(g, grad, op.mul(g, theta, opt.weightDecay)) : grad;
  const nextState: Value[] = [];
  if (opt.momentum > 0) {
    const buf = op.add(g, op.mul(g, state[0]!, opt.momentum), d);
    nextState.push(buf);
    d = opt.nesterov ? op.add(g, d, op.mul(g, buf, opt.momentum)) : buf;
  }
  const negLr = toFloat(g, op.neg(g, lr), theta);
  return { theta: op.add(g, theta, op.mul(g, d, negLr)), state: nextState };
}

function adam(g: GraphBuilder, opt: ResolvedOptimizer, { theta, grad, state, lr, step }: UpdateInputs): UpdateResult {
  let p = theta;
  let d = grad;
  if (opt.weightDecay > 0 && opt.kind === 'adamw') p = op.mul(g, p, toFloat(g, op.sub(g, 1, op.mul(g, lr, opt.weightDecay)), p));
  if (opt.weightDecay > 0 && opt.kind === 'adam') d = op.add(g, d, op.mul(g, p, opt.weightDecay));
  const [m0, v0] = state as [Value, Value];
  const m = lerp(g, m0, d, 1 - opt.beta1);
  const v = op.add(g, op.mul(g, v0, opt.beta2), op.mul(g, op.mul(g, d, 1 - opt.beta2), d));
  const t = op.cast(g, step, 'double');
  const bc1 = op.sub(g, 1, op.pow(g, g.scalar(opt.beta1, 'double'), t));
  const bc2 = op.sub(g, 1, op.pow(g, g.scalar(opt.beta2, 'double'), t));
  const negStepSize = toFloat(g, op.neg(g, op.div(g, lr, bc1)), p);
  const bc2Sqrt = toFloat(g, op.sqrt(g, bc2), p);
  const denom = op.add(g, op.div(g, op.sqrt(g, v), bc2Sqrt), opt.eps);
  return { theta: op.add(g, p, op.mul(g, op.div(g, m, denom), negStepSize)), state: [m, v] };
}

/** torch.lerp's CPU formula, branch chosen by the weight as PyTorch does. */
function lerp(g: GraphBuilder, start: Value, end: Value, weight: number): Value {
  if (weight < 0.5) return op.add(g, start, op.mul(g, op.sub(g, end, start), weight));
  return op.sub(g, end, op.mul(g, op.sub(g, end, start), 1 - weight));
}

/**
 * torch.nn.utils.clip_grad_norm_ over the whole θ: coef = min(maxNorm / (‖g‖₂ + 1e-6), 1),
 * g·coef. Applied before the update (and before weight decay is added, as in PyTorch, where
 * clipping touches .grad and the optimizer adds the decay inside step()).
 */
export function clipGradNorm(g: GraphBuilder, grad: Value, maxNorm: number): { grad: Value; norm: Value } {
  if (!(maxNorm > 0)) throw invalid(`clipping needs a max norm > 0, got ${maxNorm}`);
  const norm = op.sqrt(g, op.reduceSumSquare(g, grad, undefined, false));
  const coef = op.min(g, op.div(g, g.scalar(maxNorm, grad.dtype), op.add(g, norm, 1e-6)), 1);
  return { grad: op.mul(g, grad, coef), norm };
}
