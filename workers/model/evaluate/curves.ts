/**
 * Threshold curves of one class against the rest, with scikit-learn's semantics so the numbers
 * match what a data scientist gets from `sklearn.metrics` on the same predictions:
 * - `binaryCounts` is `_binary_clf_curve`: one point per DISTINCT score, descending, so tied
 *   scores move the curve diagonally (a tie counts half in the AUC, as Mann–Whitney's U does);
 * - `rocCurve` is `roc_curve(drop_intermediate=True)`: collinear points dropped, a first point
 *   (0, 0) at threshold +∞ (sklearn ≥ 1.3);
 * - `precisionRecallCurve` is `precision_recall_curve` (sklearn ≥ 1.1: every threshold, not cut
 *   where full recall is first reached): thresholds ascending, a last point (recall 0,
 *   precision 1) without a threshold;
 * - `calibrationCurve` is `calibration_curve(strategy='uniform')`, keeping empty bins (count 0)
 *   so a plot can show where the predictions fall.
 * A curve needs both positives and negatives: without them the functions return null (sklearn
 * warns and returns NaN there).
 */

/** Per distinct score (descending): how many positives (tps) and negatives (fps) score at least that. */
export interface BinaryCounts {
  readonly tps: Float64Array;
  readonly fps: Float64Array;
  readonly thresholds: Float64Array;
}

/** `positive[i]` is 1 when row i belongs to the class, `scores[i]` the model's score for it. */
export function binaryCounts(positive: ArrayLike<number>, scores: ArrayLike<number>): BinaryCounts {
  const n = scores.length;
  if (positive.length !== n) throw new Error(`${positive.length} labels for ${n} scores`);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new Error(`score ${i} is NaN`);
    order[i] = i;
  }
  order.sort((a, b) => scores[b]! - scores[a]!);
  const tps: number[] = [];
  const fps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const row = order[k]!;
    if (positive[row]) tp++;
    else fp++;
    const score = scores[row]!;
    if (k === n - 1 || scores[order[k + 1]!] !== score) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(score);
    }
  }
  return { tps: Float64Array.from(tps), fps: Float64Array.from(fps), thresholds: Float64Array.from(thresholds) };
}

export interface RocCurve {
  readonly fpr: number[];
  readonly tpr: number[];
  /** Descending; the first is +∞ (no row is predicted positive). */
  readonly thresholds: number[];
}

/** ROC curve of one class, or null when the rows hold no positive or no negative (AUC undefined). */
export function rocCurve(positive: ArrayLike<number>, scores: ArrayLike<number>): RocCurve | null {
  return rocFromCounts(binaryCounts(positive, scores));
}

/** `rocCurve` from counts already made (the sort is the costly part: one per class serves both curves). */
export function rocFromCounts(counts: BinaryCounts): RocCurve | null {
  let { tps, fps, thresholds } = counts;
  const last = tps.length - 1;
  if (last < 0 || tps[last] === 0 || fps[last] === 0) return null;
  if (tps.length > 2) {
    // drop_intermediate: keep the ends and every point where the curve bends.
    const keep: number[] = [0];
    for (let i = 1; i < last; i++) {
      if (fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0 || tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0) keep.push(i);
    }
    keep.push(last);
    tps = Float64Array.from(keep, (i) => counts.tps[i]!);
    fps = Float64Array.from(keep, (i) => counts.fps[i]!);
    thresholds = Float64Array.from(keep, (i) => counts.thresholds[i]!);
  }
  const positives = tps[tps.length - 1]!;
  const negatives = fps[fps.length - 1]!;
  return {
    fpr: [0, ...Array.from(fps, (value) => value / negatives)],
    tpr: [0, ...Array.from(tps, (value) => value / positives)],
    thresholds: [Number.POSITIVE_INFINITY, ...thresholds],
  };
}

/** Area under a curve by the trapezoidal rule (x monotonic, either direction), as sklearn's `auc`. */
export function trapezoid(x: readonly number[], y: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return Math.abs(area);
}

