/**
 * The metric functions against values computed by hand (and, where noted, the examples in
 * scikit-learn's documentation), including the edge cases an evaluation meets: a class absent
 * from the test rows, every prediction one class, perfect predictions, tied scores.
 */
import { describe, expect, it } from 'vitest';
import { averagePrecision, calibrationCurve, precisionRecallCurve, rocAuc, rocCurve, sampleCurve, sampleIndices } from './curves';
import { accuracy, brierScore, confusionMatrix, labelIndices, logLoss, maxError, meanAbsoluteError, precisionRecallF1, r2Score, rootMeanSquaredError } from './metrics';
import { classificationReport, regressionReport } from './report';

describe('class labels', () => {
  it('maps names to class indices', () => {
    expect(Array.from(labelIndices(['b', 'a', 'b'], ['a', 'b']))).toEqual([1, 0, 1]);
  });

  it('refuses a value the model has no class for, naming it, its rows and the classes', () => {
    expect(() => labelIndices(['a', 'zebra', 'zebra'], ['a', 'b'])).toThrow('The target has values the model has no class for: "zebra" (2 rows). The model\'s classes are "a", "b".');
  });
});

describe('accuracy, confusion matrix, precision / recall / F1', () => {
  const truth = [0, 1, 2, 2, 1];
  const predicted = [0, 2, 2, 2, 1];

  it('counts true classes in rows and predicted classes in columns', () => {
    expect(accuracy(truth, predicted)).toBe(0.8);
    expect(confusionMatrix(truth, predicted, 3)).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 2],
    ]);
  });

  it('per class, macro and support-weighted, as sklearn', () => {
    const scores = precisionRecallF1(confusionMatrix(truth, predicted, 3));
    const per = scores.perClass;
    expect(per.map((s) => s.precision)).toEqual([1, 1, 2 / 3]);
    expect(per.map((s) => s.recall)).toEqual([1, 0.5, 1]);
    expect(per[0]!.f1).toBe(1);
    expect(per[1]!.f1).toBeCloseTo(2 / 3, 15);
    expect(per[2]!.f1).toBeCloseTo(0.8, 15);
    expect(per.map((s) => s.support)).toEqual([1, 2, 2]);
    expect(scores.macro.precision).toBeCloseTo(8 / 9, 15);
    expect(scores.macro.recall).toBeCloseTo(5 / 6, 15);
    expect(scores.macro.f1).toBeCloseTo((1 + 2 / 3 + 0.8) / 3, 15);
    expect(scores.weighted.precision).toBeCloseTo(13 / 15, 15);
    expect(scores.weighted.recall).toBeCloseTo(0.8, 15);
    expect(scores.weighted.f1).toBeCloseTo((1 + 2 * (2 / 3) + 2 * 0.8) / 5, 15);
  });

  it('all predictions one class: the never-predicted class scores 0 (zero_division=0)', () => {
    const scores = precisionRecallF1(confusionMatrix([0, 0, 1, 1], [0, 0, 0, 0], 2));
    expect(scores.perClass[0]).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 2 });
    expect(scores.perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(scores.macro.f1).toBeCloseTo(1 / 3, 15);
    expect(scores.weighted.precision).toBe(0.25);
  });

  it('a class absent from the true and the predicted labels is left out of the macro average', () => {
    const scores = precisionRecallF1(confusionMatrix([0, 1, 0, 1], [0, 1, 1, 1], 3));
    expect(scores.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(scores.macro.precision).toBeCloseTo((1 + 2 / 3) / 2, 15);
    expect(scores.macro.recall).toBe(0.75);
    expect(scores.macro.f1).toBeCloseTo((2 / 3 + 0.8) / 2, 15);
  });

  it('a class only predicted (not in the true labels) counts in the macro average, not in the weighted one', () => {
    const scores = precisionRecallF1(confusionMatrix([0, 0, 0], [0, 1, 0], 2));
    expect(scores.perClass[0]).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(scores.macro).toEqual({ precision: 0.5, recall: 1 / 3, f1: 0.4 });
    expect(scores.weighted).toEqual({ precision: 1, recall: 2 / 3, f1: expect.closeTo(0.8, 15) });
  });

  it('perfect predictions score 1 everywhere', () => {
    const scores = precisionRecallF1(confusionMatrix([0, 1, 2], [0, 1, 2], 3));
    expect(scores.macro).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(scores.weighted).toEqual({ precision: 1, recall: 1, f1: 1 });
  });
});

