import { z } from 'zod';

/**
 * An evaluate run's results as the UI draws them. The model worker writes `eval/summary.json` and
 * one `eval/<plot>.json` per plot (shapes: workers/model/evaluate/report.ts); they are files read
 * back from a run, not a typed contract, so each is checked here on arrival and a file of another
 * shape is refused with its name instead of breaking a chart.
 */

const numbers = z.array(z.number());
/** JSON has no infinity: the worker writes an infinite threshold as null. */
const thresholds = z.array(z.number().nullable());

export const evaluationSummarySchema = z.object({
  task: z.enum(['classification', 'regression']),
  rows: z.number(),
  skippedRows: z.number(),
  classes: z.array(z.string()).nullable(),
  metrics: z.record(z.string(), z.number()),
  notes: z.array(z.string()),
  plots: z.array(z.string()),
});
export type EvaluationSummary = z.infer<typeof evaluationSummarySchema>;

const confusionSchema = z.object({ classes: z.array(z.string()), counts: z.array(numbers) });
const rocSchema = z.object({
  curves: z.array(z.object({ class: z.string(), auc: z.number(), fpr: numbers, tpr: numbers, thresholds })),
  undefinedClasses: z.array(z.string()),
});
const prSchema = z.object({
  curves: z.array(z.object({ class: z.string(), averagePrecision: z.number(), prevalence: z.number(), recall: numbers, precision: numbers, thresholds })),
  undefinedClasses: z.array(z.string()),
});
const calibrationSchema = z.object({
  kind: z.enum(['binary', 'top_label']),
  class: z.string().nullable(),
  bins: z.array(z.object({ lower: z.number(), upper: z.number(), count: z.number(), meanPredicted: z.number().nullable(), fractionPositive: z.number().nullable() })),
});
const residualsSchema = z.object({ predicted: numbers, residual: numbers });
const predictedVsActualSchema = z.object({ actual: numbers, predicted: numbers });

export type ConfusionData = z.infer<typeof confusionSchema>;
export type RocData = z.infer<typeof rocSchema>;
export type PrData = z.infer<typeof prSchema>;
export type CalibrationData = z.infer<typeof calibrationSchema>;
export type ResidualsData = z.infer<typeof residualsSchema>;
export type PredictedVsActualData = z.infer<typeof predictedVsActualSchema>;

const plotSchemas = {
  confusion_matrix: confusionSchema,
  roc: rocSchema,
  pr: prSchema,
  calibration: calibrationSchema,
  residuals: residualsSchema,
  predicted_vs_actual: predictedVsActualSchema,
} as const;

export type PlotName = keyof typeof plotSchemas;
export const plotNames = Object.keys(plotSchemas) as PlotName[];

/** The plots an evaluation has, by name; one missing from the run is simply absent. */
export type EvaluationPlots = { -readonly [K in PlotName]?: z.infer<(typeof plotSchemas)[K]> };

/** Everything the evaluation view draws, read from one run. */
export interface EvaluationReport {
  readonly summary: EvaluationSummary;
  readonly plots: EvaluationPlots;
  /** Plots the summary names that could not be read or parsed, with why. */
  readonly plotErrors: Readonly<Record<string, string>>;
}

export function isPlotName(name: string): name is PlotName {
  return Object.prototype.hasOwnProperty.call(plotSchemas, name);
}

/** `eval/summary.json`'s text, checked. Throws a sentence naming the file. */
export function parseSummary(text: string): EvaluationSummary {
  return parseJson('eval/summary.json', text, evaluationSummarySchema);
}

/** One `eval/<plot>.json`'s text, checked against its plot's shape. Throws a sentence naming the file. */
export function parsePlot<K extends PlotName>(name: K, text: string): NonNullable<EvaluationPlots[K]> {
  // The schema picked by `name` parses exactly that plot's type; TypeScript cannot follow the index.
  return parseJson(`eval/${name}.json`, text, plotSchemas[name] as z.ZodType<unknown>) as NonNullable<EvaluationPlots[K]>;
}

function parseJson<T>(path: string, text: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON.`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path} does not have the shape an evaluation writes${issue ? ` (${issue.path.join('.') || 'top level'}: ${issue.message})` : ''}.`);
  }
  return parsed.data;
}

