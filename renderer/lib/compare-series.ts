import type { Run, SeriesPoint } from '../../shared/tracking';
import { ema } from './ema';

/** What the compare charts put on x: the step, the wall-clock time, or seconds since the run started. */
export type XAxisMode = 'step' | 'wall' | 'relative';
export const xAxisModes: readonly XAxisMode[] = ['step', 'wall', 'relative'];

/** One run's series ready to draw: x and y per point, y already on the chart's (log or linear) scale. */
export interface PlotSeries {
  readonly runId: string;
  readonly points: readonly SeriesPoint[];
  readonly xs: readonly number[];
  /** The raw line (null: a gap, for NaN/∞ or ≤ 0 on a log scale). */
  readonly ys: readonly (number | null)[];
  /** The EMA line, or null when smoothing is off. */
  readonly smoothed: readonly (number | null)[] | null;
  /** The bucket's [min, max] band on the chart's scale, null where the bucket holds one point. */
  readonly bands: readonly (readonly [number, number] | null)[];
}

export function xOf(point: Pick<SeriesPoint, 'step' | 'timestamp'>, axis: XAxisMode, startTime: number): number {
  if (axis === 'step') return point.step;
  if (axis === 'wall') return point.timestamp;
  return (point.timestamp - startTime) / 1000;
}

const onScale = (value: number | null, log: boolean): number | null => {
  if (value === null || !Number.isFinite(value)) return null;
  if (!log) return value;
  return value > 0 ? Math.log10(value) : null;
};

/** A series as the chart draws it; smoothing (0 = off) runs on the raw values before the log. */
export function toPlotSeries(runId: string, points: readonly SeriesPoint[], options: { axis: XAxisMode; startTime: number; log: boolean; smoothing: number }): PlotSeries {
  const { axis, startTime, log, smoothing } = options;
  const smoothed = smoothing > 0 ? ema(points.map((point) => point.value), smoothing).map((value) => onScale(value, log)) : null;
  return {
    runId,
    points,
    xs: points.map((point) => xOf(point, axis, startTime)),
    ys: points.map((point) => onScale(point.value, log)),
    smoothed,
    bands: points.map((point) => {
      if (point.count <= 1) return null;
      const low = onScale(point.min, log);
      const high = onScale(point.max, log);
      return low !== null && high !== null ? ([low, high] as const) : null;
    }),
  };
}

/** The x extent of every series together, or null when nothing is loaded. */
export function xExtent(series: readonly PlotSeries[]): [number, number] | null {
  let low = Infinity;
  let high = -Infinity;
  for (const one of series) {
    const first = one.xs[0];
    const last = one.xs[one.xs.length - 1];
    if (first !== undefined && first < low) low = first;
    if (last !== undefined && last > high) high = last;
  }
  return low <= high ? [low, high] : null;
}

/** The y extent (lines, smoothed lines and bands) of what lies inside the x window. */
export function yExtent(series: readonly PlotSeries[], window: readonly [number, number] | null): [number, number] | null {
  let low = Infinity;
  let high = -Infinity;
  const take = (value: number | null | undefined): void => {
    if (value === null || value === undefined) return;
    if (value < low) low = value;
    if (value > high) high = value;
  };
  for (const one of series) {
    one.xs.forEach((x, index) => {
      if (window && (x < window[0] || x > window[1])) return;
      take(one.ys[index]);
      take(one.smoothed?.[index]);
      take(one.bands[index]?.[0]);
      take(one.bands[index]?.[1]);
    });
  }
  return low <= high ? [low, high] : null;
}

/** The largest raw value (bucket maxima included) inside the x window: what a spike check reads. */
export function visibleMax(series: PlotSeries, window: readonly [number, number] | null): number | null {
  let high = -Infinity;
  series.xs.forEach((x, index) => {
    if (window && (x < window[0] || x > window[1])) return;
    const point = series.points[index]!;
    for (const value of [point.value, point.max]) if (value !== null && Number.isFinite(value) && value > high) high = value;
  });
  return high === -Infinity ? null : high;
}

/** Index of the point nearest to `x` (xs ascending), or −1 for an empty series. */
export function nearestIndex(xs: readonly number[], x: number): number {
  if (xs.length === 0) return -1;
  let low = 0;
  let high = xs.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (xs[middle]! < x) low = middle + 1;
    else high = middle;
  }
  if (low > 0 && Math.abs(xs[low - 1]! - x) <= Math.abs(xs[low]! - x)) return low - 1;
  return low;
}

/**
 * The steps to ask the level-of-detail table for when the chart shows the x window: the window
 * itself on a step axis; on a time axis, the steps of the points around it (one beyond each edge,
 * so the line reaches the border).
 */
export function stepRangeOf(points: readonly SeriesPoint[], xs: readonly number[], axis: XAxisMode, window: readonly [number, number]): [number, number] | null {
  if (axis === 'step') return [Math.floor(window[0]), Math.ceil(window[1])];
  if (points.length === 0) return null;
  let first = nearestIndex(xs, window[0]);
  if (xs[first]! > window[0] && first > 0) first -= 1;
  let last = nearestIndex(xs, window[1]);
  if (xs[last]! < window[1] && last < xs.length - 1) last += 1;
  return [points[first]!.firstStep, points[last]!.step];
}

/** Every metric key the runs have, sorted. */
export function metricKeysOf(runs: readonly Run[]): string[] {
  const keys = new Set<string>();
  for (const run of runs) for (const key of Object.keys(run.metrics)) keys.add(key);
  return [...keys].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** The metrics charted before the user picks: the first `count` every run has, else the first of any. */
export function defaultMetrics(runs: readonly Run[], count = 3): string[] {
  const all = metricKeysOf(runs);
  const common = all.filter((key) => runs.every((run) => key in run.metrics));
  return (common.length > 0 ? common : all).slice(0, count);
}

/** One run's value at the hovered x. */
export interface HoverRow {
  readonly runId: string;
  readonly name: string;
  readonly color: string;
  readonly step: number;
  readonly value: number;
  readonly smoothed: number | null;
}

/** Rows sorted by value (NaN last); `direction` null keeps the selection order. */
export function sortHoverRows(rows: readonly HoverRow[], direction: 'asc' | 'desc' | null): HoverRow[] {
  if (direction === null) return [...rows];
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const aBad = !Number.isFinite(a.value);
    const bBad = !Number.isFinite(b.value);
    if (aBad || bBad) return Number(aBad) - Number(bBad);
    return sign * (a.value - b.value);
  });
}

/** The hover table as tab-separated text, header first, for pasting into a spreadsheet. */
export function hoverRowsToTsv(rows: readonly HoverRow[], xLabel: string, x: number): string {
  const smoothing = rows.some((row) => row.smoothed !== null);
  const header = ['run', 'run_id', 'step', 'value', ...(smoothing ? ['smoothed'] : []), xLabel];
  const clean = (text: string): string => text.replace(/[\t\r\n]+/g, ' ');
  const lines = rows.map((row) => [clean(row.name), row.runId, String(row.step), String(row.value), ...(smoothing ? [row.smoothed === null ? '' : String(row.smoothed)] : []), String(x)].join('\t'));
  return [header.join('\t'), ...lines].join('\n');
}
