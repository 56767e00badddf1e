import type { ColumnProfile, ColumnSchema } from '../../../shared/datasets';
import type { Cell, Duck, Row } from '../duckdb';
import { isNumericKind } from './column-kinds';
import { groupsSql, headSql, histogramBins, statsSql, type BinPlan, type TopPlan } from './profile-sql';

/**
 * Above this many distinct values (estimated) a big source's column is not grouped in full:
 * its top values are counted among the sketch's candidates only, so memory stays bounded.
 */
export const fullGroupingLimit = 100_000;

export interface ProfileScans {
  /** Table expression of scan 1 (CSV: the one that records rejected rows). */
  readonly first: string;
  readonly second: string;
  /** Small sources get exact quantiles, distinct counts and top values; big ones sketches. */
  readonly exact: boolean;
  /** Runs between the scans: ingest checks the rows DuckDB rejected before going on. */
  readonly afterFirst?: () => Promise<void>;
}

export interface ProfileResult {
  readonly rowCount: number;
  readonly columns: ColumnProfile[];
  readonly warnings: string[];
}

/** Profiles every column in two scans (see profile-sql.ts for the SQL and why). */
export async function profileColumns(duck: Duck, schema: readonly ColumnSchema[], scans: ProfileScans): Promise<ProfileResult> {
  const sketched = scans.exact ? new Set<number>() : await highCardinalityGuess(duck, schema, scans.second);
  const stats = (await duck.one(statsSql(scans.first, schema, scans.exact, sketched)))!;
  await scans.afterFirst?.();
  const rowCount = toNumber(stats.row_count) ?? 0;
  const warnings: string[] = [];
  const tops = new Map<number, TopPlan>();
  const bins = new Map<number, BinPlan>();
  schema.forEach((column, i) => {
    const approxDistinct = toNumber(stats[`d${i}`]);
    // A column the head sample misjudged (few values at the top, many further down) has no
    // candidates: it is grouped in full, which is exact and only costs DuckDB more memory.
    if (scans.exact || (approxDistinct ?? 0) <= fullGroupingLimit || !sketched.has(i)) tops.set(i, { mode: 'all' });
    else tops.set(i, { mode: 'candidates', values: JSON.parse(String(stats[`k${i}`] ?? '[]')) as string[] });
    const min = toNumber(stats[`mn${i}`]);
    const max = toNumber(stats[`mx${i}`]);
    if (isNumericKind(column.kind) && min !== null && max !== null) {
      bins.set(i, max > min ? { min, width: (max - min) / histogramBins, bins: histogramBins } : { min, width: 0, bins: 1 });
    }
    const nonFinite = toNumber(stats[`nf${i}`]) ?? 0;
    if (nonFinite > 0) warnings.push(`Column "${column.name}" has ${nonFinite} NaN or infinite values; its statistics leave them out`);
  });
  const sql = groupsSql(scans.second, schema, tops, bins, rowCount);
  const groups = sql === null ? [] : await duck.all(sql);
  return { rowCount, columns: schema.map((column, i) => columnProfile(column, i, stats, groups, tops.get(i)!, bins.get(i))), warnings };
}

/** Columns with more than 10 % distinct values among the first rows: they get top-k sketches. */
async function highCardinalityGuess(duck: Duck, schema: readonly ColumnSchema[], from: string): Promise<Set<number>> {
  const head = (await duck.one(headSql(from, schema)))!;
  const rows = toNumber(head.row_count) ?? 0;
  const sketched = new Set<number>();
  schema.forEach((_, i) => {
    if ((toNumber(head[`d${i}`]) ?? 0) > Math.max(1000, rows * 0.1)) sketched.add(i);
  });
  return sketched;
}

function columnProfile(column: ColumnSchema, i: number, stats: Row, groups: readonly Row[], top: TopPlan, bin: BinPlan | undefined): ColumnProfile {
  const count = toNumber(stats[`n${i}`]) ?? 0;
  const rowCount = toNumber(stats.row_count) ?? 0;
  const values = groups.filter((row) => row.set_id === i);
  const numeric = isNumericKind(column.kind);
  const p25 = toNumber(stats[`qa${i}`]);
  const p50 = toNumber(stats[`qb${i}`]);
  const p75 = toNumber(stats[`qc${i}`]);
  return {
    ...column,
    count,
    nullCount: rowCount - count,
    // Fully grouped: the number of groups is exact. Otherwise HyperLogLog's estimate (±2 %).
    distinctCount: top.mode === 'all' ? (toNumber(values[0]?.groups) ?? 0) : (toNumber(stats[`d${i}`]) ?? 0),
    min: numeric ? toNumber(stats[`mn${i}`]) : toText(stats[`mn${i}`]),
    max: numeric ? toNumber(stats[`mx${i}`]) : toText(stats[`mx${i}`]),
    mean: numeric ? toNumber(stats[`av${i}`]) : null,
    std: numeric ? toNumber(stats[`sd${i}`]) : null,
    quantiles: numeric && p25 !== null && p50 !== null && p75 !== null ? { p25, p50, p75 } : null,
    // Already ranked by the SQL: count descending, then the typed value ascending.
    topValues: values.map((row) => ({ value: String(row.value), count: toNumber(row.n) ?? 0 })),
    histogram: bin ? histogram(bin, toNumber(stats[`mx${i}`])!, groups.filter((row) => row.set_id === -1 - i)) : [],
  };
}

function histogram(plan: BinPlan, max: number, rows: readonly Row[]): ColumnProfile['histogram'] {
  const counts = new Array<number>(plan.bins).fill(0);
  for (const row of rows) counts[Number(row.value)] = toNumber(row.n) ?? 0;
  return counts.map((count, index) => ({
    lower: plan.min + index * plan.width,
    // The last bin ends exactly at max, whatever the rounding of min + bins × width.
    upper: index === plan.bins - 1 ? max : plan.min + (index + 1) * plan.width,
    count,
  }));
}

function toNumber(cell: Cell | undefined): number | null {
  if (cell === null || cell === undefined) return null;
  const value = typeof cell === 'number' ? cell : Number(cell);
  return Number.isFinite(value) ? value : null;
}

function toText(cell: Cell | undefined): string | null {
  return cell === null || cell === undefined ? null : String(cell);
}
