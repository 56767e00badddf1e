/**
 * Evaluation metrics as pure functions over predictions (no onnxruntime, no DuckDB), with
 * scikit-learn's definitions so a number here is the number `sklearn.metrics` gives on the same
 * predictions. Classes are indices into the model's class list; probabilities are row-major
 * [rows, classes]. Where sklearn has options, the choice is the one named on each function.
 * The threshold curves (ROC, precision–recall, calibration) are in curves.ts.
 */
import { invalid } from '../../../shared/errors';

/** sklearn's log_loss clipping (its `eps=1e-15`, before 1.5 made it dtype-dependent). */
export const LOG_LOSS_EPSILON = 1e-15;

/**
 * Class names → indices into `classes`. A value the model has no class for is an error naming
 * it (log loss and the per-class curves are undefined for it, and accuracy would silently count
 * it as wrong).
 */
export function labelIndices(labels: readonly string[], classes: readonly string[]): Int32Array {
  const index = new Map(classes.map((name, i) => [name, i]));
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  checkKnownLabels(counts, classes);
  return Int32Array.from(labels, (label) => index.get(label)!);
}

/** Throws the error `labelIndices` gives when some of the target's values (with their row counts) are not classes. */
export function checkKnownLabels(counts: ReadonlyMap<string, number>, classes: readonly string[]): void {
  const known = new Set(classes);
  const unknown = [...counts].filter(([label]) => !known.has(label));
  if (unknown.length === 0) return;
  const listed = unknown.slice(0, 5).map(([label, count]) => `${JSON.stringify(label)} (${count} row${count === 1 ? '' : 's'})`);
  const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : '';
  throw invalid(`The target has values the model has no class for: ${listed.join(', ')}${more}. The model's classes are ${classes.map((name) => JSON.stringify(name)).join(', ')}.`);
}

export function accuracy(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths(truth, predicted);
  if (truth.length === 0) return 0;
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) correct++;
  return correct / truth.length;
}

/** counts[t][p]: rows of true class t predicted as p (rows = true, columns = predicted, class order). */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classCount: number): number[][] {
  checkLengths(truth, predicted);
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const row = matrix[truth[i]!];
    if (!row || predicted[i]! < 0 || predicted[i]! >= classCount) throw new Error(`row ${i}: class index out of range (true ${truth[i]}, predicted ${predicted[i]})`);
    row[predicted[i]!]!++;
  }
  return matrix;
}

export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Rows whose true class this is. */
  readonly support: number;
}

export interface AveragedScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface PrecisionRecallF1 {
  readonly perClass: ClassScores[];
  readonly macro: AveragedScores;
  readonly weighted: AveragedScores;
}

/**
 * sklearn's `precision_recall_fscore_support` with `zero_division=0`: a ratio with a zero
 * denominator is 0; F1 is 2·TP / (2·TP + FP + FN). `macro` averages the classes sklearn would
 * list by default — those in the true OR predicted labels (a class absent from both does not
 * drag the mean down) — and `weighted` weights each class by its support (true count).
 */
export function precisionRecallF1(matrix: readonly (readonly number[])[]): PrecisionRecallF1 {
  const k = matrix.length;
  const divide = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  const perClass: ClassScores[] = [];
  const present: boolean[] = [];
  for (let c = 0; c < k; c++) {
    const tp = matrix[c]![c]!;
    const support = matrix[c]!.reduce((sum, value) => sum + value, 0);
    const predicted = matrix.reduce((sum, row) => sum + row[c]!, 0);
    const fp = predicted - tp;
    const fn = support - tp;
    perClass.push({ precision: divide(tp, predicted), recall: divide(tp, support), f1: divide(2 * tp, 2 * tp + fp + fn), support });
    present.push(support > 0 || predicted > 0);
  }
  const average = (weight: (c: number) => number): AveragedScores => {
    let total = 0;
    const sums = { precision: 0, recall: 0, f1: 0 };
    perClass.forEach((scores, c) => {
      const w = weight(c);
      total += w;
      sums.precision += w * scores.precision;
      sums.recall += w * scores.recall;
      sums.f1 += w * scores.f1;
    });
    return { precision: divide(sums.precision, total), recall: divide(sums.recall, total), f1: divide(sums.f1, total) };
  };
  return { perClass, macro: average((c) => (present[c] ? 1 : 0)), weighted: average((c) => perClass[c]!.support) };
}

/**
 * Mean negative log-likelihood of the true class. Probabilities are clipped to [ε, 1 − ε]
 * (ε = 1e-15) and each row renormalized to sum to 1, as sklearn's `log_loss` does.
 */
export function logLoss(truth: ArrayLike<number>, probabilities: ArrayLike<number>, classCount: number): number {
  const rows = truth.length;
  if (probabilities.length !== rows * classCount) throw new Error(`${probabilities.length} probabilities for ${rows} rows of ${classCount} classes`);
  if (rows === 0) return 0;
  const clip = (p: number): number => Math.min(Math.max(p, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const t = truth[r]!;
    if (!(t >= 0 && t < classCount)) throw invalid(`row ${r}: true class index ${t} is not one of the model's ${classCount} classes`);
    let total = 0;
    for (let c = 0; c < classCount; c++) total += clip(probabilities[r * classCount + c]!);
    sum -= Math.log(clip(probabilities[r * classCount + t]!) / total);
  }
  return sum / rows;
}

/** Mean squared difference between the positive class's probability and the 0/1 outcome (sklearn's `brier_score_loss`). */
export function brierScore(positive: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  checkLengths(positive, probabilities);
  if (positive.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < positive.length; i++) sum += (probabilities[i]! - (positive[i] ? 1 : 0)) ** 2;
  return sum / positive.length;
}

export function meanSquaredError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths(actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (actual[i]! - predicted[i]!) ** 2;
  return actual.length === 0 ? 0 : sum / actual.length;
}

export function rootMeanSquaredError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  return Math.sqrt(meanSquaredError(actual, predicted));
}

export function meanAbsoluteError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths(actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i]! - predicted[i]!);
  return actual.length === 0 ? 0 : sum / actual.length;
}

export function maxError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths(actual, predicted);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - predicted[i]!));
  return worst;
}

/**
 * sklearn's `r2_score` (`force_finite=True`): 1 − SS_res / SS_tot; with a constant target
 * (SS_tot = 0) it is 1 for perfect predictions and 0 otherwise. NaN for fewer than two rows,
 * where sklearn also returns NaN ("not well-defined").
 */
export function r2Score(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths(actual, predicted);
  const n = actual.length;
  if (n < 2) return Number.NaN;
  let mean = 0;
  let constant = true;
  for (let i = 0; i < n; i++) {
    mean += actual[i]!;
    constant &&= actual[i] === actual[0];
  }
  mean /= n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    residual += (actual[i]! - predicted[i]!) ** 2;
    total += (actual[i]! - mean) ** 2;
  }
  // Summing a constant may leave the mean an ulp off and SS_tot a tiny positive: test constancy itself.
  if (constant || total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

function checkLengths(a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new Error(`${a.length} values against ${b.length}`);
}
