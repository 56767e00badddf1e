/**
 * Losses, built from primitives whose backward rules are each gradient-checked, so a loss needs
 * no rule of its own. Each returns the mean over the batch as a rank-0 value.
 */
import type { GraphBuilder, Value } from '../builder';
import { isFloat } from '../dtype';
import { abs, add, cast, equal, exp, lessOrEqual, log, mul, neg, relu, sub, where } from './math';
import { logSoftmax } from './nn';
import { reduceMean, reduceSum } from './reduce';
import { unsqueeze } from './shape';

/**
 * Softmax cross-entropy over logits [N, C], computed stably from LogSoftmax. `targets` are int64
 * class labels [N] (TOOLCHAIN: labels are int64) or class probabilities [N, C] of the logits'
 * dtype. Labels become a one-hot mask with Equal against 0..C−1 rather than OneHot, which the CPU
 * provider lacks for double outputs.
 */
export function softmaxCrossEntropy(g: GraphBuilder, logits: Value, targets: Value): Value {
  if (logits.rank !== 2) throw new Error(`softmaxCrossEntropy wants logits [N, C], got ${logits}`);
  const classes = logits.shape[1];
  let distribution: Value;
  if (targets.dtype === 'int64') {
    if (typeof classes !== 'number') throw new Error(`the class count of ${logits} must be known`);
    const range = g.constant('int64', [classes], Array.from({ length: classes }, (_, i) => i));
    distribution = cast(g, equal(g, unsqueeze(g, targets, [1]), range), logits.dtype);
  } else if (targets.dtype === logits.dtype) {
    distribution = targets;
  } else {
    throw new Error(`softmaxCrossEntropy targets must be int64 labels or ${logits.dtype} probabilities, got ${targets}`);
  }
  const logProbabilities = logSoftmax(g, logits, 1);
  const picked = reduceSum(g, mul(g, logProbabilities, distribution), [1], false);
  return neg(g, reduceMean(g, picked, undefined, false));
}

/**
 * Binary cross-entropy from logits z and targets y in [0, 1]:
 * max(z, 0) − z·y + log(1 + exp(−|z|)), which never exponentiates a large positive number.
 * (Softplus would be one op, but the CPU provider has no double kernel for it.)
 */
export function binaryCrossEntropyWithLogits(g: GraphBuilder, logits: Value, targets: Value): Value {
  requireReal('binaryCrossEntropyWithLogits', logits, targets);
  const softplus = log(g, add(g, exp(g, neg(g, abs(g, logits))), 1));
  const perItem = add(g, sub(g, relu(g, logits), mul(g, logits, targets)), softplus);
  return reduceMean(g, perItem, undefined, false);
}

export function meanSquaredError(g: GraphBuilder, predictions: Value, targets: Value): Value {
  requireReal('meanSquaredError', predictions, targets);
  const d = sub(g, predictions, targets);
  return reduceMean(g, mul(g, d, d), undefined, false);
}

/** Huber loss (PyTorch's HuberLoss): ½d² where |d| ≤ delta, else delta·(|d| − ½delta). */
export function huber(g: GraphBuilder, predictions: Value, targets: Value, delta = 1): Value {
  requireReal('huber', predictions, targets);
  if (!(delta > 0)) throw new Error(`huber delta must be positive, got ${delta}`);
  const d = sub(g, predictions, targets);
  const a = abs(g, d);
  const quadratic = mul(g, mul(g, d, d), 0.5);
  const linear = mul(g, sub(g, a, 0.5 * delta), delta);
  return reduceMean(g, where(g, lessOrEqual(g, a, delta), quadratic, linear), undefined, false);
}

function requireReal(name: string, a: Value, b: Value): void {
  if (!isFloat(a.dtype) || a.dtype !== b.dtype) throw new Error(`${name} wants two real tensors of one dtype, got ${a} and ${b}`);
}
