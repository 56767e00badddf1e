import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from '../../../shared/datasets';
import type { ExpectationConfig, ExpectationResult, ResultFormat } from '../../../shared/expectations';
import { Duck } from '../duckdb';
import { validate, type ResultFormatInput } from './validate';

let duck: Duck;
let dir: string;
let fileNumber = 0;

beforeAll(async () => {
  duck = await Duck.open({ threads: 2 });
  dir = mkdtempSync(join(tmpdir(), 'trainyard-validate-'));
});

afterAll(() => {
  duck.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A CSV fixture; empty fields are NULL (DuckDB's CSV default). */
function csv(text: string): DataSource {
  const file = join(dir, `fixture-${(fileNumber += 1)}.csv`);
  writeFileSync(file, text);
  return { format: 'csv', files: [file] };
}

const lines = (header: string, values: readonly (string | number | null)[]): string => `${header}\n${values.map((v) => (v === null ? '' : String(v))).join('\n')}\n`;

async function one(source: DataSource, type: string, kwargs: Record<string, unknown>, format: ResultFormatInput = 'SUMMARY'): Promise<ExpectationResult> {
  const result = await validate(duck, source, { name: 's', expectations: [{ type, kwargs }] }, format);
  const first = result.results[0];
  if (!first) throw new Error('no result');
  return first;
}

const ok = (result: ExpectationResult): void => {
  expect(result.exception_info, result.exception_info.exception_message ?? '').toEqual({ raised_exception: false, exception_message: null, exception_traceback: null });
};

describe('expect_column_values_to_not_be_null', () => {
  const source = (): DataSource => csv(lines('x', [1, null, 3, null]));

  it('counts null rows over element_count, with no missing_* keys', async () => {
    const result = await one(source(), 'expect_column_values_to_not_be_null', { column: 'x' });
    ok(result);
    expect(result.success).toBe(false);
    expect(result.result).toEqual({
      element_count: 4,
      unexpected_count: 2,
      unexpected_percent: 50,
      partial_unexpected_list: [null, null],
      partial_unexpected_counts: [{ value: null, count: 2 }],
      partial_unexpected_index_list: [1, 3],
    });
  });

  it('passes mostly at exactly the boundary and fails just above it', async () => {
    const data = source();
    expect((await one(data, 'expect_column_values_to_not_be_null', { column: 'x', mostly: 0.5 })).success).toBe(true);
    expect((await one(data, 'expect_column_values_to_not_be_null', { column: 'x', mostly: 0.51 })).success).toBe(false);
  });

  it('counts NaN as null in float columns (pandas isnull)', async () => {
    const result = await one(csv('f\n1.5\nNaN\n2.5\n'), 'expect_column_values_to_not_be_null', { column: 'f' });
    expect(result.result).toMatchObject({ element_count: 3, unexpected_count: 1, partial_unexpected_index_list: [1] });
  });
});

describe('expect_column_values_to_be_in_set', () => {
  const source = (): DataSource => csv(lines('s', ['a', 'b', null, 'c', 'a', 'z']));

  it('excludes nulls from the domain and reports them as missing', async () => {
    const result = await one(source(), 'expect_column_values_to_be_in_set', { column: 's', value_set: ['a', 'b'] });
    ok(result);
    expect(result.success).toBe(false);
    expect(result.result).toEqual({
      element_count: 6,
      unexpected_count: 2,
      unexpected_percent: 40, // 2 of 5 non-null
      partial_unexpected_list: ['c', 'z'],
      missing_count: 1,
      missing_percent: (1 / 6) * 100,
      unexpected_percent_total: (2 / 6) * 100,
      unexpected_percent_nonmissing: 40,
      partial_unexpected_counts: [
        { value: 'c', count: 1 },
        { value: 'z', count: 1 },
      ],
      partial_unexpected_index_list: [3, 5],
    });
  });

  it('mostly: (5 − 2) / 5 = 0.6 passes at 0.6, fails at 0.61', async () => {
    const data = source();
    expect((await one(data, 'expect_column_values_to_be_in_set', { column: 's', value_set: ['a', 'b'], mostly: 0.6 })).success).toBe(true);
    expect((await one(data, 'expect_column_values_to_be_in_set', { column: 's', value_set: ['a', 'b'], mostly: 0.61 })).success).toBe(false);
  });

  it('value_set null lets every value pass', async () => {
    const result = await one(source(), 'expect_column_values_to_be_in_set', { column: 's', value_set: null });
    expect(result.success).toBe(true);
    expect(result.result).toMatchObject({ unexpected_count: 0, missing_count: 1, partial_unexpected_list: [] });
  });

  it('compares with exact equality: the string "1" is not the number 1', async () => {
    const result = await one(csv(lines('n', [1, 2, 3])), 'expect_column_values_to_be_in_set', { column: 'n', value_set: ['1', 2] });
    expect(result.result).toMatchObject({ unexpected_count: 2, partial_unexpected_list: [1, 3] });
  });

  it('matches float columns numerically and date columns by ISO string', async () => {
    const floats = await one(csv(lines('f', [0.1, 0.5, 2])), 'expect_column_values_to_be_in_set', { column: 'f', value_set: [0.1, 2] });
    expect(floats.result).toMatchObject({ unexpected_count: 1, partial_unexpected_list: [0.5] });
    const dates = await one(csv(lines('d', ['2024-01-01', '2024-02-01'])), 'expect_column_values_to_be_in_set', { column: 'd', value_set: ['2024-01-01', 'not a date'] });
    expect(dates.result).toMatchObject({ unexpected_count: 1, partial_unexpected_list: ['2024-02-01'] });
  });

  it('an empty value_set makes every non-null value unexpected', async () => {
    const result = await one(source(), 'expect_column_values_to_be_in_set', { column: 's', value_set: [] });
    expect(result.result).toMatchObject({ unexpected_count: 5, unexpected_percent: 100 });
  });
});

describe('expect_column_values_to_be_between', () => {
  const source = (): DataSource => csv(lines('v', [1, 2, 3, 4, 5, null]));
  const count = async (kwargs: Record<string, unknown>): Promise<unknown> => (await one(source(), 'expect_column_values_to_be_between', { column: 'v', ...kwargs })).result.unexpected_count;

  it('is inclusive by default', async () => {
    const result = await one(source(), 'expect_column_values_to_be_between', { column: 'v', min_value: 2, max_value: 4 });
    ok(result);
    expect(result.result).toMatchObject({ element_count: 6, missing_count: 1, unexpected_count: 2, unexpected_percent: 40, partial_unexpected_list: [1, 5], partial_unexpected_index_list: [0, 4] });
  });

  it('honours strict bounds', async () => {
    expect(await count({ min_value: 2, max_value: 4, strict_min: true })).toBe(3); // 1, 2, 5
    expect(await count({ min_value: 2, max_value: 4, strict_max: true })).toBe(3); // 1, 4, 5
    expect(await count({ min_value: 2, max_value: 4, strict_min: true, strict_max: true })).toBe(4); // 1, 2, 4, 5
  });

  it('accepts one-sided bounds', async () => {
    expect(await count({ min_value: 3 })).toBe(2); // 1, 2
    expect(await count({ max_value: 2 })).toBe(3); // 3, 4, 5
    expect(await count({ min_value: 3, max_value: null })).toBe(2);
    expect(await count({ min_value: 5, strict_min: true })).toBe(5);
  });

  it('mostly boundary: 3 of 5 in range passes at 0.6', async () => {
    const data = source();
    expect((await one(data, 'expect_column_values_to_be_between', { column: 'v', min_value: 2, max_value: 4, mostly: 0.6 })).success).toBe(true);
    expect((await one(data, 'expect_column_values_to_be_between', { column: 'v', min_value: 2, max_value: 4, mostly: 0.7 })).success).toBe(false);
  });

  it('raises on min > max, on no bounds, and on a string bound for a numeric column', async () => {
    const inverted = await one(source(), 'expect_column_values_to_be_between', { column: 'v', min_value: 5, max_value: 1 });
    expect(inverted.success).toBe(false);
    expect(inverted.exception_info.raised_exception).toBe(true);
    expect(inverted.exception_info.exception_message).toBe('min_value (5) cannot be greater than max_value (1)');
    const unbounded = await one(source(), 'expect_column_values_to_be_between', { column: 'v', min_value: null, max_value: null });
    expect(unbounded.exception_info.exception_message).toBe('min_value and max_value cannot both be None');
    const mixed = await one(source(), 'expect_column_values_to_be_between', { column: 'v', min_value: '2' });
    expect(mixed.exception_info.raised_exception).toBe(true);
    expect(mixed.exception_info.exception_message).toContain('cannot be compared with column "v"');
  });

  it('raises when a string column is compared with numbers, and compares strings with strings', async () => {
    const names = csv(lines('name', ['ann', 'bob', 'cid']));
    const numeric = await one(names, 'expect_column_values_to_be_between', { column: 'name', min_value: 1 });
    expect(numeric.exception_info.raised_exception).toBe(true);
    const text = await one(names, 'expect_column_values_to_be_between', { column: 'name', min_value: 'b', max_value: 'c' });
    expect(text.result).toMatchObject({ unexpected_count: 2, partial_unexpected_list: ['ann', 'cid'] });
  });

  it('compares dates with ISO strings', async () => {
    const dates = csv(lines('d', ['2024-01-01', '2024-06-01', '2025-01-01']));
    const result = await one(dates, 'expect_column_values_to_be_between', { column: 'd', min_value: '2024-02-01', max_value: '2024-12-31' });
    expect(result.result).toMatchObject({ unexpected_count: 2, partial_unexpected_list: ['2024-01-01', '2025-01-01'] });
    const bad = await one(dates, 'expect_column_values_to_be_between', { column: 'd', min_value: 'soon' });
    expect(bad.exception_info.exception_message).toContain('is not a valid DATE');
  });
});

describe('expect_column_values_to_be_unique', () => {
  it('[1, 1, 2] → 2 unexpected: every occurrence of a duplicate', async () => {
    const result = await one(csv(lines('u', [1, 1, 2])), 'expect_column_values_to_be_unique', { column: 'u' });
    ok(result);
    expect(result.result).toMatchObject({ element_count: 3, unexpected_count: 2, partial_unexpected_list: [1, 1], partial_unexpected_index_list: [0, 1] });
    expect(result.success).toBe(false);
  });

  it('ignores nulls (not duplicates of each other) and sorts counts by count desc', async () => {
    const result = await one(csv(lines('u', [1, 1, 2, null, null, 3, 3, 3])), 'expect_column_values_to_be_unique', { column: 'u' });
    expect(result.result).toEqual({
      element_count: 8,
      unexpected_count: 5,
      unexpected_percent: (5 / 6) * 100,
      partial_unexpected_list: [1, 1, 3, 3, 3],
      missing_count: 2,
      missing_percent: 25,
      unexpected_percent_total: (5 / 8) * 100,
      unexpected_percent_nonmissing: (5 / 6) * 100,
      partial_unexpected_counts: [
        { value: 3, count: 3 },
        { value: 1, count: 2 },
      ],
      partial_unexpected_index_list: [0, 1, 5, 6, 7],
    });
  });

  it('mostly boundary on uniqueness', async () => {
    const data = csv(lines('u', [1, 1, 2, 3, 4])); // 3 of 5 unique
    expect((await one(data, 'expect_column_values_to_be_unique', { column: 'u', mostly: 0.6 })).success).toBe(true);
    expect((await one(data, 'expect_column_values_to_be_unique', { column: 'u', mostly: 0.65 })).success).toBe(false);
  });
});

describe('expect_column_values_to_match_regex', () => {
  const fruit = (): DataSource => csv(lines('s', ['apple', 'banana', 'cherry', null, 'avocado']));

  it('searches unanchored, like re.search', async () => {
    const anchored = await one(fruit(), 'expect_column_values_to_match_regex', { column: 's', regex: '^a' });
    ok(anchored);
    expect(anchored.result).toMatchObject({ element_count: 5, missing_count: 1, unexpected_count: 2, unexpected_percent: 50, partial_unexpected_list: ['banana', 'cherry'] });
    const inside = await one(fruit(), 'expect_column_values_to_match_regex', { column: 's', regex: 'an' });
    expect(inside.result).toMatchObject({ unexpected_count: 3, partial_unexpected_list: ['apple', 'cherry', 'avocado'] });
  });

  it('defaults to (?s).* and passes everything', async () => {
    const result = await one(fruit(), 'expect_column_values_to_match_regex', { column: 's' });
    expect(result.success).toBe(true);
    expect(result.result).toMatchObject({ unexpected_count: 0 });
  });

  it('casts non-string values to text and uses Python\'s Unicode \\d', async () => {
    const result = await one(csv(lines('n', [10, 20, 3])), 'expect_column_values_to_match_regex', { column: 'n', regex: '^\\d\\d$' });
    expect(result.result).toMatchObject({ unexpected_count: 1, partial_unexpected_list: [3] });
    const unicode = await one(csv(lines('t', ['٣٤', 'ab'])), 'expect_column_values_to_match_regex', { column: 't', regex: '^\\d+$' });
    expect(unicode.result).toMatchObject({ unexpected_count: 1, partial_unexpected_list: ['ab'] });
    expect(unicode.meta).toMatchObject({ re2_regex: '^\\p{Nd}+(?:\\n?\\z)' });
  });

  it('raises a clear error for what RE2 cannot run', async () => {
    const lookahead = await one(fruit(), 'expect_column_values_to_match_regex', { column: 's', regex: 'a(?=p)' });
    expect(lookahead.success).toBe(false);
    expect(lookahead.exception_info.raised_exception).toBe(true);
    expect(lookahead.exception_info.exception_message).toContain('lookahead assertions');
    const huge = await one(fruit(), 'expect_column_values_to_match_regex', { column: 's', regex: 'a{2000}' });
    expect(huge.exception_info.exception_message).toContain('not supported by RE2');
  });
});

describe('expect_column_mean_to_be_between', () => {
  const source = (): DataSource => csv(lines('m', [1, 2, 3, null, 4]));

  it('is the mean of non-null values, inclusive unless strict', async () => {
    const inclusive = await one(source(), 'expect_column_mean_to_be_between', { column: 'm', min_value: 2.5, max_value: 3 });
    ok(inclusive);
    expect(inclusive).toMatchObject({ success: true, result: { observed_value: 2.5 } });
    const strict = await one(source(), 'expect_column_mean_to_be_between', { column: 'm', min_value: 2.5, strict_min: true });
    expect(strict).toMatchObject({ success: false, result: { observed_value: 2.5 } });
    const below = await one(source(), 'expect_column_mean_to_be_between', { column: 'm', max_value: 2 });
    expect(below.success).toBe(false);
  });

  it('fails with observed_value null when there is nothing to average', async () => {
    const result = await one(csv('m,k\n,1\n,2\n'), 'expect_column_mean_to_be_between', { column: 'm', min_value: 0 });
    ok(result);
    expect(result).toMatchObject({ success: false, result: { observed_value: null } });
  });

  it('raises for a text column and for min > max', async () => {
    const text = await one(csv(lines('s', ['a', 'b'])), 'expect_column_mean_to_be_between', { column: 's', min_value: 0 });
    expect(text.exception_info.exception_message).toContain('a mean needs a numeric column');
    const inverted = await one(source(), 'expect_column_mean_to_be_between', { column: 'm', min_value: 3, max_value: 2 });
    expect(inverted.exception_info.raised_exception).toBe(true);
  });
});

describe('expect_table_row_count_to_be_between', () => {
  const source = (): DataSource => csv(lines('a', [1, 2, 3, 4, 5]));

  it('is inclusive, and a null bound is unbounded', async () => {
    expect(await one(source(), 'expect_table_row_count_to_be_between', { min_value: 5, max_value: 5 })).toMatchObject({ success: true, result: { observed_value: 5 } });
    expect(await one(source(), 'expect_table_row_count_to_be_between', { min_value: 6 })).toMatchObject({ success: false, result: { observed_value: 5 } });
    expect(await one(source(), 'expect_table_row_count_to_be_between', { min_value: null, max_value: 5 })).toMatchObject({ success: true });
    expect(await one(source(), 'expect_table_row_count_to_be_between', { max_value: 4 })).toMatchObject({ success: false });
  });

  it('raises on min > max', async () => {
    const result = await one(source(), 'expect_table_row_count_to_be_between', { min_value: 10, max_value: 1 });
    expect(result.exception_info.exception_message).toBe('min_value (10) cannot be greater than max_value (1)');
  });
});

describe('expect_column_to_exist', () => {
  const source = (): DataSource => csv('a,b,c\n1,2,3\n');
  const exists = async (kwargs: Record<string, unknown>): Promise<boolean> => (await one(source(), 'expect_column_to_exist', kwargs)).success;

  it('checks the name, and the position when column_index is truthy', async () => {
    expect(await exists({ column: 'b' })).toBe(true);
    expect(await exists({ column: 'zz' })).toBe(false);
    expect(await exists({ column: 'B' })).toBe(false); // case-sensitive, like pandas
    expect(await exists({ column: 'b', column_index: 1 })).toBe(true);
    expect(await exists({ column: 'b', column_index: 2 })).toBe(false);
    expect(await exists({ column: 'c', column_index: -1 })).toBe(true); // Python indexing
    expect(await exists({ column: 'c', column_index: 5 })).toBe(false);
  });

  it('treats column_index 0 as unset (GE quirk)', async () => {
    expect(await exists({ column: 'b', column_index: 0 })).toBe(true);
    expect(await exists({ column: 'zz', column_index: 0 })).toBe(false);
  });

  it('returns an empty result like GE', async () => {
    expect((await one(source(), 'expect_column_to_exist', { column: 'a' })).result).toEqual({});
  });
});

describe('expect_table_columns_to_match_ordered_list', () => {
  const source = (): DataSource => csv('a,b,c\n1,2,3\n');

  it('passes on exact order with the actual list as observed_value', async () => {
    expect(await one(source(), 'expect_table_columns_to_match_ordered_list', { column_list: ['a', 'b', 'c'] })).toMatchObject({ success: true, result: { observed_value: ['a', 'b', 'c'] } });
    expect((await one(source(), 'expect_table_columns_to_match_ordered_list', { column_list: null })).success).toBe(true);
  });

  it('lists every mismatched position (zip_longest)', async () => {
    const swapped = await one(source(), 'expect_table_columns_to_match_ordered_list', { column_list: ['a', 'c', 'b'] });
    expect(swapped).toMatchObject({
      success: false,
      result: {
        observed_value: ['a', 'b', 'c'],
        details: {
          mismatched: [
            { 'Expected Column Position': 1, Expected: 'c', Found: 'b' },
            { 'Expected Column Position': 2, Expected: 'b', Found: 'c' },
          ],
        },
      },
    });
    const shorter = await one(source(), 'expect_table_columns_to_match_ordered_list', { column_list: ['a', 'b'] });
    expect(shorter.result.details).toEqual({ mismatched: [{ 'Expected Column Position': 2, Expected: null, Found: 'c' }] });
    const longer = await one(source(), 'expect_table_columns_to_match_ordered_list', { column_list: ['a', 'b', 'c', 'd'] });
    expect(longer.result.details).toEqual({ mismatched: [{ 'Expected Column Position': 3, Expected: 'd', Found: null }] });
  });
});

describe('null and empty edge cases', () => {
  it('an all-null column is vacuously fine for map expectations, with unexpected_percent null', async () => {
    const data = csv('x,k\n,1\n,2\n,3\n');
    const inSet = await one(data, 'expect_column_values_to_be_in_set', { column: 'x', value_set: ['a'] });
    ok(inSet);
    expect(inSet.success).toBe(true);
    expect(inSet.result).toMatchObject({
      element_count: 3,
      unexpected_count: 0,
      unexpected_percent: null,
      missing_count: 3,
      missing_percent: 100,
      unexpected_percent_total: 0,
      unexpected_percent_nonmissing: null,
    });
    const unique = await one(data, 'expect_column_values_to_be_unique', { column: 'x' });
    expect(unique.success).toBe(true);
    const notNull = await one(data, 'expect_column_values_to_not_be_null', { column: 'x' });
    expect(notNull).toMatchObject({ success: false, result: { unexpected_count: 3, unexpected_percent: 100 } });
    // DuckDB types the empty column VARCHAR (pandas: all-NaN float): numeric bounds are no type error.
    const between = await one(data, 'expect_column_values_to_be_between', { column: 'x', min_value: 0, max_value: 1 });
    ok(between);
    expect(between).toMatchObject({ success: true, result: { unexpected_count: 0, missing_count: 3, unexpected_percent: null } });
  });

  it('an empty table passes map expectations with null percentages and fails a row minimum', async () => {
    const data = csv('a,b\n');
    const result = await validate(duck, data, {
      name: 'empty',
      expectations: [
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'a' } },
        { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'b', value_set: ['x'] } },
        { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 1 } },
        { type: 'expect_column_mean_to_be_between', kwargs: { column: 'a', min_value: 0 } },
      ],
    });
    const [notNull, inSet, rows] = result.results;
    expect(notNull).toMatchObject({ success: true, result: { element_count: 0, unexpected_count: 0, unexpected_percent: null, partial_unexpected_list: [] } });
    expect(inSet).toMatchObject({ success: true, result: { element_count: 0, missing_count: 0, missing_percent: null, unexpected_percent: null, unexpected_percent_total: null } });
    expect(rows).toMatchObject({ success: false, result: { observed_value: 0 } });
    expect(result.success).toBe(false);
  });
});

