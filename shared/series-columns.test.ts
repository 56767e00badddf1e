import { describe, expect, it } from 'vitest';
import { fromColumns, toColumns } from './series-columns';
import type { Series, SeriesPoint } from './tracking';

const raw = (step: number, value: number): SeriesPoint => ({ step, firstStep: step, value, min: value, max: value, count: 1, nanCount: 0, timestamp: 1000 + step });

describe('series columns', () => {
  it('leave out the columns raw points imply, and round-trip exactly', () => {
    const series: Series = { runId: 'r', key: 'loss', bucketWidth: 1, totalCount: 3, points: [raw(0, 1), raw(1, 0.5), raw(2, 0.25)] };
    const columns = toColumns(series);
    expect(Object.keys(columns).sort()).toEqual(['bucketWidth', 'key', 'runId', 'steps', 'timestamps', 'totalCount', 'values']);
    expect(fromColumns(columns)).toEqual(series);
  });

  it('keep every column a bucketed series needs, NaN and null included', () => {
    const points: SeriesPoint[] = [
      { step: 15, firstStep: 0, value: 0.9, min: 0.1, max: 7, count: 16, nanCount: 0, timestamp: 5 },
      { step: 31, firstStep: 16, value: Number.NaN, min: null, max: null, count: 16, nanCount: 16, timestamp: 6 },
      { step: 40, firstStep: 32, value: Infinity, min: -1, max: Infinity, count: 9, nanCount: 2, timestamp: 7 },
    ];
    const series: Series = { runId: 'r', key: 'loss', bucketWidth: 16, totalCount: 41, points };
    const columns = toColumns(series);
    expect(columns.mins).toEqual([0.1, null, -1]);
    expect(columns.nanCounts).toEqual([0, 16, 2]);
    expect(fromColumns(columns)).toEqual(series);
  });

  it('keep mins when a raw NaN point has none', () => {
    const series: Series = { runId: 'r', key: 'loss', bucketWidth: 1, totalCount: 2, points: [raw(0, 1), { ...raw(1, Number.NaN), min: null, max: null, nanCount: 1 }] };
    expect(fromColumns(toColumns(series))).toEqual(series);
  });
});
