import { describe, expect, it } from 'vitest';
import type { Run, SeriesPoint } from '../../shared/tracking';
import { defaultMetrics, hoverRowsToTsv, nearestIndex, sortHoverRows, stepRangeOf, toPlotSeries, visibleMax, xExtent, yExtent, type HoverRow } from './compare-series';

const point = (step: number, value: number, extra: Partial<SeriesPoint> = {}): SeriesPoint => ({ step, firstStep: step, value, min: value, max: value, count: 1, nanCount: 0, timestamp: 1000 + step * 10, ...extra });

describe('compare series shaping', () => {
  it('puts step, wall time or seconds since the start on x', () => {
    const points = [point(0, 1), point(5, 2)];
    const options = { startTime: 1000, log: false, smoothing: 0 };
    expect(toPlotSeries('r', points, { ...options, axis: 'step' }).xs).toEqual([0, 5]);
    expect(toPlotSeries('r', points, { ...options, axis: 'wall' }).xs).toEqual([1000, 1050]);
    expect(toPlotSeries('r', points, { ...options, axis: 'relative' }).xs).toEqual([0, 0.05]);
  });

  it('takes log10 on a log scale and leaves gaps for values ≤ 0 and NaN', () => {
    const series = toPlotSeries('r', [point(0, 100), point(1, 0), point(2, Number.NaN)], { axis: 'step', startTime: 0, log: true, smoothing: 0 });
    expect(series.ys).toEqual([2, null, null]);
  });

  it('keeps the min/max band of a bucket so a spike inside it is drawn', () => {
    const series = toPlotSeries('r', [point(9, 0.5, { firstStep: 0, min: 0.1, max: 50, count: 10 })], { axis: 'step', startTime: 0, log: false, smoothing: 0 });
    expect(series.bands[0]).toEqual([0.1, 50]);
    expect(yExtent([series], null)).toEqual([0.1, 50]);
    expect(visibleMax(series, null)).toBe(50);
    expect(visibleMax(series, [20, 30])).toBeNull();
  });

  it('adds a smoothed line only when smoothing is on', () => {
    const options = { axis: 'step' as const, startTime: 0, log: false };
    expect(toPlotSeries('r', [point(0, 1), point(1, 3)], { ...options, smoothing: 0 }).smoothed).toBeNull();
    expect(toPlotSeries('r', [point(0, 1), point(1, 3)], { ...options, smoothing: 0.5 }).smoothed?.[1]).toBeLessThan(3);
  });

  it('finds the nearest point and the x extent of several series', () => {
    expect(nearestIndex([0, 10, 20], 14)).toBe(1);
    expect(nearestIndex([0, 10, 20], 16)).toBe(2);
    expect(nearestIndex([0, 10, 20], -5)).toBe(0);
    expect(nearestIndex([], 3)).toBe(-1);
    const options = { axis: 'step' as const, startTime: 0, log: false, smoothing: 0 };
    expect(xExtent([toPlotSeries('a', [point(3, 1), point(8, 1)], options), toPlotSeries('b', [point(1, 1), point(5, 1)], options)])).toEqual([1, 8]);
  });

  it('turns a zoom window into the step range to re-read', () => {
    const points = [point(99, 1, { firstStep: 0 }), point(199, 1, { firstStep: 100 }), point(299, 1, { firstStep: 200 })];
    expect(stepRangeOf(points, [99, 199, 299], 'step', [120.4, 180.6])).toEqual([120, 181]);
    // On a time axis: the buckets around the window, so the line reaches both edges.
    expect(stepRangeOf(points, [1, 2, 3], 'relative', [1.5, 2.5])).toEqual([0, 299]);
  });

  it('charts the first metrics every run has by default', () => {
    const run = (metrics: string[]): Run => ({ metrics: Object.fromEntries(metrics.map((key) => [key, { value: 1, step: 0, timestamp: 0 }])) }) as unknown as Run;
    expect(defaultMetrics([run(['loss', 'acc', 'lr', 'f1', 'x']), run(['loss', 'acc', 'lr', 'f1'])])).toEqual(['acc', 'f1', 'loss']);
    expect(defaultMetrics([run(['a']), run(['b'])])).toEqual(['a', 'b']);
  });

  it('sorts the hover table by value (NaN last) and copies it as TSV', () => {
    const rows: HoverRow[] = [
      { runId: '1', name: 'one', color: '', step: 5, value: 0.3, smoothed: null },
      { runId: '2', name: 'two\tx', color: '', step: 5, value: Number.NaN, smoothed: null },
      { runId: '3', name: 'three', color: '', step: 5, value: 0.1, smoothed: null },
    ];
    expect(sortHoverRows(rows, 'asc').map((row) => row.runId)).toEqual(['3', '1', '2']);
    expect(sortHoverRows(rows, 'desc').map((row) => row.runId)).toEqual(['1', '3', '2']);
    expect(sortHoverRows(rows, null).map((row) => row.runId)).toEqual(['1', '2', '3']);
    expect(hoverRowsToTsv(rows.slice(0, 2), 'step', 5).split('\n')).toEqual(['run\trun_id\tstep\tvalue\tstep', 'one\t1\t5\t0.3\t5', 'two x\t2\t5\tNaN\t5']);
  });
});
