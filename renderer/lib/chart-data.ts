import type { SeriesPoint } from '../../shared/tracking';

/** One x position of a metric chart: the line's value and the bucket's min/max band. */
export interface ChartDatum {
  readonly step: number;
  /** null where the value is NaN or ±Infinity: the line breaks there instead of lying. */
  readonly value: number | null;
  /** [min, max] of the bucket's finite values; null when it had none. */
  readonly band: readonly [number, number] | null;
  /** The raw value, for the tooltip (it may be NaN). */
  readonly raw: number;
  readonly count: number;
  readonly nanCount: number;
}

const finite = (value: number | null): value is number => value !== null && Number.isFinite(value);

/** Chart rows from a down-sampled series, plus how many points the line actually draws. */
export function toChartData(points: readonly SeriesPoint[]): { data: ChartDatum[]; drawn: number; gaps: number } {
  let drawn = 0;
  let gaps = 0;
  const data = points.map((point): ChartDatum => {
    const value = Number.isFinite(point.value) ? point.value : null;
    if (value === null) gaps += 1;
    else drawn += 1;
    const band = finite(point.min) && finite(point.max) ? ([point.min, point.max] as const) : null;
    return { step: point.step, value, band, raw: point.value, count: point.count, nanCount: point.nanCount };
  });
  return { data, drawn, gaps };
}

/** About two points per pixel (CONVENTIONS §11), in steps of 50 so resizing does not refetch per pixel. */
export function pointBudget(widthPx: number, min = 10, max = 10000): number {
  const budget = Math.round((widthPx * 2) / 50) * 50;
  return Math.max(min, Math.min(max, budget));
}

/**
 * A comparison chart's budget per series: two points per pixel for up to 20 overlaid runs, then
 * the chart's total held at that of 20 runs, but never under one point per pixel — with 100 runs
 * in one chart, finer than a pixel per run is invisible and only costs the read (the min/max
 * envelope keeps every spike either way).
 */
export function compareBudget(widthPx: number, seriesCount: number): number {
  const full = pointBudget(widthPx);
  if (seriesCount <= 20) return full;
  return Math.max(pointBudget(widthPx / 2), Math.round((full * 20) / seriesCount));
}

/** The smallest and largest finite value a chart draws: line values and band edges. */
export function valueExtent(data: readonly ChartDatum[]): [number, number] | null {
  let low = Infinity;
  let high = -Infinity;
  for (const datum of data) {
    for (const value of [datum.value, datum.band?.[0], datum.band?.[1]]) {
      if (value === null || value === undefined) continue;
      if (value < low) low = value;
      if (value > high) high = value;
    }
  }
  return low <= high ? [low, high] : null;
}

const tidy = (value: number): number => Number(value.toPrecision(12));

/**
 * Round tick values (1, 2, 2.5 or 5 × 10ⁿ apart) covering [min, max], about `count` of them, so
 * axes read 0 / 5000 / 10000 rather than 63 / 5063 / 10063. `integer` keeps steps whole (x = step).
 */
export function niceTicks(min: number, max: number, count: number, integer = false): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  let low = min;
  let high = max;
  if (low === high) {
    const pad = Math.abs(low) * 0.1 || 1;
    low -= pad;
    high += pad;
  }
  const rawStep = (high - low) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const residual = rawStep / magnitude;
  let step = (residual > 5 ? 10 : residual > 2.5 ? 5 : residual > 2 ? 2.5 : residual > 1 ? 2 : 1) * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const start = tidy(Math.floor(low / step) * step);
  const ticks: number[] = [];
  for (let index = 0; ; index += 1) {
    const tick = tidy(start + index * step);
    ticks.push(tick);
    if (tick >= high || index > 50) break;
  }
  return ticks;
}
