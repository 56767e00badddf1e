import { describe, expect, it } from 'vitest';
import type { ExpectationResult } from '../../shared/expectations';
import { formatPercent, groupResults, unexpectedCounts } from './report-groups';

const result = (type: string, kwargs: Record<string, unknown>, success = true, extra: Record<string, unknown> = {}): ExpectationResult => ({
  success,
  expectation_config: { type, kwargs },
  result: extra,
  meta: {},
  exception_info: { raised_exception: false, exception_message: null, exception_traceback: null },
});

describe('validation report grouping', () => {
  it('puts table-level expectations first, then one section per column in suite order', () => {
    const sections = groupResults([
      result('expect_column_values_to_not_be_null', { column: 'species' }),
      result('expect_table_row_count_to_be_between', { min_value: 1 }),
      result('expect_column_values_to_be_between', { column: 'sepal_length', min_value: 0 }, false),
      result('expect_column_values_to_be_unique', { column: 'species' }, false),
      result('expect_table_columns_to_match_ordered_list', { column_list: [] }),
    ]);
    expect(sections.map((section) => section.column)).toEqual([null, 'species', 'sepal_length']);
    expect(sections[0]?.results.map((entry) => entry.expectation_config.type)).toEqual(['expect_table_row_count_to_be_between', 'expect_table_columns_to_match_ordered_list']);
    expect(sections.map((section) => section.failed)).toEqual([0, 1, 1]);
  });

  it('leaves out an empty table-level section', () => {
    expect(groupResults([result('expect_column_to_exist', { column: 'a' })]).map((section) => section.column)).toEqual(['a']);
    expect(groupResults([])).toEqual([]);
  });

  it('reads partial_unexpected_counts defensively', () => {
    const failing = result('expect_column_values_to_be_in_set', { column: 'c' }, false, {
      partial_unexpected_counts: [{ value: 'x', count: 3 }, { value: null, count: 1 }, { value: 7, count: 2 }, 'junk', { value: 'y' }],
    });
    expect(unexpectedCounts(failing)).toEqual([{ value: 'x', count: 3 }, { value: 'null', count: 1 }, { value: '7', count: 2 }]);
    expect(unexpectedCounts(result('expect_column_to_exist', { column: 'a' }))).toEqual([]);
  });

  it('formats the success percent', () => {
    expect(formatPercent(100)).toBe('100%');
    expect(formatPercent(66.666666)).toBe('66.67%');
    expect(formatPercent(null)).toBe('—');
  });
});