/** Whether a bigger value of a metric is better, a smaller one, or neither can be said (row counts). */
export function metricDirection(key: string): 'higher' | 'lower' | null {
  // Per-class keys start with their metric (`precision_<class>`), whatever the class is called.
  if (/^(accuracy|precision|recall|f1|roc_auc|average_precision|r2)(_|$)/.test(key)) return 'higher';
  if (/^(rmse|mae|max_error|brier_score)$|(^|_)loss$/.test(key)) return 'lower';
  return null;
}

const classificationHeadline = ['accuracy', 'f1_macro', 'f1_weighted', 'roc_auc_macro', 'average_precision_macro', 'log_loss'] as const;
const regressionHeadline = ['rmse', 'mae', 'r2', 'max_error'] as const;

/** The metrics shown big, in this order, when the evaluation has them. */
export function headlineMetricKeys(task: EvaluationSummary['task'], metrics: Readonly<Record<string, number>>): string[] {
  return (task === 'classification' ? classificationHeadline : regressionHeadline).filter((key) => key in metrics);
}

/**
 * The three numbers that sum up an evaluation in one line (a version's "Last evaluation"), from
 * the run's logged metrics: accuracy, f1_macro, roc_auc_macro — or rmse, mae, r2.
 */
export function summaryMetrics(metrics: Readonly<Record<string, { value: number }>>): { key: string; value: number }[] {
  const keys = 'rmse' in metrics && !('accuracy' in metrics) ? ['rmse', 'mae', 'r2'] : ['accuracy', 'f1_macro', 'roc_auc_macro'];
  return keys.flatMap((key) => (metrics[key] ? [{ key, value: metrics[key].value }] : []));
}

export interface ClassRow {
  readonly name: string;
  /** Rows of the class in the evaluated data (its confusion-matrix row), when the matrix is there. */
  readonly support: number | null;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
  readonly rocAuc: number | null;
  readonly averagePrecision: number | null;
}

/** One row per class from the flat `precision_<class>`… metrics; a metric left out (undefined, shadowed) is null. */
export function classRows(summary: EvaluationSummary, confusion: ConfusionData | undefined): ClassRow[] {
  const metric = (prefix: string, name: string): number | null => summary.metrics[`${prefix}_${name}`] ?? null;
  return (summary.classes ?? []).map((name) => {
    const index = confusion?.classes.indexOf(name) ?? -1;
    const row = index >= 0 ? confusion?.counts[index] : undefined;
    return {
      name,
      support: row ? row.reduce((sum, count) => sum + count, 0) : null,
      precision: metric('precision', name),
      recall: metric('recall', name),
      f1: metric('f1', name),
      rocAuc: metric('roc_auc', name),
      averagePrecision: metric('average_precision', name),
    };
  });
}

export interface ConfusionCell {
  readonly predicted: string;
  readonly count: number;
  /** count / the true class's rows; null when the class has no rows. */
  readonly rowShare: number | null;
  /** 0..1: how dark the cell is drawn (by count against the largest cell, or by row share). */
  readonly shade: number;
}

export interface ConfusionRow {
  readonly actual: string;
  readonly total: number;
  readonly cells: ConfusionCell[];
}

/** The heat-map grid: rows are true classes, columns predicted ones; `normalized` shades by row share. */
export function confusionGrid(data: ConfusionData, normalized: boolean): ConfusionRow[] {
  const largest = Math.max(1, ...data.counts.flat());
  return data.classes.map((actual, rowIndex) => {
    const counts = data.counts[rowIndex] ?? [];
    const total = counts.reduce((sum, count) => sum + count, 0);
    return {
      actual,
      total,
      cells: data.classes.map((predicted, column) => {
        const count = counts[column] ?? 0;
        const rowShare = total > 0 ? count / total : null;
        return { predicted, count, rowShare, shade: normalized ? (rowShare ?? 0) : count / largest };
      }),
    };
  });
}

/** One point of a curve as a chart draws it, with the score threshold it stands for (null: +∞). */
export interface CurvePoint {
  readonly x: number;
  readonly y: number;
  readonly threshold: number | null;
}

/** A curve of a chart: one class of one evaluation. */
export interface CurveSeries {
  readonly id: string;
  /** The class, or for overlays "v3 · setosa". */
  readonly label: string;
  /** AUC or AP, shown in the legend. */
  readonly score: number;
  readonly points: CurvePoint[];
  readonly color: string;
  readonly dashed: boolean;
}

