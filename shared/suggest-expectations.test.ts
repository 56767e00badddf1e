import { describe, expect, it } from 'vitest';
import type { ColumnProfile, DatasetProfile } from './datasets';
import { parseSuite } from './suite-format';
import { suggestExpectations } from './suggest-expectations';

const column = (overrides: Partial<ColumnProfile> & Pick<ColumnProfile, 'name' | 'kind'>): ColumnProfile => ({
  type: 'VARCHAR',
  count: 100,
  nullCount: 0,
  distinctCount: 100,
  min: null,
  max: null,
  mean: null,
  std: null,
  quantiles: null,
  topValues: [],
  histogram: [],
  ...overrides,
});

const profile: DatasetProfile = {
  rowCount: 100,
  images: null,
  columns: [
    column({ name: 'id', kind: 'integer', type: 'BIGINT', min: 1, max: 100, distinctCount: 100 }),
    column({ name: 'age', kind: 'integer', type: 'BIGINT', nullCount: 5, distinctCount: 40, min: 18, max: 90 }),
    column({ name: 'score', kind: 'float', type: 'DOUBLE', distinctCount: 100, min: -1.5, max: 2.25 }),
    column({
      name: 'city',
      kind: 'string',
      distinctCount: 3,
      topValues: [
        { value: 'Paris', count: 50 },
        { value: 'Oslo', count: 30 },
        { value: 'Rome', count: 20 },
      ],
    }),
    // 15 distinct values but only the top 10 known: the set is not the whole story.
    column({ name: 'street', kind: 'string', distinctCount: 15, topValues: Array.from({ length: 10 }, (_, i) => ({ value: `s${i}`, count: 5 })) }),
    column({ name: 'email', kind: 'string', distinctCount: 100 }),
    column({ name: 'empty', kind: 'string', nullCount: 100, distinctCount: 0 }),
  ],
};

describe('suggestExpectations', () => {
  it('builds a starter suite from the profile', () => {
    const suite = suggestExpectations(profile, 'people.starter');
    expect(suite.name).toBe('people.starter');
    expect(suite.expectations).toEqual([
      { type: 'expect_table_columns_to_match_ordered_list', kwargs: { column_list: ['id', 'age', 'score', 'city', 'street', 'email', 'empty'] } },
      { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 90, max_value: 110 } },
      { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'id' } },
      { type: 'expect_column_values_to_be_between', kwargs: { column: 'id', min_value: 1, max_value: 100 } },
      { type: 'expect_column_values_to_be_unique', kwargs: { column: 'id' } },
      { type: 'expect_column_values_to_be_between', kwargs: { column: 'age', min_value: 18, max_value: 90 } },
      { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'score' } },
      { type: 'expect_column_values_to_be_between', kwargs: { column: 'score', min_value: -1.5, max_value: 2.25 } },
      { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'city' } },
      { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'city', value_set: ['Oslo', 'Paris', 'Rome'] } },
      { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'street' } },
      { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'email' } },
      { type: 'expect_column_values_to_be_unique', kwargs: { column: 'email' } },
    ]);
  });

  it('produces a suite that imports cleanly', () => {
    const suite = suggestExpectations(profile, 'people.starter');
    expect(parseSuite(JSON.parse(JSON.stringify(suite)))).toEqual(suite);
  });

  it('handles an empty dataset with table-level expectations only', () => {
    const suite = suggestExpectations({ rowCount: 0, images: null, columns: [column({ name: 'a', kind: 'string', count: 0, distinctCount: 0 })] }, 'empty');
    expect(suite.expectations).toEqual([
      { type: 'expect_table_columns_to_match_ordered_list', kwargs: { column_list: ['a'] } },
      { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 0, max_value: 0 } },
    ]);
  });
});
