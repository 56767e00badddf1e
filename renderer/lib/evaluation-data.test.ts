import { describe, expect, it } from 'vitest';
import {
  binAt,
  classRows,
  confusionGrid,
  defaultCurveClass,
  extentOf,
  headlineMetricKeys,
  metricDirection,
  parsePlot,
  pointAt,
  parseSummary,
  prSeries,
  rocSeries,
  summaryMetrics,
} from './evaluation-data';

// Shaped as workers/model/evaluate/report.ts writes them (the evaluation service stores each
// plot's `data` as eval/<plot>.json, and eval/summary.json).
const summary = {
  task: 'classification',
  rows: 30,
  skippedRows: 2,
  classes: ['high', 'low'],
  metrics: { accuracy: 0.9, f1_macro: 0.89, log_loss: 0.3, roc_auc_macro: 0.95, precision_high: 0.8, recall_high: 1, f1_high: 0.88, roc_auc_high: 0.95, precision_low: 1, recall_low: 0.8 },
  notes: ['2 row(s) with a missing target were left out.'],
  plots: ['confusion_matrix', 'roc', 'pr', 'calibration'],
};
const confusion = { classes: ['high', 'low'], counts: [[12, 0], [3, 15]] };
const roc = {
  curves: [
    { class: 'high', auc: 0.95, fpr: [0, 0, 0.2, 1], tpr: [0, 0.8, 1, 1], thresholds: [null, 0.9, 0.4, 0.01] },
    { class: 'low', auc: 0.95, fpr: [0, 0.1, 1], tpr: [0, 0.9, 1], thresholds: [null, 0.6, 0.02] },
  ],
  undefinedClasses: [],
};

