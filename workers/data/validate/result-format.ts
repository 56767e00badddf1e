import { resultFormats, type ResultFormat } from '../../../shared/expectations';
import type { Cell } from '../duckdb';
import { ExpectationError, type ResultFormatSpec } from './context';

/** GE's `result_format` argument: a level, or `{result_format, partial_unexpected_count}`. */
export type ResultFormatInput = ResultFormat | { readonly result_format: ResultFormat; readonly partial_unexpected_count?: number };

export const DEFAULT_PARTIAL_UNEXPECTED_COUNT = 20;

/** GE's `parse_result_format`. */
export function resultFormatSpec(input: ResultFormatInput): ResultFormatSpec {
  const level = typeof input === 'string' ? input : input.result_format;
  if (!(resultFormats as readonly string[]).includes(level)) throw new ExpectationError(`unknown result_format ${JSON.stringify(level)}; expected one of ${resultFormats.join(', ')}`);
  const count = typeof input === 'string' ? undefined : input.partial_unexpected_count;
  if (count !== undefined && (!Number.isInteger(count) || count < 0)) throw new ExpectationError('partial_unexpected_count must be a non-negative integer');
  return { result_format: level, partial_unexpected_count: count ?? DEFAULT_PARTIAL_UNEXPECTED_COUNT };
}

/** How many rows of unexpected values / indexes a level needs (null: all of them). */
export function listLimit(spec: ResultFormatSpec): number | null {
  switch (spec.result_format) {
    case 'BOOLEAN_ONLY':
      return 0;
    case 'COMPLETE':
      return null;
    default:
      return spec.partial_unexpected_count;
  }
}

export interface MapMetrics {
  readonly elementCount: number;
  /** Null for not_null, which counts over every row and reports no missing_* keys. */
  readonly nonnullCount: number | null;
  readonly unexpectedCount: number;
  /** Unexpected values in row order: the first N below COMPLETE, all of them for COMPLETE. */
  readonly unexpectedList: readonly Cell[];
  /** 0-based row numbers (file order) of those values. */
  readonly unexpectedIndexList: readonly number[];
}

/** GE's `_mostly_success`. */
export function mostlySuccess(considered: number, unexpected: number, mostly: number): boolean {
  return (considered - unexpected) / considered >= mostly;
}

/** GE's `_format_map_output` (expectation.py): the `result` object for a column-map expectation. */
export function formatMapOutput(spec: ResultFormatSpec, metrics: MapMetrics): Record<string, unknown> {
  if (spec.result_format === 'BOOLEAN_ONLY') return {};
  const { elementCount, nonnullCount, unexpectedCount } = metrics;
  const skipMissing = nonnullCount === null;
  const missingCount = skipMissing ? null : elementCount - nonnullCount;
  let missingPercent: number | null = null;
  let unexpectedPercentTotal: number | null = null;
  let unexpectedPercentNonmissing: number | null = null;
  if (elementCount > 0) {
    unexpectedPercentTotal = (unexpectedCount / elementCount) * 100;
    if (!skipMissing && missingCount !== null) {
      missingPercent = (missingCount / elementCount) * 100;
      unexpectedPercentNonmissing = nonnullCount > 0 ? (unexpectedCount / nonnullCount) * 100 : null;
    } else {
      unexpectedPercentNonmissing = unexpectedPercentTotal;
    }
  }
  const n = spec.partial_unexpected_count;
  const result: Record<string, unknown> = {
    element_count: elementCount,
    unexpected_count: unexpectedCount,
    unexpected_percent: unexpectedPercentNonmissing,
    partial_unexpected_list: metrics.unexpectedList.slice(0, n),
  };
  if (!skipMissing) {
    result.missing_count = missingCount;
    result.missing_percent = missingPercent;
    result.unexpected_percent_total = unexpectedPercentTotal;
    result.unexpected_percent_nonmissing = unexpectedPercentNonmissing;
  }
  if (spec.result_format === 'BASIC') return result;
  if (n > 0) {
    result.partial_unexpected_counts = partialUnexpectedCounts(metrics.unexpectedList, n);
    result.partial_unexpected_index_list = metrics.unexpectedIndexList.slice(0, n);
  }
  if (spec.result_format === 'SUMMARY') return result;
  result.unexpected_list = [...metrics.unexpectedList];
  result.unexpected_index_list = [...metrics.unexpectedIndexList];
  return result;
}

/**
 * `Counter(values).most_common(n)` sorted by `(-count, value)`: the n most frequent (ties in first-
 * seen order, as `most_common` keeps them), then count descending and value ascending. Below
 * COMPLETE, GE counts only the first N unexpected values — so do we.
 */
export function partialUnexpectedCounts(values: readonly Cell[], n: number): { value: Cell; count: number }[] {
  const counts = new Map<string, { value: Cell; count: number }>();
  for (const value of values) {
    const key = typeof value === 'string' ? `s${value}` : `${typeof value}:${String(value)}`;
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else counts.set(key, { value, count: 1 });
  }
  const mostCommon = [...counts.values()].sort((a, b) => b.count - a.count).slice(0, n);
  return mostCommon.sort((a, b) => b.count - a.count || comparePython(a.value, b.value));
}

/** Python's `<` for the values a column yields: numbers, strings by code point, False < True. */
export function comparePython(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
  return compareCodePoints(String(a), String(b));
}

export function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const difference = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