export function zipCurve(xs: readonly number[], ys: readonly number[], cuts: readonly (number | null)[]): CurvePoint[] {
  const length = Math.min(xs.length, ys.length);
  return Array.from({ length }, (_, index) => ({ x: xs[index]!, y: ys[index]!, threshold: cuts[index] ?? null }));
}

/** ROC curves (x = false positive rate, y = true positive rate), one per class. */
export function rocSeries(data: RocData, colorOf: (index: number) => string, options: { prefix?: string; dashed?: boolean; only?: string } = {}): CurveSeries[] {
  return data.curves.flatMap((curve, index) =>
    options.only !== undefined && curve.class !== options.only
      ? []
      : [{ id: `${options.prefix ?? ''}roc:${curve.class}`, label: options.prefix ? `${options.prefix} · ${curve.class}` : curve.class, score: curve.auc, points: zipCurve(curve.fpr, curve.tpr, curve.thresholds), color: colorOf(index), dashed: options.dashed ?? false }],
  );
}

/** Precision-recall curves (x = recall, y = precision), one per class. */
export function prSeries(data: PrData, colorOf: (index: number) => string, options: { prefix?: string; dashed?: boolean; only?: string } = {}): CurveSeries[] {
  return data.curves.flatMap((curve, index) =>
    options.only !== undefined && curve.class !== options.only
      ? []
      : [{ id: `${options.prefix ?? ''}pr:${curve.class}`, label: options.prefix ? `${options.prefix} · ${curve.class}` : curve.class, score: curve.averagePrecision, points: zipCurve(curve.recall, curve.precision, curve.thresholds), color: colorOf(index), dashed: options.dashed ?? false }],
  );
}

/**
 * Where a curve is at `x`, as its line is drawn (linear between points; the top of a vertical
 * step), with the threshold of the point nearest there. Outside the curve's x range: its nearest
 * end. ROC curves run left to right and precision–recall right to left; either works.
 */
export function pointAt(points: readonly CurvePoint[], x: number): CurvePoint | null {
  let y: number | null = null;
  for (let index = 0; index + 1 < points.length; index++) {
    const a = points[index]!;
    const b = points[index + 1]!;
    if (x < Math.min(a.x, b.x) || x > Math.max(a.x, b.x)) continue;
    const value = a.x === b.x ? Math.max(a.y, b.y) : a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
    y = y === null ? value : Math.max(y, value);
  }
  let nearest: CurvePoint | null = null;
  let distance = Infinity;
  for (const point of points) {
    const gap = y === null ? Math.abs(point.x - x) : Math.hypot(point.x - x, point.y - y);
    if (gap < distance) {
      nearest = point;
      distance = gap;
    }
  }
  if (!nearest) return null;
  return y === null ? nearest : { x, y, threshold: nearest.threshold };
}

/** The class a curve chart starts on when it shows one: a binary model's positive class, else the first. */
export function defaultCurveClass(classes: readonly string[]): string | null {
  return classes.length === 2 ? classes[1]! : (classes[0] ?? null);
}

/** The calibration bin holding probability `p` (bins are uniform over [0, 1]). */
export function binAt(data: CalibrationData, p: number): CalibrationData['bins'][number] | null {
  return data.bins.find((bin, index) => p <= bin.upper || index === data.bins.length - 1) ?? null;
}

/** Scatter points from two parallel lists (a regression plot), as {x, y}. */
export function scatterPoints(xs: readonly number[], ys: readonly number[]): { x: number; y: number }[] {
  const length = Math.min(xs.length, ys.length);
  return Array.from({ length }, (_, index) => ({ x: xs[index]!, y: ys[index]! }));
}

/** [min, max] over several lists, padded a little; null when there is nothing finite. */
export function extentOf(...lists: readonly (readonly number[])[]): [number, number] | null {
  let low = Infinity;
  let high = -Infinity;
  for (const list of lists) {
    for (const value of list) {
      if (!Number.isFinite(value)) continue;
      if (value < low) low = value;
      if (value > high) high = value;
    }
  }
  if (low > high) return null;
  const pad = (high - low) * 0.04 || Math.abs(low) * 0.1 || 1;
  return [low - pad, high + pad];
}
