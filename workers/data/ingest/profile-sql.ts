import type { ColumnSchema } from '../../../shared/datasets';
import { sqlIdentifier, sqlString } from '../duckdb';
import { isNumericKind } from './column-kinds';

/** Most frequent values kept per column, and equal-width bins per numeric histogram. */
export const topValueCount = 10;
export const histogramBins = 20;

/**
 * The SQL of the profile's two scans. Every column's aggregates go into one statement per scan,
 * so a 10 GB file is read twice in all, whatever its width. Aliases are positional (`n3` is
 * column 3's non-null count) because column names come from user data.
 */

/** A column's value as DOUBLE; NaN and ±Infinity become NULL so they cannot poison mean and bins. */
function numeric(column: ColumnSchema): string {
  const value = `CAST(${sqlIdentifier(column.name)} AS DOUBLE)`;
  return column.kind === 'float' ? `CASE WHEN isfinite(${value}) THEN ${value} END` : value;
}

/** A column's value for distinct counts and sketches: typed, or text for nested types. */
function groupable(column: ColumnSchema): string {
  const name = sqlIdentifier(column.name);
  return column.kind === 'other' ? `CAST(${name} AS VARCHAR)` : name;
}

function minMax(column: ColumnSchema, fn: 'min' | 'max'): string {
  const name = sqlIdentifier(column.name);
  switch (column.kind) {
    case 'integer':
    case 'float':
      return `${fn}(${numeric(column)})`;
    case 'date':
    case 'string':
      return `CAST(${fn}(${name}) AS VARCHAR)`;
    case 'timestamp':
      // DuckDB prints `2024-01-02 03:04:05`; ISO 8601 wants the `T`.
      return `replace(CAST(${fn}(${name}) AS VARCHAR), ' ', 'T')`;
    default:
      return 'NULL';
  }
}

/**
 * Scan 1: row count, and per column the non-null count, min, max, mean, sample standard
 * deviation and quartiles. Exact mode (small sources) uses `quantile_cont`; otherwise
 * `approx_quantile` (t-digest, bounded memory) and an approximate distinct count, plus top-k
 * candidates for the `sketched` columns (approx_top_k is the costliest aggregate here, so only
 * columns that look high-cardinality get it).
 */
export function statsSql(from: string, columns: readonly ColumnSchema[], exact: boolean, sketched: ReadonlySet<number> = new Set()): string {
  const inner = ['count(*) AS row_count'];
  const outer = ['row_count'];
  columns.forEach((column, i) => {
    const name = sqlIdentifier(column.name);
    inner.push(`count(${name}) AS n${i}`, `${minMax(column, 'min')} AS mn${i}`, `${minMax(column, 'max')} AS mx${i}`);
    outer.push(`n${i}`, `mn${i}`, `mx${i}`);
    if (isNumericKind(column.kind)) {
      const value = numeric(column);
      const quantile = exact ? 'quantile_cont' : 'approx_quantile';
      inner.push(`avg(${value}) AS av${i}`, `stddev_samp(${value}) AS sd${i}`, `${quantile}(${value}, [0.25, 0.5, 0.75]) AS q${i}`);
      outer.push(`av${i}`, `sd${i}`, `CAST(q${i}[1] AS DOUBLE) AS qa${i}`, `CAST(q${i}[2] AS DOUBLE) AS qb${i}`, `CAST(q${i}[3] AS DOUBLE) AS qc${i}`);
      if (column.kind === 'float') {
        inner.push(`count(${name}) - count(${value}) AS nf${i}`);
        outer.push(`nf${i}`);
      }
    }
    if (!exact) {
      inner.push(`approx_count_distinct(${groupable(column)}) AS d${i}`);
      outer.push(`d${i}`);
    }
    if (!exact && sketched.has(i)) {
      inner.push(`approx_top_k(${groupable(column)}, ${topValueCount}) AS k${i}`);
      outer.push(`to_json(list_transform(k${i}, value -> CAST(value AS VARCHAR)))::VARCHAR AS k${i}`);
    }
  });
  return `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${from})`;
}

/** Rows of the head sample that guesses which columns are high-cardinality. */
export const headSampleRows = 100_000;

/**
 * Distinct counts over the first rows only (LIMIT stops the read early). A column with many
 * distinct values there is likely to have too many to group in full over the whole source.
 */
export function headSql(from: string, columns: readonly ColumnSchema[]): string {
  const distinct = columns.map((column, i) => `approx_count_distinct(${groupable(column)}) AS d${i}`);
  return `SELECT count(*) AS row_count, ${distinct.join(', ')} FROM (SELECT * FROM ${from} LIMIT ${headSampleRows})`;
}

/** How scan 2 counts a column's values: all of them, or only top-k candidates from scan 1. */
export type TopPlan = { readonly mode: 'all' } | { readonly mode: 'candidates'; readonly values: readonly string[] };

/** A histogram's range, from scan 1. */
export interface BinPlan {
  readonly min: number;
  readonly width: number;
  readonly bins: number;
}

function doubleLiteral(value: number): string {
  // Through a string: DuckDB would read `0.1` as DECIMAL and round long fractions.
  return `CAST(${sqlString(String(value))} AS DOUBLE)`;
}

