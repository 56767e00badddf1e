import { summarizeValidation, type ExpectationConfig, type ExpectationResult, type ExpectationSuite, type ValidationResult } from '../../shared/expectations';
import type { FakeCell, FakeTable } from './fake-table';

/**
 * The nine expectations of SEMANTICS.md §3.2 evaluated in memory, with GE's SUMMARY result shape,
 * for the fake back end. Main evaluates them as SQL in DuckDB; this only has to look the same.
 */

const partialCount = 20;

function countsOf(values: readonly FakeCell[]): { value: FakeCell; count: number }[] {
  const counts = new Map<string, { value: FakeCell; count: number }>();
  for (const value of values) {
    const key = `${typeof value}:${String(value)}`;
    const entry = counts.get(key) ?? { value, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value))).slice(0, partialCount);
}

function mapResult(values: readonly FakeCell[], isUnexpected: (value: FakeCell, index: number) => boolean, mostly: number, countNulls: boolean): { success: boolean; result: Record<string, unknown> } {
  const considered = countNulls ? values : values.filter((value) => value !== null);
  const unexpected = countNulls
    ? values.filter((value, index) => isUnexpected(value, index))
    : values.filter((value, index) => value !== null && isUnexpected(value, index));
  const element = values.length;
  const missing = element - values.filter((value) => value !== null).length;
  const unexpectedPercent = considered.length > 0 ? (unexpected.length / considered.length) * 100 : null;
  const success = considered.length === 0 || (considered.length - unexpected.length) / considered.length >= mostly;
  const result: Record<string, unknown> = {
    element_count: element,
    unexpected_count: unexpected.length,
    unexpected_percent: unexpectedPercent,
    partial_unexpected_list: unexpected.slice(0, partialCount),
  };
  if (!countNulls) {
    result.missing_count = missing;
    result.missing_percent = element > 0 ? (missing / element) * 100 : null;
    result.unexpected_percent_total = element > 0 ? (unexpected.length / element) * 100 : null;
    result.unexpected_percent_nonmissing = unexpectedPercent;
  }
  result.partial_unexpected_counts = countsOf(unexpected);
  return { success, result };
}

const inRange = (value: number | string, kwargs: Record<string, unknown>): boolean => {
  const { min_value: min, max_value: max, strict_min: strictMin, strict_max: strictMax } = kwargs as { min_value?: number | string | null; max_value?: number | string | null; strict_min?: boolean; strict_max?: boolean };
  if (min !== undefined && min !== null && (strictMin ? !(value > min) : !(value >= min))) return false;
  if (max !== undefined && max !== null && (strictMax ? !(value < max) : !(value <= max))) return false;
  return true;
};

function evaluate(config: ExpectationConfig, table: FakeTable): { success: boolean; result: Record<string, unknown> } {
  const kwargs = config.kwargs;
  const names = table.columns.map((column) => column.name);
  const mostly = typeof kwargs.mostly === 'number' ? kwargs.mostly : 1;
  const columnValues = (): FakeCell[] => {
    const index = names.indexOf(String(kwargs.column));
    if (index < 0) throw new Error(`The column "${String(kwargs.column)}" is not in the table (columns: ${names.join(', ')}).`);
    return table.rows.map((row) => row[index] ?? null);
  };
  switch (config.type) {
    case 'expect_column_values_to_not_be_null':
      return mapResult(columnValues(), (value) => value === null, mostly, true);
    case 'expect_column_values_to_be_in_set': {
      const set = Array.isArray(kwargs.value_set) ? (kwargs.value_set as unknown[]) : null;
      return mapResult(columnValues(), (value) => set !== null && !set.includes(value), mostly, false);
    }
    case 'expect_column_values_to_be_between':
      return mapResult(columnValues(), (value) => !inRange(value as number | string, kwargs), mostly, false);
    case 'expect_column_values_to_be_unique': {
      const values = columnValues();
      const seen = new Map<string, number>();
      for (const value of values) if (value !== null) seen.set(String(value), (seen.get(String(value)) ?? 0) + 1);
      return mapResult(values, (value) => (seen.get(String(value)) ?? 0) > 1, mostly, false);
    }
    case 'expect_column_values_to_match_regex': {
      const regex = new RegExp(typeof kwargs.regex === 'string' ? kwargs.regex.replace(/^\(\?s\)/, '') : '', 's');
      return mapResult(columnValues(), (value) => !regex.test(String(value)), mostly, false);
    }
    case 'expect_column_mean_to_be_between': {
      const numbers = columnValues().filter((value): value is number => typeof value === 'number');
      if (numbers.length === 0) return { success: false, result: { observed_value: null } };
      const mean = numbers.reduce((sum, value) => sum + value, 0) / numbers.length;
      return { success: inRange(mean, kwargs), result: { observed_value: mean } };
    }
    case 'expect_table_row_count_to_be_between':
      return { success: inRange(table.rows.length, { min_value: kwargs.min_value, max_value: kwargs.max_value }), result: { observed_value: table.rows.length } };
    case 'expect_column_to_exist': {
      const index = kwargs.column_index;
      const present = typeof index === 'number' && index !== 0 ? names.at(index) === kwargs.column : names.includes(String(kwargs.column));
      return { success: present, result: {} };
    }
    case 'expect_table_columns_to_match_ordered_list': {
      const expected = Array.isArray(kwargs.column_list) ? (kwargs.column_list as unknown[]) : [];
      const mismatched = Array.from({ length: Math.max(expected.length, names.length) }, (_, position) => ({ 'Expected Column Position': position, Expected: expected[position] ?? null, Found: names[position] ?? null }))
        .filter((entry) => entry.Expected !== entry.Found);
      return { success: mismatched.length === 0, result: { observed_value: names, ...(mismatched.length > 0 ? { details: { mismatched } } : {}) } };
    }
    default:
      throw new Error(`${config.type} is not supported; Trainyard evaluates the nine expectations listed in its docs.`);
  }
}

export function validateTable(table: FakeTable, suite: ExpectationSuite): ValidationResult {
  const results: ExpectationResult[] = suite.expectations.map((config) => {
    const expectationConfig = { ...config, meta: config.meta ?? {} };
    try {
      const { success, result } = evaluate(config, table);
      return { success, expectation_config: expectationConfig, result, meta: {}, exception_info: { raised_exception: false, exception_message: null, exception_traceback: null } };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { success: false, expectation_config: expectationConfig, result: {}, meta: {}, exception_info: { raised_exception: true, exception_message: message, exception_traceback: null } };
    }
  });
  return summarizeValidation(suite.name, results, { great_expectations_version: 'trainyard-fake' });
}
