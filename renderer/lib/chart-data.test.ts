import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../../shared/tracking';
import { compareBudget, niceTicks, pointBudget, toChartData, valueExtent } from './chart-data';

const point = (step: number, value: number, min: number | null = value, max: number | null = value): SeriesPoint => ({
  step, firstStep: step, value, min, max, count: 1, nanCount: Number.isNaN(value) ? 1 : 0, timestamp: 0,
});

describe('toChartData', () => {
  it('turns NaN and infinities into gaps and counts only drawn points', () => {
    const { data, drawn, gaps } = toChartData([point(0, 1), point(1, Number.NaN, null, null), point(2, Infinity, null, null), point(3, 0.5)]);
    expect(data.map((datum) => datum.value)).toEqual([1, null, null, 0.5]);
    expect(drawn).toBe(2);
    expect(gaps).toBe(2);
    expect(Number.isNaN(data[1]!.raw)).toBe(true);
  });

  it('keeps the min/max band of a bucket so spikes survive down-sampling', () => {
    const { data } = toChartData([{ ...point(99, 0.2, 0.1, 9.5), count: 100 }]);
    expect(data[0]!.band).toEqual([0.1, 9.5]);
  });
});

describe('pointBudget', () => {
  it('asks for about two points per pixel within the server limits', () => {
    expect(pointBudget(600)).toBe(1200);
    expect(pointBudget(613)).toBe(1250);
    expect(pointBudget(0)).toBe(10);
    expect(pointBudget(100000)).toBe(10000);
  });
});

describe('niceTicks', () => {
  it('picks round steps that cover the data', () => {
    expect(niceTicks(63, 19999, 4, true)).toEqual([0, 5000, 10000, 15000, 20000]);
    expect(niceTicks(0.01, 3.33, 4)).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(0.4, 0.92, 4)).toEqual([0.4, 0.6, 0.8, 1]);
  });

  it('handles a flat series, negatives and whole steps', () => {
    expect(niceTicks(5, 5, 4)).toEqual([4.5, 4.75, 5, 5.25, 5.5]);
    expect(niceTicks(-1.2, 0.3, 3)).toEqual([-1.5, -1, -0.5, 0, 0.5]);
    expect(niceTicks(0, 3, 8, true)).toEqual([0, 1, 2, 3]);
  });

  it('finds the drawn extent from values and band edges, ignoring gaps', () => {
    const { data } = toChartData([point(0, 1, 0.5, 4), point(1, Number.NaN, null, null), point(2, 2)]);
    expect(valueExtent(data)).toEqual([0.5, 4]);
    expect(valueExtent([])).toBeNull();
  });
});

describe('compareBudget', () => {
  it('gives two points per pixel to a few runs and one per pixel to many', () => {
    expect(compareBudget(600, 3)).toBe(1200);
    expect(compareBudget(600, 20)).toBe(1200);
    expect(compareBudget(600, 30)).toBe(800);
    expect(compareBudget(600, 100)).toBe(600);
  });
});