/**
 * Row count from which scan 2 uses GROUPING SETS rather than unnesting. DuckDB gives every
 * grouping set its own hash table at a fixed ~15 ms, whatever the row count (a 400-column file
 * of 2,000 rows took 9 s); unnesting has no such cost but spends ~1.7× as long per value (its
 * rows are copied and every value is cast to text). Per column, the two break even near
 * 15 ms / 0.034 µs ≈ 450,000 rows, however many columns there are.
 */
export const groupingSetsFromRows = 500_000;

/** One thing scan 2 counts: a column's values (set i ≥ 0) or its histogram bins (set -1-i). */
interface GroupKey {
  readonly set: number;
  /** Typed value, NULL where it is not counted. */
  readonly value: string;
  /** Ties order by number (2 before 10), else by text. */
  readonly numeric: boolean;
}

/**
 * Scan 2: value counts (top values, and the exact distinct count where every value is grouped)
 * and histogram bin counts, in one aggregation. Rows come back as (set, value, count, groups),
 * ranked by count descending, then by the typed value; dates and timestamps sort as ISO text.
 */
export function groupsSql(from: string, columns: readonly ColumnSchema[], tops: ReadonlyMap<number, TopPlan>, bins: ReadonlyMap<number, BinPlan>, rowCount: number): string | null {
  const keys: GroupKey[] = [];
  for (const [i, plan] of tops) {
    const column = columns[i]!;
    if (plan.mode === 'candidates' && plan.values.length === 0) continue;
    const value = groupable(column);
    keys.push({
      set: i,
      value: plan.mode === 'all' ? value : `CASE WHEN CAST(${sqlIdentifier(column.name)} AS VARCHAR) IN (${plan.values.map(sqlString).join(', ')}) THEN ${value} END`,
      numeric: isNumericKind(column.kind),
    });
  }
  for (const [i, plan] of bins) {
    const value = numeric(columns[i]!);
    // least() skips NULLs (least(NULL, 19) is 19), so NULL must be kept out of it explicitly.
    const scaled = `floor((${value} - ${doubleLiteral(plan.min)}) / ${doubleLiteral(plan.width)})`;
    const bin = plan.width > 0 ? `CASE WHEN ${value} IS NOT NULL THEN least(${scaled}, ${plan.bins - 1}) END` : `0 * ${value}`;
    keys.push({ set: -1 - i, value: `CAST(${bin} AS INTEGER)`, numeric: true });
  }
  if (keys.length === 0) return null;
  const counted = rowCount >= groupingSetsFromRows ? groupingSets(from, keys) : unnested(from, keys);
  // The sort key is derived from the counted text, after grouping: carrying it through the
  // aggregation as a value made GROUPING SETS compute it for every set.
  const numericSets = keys.filter((key) => key.numeric).map((key) => key.set);
  const sortKey = numericSets.length > 0 ? `CASE WHEN set_id IN (${numericSets.join(', ')}) THEN TRY_CAST(value AS DOUBLE) END` : 'NULL';
  return [
    `WITH ${counted},`,
    `ranked AS (SELECT set_id, value, n, count(*) OVER (PARTITION BY set_id) AS groups,`,
    `  row_number() OVER (PARTITION BY set_id ORDER BY n DESC, ${sortKey}, value) AS rank FROM grouped)`,
    `SELECT set_id, value, n, groups FROM ranked WHERE set_id < 0 OR rank <= ${topValueCount} ORDER BY set_id, rank`,
  ].join('\n');
}

/**
 * `grouped(set_id, value, n)` from one grouping set per key. Within a set every other key is
 * NULL, which is how a row's set is told apart (NULL values themselves are dropped).
 */
function groupingSets(from: string, keys: readonly GroupKey[]): string {
  const aliases = keys.map((_, j) => `g${j}`);
  const which = (pick: (key: GroupKey, j: number) => string): string => `CASE ${keys.map((key, j) => `WHEN g${j} IS NOT NULL THEN ${pick(key, j)}`).join(' ')} END`;
  return [
    `sets AS (SELECT ${aliases.join(', ')}, count(*) AS n FROM (SELECT ${keys.map((key, j) => `${key.value} AS g${j}`).join(', ')} FROM ${from})`,
    `  GROUP BY GROUPING SETS (${aliases.map((alias) => `(${alias})`).join(', ')})),`,
    `grouped AS (SELECT * FROM (SELECT ${which((key) => String(key.set))} AS set_id, ${which((_, j) => `CAST(g${j} AS VARCHAR)`)} AS value, n FROM sets)`,
    `  WHERE set_id IS NOT NULL)`,
  ].join('\n');
}

/** `grouped(set_id, value, n)` from one cell per row and key, in one hash table. */
function unnested(from: string, keys: readonly GroupKey[]): string {
  const cells = keys.map((key) => `{'k': ${key.set}, 'v': CAST(${key.value} AS VARCHAR)}`);
  return [
    `cells AS (SELECT unnest([${cells.join(', ')}]) AS cell FROM ${from}),`,
    `grouped AS (SELECT cell.k AS set_id, cell.v AS value, count(*) AS n FROM cells WHERE cell.v IS NOT NULL GROUP BY ALL)`,
  ].join('\n');
}
