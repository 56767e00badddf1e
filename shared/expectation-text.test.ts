import { describe, expect, it } from 'vitest';
import { expectationColumn, numToStr, observedText, prescriptiveText } from './expectation-text';
import type { ExpectationConfig, ExpectationResult } from './expectations';

const text = (type: string, kwargs: Record<string, unknown>, includeColumnName = false): string => prescriptiveText({ type, kwargs }, { includeColumnName });

describe('prescriptiveText', () => {
  it('renders the column-map sentences with mostly', () => {
    expect(text('expect_column_values_to_be_between', { column: 'x', min_value: 1, max_value: 7, mostly: 0.95 })).toBe('values must be between 1 and 7, at least 95 % of the time.');
    expect(text('expect_column_values_to_not_be_null', { column: 'x' })).toBe('values must never be null.');
    expect(text('expect_column_values_to_not_be_null', { column: 'x', mostly: 0.9 })).toBe('values must not be null, at least 90 % of the time.');
    expect(text('expect_column_values_to_not_be_null', { column: 'x', mostly: 1 })).toBe('values must never be null.');
    expect(text('expect_column_values_to_be_unique', { column: 'x', mostly: 0.999 })).toBe('values must be unique, at least 99.9 % of the time.');
    expect(text('expect_column_values_to_match_regex', { column: 'x', regex: '^[a-z]+$' })).toBe('values must match this regular expression: ^[a-z]+$.');
    expect(text('expect_column_values_to_be_in_set', { column: 'x', value_set: ['a', 'b c', 3] })).toBe('values must belong to this set: a "b c" 3.');
    expect(text('expect_column_values_to_be_in_set', { column: 'x', value_set: [] })).toBe('values must belong to this set: [ ].');
  });

  it('renders strict and one-sided bounds', () => {
    expect(text('expect_column_values_to_be_between', { column: 'x', min_value: 1, max_value: 7, strict_min: true })).toBe('values must be greater than 1 and less than or equal to 7.');
    expect(text('expect_column_values_to_be_between', { column: 'x', min_value: 0 })).toBe('values must be greater than or equal to 0.');
    expect(text('expect_column_values_to_be_between', { column: 'x', max_value: 10, strict_max: true, mostly: 0.8 })).toBe('values must be less than 10, at least 80 % of the time.');
    expect(text('expect_column_values_to_be_between', { column: 'x' })).toBe('may have any numerical value.');
    expect(text('expect_column_mean_to_be_between', { column: 'x', min_value: 2, max_value: 3.5 })).toBe('mean must be between 2 and 3.5.');
  });

  it('renders table-level sentences', () => {
    expect(text('expect_table_row_count_to_be_between', { min_value: 10, max_value: 100 })).toBe('Must have between 10 and 100 rows.');
    expect(text('expect_table_row_count_to_be_between', { min_value: 10 })).toBe('Must have at least 10 rows.');
    expect(text('expect_table_row_count_to_be_between', { max_value: 100 })).toBe('Must have at most 100 rows.');
    expect(text('expect_table_columns_to_match_ordered_list', { column_list: ['a', 'b', 'c'] })).toBe('Must have these columns in this order: a, b, c');
    expect(text('expect_column_to_exist', { column: 'age' }, true)).toBe('age is a required field.');
    expect(text('expect_column_to_exist', { column: 'age', column_index: 0 })).toBe('is a required field.');
    expect(text('expect_column_to_exist', { column: 'age', column_index: 2 }, true)).toBe('age must be the 3rd field.');
    expect(text('expect_column_to_exist', { column: 'age', column_index: 10 })).toBe('must be the 11th field.');
  });

  it('prefixes the column on request, shows suite parameters, and falls back for unknown types', () => {
    expect(text('expect_column_values_to_not_be_null', { column: 'age' }, true)).toBe('age values must never be null.');
    expect(text('expect_table_row_count_to_be_between', { min_value: { $PARAMETER: 'floor' }, max_value: 5 })).toBe('Must have between $floor and 5 rows.');
    expect(text('expect_column_kl_divergence_to_be_less_than', { column: 'x', threshold: 0.1 })).toBe('expect_column_kl_divergence_to_be_less_than(column="x", threshold=0.1)');
  });
});

describe('observedText', () => {
  const result = (type: string, data: Record<string, unknown>, success = true, kwargs: Record<string, unknown> = {}): ExpectationResult => ({
    success,
    expectation_config: { type, kwargs, meta: {} },
    result: data,
    meta: {},
    exception_info: { raised_exception: false, exception_message: null, exception_traceback: null },
  });

  it('shows the unexpected share, the metric, or --', () => {
    expect(observedText(result('expect_column_values_to_be_in_set', { unexpected_percent: 25 }, false))).toBe('25% unexpected');
    expect(observedText(result('expect_column_values_to_be_in_set', { unexpected_percent: 100 / 3 }, false))).toBe('≈33.333% unexpected');
    expect(observedText(result('expect_column_values_to_be_in_set', { unexpected_percent: null }))).toBe('--');
    expect(observedText(result('expect_column_mean_to_be_between', { observed_value: 4.2 }))).toBe('mean 4.2');
    expect(observedText(result('expect_column_mean_to_be_between', { observed_value: null }, false))).toBe('mean undefined (no values)');
    expect(observedText(result('expect_table_row_count_to_be_between', { observed_value: 3 }))).toBe('3 rows');
    expect(observedText(result('expect_table_row_count_to_be_between', { observed_value: 1 }))).toBe('1 row');
    expect(observedText(result('expect_table_columns_to_match_ordered_list', { observed_value: ['a', 'b'] }))).toBe('a, b');
    expect(observedText(result('expect_column_to_exist', {}, true))).toBe('present');
    expect(observedText(result('expect_column_to_exist', {}, false))).toBe('not found');
    expect(observedText(result('expect_column_to_exist', {}, false, { column: 'a', column_index: 2 }))).toBe('not at that position');
    expect(observedText(result('expect_column_values_to_be_unique', {}))).toBe('--');
  });

  it('shows the exception message', () => {
    const failed = { ...result('expect_column_values_to_be_between', {}, false), exception_info: { raised_exception: true, exception_message: 'min_value and max_value cannot both be None', exception_traceback: null } };
    expect(observedText(failed)).toBe('error: min_value and max_value cannot both be None');
  });
});

describe('helpers', () => {
  it('numToStr follows GE num_to_str', () => {
    expect(numToStr(25)).toBe('25');
    expect(numToStr(95.0)).toBe('95');
    expect(numToStr(0.95 * 100)).toBe('95');
    expect(numToStr(7.000000000000001)).toBe('≈7');
    expect(numToStr(100 / 3, 5)).toBe('≈33.333');
    expect(numToStr(1234567, 5)).toBe('≈1.2346e+6');
  });

  it('expectationColumn groups column and table expectations', () => {
    const column: ExpectationConfig = { type: 'expect_column_values_to_be_unique', kwargs: { column: 'id' } };
    expect(expectationColumn(column)).toBe('id');
    expect(expectationColumn({ type: 'expect_table_row_count_to_be_between', kwargs: {} })).toBeNull();
  });
});
