import { z } from 'zod';
import { metricValueSchema, type Series, type SeriesPoint } from './tracking';

/**
 * A series as columns, for `metrics.seriesBatch`: a chart of 100 runs is ~40,000 points, and as
 * objects each point repeats its eight field names (~170 bytes of JSON a point). As columns a
 * point costs its numbers only, and a column that says nothing new is left out: `mins`/`maxs`
 * when every bucket holds one value, `counts` when all are 1, `nanCounts` when all are 0,
 * `firstSteps` when they equal `steps`. Lossless: `fromColumns(toColumns(s))` equals `s`.
 */
export const seriesColumnsSchema = z.object({
  runId: z.string(),
  key: z.string(),
  /** Steps per point: 1 means every logged point is returned. */
  bucketWidth: z.number(),
  totalCount: z.number(),
  steps: z.array(z.number()),
  values: z.array(metricValueSchema),
  timestamps: z.array(z.number()),
  /** Absent: each min is its value. */
  mins: z.array(metricValueSchema.nullable()).optional(),
  /** Absent: each max is its value. */
  maxs: z.array(metricValueSchema.nullable()).optional(),
  /** Absent: every count is 1. */
  counts: z.array(z.number()).optional(),
  /** Absent: every NaN count is 0. */
  nanCounts: z.array(z.number()).optional(),
  /** Absent: each bucket's first step is its step. */
  firstSteps: z.array(z.number()).optional(),
});
export type SeriesColumns = z.infer<typeof seriesColumnsSchema>;

/** The column, or undefined when every entry equals what the reader assumes in its absence. */
function columnUnlessImplied<T>(points: readonly SeriesPoint[], pick: (point: SeriesPoint) => T, implied: (point: SeriesPoint) => T): T[] | undefined {
  const column = points.map(pick);
  return column.every((entry, index) => Object.is(entry, implied(points[index]!))) ? undefined : column;
}

export function toColumns(series: Series): SeriesColumns {
  const { points } = series;
  const mins = columnUnlessImplied(points, (point) => point.min, (point) => point.value);
  const maxs = columnUnlessImplied(points, (point) => point.max, (point) => point.value);
  const counts = columnUnlessImplied(points, (point) => point.count, () => 1);
  const nanCounts = columnUnlessImplied(points, (point) => point.nanCount, () => 0);
  const firstSteps = columnUnlessImplied(points, (point) => point.firstStep, (point) => point.step);
  return {
    runId: series.runId,
    key: series.key,
    bucketWidth: series.bucketWidth,
    totalCount: series.totalCount,
    steps: points.map((point) => point.step),
    values: points.map((point) => point.value),
    timestamps: points.map((point) => point.timestamp),
    ...(mins ? { mins } : {}),
    ...(maxs ? { maxs } : {}),
    ...(counts ? { counts } : {}),
    ...(nanCounts ? { nanCounts } : {}),
    ...(firstSteps ? { firstSteps } : {}),
  };
}

export function fromColumns(columns: SeriesColumns): Series {
  const points = columns.steps.map((step, index): SeriesPoint => {
    const value = columns.values[index]!;
    return {
      step,
      firstStep: columns.firstSteps?.[index] ?? step,
      value,
      min: columns.mins ? columns.mins[index]! : value,
      max: columns.maxs ? columns.maxs[index]! : value,
      count: columns.counts?.[index] ?? 1,
      nanCount: columns.nanCounts?.[index] ?? 0,
      timestamp: columns.timestamps[index]!,
    };
  });
  return { runId: columns.runId, key: columns.key, bucketWidth: columns.bucketWidth, totalCount: columns.totalCount, points };
}