describe('result_format levels', () => {
  // 25 values, all unexpected for value_set [] — more than the partial list's 20.
  const data = (): DataSource => csv(lines('v', Array.from({ length: 25 }, (_, i) => (i % 3 === 0 ? 'x' : `v${i}`))));
  const inEmptySet = (format: ResultFormatInput): Promise<ExpectationResult> => one(data(), 'expect_column_values_to_be_in_set', { column: 'v', value_set: [] }, format);
  const keys = async (format: ResultFormat): Promise<string[]> => Object.keys((await inEmptySet(format)).result).sort();

  it('adds keys level by level', async () => {
    const basic = ['element_count', 'missing_count', 'missing_percent', 'partial_unexpected_list', 'unexpected_count', 'unexpected_percent', 'unexpected_percent_nonmissing', 'unexpected_percent_total'];
    const summary = [...basic, 'partial_unexpected_counts', 'partial_unexpected_index_list'].sort();
    expect(await keys('BOOLEAN_ONLY')).toEqual([]);
    expect(await keys('BASIC')).toEqual(basic);
    expect(await keys('SUMMARY')).toEqual(summary);
    expect(await keys('COMPLETE')).toEqual([...summary, 'unexpected_index_list', 'unexpected_list'].sort());
    expect((await inEmptySet('BOOLEAN_ONLY')).success).toBe(false);
  });

  it('SUMMARY lists and counts the first 20 unexpected values in row order', async () => {
    const result = (await inEmptySet('SUMMARY')).result;
    expect(result.partial_unexpected_list).toHaveLength(20);
    expect(result.partial_unexpected_index_list).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // Rows 0, 3, …, 18 hold "x": 7 of the first 20.
    const counts = result.partial_unexpected_counts as { value: string; count: number }[];
    expect(counts[0]).toEqual({ value: 'x', count: 7 });
    expect(counts.slice(1).map((c) => c.value)).toEqual(['v1', 'v10', 'v11', 'v13', 'v14', 'v16', 'v17', 'v19', 'v2', 'v4', 'v5', 'v7', 'v8']);
  });

  it('COMPLETE lists everything and counts over all unexpected values', async () => {
    const result = (await inEmptySet('COMPLETE')).result;
    expect(result.unexpected_list).toHaveLength(25);
    expect(result.unexpected_index_list).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect((result.partial_unexpected_counts as { value: string; count: number }[])[0]).toEqual({ value: 'x', count: 9 });
  });

  it('takes partial_unexpected_count from a dictionary format', async () => {
    const result = (await inEmptySet({ result_format: 'SUMMARY', partial_unexpected_count: 3 })).result;
    expect(result.partial_unexpected_list).toEqual(['x', 'v1', 'v2']);
    expect(result.partial_unexpected_index_list).toEqual([0, 1, 2]);
  });

  it('keeps row numbers in file order on a larger file', async () => {
    const values = Array.from({ length: 20_000 }, (_, i) => ((i + 1) % 1000 === 0 ? -1 : i));
    const result = await one(csv(lines('n', values)), 'expect_column_values_to_be_between', { column: 'n', min_value: 0 });
    expect(result.result.unexpected_count).toBe(20);
    expect(result.result.partial_unexpected_index_list).toEqual(Array.from({ length: 20 }, (_, i) => i * 1000 + 999));
  });
});

