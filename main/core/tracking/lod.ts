/**
 * Level-of-detail bucket widths, in steps. Powers of four from 16: a batch of 1,000 consecutive
 * steps touches ~63 buckets at the finest level and ~1 at the coarsest, so keeping the pyramid
 * costs about a tenth of the point inserts themselves; and any step range can be drawn from a
 * level that returns between a quarter of the point budget and the budget.
 */
export const lodWidths: readonly number[] = [16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];

/** A bucket's summary, the unit the pyramid stores and merges. */
export interface BucketSummary {
  count: number;
  nanCount: number;
  /** null when every value in the bucket is NaN. */
  min: number | null;
  max: number | null;
  firstStep: number;
  firstValue: number;
  lastStep: number;
  lastValue: number;
  lastTimestamp: number;
}

export interface PointIn {
  readonly step: number;
  readonly value: number;
  readonly timestamp: number;
}

/**
 * Summarizes points into buckets of `width` steps. "First" is the point with the smallest step
 * (earliest logged on ties) and "last" the one with the largest step (latest logged on ties), so
 * a line through the lasts is the series as the user logged it.
 */
export function summarize(points: readonly PointIn[], width: number): Map<number, BucketSummary> {
  const buckets = new Map<number, BucketSummary>();
  for (const point of points) {
    const bucket = Math.floor(point.step / width);
    const isNan = Number.isNaN(point.value);
    const current = buckets.get(bucket);
    if (!current) {
      buckets.set(bucket, {
        count: 1,
        nanCount: isNan ? 1 : 0,
        min: isNan ? null : point.value,
        max: isNan ? null : point.value,
        firstStep: point.step,
        firstValue: point.value,
        lastStep: point.step,
        lastValue: point.value,
        lastTimestamp: point.timestamp,
      });
      continue;
    }
    current.count++;
    if (isNan) current.nanCount++;
    else {
      current.min = current.min === null ? point.value : Math.min(current.min, point.value);
      current.max = current.max === null ? point.value : Math.max(current.max, point.value);
    }
    if (point.step < current.firstStep) {
      current.firstStep = point.step;
      current.firstValue = point.value;
    }
    if (point.step >= current.lastStep) {
      current.lastStep = point.step;
      current.lastValue = point.value;
      current.lastTimestamp = point.timestamp;
    }
  }
  return buckets;
}

/** The finest level whose buckets over `span` steps fit the budget; 1 means raw points. */
export function chooseWidth(span: number, maxPoints: number): number {
  if (span + 1 <= maxPoints) return 1;
  for (const width of lodWidths) {
    if (Math.floor(span / width) + 2 <= maxPoints) return width;
  }
  return lodWidths[lodWidths.length - 1]!;
}

/** MLflow's latest-value rule: largest step, then timestamp, then value (NaN lowest). */
export function isNewer(a: PointIn, b: { step: number; timestamp: number; value: number }): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  const av = Number.isNaN(a.value) ? -Infinity : a.value;
  const bv = Number.isNaN(b.value) ? -Infinity : b.value;
  return av > bv;
}