describe('evaluation files', () => {
  it('reads a summary and each plot, and names the file that has another shape', () => {
    expect(parseSummary(JSON.stringify(summary))).toMatchObject({ task: 'classification', rows: 30, classes: ['high', 'low'] });
    expect(parsePlot('roc', JSON.stringify(roc)).curves[0]?.thresholds[0]).toBeNull();
    expect(parsePlot('confusion_matrix', JSON.stringify(confusion)).counts).toEqual([[12, 0], [3, 15]]);
    expect(() => parseSummary('{"task": "ranking"}')).toThrow(/eval\/summary\.json does not have the shape an evaluation writes \(task:/);
    expect(() => parsePlot('roc', 'not json')).toThrow('eval/roc.json is not valid JSON.');
    expect(() => parsePlot('calibration', JSON.stringify(roc))).toThrow(/eval\/calibration\.json/);
  });
});

describe('metrics', () => {
  it('knows which way is better, whatever a class is called', () => {
    expect(metricDirection('accuracy')).toBe('higher');
    expect(metricDirection('roc_auc_macro')).toBe('higher');
    expect(metricDirection('r2')).toBe('higher');
    expect(metricDirection('log_loss')).toBe('lower');
    expect(metricDirection('rmse')).toBe('lower');
    expect(metricDirection('max_error')).toBe('lower');
    expect(metricDirection('brier_score')).toBe('lower');
    // A class named "loss": its precision is still better higher.
    expect(metricDirection('precision_loss')).toBe('higher');
    expect(metricDirection('eval_rows')).toBeNull();
  });

  it('puts the headline metrics first, only those present', () => {
    expect(headlineMetricKeys('classification', summary.metrics)).toEqual(['accuracy', 'f1_macro', 'roc_auc_macro', 'log_loss']);
    expect(headlineMetricKeys('regression', { rmse: 1, r2: 0.5 })).toEqual(['rmse', 'r2']);
    expect(summaryMetrics({ accuracy: { value: 0.9 }, f1_macro: { value: 0.8 }, eval_rows: { value: 30 } })).toEqual([
      { key: 'accuracy', value: 0.9 },
      { key: 'f1_macro', value: 0.8 },
    ]);
    expect(summaryMetrics({ rmse: { value: 2 }, mae: { value: 1 }, r2: { value: 0.7 } }).map((metric) => metric.key)).toEqual(['rmse', 'mae', 'r2']);
  });

  it('makes a row per class, with its support from the confusion matrix and null where a metric is absent', () => {
    const rows = classRows(parseSummary(JSON.stringify(summary)), confusion);
    expect(rows).toEqual([
      { name: 'high', support: 12, precision: 0.8, recall: 1, f1: 0.88, rocAuc: 0.95, averagePrecision: null },
      { name: 'low', support: 18, precision: 1, recall: 0.8, f1: null, rocAuc: null, averagePrecision: null },
    ]);
    expect(classRows(parseSummary(JSON.stringify(summary)), undefined)[0]?.support).toBeNull();
  });
});

describe('confusion grid', () => {
  it('gives counts with their share of the true class, shaded by count or by share', () => {
    const counts = confusionGrid(confusion, false);
    expect(counts[1]).toMatchObject({ actual: 'low', total: 18 });
    expect(counts[1]?.cells.map((cell) => [cell.predicted, cell.count, cell.rowShare])).toEqual([
      ['high', 3, 3 / 18],
      ['low', 15, 15 / 18],
    ]);
    expect(counts[1]?.cells[1]?.shade).toBe(1); // the largest cell
    expect(counts[0]?.cells[0]?.shade).toBeCloseTo(12 / 15);
    const shares = confusionGrid(confusion, true);
    expect(shares[0]?.cells[0]?.shade).toBe(1); // every "high" row was right
    expect(shares[1]?.cells[0]?.shade).toBeCloseTo(3 / 18);
  });

  it('leaves a class with no rows unshaded instead of dividing by zero', () => {
    const grid = confusionGrid({ classes: ['a', 'b'], counts: [[0, 0], [1, 1]] }, true);
    expect(grid[0]?.cells.map((cell) => [cell.rowShare, cell.shade])).toEqual([
      [null, 0],
      [null, 0],
    ]);
  });
});

describe('curves', () => {
  it('turns each class into a series with its score, colour and thresholds', () => {
    const series = rocSeries(parsePlot('roc', JSON.stringify(roc)), (index) => ['red', 'blue'][index]!);
    expect(series.map((entry) => [entry.id, entry.label, entry.score, entry.color, entry.dashed])).toEqual([
      ['roc:high', 'high', 0.95, 'red', false],
      ['roc:low', 'low', 0.95, 'blue', false],
    ]);
    expect(series[0]?.points[1]).toEqual({ x: 0, y: 0.8, threshold: 0.9 });
  });

  it('overlays one class of a version, dashed and labelled with the version', () => {
    const series = rocSeries(parsePlot('roc', JSON.stringify(roc)), () => 'orange', { prefix: 'v2', dashed: true, only: 'low' });
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ id: 'v2roc:low', label: 'v2 · low', dashed: true, color: 'orange' });
    const pr = prSeries({ curves: [{ class: 'high', averagePrecision: 0.9, prevalence: 0.4, recall: [1, 0.5, 0], precision: [0.4, 0.8, 1], thresholds: [0.1, 0.5, null] }], undefinedClasses: [] }, () => 'x');
    expect(pr[0]?.points.map((point) => [point.x, point.y])).toEqual([
      [1, 0.4],
      [0.5, 0.8],
      [0, 1],
    ]);
  });

  it('reads a curve where the pointer is, as its line is drawn, with the nearest threshold', () => {
    const points = rocSeries(parsePlot('roc', JSON.stringify(roc)), () => 'x')[0]!.points;
    // (0, 0) → (0, 0.8) → (0.2, 1) → (1, 1)
    expect(pointAt(points, 0.1)).toEqual({ x: 0.1, y: 0.9, threshold: 0.9 });
    expect(pointAt(points, 0.7)).toEqual({ x: 0.7, y: 1, threshold: 0.01 });
    // A vertical step reads at its top.
    expect(pointAt(points, 0)).toEqual({ x: 0, y: 0.8, threshold: 0.9 });
    // Precision–recall runs right to left.
    const pr = [{ x: 1, y: 0.4, threshold: 0.1 }, { x: 0.5, y: 0.8, threshold: 0.5 }, { x: 0, y: 1, threshold: null }];
    const between = pointAt(pr, 0.8);
    expect(between).toMatchObject({ x: 0.8, threshold: 0.1 });
    expect(between?.y).toBeCloseTo(0.56);
    // Outside the curve: its nearest end.
    expect(pointAt([{ x: 0.2, y: 0.3, threshold: 1 }, { x: 0.4, y: 0.5, threshold: 2 }], 0.9)).toEqual({ x: 0.4, y: 0.5, threshold: 2 });
    expect(pointAt([], 0.5)).toBeNull();
  });

  it("starts a binary model's charts on its positive class", () => {
    expect(defaultCurveClass(['no', 'yes'])).toBe('yes');
    expect(defaultCurveClass(['a', 'b', 'c'])).toBe('a');
    expect(defaultCurveClass([])).toBeNull();
  });
});

describe('calibration and scatter helpers', () => {
  const calibration = {
    kind: 'binary' as const,
    class: 'yes',
    bins: [0, 1, 2, 3].map((index) => ({ lower: index / 4, upper: (index + 1) / 4, count: index, meanPredicted: index === 0 ? null : index / 4 + 0.1, fractionPositive: index === 0 ? null : 0.5 })),
  };

  it('finds the bin of a probability, an edge in the bin below it', () => {
    expect(binAt(calibration, 0.1)?.lower).toBe(0);
    expect(binAt(calibration, 0.25)?.lower).toBe(0);
    expect(binAt(calibration, 0.26)?.lower).toBe(0.25);
    expect(binAt(calibration, 1)?.lower).toBe(0.75);
  });

  it('pads an extent and skips values that are not finite', () => {
    expect(extentOf([0, 10], [5, Number.NaN])).toEqual([-0.4, 10.4]);
    expect(extentOf([3])).toEqual([2.7, 3.3]);
    expect(extentOf([Number.NaN])).toBeNull();
  });
});
