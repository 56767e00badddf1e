/**
 * Everything an evaluation shows, computed from the accumulated predictions: the flat metrics
 * (MLflow-style keys) and the data behind each plot, already cut down to what a chart can draw.
 * Pure: the numbers come from metrics.ts and curves.ts.
 */
import { type CalibrationBin, averagePrecision, binaryCounts, calibrationCurve, precisionRecallFromCounts, rocFromCounts, sampleCurve, sampleIndices, trapezoid } from './curves';
import { accuracy, brierScore, confusionMatrix, logLoss, maxError, meanAbsoluteError, precisionRecallF1, r2Score, rootMeanSquaredError } from './metrics';

/** Points per ROC / PR curve: about 2 per pixel of a chart's width. */
export const CURVE_POINTS = 200;
/** Points in a regression scatter plot. */
export const SCATTER_POINTS = 2000;
export const CALIBRATION_BINS = 10;

export interface ClassificationPredictions {
  readonly classes: readonly string[];
  /** True class index per row. */
  readonly truth: ArrayLike<number>;
  /** Predicted class index per row (the model's `label`). */
  readonly predicted: ArrayLike<number>;
  /** Row-major [rows, classes]. */
  readonly probabilities: ArrayLike<number>;
}

export interface ConfusionData {
  readonly classes: readonly string[];
  /** counts[true][predicted]. */
  readonly counts: number[][];
}

export interface RocData {
  readonly curves: { readonly class: string; readonly auc: number; readonly fpr: number[]; readonly tpr: number[]; /** null: +∞ (JSON has no infinity). */ readonly thresholds: (number | null)[] }[];
  /** Classes with no positive or no negative row: no curve, no AUC. */
  readonly undefinedClasses: string[];
}

export interface PrData {
  readonly curves: { readonly class: string; readonly averagePrecision: number; /** Fraction of rows in the class: a random model's precision. */ readonly prevalence: number; readonly recall: number[]; readonly precision: number[]; /** null at the last point (recall 0, precision 1). */ readonly thresholds: (number | null)[] }[];
  readonly undefinedClasses: string[];
}

export interface CalibrationData {
  /** binary: P(positive class) against the positive rate; top_label: the top probability against accuracy. */
  readonly kind: 'binary' | 'top_label';
  /** The positive class of a binary model. */
  readonly class: string | null;
  readonly bins: CalibrationBin[];
}

export interface ClassificationReport {
  readonly metrics: Record<string, number>;
  readonly confusion: ConfusionData;
  readonly roc: RocData;
  readonly pr: PrData;
  readonly calibration: CalibrationData;
  readonly notes: string[];
}