describe('log loss and Brier score', () => {
  it('is the mean negative log probability of the true class', () => {
    expect(logLoss([0, 1], [0.9, 0.1, 0.2, 0.8], 2)).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 15);
  });

  it('clips a zero probability to 1e-15 like sklearn, so it stays finite', () => {
    expect(logLoss([0], [0, 1], 2)).toBeCloseTo(-Math.log(1e-15), 10);
    expect(logLoss([0, 1], [1, 0, 0, 1], 2)).toBeCloseTo(0, 12);
  });

  it('renormalizes rows that do not sum to 1', () => {
    expect(logLoss([0], [0.2, 0.2], 2)).toBeCloseTo(Math.log(2), 15);
  });

  it('refuses a true class outside the model classes', () => {
    expect(() => logLoss([2], [0.5, 0.5], 2)).toThrow(/not one of the model's 2 classes/);
  });

  it('Brier score: mean squared distance of P(positive) from the outcome', () => {
    expect(brierScore([1, 0, 1, 0], [0.9, 0.1, 0.6, 0.3])).toBeCloseTo((0.01 + 0.01 + 0.16 + 0.09) / 4, 15);
  });
});

describe('ROC', () => {
  it("matches sklearn's roc_curve example, threshold +∞ first", () => {
    // sklearn docs: roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).
    expect(rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toEqual({ fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1], thresholds: [Number.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1] });
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
  });

  it('drops collinear points (drop_intermediate)', () => {
    expect(rocCurve([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toEqual({ fpr: [0, 0, 0, 1], tpr: [0, 0.5, 1, 1], thresholds: [Number.POSITIVE_INFINITY, 0.9, 0.8, 0.1] });
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
  });

  it('tied scores move the curve diagonally: a tie counts half, as in Mann–Whitney U', () => {
    expect(rocCurve([1, 0, 1, 0, 1], [0.9, 0.9, 0.5, 0.5, 0.1])).toEqual({ fpr: [0, 0.5, 1, 1], tpr: [0, 1 / 3, 2 / 3, 1], thresholds: [Number.POSITIVE_INFINITY, 0.9, 0.5, 0.1] });
    expect(rocAuc([1, 0, 1, 0, 1], [0.9, 0.9, 0.5, 0.5, 0.1])).toBeCloseTo(1 / 3, 15);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it('is undefined (null) without positives or without negatives', () => {
    expect(rocCurve([0, 0, 0], [0.1, 0.5, 0.9])).toBeNull();
    expect(rocAuc([1, 1], [0.1, 0.5])).toBeNull();
  });
});

describe('precision–recall', () => {
  it("matches sklearn's precision_recall_curve and average_precision_score example", () => {
    const curve = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])!;
    expect(curve.precision.map((p) => Number(p.toFixed(6)))).toEqual([0.5, 0.666667, 0.5, 1, 1]);
    expect(curve.recall).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(curve.thresholds).toEqual([0.1, 0.35, 0.4, 0.8]);
    expect(averagePrecision(curve)).toBeCloseTo(0.5 * (2 / 3) + 0.5, 15);
  });

  it('groups tied scores, and keeps the thresholds below full recall (sklearn ≥ 1.1)', () => {
    const tied = precisionRecallCurve([1, 0, 1, 0, 1], [0.9, 0.9, 0.5, 0.5, 0.1])!;
    expect(tied).toEqual({ precision: [0.6, 0.5, 0.5, 1], recall: [1, 2 / 3, 1 / 3, 0], thresholds: [0.1, 0.5, 0.9] });
    expect(averagePrecision(tied)).toBeCloseTo((1 / 3) * 0.6 + (1 / 3) * 0.5 + (1 / 3) * 0.5, 15);
    const early = precisionRecallCurve([1, 1, 0], [0.9, 0.8, 0.1])!;
    expect(early).toEqual({ precision: [2 / 3, 1, 1, 1], recall: [1, 1, 0.5, 0], thresholds: [0.1, 0.8, 0.9] });
    expect(averagePrecision(early)).toBe(1);
  });

  it('is undefined (null) without positives', () => {
    expect(precisionRecallCurve([0, 0], [0.3, 0.7])).toBeNull();
  });
});

describe('calibration curve', () => {
  it('uses 10 uniform bins, an inner edge falling in the bin below, empty bins kept with null means', () => {
    const bins = calibrationCurve([0, 1, 1, 0, 1], [0.05, 0.1, 0.15, 0.95, 1]);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toMatchObject({ lower: 0, count: 2, fractionPositive: 0.5 });
    expect(bins[0]!.meanPredicted).toBeCloseTo(0.075, 15);
    expect(bins[1]).toMatchObject({ count: 1, meanPredicted: 0.15, fractionPositive: 1 });
    expect(bins[9]).toMatchObject({ upper: 1, count: 2, meanPredicted: 0.975, fractionPositive: 0.5 });
    expect(bins.slice(2, 9).every((bin) => bin.count === 0 && bin.meanPredicted === null && bin.fractionPositive === null)).toBe(true);
  });

  it('puts 0.3 in the third bin, as numpy.searchsorted on linspace edges does', () => {
    expect(calibrationCurve([1], [0.3]).findIndex((bin) => bin.count === 1)).toBe(2);
  });
});

describe('downsampling', () => {
  it('picks evenly spaced indices, keeping both ends', () => {
    expect(sampleIndices(10, 4)).toEqual([0, 3, 6, 9]);
    expect(sampleIndices(3, 10)).toEqual([0, 1, 2]);
    const picked = sampleIndices(100_001, 200);
    expect(picked).toHaveLength(200);
    expect([picked[0], picked[199]]).toEqual([0, 100_000]);
    expect(new Set(picked).size).toBe(200);
  });

  it('cuts every array of a curve at the same points', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const curve = sampleCurve({ x: xs, y: xs.map((x) => 2 * x) }, 200);
    expect(curve.x).toHaveLength(200);
    expect(curve.y).toEqual(curve.x.map((x) => 2 * x!));
    expect([curve.x[0], curve.x[199]]).toEqual([0, 999]);
  });
});

describe('regression metrics', () => {
  // sklearn docs' example for mean_squared_error, r2_score, max_error.
  const actual = [3, -0.5, 2, 7];
  const predicted = [2.5, 0, 2, 8];

  it('RMSE, MAE, R², max error', () => {
    expect(rootMeanSquaredError(actual, predicted)).toBeCloseTo(Math.sqrt(0.375), 15);
    expect(meanAbsoluteError(actual, predicted)).toBe(0.5);
    expect(r2Score(actual, predicted)).toBeCloseTo(0.9486081370449679, 15);
    expect(maxError(actual, predicted)).toBe(1);
  });

  it('R² with a constant target is 1 when perfect and 0 otherwise (force_finite), NaN below two rows', () => {
    expect(r2Score([2, 2, 2], [2, 2, 2])).toBe(1);
    expect(r2Score([2, 2, 2], [1, 2, 3])).toBe(0);
    expect(r2Score([0.1, 0.1, 0.1], [0.1, 0.1, 0.1])).toBe(1);
    expect(r2Score([0.1, 0.1, 0.1], [0.1, 0.1, 0.2])).toBe(0);
    expect(r2Score([1], [1])).toBeNaN();
  });

  it('the report downsamples its scatter data evenly and defines residual as actual − predicted', () => {
    const n = 5001;
    const ys = Array.from({ length: n }, (_, i) => i);
    const report = regressionReport(ys, ys.map((y) => y + 1));
    // SS_res = n, SS_tot = n(n² − 1)/12.
    expect(report.metrics).toEqual({ rmse: 1, mae: 1, max_error: 1, r2: expect.closeTo(1 - 12 / (n * n - 1), 12) });
    expect(report.residuals.residual).toHaveLength(2000);
    expect(report.residuals.residual.every((r) => r === -1)).toBe(true);
    expect([report.predictedVsActual.actual[0], report.predictedVsActual.actual[1999]]).toEqual([0, 5000]);
    expect(regressionReport([1], [2]).notes).toEqual(['R² is undefined for fewer than two rows.']);
    expect(regressionReport([1], [2]).metrics.r2).toBeUndefined();
  });
});

describe('classification report', () => {
  it('binary: the second class is positive for roc_auc, brier_score, precision/recall/f1 and calibration', () => {
    // P(pos) = [0.1, 0.4, 0.35, 0.8]: sklearn's roc_curve example again.
    const report = classificationReport({ classes: ['neg', 'pos'], truth: [0, 0, 1, 1], predicted: [0, 0, 0, 1], probabilities: [0.9, 0.1, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8] });
    const m = report.metrics;
    expect(m.accuracy).toBe(0.75);
    expect(m.roc_auc).toBe(0.75);
    expect(m.roc_auc_pos).toBe(0.75);
    expect(m.roc_auc_neg).toBe(0.75);
    expect(m.roc_auc_macro).toBe(0.75);
    expect(m.brier_score).toBeCloseTo((0.01 + 0.16 + 0.4225 + 0.04) / 4, 15);
    expect([m.precision, m.recall, m.f1]).toEqual([1, 0.5, 2 / 3]);
    expect(m.log_loss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4, 6);
    expect(report.calibration).toMatchObject({ kind: 'binary', class: 'pos' });
    expect(report.roc.curves[1]!.thresholds[0]).toBeNull();
    expect(report.pr.curves[1]).toMatchObject({ class: 'pos', prevalence: 0.5, thresholds: [0.1, 0.35, 0.4, 0.8, null] });
    expect(report.notes).toEqual([]);
  });

  it('a class absent from the test rows has no AUC: roc_auc_macro averages the others and a note says so', () => {
    const report = classificationReport({ classes: ['a', 'b', 'c'], truth: [0, 1, 0, 1], predicted: [0, 1, 1, 1], probabilities: [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.4, 0.5, 0.1, 0.1, 0.8, 0.1] });
    expect(report.metrics.roc_auc_c).toBeUndefined();
    expect(report.metrics.roc_auc_macro).toBe((report.metrics.roc_auc_a! + report.metrics.roc_auc_b!) / 2);
    expect(report.roc.undefinedClasses).toEqual(['c']);
    expect(report.pr.undefinedClasses).toEqual(['c']);
    expect(report.notes[0]).toMatch(/ROC AUC is undefined for "c".*averages the other 2/);
    expect(report.calibration.kind).toBe('top_label');
  });

  it('a single class in the test rows: no AUC at all, the rest still computed', () => {
    const report = classificationReport({ classes: ['a', 'b', 'c'], truth: [0, 0, 0], predicted: [0, 1, 0], probabilities: [0.8, 0.1, 0.1, 0.3, 0.6, 0.1, 0.5, 0.3, 0.2] });
    expect(Object.keys(report.metrics).filter((key) => key.startsWith('roc_auc'))).toEqual([]);
    expect(report.metrics.accuracy).toBeCloseTo(2 / 3, 15);
    expect(report.metrics.f1_macro).toBeCloseTo(0.4, 15);
    expect(report.notes[0]).toMatch(/undefined for every class/);
    expect(Object.values(report.metrics).every(Number.isFinite)).toBe(true);
  });

  it('perfect predictions', () => {
    const report = classificationReport({ classes: ['x', 'y', 'z'], truth: [0, 1, 2, 2], predicted: [0, 1, 2, 2], probabilities: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1] });
    expect(report.metrics).toMatchObject({ accuracy: 1, f1_macro: 1, f1_weighted: 1, roc_auc_macro: 1, average_precision_macro: 1 });
    expect(report.metrics.log_loss).toBeLessThan(1e-12);
    expect(report.calibration.bins[9]).toMatchObject({ count: 4, meanPredicted: 1, fractionPositive: 1 });
  });

  it('every prediction one class with one constant score: AUC 0.5, the other class F1 0', () => {
    const report = classificationReport({ classes: ['a', 'b'], truth: [0, 0, 1, 1], predicted: [0, 0, 0, 0], probabilities: [0.7, 0.3, 0.7, 0.3, 0.7, 0.3, 0.7, 0.3] });
    expect(report.metrics).toMatchObject({ roc_auc: 0.5, roc_auc_macro: 0.5, f1_b: 0, precision_b: 0, f1: 0 });
    expect(report.metrics.f1_macro).toBeCloseTo(1 / 3, 15);
    expect(report.roc.curves[0]).toMatchObject({ fpr: [0, 1], tpr: [0, 1] });
  });

  it('a class named like an aggregate does not overwrite it', () => {
    const report = classificationReport({ classes: ['macro', 'other'], truth: [0, 1, 1], predicted: [0, 0, 1], probabilities: [0.9, 0.1, 0.6, 0.4, 0.2, 0.8] });
    expect(report.metrics.precision_macro).toBe(0.75);
    expect(report.notes.at(-1)).toBe("Per-class metrics precision_macro, recall_macro, f1_macro, roc_auc_macro, average_precision_macro share a name with an overall metric and are left out; see the plots' data.");
  });
});
