import { sqlIdentifier } from '../duckdb';
import { ExpectationError, findColumn, hasNoValues, isNumeric, missingSql, type Outcome, type Plan, type ValidationContext } from './context';
import { describe, readFlag, type Kwargs } from './kwargs';

/**
 * Aggregate expectations (GE's `ColumnAggregateExpectation` / `BatchExpectation` with
 * `_validate_metric_value_between`): one metric, `{"observed_value": metric}`; a null metric fails
 * with `observed_value: null`; a null bound is unbounded.
 */

interface Range {
  readonly min: number | null;
  readonly max: number | null;
  readonly strictMin: boolean;
  readonly strictMax: boolean;
}

function readRange(kwargs: Kwargs, strictFlags: boolean): Range {
  const min = typeof kwargs.min_value === 'number' ? kwargs.min_value : null;
  const max = typeof kwargs.max_value === 'number' ? kwargs.max_value : null;
  if (min !== null && max !== null && min > max) throw new ExpectationError(`min_value (${describe(min)}) cannot be greater than max_value (${describe(max)})`);
  return { min, max, strictMin: strictFlags && readFlag(kwargs, 'strict_min'), strictMax: strictFlags && readFlag(kwargs, 'strict_max') };
}

export function metricBetween(metric: number | null, range: Range): Outcome {
  if (metric === null || Number.isNaN(metric)) return { success: false, result: { observed_value: null } };
  const aboveMin = range.min === null || (range.strictMin ? metric > range.min : metric >= range.min);
  const belowMax = range.max === null || (range.strictMax ? metric < range.max : metric <= range.max);
  return { success: aboveMin && belowMax, result: { observed_value: metric } };
}

/** Mean of the non-missing values; booleans count as 0/1 like numpy. */
export async function meanBetween(context: ValidationContext, kwargs: Kwargs): Promise<Plan> {
  const column = findColumn(context, kwargs.column as string);
  const range = readRange(kwargs, true);
  if (!isNumeric(column.kind) && column.kind !== 'boolean') {
    // An all-empty column has no mean (pandas: NaN), whatever type DuckDB gave it.
    if (await hasNoValues(context, column)) return { aggregates: {}, finish: async () => metricBetween(null, range) };
    throw new ExpectationError(`column "${column.name}" is ${column.type}: a mean needs a numeric column`);
  }
  const id = sqlIdentifier(column.name);
  const value = column.kind === 'boolean' ? `CAST(${id} AS INTEGER)` : id;
  return {
    aggregates: { mean: `avg(${value}) FILTER (WHERE NOT ${missingSql(column)})` },
    finish: async (values) => metricBetween(typeof values.mean === 'number' ? values.mean : values.mean === null || values.mean === undefined ? null : Number(values.mean), range),
  };
}

/** Row count, inclusive bounds (no strict flags in GE). */
export function rowCountBetween(_context: ValidationContext, kwargs: Kwargs): Plan {
  const range = readRange(kwargs, false);
  return { aggregates: {}, finish: async (_values, rowCount) => metricBetween(rowCount, range) };
}