/** ROC AUC of one class against the rest (sklearn's `roc_auc_score` on binary labels); null when undefined. */
export function rocAuc(positive: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  const curve = rocCurve(positive, scores);
  return curve ? Math.min(1, trapezoid(curve.fpr, curve.tpr)) : null;
}

export interface PrecisionRecallCurve {
  /** Ends with 1 (the point with no threshold). */
  readonly precision: number[];
  /** Decreasing; ends with 0. */
  readonly recall: number[];
  /** Ascending, one fewer than the points. */
  readonly thresholds: number[];
}

/** Precision–recall curve of one class, or null when no row belongs to it (recall undefined). */
export function precisionRecallCurve(positive: ArrayLike<number>, scores: ArrayLike<number>): PrecisionRecallCurve | null {
  return precisionRecallFromCounts(binaryCounts(positive, scores));
}

export function precisionRecallFromCounts(counts: BinaryCounts): PrecisionRecallCurve | null {
  const { tps, fps, thresholds } = counts;
  const total = tps[tps.length - 1] ?? 0;
  if (total === 0) return null;
  const precision: number[] = [];
  const recall: number[] = [];
  const kept: number[] = [];
  for (let i = tps.length - 1; i >= 0; i--) {
    const predictedPositive = tps[i]! + fps[i]!;
    precision.push(predictedPositive === 0 ? 0 : tps[i]! / predictedPositive);
    recall.push(tps[i]! / total);
    kept.push(thresholds[i]!);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds: kept };
}

/** sklearn's `average_precision_score`: Σ (Rₙ − Rₙ₋₁)·Pₙ, no interpolation. */
export function averagePrecision(curve: PrecisionRecallCurve): number {
  let sum = 0;
  for (let i = 0; i + 1 < curve.recall.length; i++) sum -= (curve.recall[i + 1]! - curve.recall[i]!) * curve.precision[i]!;
  // The recall steps sum to 1 only up to rounding: a perfect ranking must not score 1.0000000000000004.
  return Math.min(1, sum);
}

export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean predicted probability in the bin; null when it is empty. */
  readonly meanPredicted: number | null;
  /** Fraction of the bin's rows that are positive (correct, for top-label calibration); null when empty. */
  readonly fractionPositive: number | null;
}

/**
 * `bins` uniform bins over [0, 1]. A probability on an inner edge falls in the bin below it, as
 * numpy's `searchsorted(edges, p)` puts it; edges are `i · (1 / bins)` like `np.linspace`.
 */
export function calibrationCurve(positive: ArrayLike<number>, probabilities: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const step = 1 / bins;
  const count = new Float64Array(bins);
  const sumPredicted = new Float64Array(bins);
  const sumPositive = new Float64Array(bins);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    let bin = 0;
    while (bin < bins - 1 && (bin + 1) * step < p) bin++;
    count[bin]!++;
    sumPredicted[bin]! += p;
    if (positive[i]) sumPositive[bin]!++;
  }
  return Array.from({ length: bins }, (_, bin) => ({
    lower: bin * step,
    upper: bin === bins - 1 ? 1 : (bin + 1) * step,
    count: count[bin]!,
    meanPredicted: count[bin] ? sumPredicted[bin]! / count[bin]! : null,
    fractionPositive: count[bin] ? sumPositive[bin]! / count[bin]! : null,
  }));
}

/**
 * At most `max` indices of `n`, evenly spaced by index, the first and the last always among them:
 * deterministic, so two evaluations of the same predictions draw the same points.
 */
export function sampleIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max <= 1) return n > 0 ? [0] : [];
  return Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)));
}

/** A curve's parallel arrays (all the same length), each cut to the same ≤ `max` points, the ends kept. */
export function sampleCurve<T extends Record<string, readonly (number | null)[]>>(curve: T, max: number): T {
  const lengths = new Set(Object.values(curve).map((values) => values.length));
  if (lengths.size > 1) throw new Error(`the curve's arrays differ in length (${[...lengths].join(', ')})`);
  const picked = sampleIndices([...lengths][0] ?? 0, max);
  return Object.fromEntries(Object.entries(curve).map(([key, values]) => [key, picked.map((i) => values[i] ?? null)])) as unknown as T;
}