export function classificationReport(input: ClassificationPredictions): ClassificationReport {
  const { classes, truth, predicted, probabilities } = input;
  const k = classes.length;
  const rows = truth.length;
  const notes: string[] = [];
  const perClass: Record<string, number> = {};
  const metrics: Record<string, number> = {};

  const matrix = confusionMatrix(truth, predicted, k);
  const scores = precisionRecallF1(matrix);
  scores.perClass.forEach((value, c) => {
    perClass[`precision_${classes[c]}`] = value.precision;
    perClass[`recall_${classes[c]}`] = value.recall;
    perClass[`f1_${classes[c]}`] = value.f1;
  });
  metrics.accuracy = accuracy(truth, predicted);
  metrics.precision_macro = scores.macro.precision;
  metrics.recall_macro = scores.macro.recall;
  metrics.f1_macro = scores.macro.f1;
  metrics.precision_weighted = scores.weighted.precision;
  metrics.recall_weighted = scores.weighted.recall;
  metrics.f1_weighted = scores.weighted.f1;
  metrics.log_loss = logLoss(truth, probabilities, k);

  const roc: RocData = { curves: [], undefinedClasses: [] };
  const pr: PrData = { curves: [], undefinedClasses: [] };
  for (let c = 0; c < k; c++) {
    const name = classes[c]!;
    const positive = new Uint8Array(rows);
    const score = new Float64Array(rows);
    let positives = 0;
    for (let r = 0; r < rows; r++) {
      positive[r] = truth[r] === c ? 1 : 0;
      positives += positive[r]!;
      score[r] = probabilities[r * k + c]!;
    }
    const counts = binaryCounts(positive, score);
    const curve = rocFromCounts(counts);
    if (curve) {
      const auc = Math.min(1, trapezoid(curve.fpr, curve.tpr));
      perClass[`roc_auc_${name}`] = auc;
      const thresholds = curve.thresholds.map((t) => (Number.isFinite(t) ? t : null));
      roc.curves.push({ class: name, auc, ...sampleCurve({ fpr: curve.fpr, tpr: curve.tpr, thresholds }, CURVE_POINTS) });
    } else roc.undefinedClasses.push(name);
    const precisionRecall = precisionRecallFromCounts(counts);
    if (precisionRecall) {
      const ap = averagePrecision(precisionRecall);
      perClass[`average_precision_${name}`] = ap;
      const thresholds: (number | null)[] = [...precisionRecall.thresholds, null];
      pr.curves.push({ class: name, averagePrecision: ap, prevalence: positives / rows, ...sampleCurve({ recall: precisionRecall.recall, precision: precisionRecall.precision, thresholds }, CURVE_POINTS) });
    } else pr.undefinedClasses.push(name);
  }
  if (roc.curves.length > 0) metrics.roc_auc_macro = mean(roc.curves.map((curve) => curve.auc));
  if (pr.curves.length > 0) metrics.average_precision_macro = mean(pr.curves.map((curve) => curve.averagePrecision));
  if (roc.undefinedClasses.length > 0) {
    const listed = roc.undefinedClasses.map((name) => JSON.stringify(name)).join(', ');
    notes.push(
      roc.curves.length > 0
        ? `ROC AUC is undefined for ${listed} (the rows hold no example of it, or nothing else): roc_auc_macro averages the other ${roc.curves.length} class(es).`
        : `ROC AUC is undefined for every class (${listed}): the evaluated rows hold a single class, so there is no roc_auc_macro.`,
    );
  }

  let calibration: CalibrationData;
  if (k === 2) {
    // The second class is the positive one: sklearn's convention for sorted labels, and the class a sigmoid head's p is for.
    const positiveClass = classes[1]!;
    const positive = Uint8Array.from({ length: rows }, (_, r) => (truth[r] === 1 ? 1 : 0));
    const p = Float64Array.from({ length: rows }, (_, r) => probabilities[r * 2 + 1]!);
    metrics.brier_score = brierScore(positive, p);
    const binary = scores.perClass[1]!;
    metrics.precision = binary.precision;
    metrics.recall = binary.recall;
    metrics.f1 = binary.f1;
    const auc = perClass[`roc_auc_${positiveClass}`];
    if (auc !== undefined) metrics.roc_auc = auc;
    calibration = { kind: 'binary', class: positiveClass, bins: calibrationCurve(positive, p, CALIBRATION_BINS) };
  } else {
    const correct = new Uint8Array(rows);
    const confidence = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (probabilities[r * k + c]! > probabilities[r * k + best]!) best = c;
      confidence[r] = probabilities[r * k + best]!;
      correct[r] = best === truth[r] ? 1 : 0;
    }
    calibration = { kind: 'top_label', class: null, bins: calibrationCurve(correct, confidence, CALIBRATION_BINS) };
  }

  // A class named like an aggregate ("macro", "weighted") would overwrite it: the aggregate wins.
  const shadowed = Object.keys(perClass).filter((key) => key in metrics);
  if (shadowed.length > 0) notes.push(`Per-class metrics ${shadowed.join(', ')} share a name with an overall metric and are left out; see the plots' data.`);
  return { metrics: { ...perClass, ...metrics }, confusion: { classes, counts: matrix }, roc, pr, calibration, notes };
}

export interface RegressionReport {
  readonly metrics: Record<string, number>;
  /** Residual = actual − predicted, by predicted value; at most SCATTER_POINTS, evenly spaced by row. */
  readonly residuals: { readonly predicted: number[]; readonly residual: number[] };
  readonly predictedVsActual: { readonly actual: number[]; readonly predicted: number[] };
  readonly notes: string[];
}

export function regressionReport(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionReport {
  const notes: string[] = [];
  const metrics: Record<string, number> = {
    rmse: rootMeanSquaredError(actual, predicted),
    mae: meanAbsoluteError(actual, predicted),
    max_error: maxError(actual, predicted),
  };
  const r2 = r2Score(actual, predicted);
  if (Number.isFinite(r2)) metrics.r2 = r2;
  else notes.push('R² is undefined for fewer than two rows.');
  const picked = sampleIndices(actual.length, SCATTER_POINTS);
  const pickedPredicted = picked.map((i) => predicted[i]!);
  return {
    metrics,
    residuals: { predicted: pickedPredicted, residual: picked.map((i) => actual[i]! - predicted[i]!) },
    predictedVsActual: { actual: picked.map((i) => actual[i]!), predicted: pickedPredicted },
    notes,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