describe('suite results', () => {
  const data = (): DataSource => csv('id,name\n1,ann\n2,bob\n2,\n');

  it('computes statistics; raised exceptions count as unsuccessful while the rest still run', async () => {
    const expectations: ExpectationConfig[] = [
      { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'id' }, id: 'e1' },
      { type: 'expect_column_values_to_be_unique', kwargs: { column: 'id' } },
      { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'missing_column' } },
      { type: 'expect_column_values_to_be_odd', kwargs: { column: 'id' } },
      { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 1, max_value: 10 } },
    ];
    const result = await validate(duck, data(), { name: 'people', id: 'suite-1', expectations });
    expect(result.suite_name).toBe('people');
    expect(result.success).toBe(false);
    expect(result.statistics).toEqual({ evaluated_expectations: 5, successful_expectations: 2, unsuccessful_expectations: 3, success_percent: 40 });
    const [notNull, unique, missing, unknown, rows] = result.results;
    expect(notNull?.expectation_config).toEqual({ type: 'expect_column_values_to_not_be_null', kwargs: { column: 'id' }, meta: {}, id: 'e1' });
    expect(unique?.result).toMatchObject({ unexpected_count: 2 });
    expect(missing?.exception_info.raised_exception).toBe(true);
    expect(missing?.exception_info.exception_message).toContain('The column "missing_column" in BatchData does not exist');
    expect(unknown?.exception_info.exception_message).toContain('Unknown expectation type "expect_column_values_to_be_odd"');
    expect(unknown?.exception_info.exception_message).toContain('expect_table_columns_to_match_ordered_list');
    expect(rows?.success).toBe(true);
    expect(result.meta).toMatchObject({ expectation_suite_name: 'people', suite_id: 'suite-1', result_format: 'SUMMARY', row_count: 3 });
  });

  it('an empty suite succeeds with success_percent null', async () => {
    const result = await validate(duck, data(), { name: 'empty', expectations: [] });
    expect(result).toMatchObject({ success: true, results: [], statistics: { evaluated_expectations: 0, success_percent: null } });
  });

  it('resolves suite parameters and reports unknown ones', async () => {
    const result = await validate(duck, data(), {
      name: 'p',
      suite_parameters: { max_rows: 2 },
      expectations: [
        { type: 'expect_table_row_count_to_be_between', kwargs: { max_value: { $PARAMETER: 'max_rows' } } },
        { type: 'expect_table_row_count_to_be_between', kwargs: { max_value: { $PARAMETER: 'nope' } } },
      ],
    });
    expect(result.results[0]).toMatchObject({ success: false, result: { observed_value: 3 }, expectation_config: { kwargs: { max_value: 2 } } });
    expect(result.results[1]?.exception_info.exception_message).toContain('suite parameter "nope" has no value');
  });

  it('reports malformed kwargs by path and rejects row conditions', async () => {
    const result = await validate(duck, data(), {
      name: 'bad',
      expectations: [
        { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'name' } },
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'name', mostly: 1.5 } },
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'name', row_condition: 'id > 1', condition_parser: 'pandas' } },
      ],
    });
    expect(result.results.map((r) => r.exception_info.exception_message)).toEqual([
      'kwargs.value_set: required',
      'kwargs.mostly: must be a number between 0 and 1',
      'kwargs.row_condition: row conditions are not supported; filter the dataset with a transform instead',
    ]);
  });

  it('pins an engine error in the shared scan on the expectation that caused it', async () => {
    // A Duck whose engine fails on the second expectation's aggregate only.
    const failing = {
      all: (sql: string) => duck.all(sql),
      run: (sql: string) => duck.run(sql),
      one: async (sql: string) => {
        if (sql.includes('"e1_')) throw new Error('Conversion Error: simulated');
        return duck.one(sql);
      },
    } as unknown as Duck;
    const result = await validate(failing, data(), {
      name: 'scan',
      expectations: [
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'name' } },
        { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'name', value_set: ['ann'] } },
        { type: 'expect_column_mean_to_be_between', kwargs: { column: 'id', min_value: 1, max_value: 2 } },
      ],
    });
    const [notNull, inSet, mean] = result.results;
    expect(notNull).toMatchObject({ success: false, result: { unexpected_count: 1, element_count: 3 } });
    expect(inSet?.exception_info).toMatchObject({ raised_exception: true, exception_message: 'Conversion Error: simulated' });
    expect(inSet?.exception_info.exception_traceback).toContain('Conversion Error: simulated');
    expect(mean).toMatchObject({ success: true, result: { observed_value: 5 / 3 } });
  });

  it('throws when the source itself cannot be read', async () => {
    await expect(validate(duck, { format: 'csv', files: [join(dir, 'no-such-file.csv')] }, { name: 's', expectations: [] })).rejects.toThrow();
  });
});
