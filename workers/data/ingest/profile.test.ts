import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../shared/datasets';
import { Duck } from '../duckdb';
import { describe as describeColumns, ingest } from './ingest';
import { profileColumns } from './profile';
import { FixtureDir } from './test-fixtures';

const dir = new FixtureDir();
let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => {
  duck.close();
  dir.remove();
});

const rows = [
  'id,score,city,day,flag',
  '1,10,Paris,2024-01-03,true',
  '2,20,Berlin,2024-01-01,false',
  '3,,Paris,,true',
  '4,40,Rome,2024-02-10,',
  '5,30,Paris,2024-01-05,true',
  '6,20,Berlin,2024-01-02,false',
  '7,50,Athens,2024-03-01,true',
];

describe('profile numbers against hand-computed values', () => {
  let columns: Record<string, ColumnProfile>;
  beforeAll(async () => {
    const report = await ingest(duck, { format: 'csv', files: [dir.write('people.csv', `${rows.join('\n')}\n`)] });
    expect(report.profile.rowCount).toBe(7);
    columns = Object.fromEntries(report.profile.columns.map((column) => [column.name, column]));
  });

  it('profiles a numeric column with nulls', () => {
    const score = columns.score!;
    expect(score).toMatchObject({ type: 'BIGINT', kind: 'integer', count: 6, nullCount: 1, distinctCount: 5, min: 10, max: 50 });
    // Non-null values 10, 20, 20, 30, 40, 50: mean 170/6; sample variance (5900 - 6·mean²)/5.
    expect(score.mean).toBeCloseTo(170 / 6, 10);
    expect(score.std).toBeCloseTo(Math.sqrt((5900 - 6 * (170 / 6) ** 2) / 5), 10);
    // Linear interpolation at (n-1)·p: positions 1.25, 2.5, 3.75.
    expect(score.quantiles).toEqual({ p25: 20, p50: 25, p75: 37.5 });
    expect(score.topValues).toEqual([
      { value: '20', count: 2 },
      { value: '10', count: 1 },
      { value: '30', count: 1 },
      { value: '40', count: 1 },
      { value: '50', count: 1 },
    ]);
  });

  it('bins numeric columns into 20 equal-width bins over [min, max] whose counts sum to the non-null count', () => {
    const histogram = columns.score!.histogram;
    expect(histogram).toHaveLength(20);
    expect(histogram[0]).toEqual({ lower: 10, upper: 12, count: 1 });
    expect(histogram[19]).toEqual({ lower: 48, upper: 50, count: 1 });
    expect(histogram.map((bin) => bin.count)).toEqual([1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(histogram.reduce((sum, bin) => sum + bin.count, 0)).toBe(columns.score!.count);
    const id = columns.id!;
    expect(id).toMatchObject({ count: 7, nullCount: 0, distinctCount: 7, min: 1, max: 7, mean: 4, quantiles: { p25: 2.5, p50: 4, p75: 5.5 } });
    expect(id.std).toBeCloseTo(Math.sqrt(28 / 6), 10);
    expect(id.histogram.reduce((sum, bin) => sum + bin.count, 0)).toBe(7);
  });

  it('profiles strings: text min/max, top values by count then value, no numeric statistics', () => {
    expect(columns.city).toMatchObject({ kind: 'string', count: 7, nullCount: 0, distinctCount: 4, min: 'Athens', max: 'Rome', mean: null, std: null, quantiles: null, histogram: [] });
    expect(columns.city!.topValues).toEqual([
      { value: 'Paris', count: 3 },
      { value: 'Berlin', count: 2 },
      { value: 'Athens', count: 1 },
      { value: 'Rome', count: 1 },
    ]);
  });

  it('profiles dates with ISO min/max, and booleans', () => {
    expect(columns.day).toMatchObject({ type: 'DATE', kind: 'date', count: 6, nullCount: 1, distinctCount: 6, min: '2024-01-01', max: '2024-03-01', histogram: [] });
    expect(columns.flag).toMatchObject({ kind: 'boolean', count: 6, nullCount: 1, distinctCount: 2, min: null, max: null });
    expect(columns.flag!.topValues).toEqual([
      { value: 'true', count: 4 },
      { value: 'false', count: 2 },
    ]);
  });

  it('gives timestamps ISO min/max, and keeps NaN and infinities out of the statistics', async () => {
    const file = dir.write('odd.csv', 'at,x\n2024-01-02 03:04:05,1.5\n2024-01-01 00:00:00,nan\n2024-05-06 07:08:09,inf\n2024-02-02 00:00:00,2.5\n');
    const report = await ingest(duck, { format: 'csv', files: [file] });
    const [at, x] = report.profile.columns;
    expect(at).toMatchObject({ kind: 'timestamp', min: '2024-01-01T00:00:00', max: '2024-05-06T07:08:09' });
    expect(x).toMatchObject({ kind: 'float', count: 4, min: 1.5, max: 2.5, mean: 2 });
    expect(x!.histogram.reduce((sum, bin) => sum + bin.count, 0)).toBe(2);
    expect(report.warnings.join('\n')).toMatch(/Column "x" has 2 NaN or infinite values/);
  });

  it('gives a constant column a single bin', async () => {
    const report = await ingest(duck, { format: 'csv', files: [dir.write('const.csv', 'v\n3\n3\n3\n')] });
    expect(report.profile.columns[0]!.histogram).toEqual([{ lower: 3, upper: 3, count: 3 }]);
  });
});

describe('profile of big sources (sketches)', () => {
  it('counts exact top values among sketch candidates for high-cardinality columns, in full for the others', async () => {
    // 150,000 rows: `id` is unique except the value 7, which fills the first 1,000 rows; `g` has 3 values.
    await duck.run(`CREATE TABLE big AS SELECT CASE WHEN i < 1000 THEN 7 ELSE i END AS id, ['a', 'b', 'c'][i % 3 + 1] AS g FROM range(150000) t(i)`);
    const schema = await describeColumns(duck, 'big');
    const profile = await profileColumns(duck, schema, { first: 'big', second: 'big', exact: false });
    const [id, g] = profile.columns;
    expect(id!.topValues[0]).toEqual({ value: '7', count: 1000 });
    expect(id!.topValues).toHaveLength(10);
    expect(id!.distinctCount).toBeGreaterThan(140_000 * 0.95);
    expect(id!.distinctCount).toBeLessThan(149_001 * 1.05);
    expect(g).toMatchObject({ distinctCount: 3, topValues: [{ value: 'a', count: 50000 }, { value: 'b', count: 50000 }, { value: 'c', count: 50000 }] });
    expect(id!.quantiles!.p50).toBeGreaterThan(70_000);
    expect(id!.quantiles!.p50).toBeLessThan(80_000);
    expect(id!.histogram.reduce((sum, bin) => sum + bin.count, 0)).toBe(150_000);
  });
});

describe('scan 2 strategies', () => {
  it('counts the same with GROUPING SETS (tall sources) as with unnesting (wide or small ones)', async () => {
    await duck.run(`CREATE TABLE mixed AS SELECT i % 7 AS small, CASE WHEN i % 5 = 0 THEN NULL ELSE i % 11 END AS holes,
      CASE WHEN i % 13 = 0 THEN 'nan'::DOUBLE ELSE (i % 17) / 4 END AS x, ['p', 'q', NULL][i % 3 + 1] AS s,
      DATE '2024-01-01' + (i % 9)::INTEGER AS d, i % 2 = 0 AS b, {'k': i % 4} AS nested FROM range(5000) t(i)`);
    const schema = await describeColumns(duck, 'mixed');
    const tops = new Map(schema.map((_, i) => [i, { mode: 'all' as const }]));
    const bins = new Map([
      [0, { min: 0, width: 6 / 20, bins: 20 }],
      [1, { min: 0, width: 0.5, bins: 20 }],
      [2, { min: 0, width: 0.2, bins: 20 }],
    ]);
    const { groupsSql } = await import('./profile-sql');
    const unnested = await duck.all(groupsSql('mixed', schema, tops, bins, 10)!);
    const sets = await duck.all(groupsSql('mixed', schema, tops, bins, 10_000_000)!);
    expect(sets).toEqual(unnested);
    // `holes` by hand: counts per value, count descending, ties in numeric order (10 after 9).
    const counts = new Map<number, number>();
    for (let i = 0; i < 5000; i++) if (i % 5 !== 0) counts.set(i % 11, (counts.get(i % 11) ?? 0) + 1);
    const expected = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 10);
    expect(unnested.filter((row) => row.set_id === 1).map((row) => [Number(row.value), row.n])).toEqual(expected);
    expect(unnested.find((row) => row.set_id === 1)?.groups).toBe(11);
  });
});
