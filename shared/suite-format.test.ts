import { describe, expect, it } from 'vitest';
import { WorkbenchError } from './errors';
import type { ExpectationSuite } from './expectations';
import { kwargsProblems, parseSuite, serializeSuite, SuiteFormatError } from './suite-format';

/** A GX 0.18 suite file as `great_expectations suite new` wrote it. */
const suite0x = {
  data_asset_type: null,
  expectation_suite_name: 'taxi.demo',
  evaluation_parameters: { upstream_rows: 100 },
  expectations: [
    { expectation_type: 'expect_table_columns_to_match_ordered_list', kwargs: { column_list: ['vendor_id', 'fare'] }, meta: {} },
    { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'vendor_id', mostly: 0.95 }, meta: { notes: 'key' }, ge_cloud_id: 'e-1' },
    { expectation_type: 'expect_table_row_count_to_be_between', kwargs: { min_value: { $PARAMETER: 'upstream_rows' }, max_value: null }, meta: {} },
  ],
  ge_cloud_id: null,
  meta: { great_expectations_version: '0.18.8' },
};

/** A GX 1.x suite (the migration guide's shape). */
const suite1x = {
  name: 'my_suite',
  id: '77373d6f-3561-4d62-b150-96c36dccbe55',
  expectations: [
    { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'VendorID', value_set: [1, 2, 3, 4] }, meta: {}, id: 'd8b3b4e9-296f-4dd5-bd29-aac6a00cba1c' },
    { type: 'expect_column_values_to_be_between', kwargs: { column: 'fare', min_value: 0, strict_min: true }, notes: ['fares are positive'] },
  ],
  meta: { foo: 'bar', great_expectations_version: '1.0.0' },
  notes: 'This is a new field.',
};

describe('parseSuite', () => {
  it('imports a 0.x suite into 1.x field names', () => {
    const suite = parseSuite(suite0x);
    expect(suite).toEqual({
      name: 'taxi.demo',
      suite_parameters: { upstream_rows: 100 },
      meta: { great_expectations_version: '0.18.8' },
      expectations: [
        { type: 'expect_table_columns_to_match_ordered_list', kwargs: { column_list: ['vendor_id', 'fare'] }, meta: {} },
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'vendor_id', mostly: 0.95 }, meta: { notes: 'key' }, id: 'e-1' },
        { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: { $PARAMETER: 'upstream_rows' }, max_value: null }, meta: {} },
      ],
    });
  });

  it('imports a 1.x suite unchanged, from an object or its text', () => {
    expect(parseSuite(suite1x)).toEqual(suite1x);
    expect(parseSuite(JSON.stringify(suite1x))).toEqual(suite1x);
  });

  it('keeps unknown expectation types for validation to report', () => {
    const suite = parseSuite({ name: 's', expectations: [{ type: 'expect_column_kl_divergence_to_be_less_than', kwargs: { column: 'x', threshold: 0.1 } }] });
    expect(suite.expectations[0]?.type).toBe('expect_column_kl_divergence_to_be_less_than');
  });

  it('names the JSON path of every problem', () => {
    const bad = {
      name: 's',
      expectations: [
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'a' } },
        { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'a', value_set: 'abc' } },
        { type: 'expect_column_values_to_be_unique', kwargs: { mostly: 2 } },
        { expectation_type: 'expect_column_values_to_be_between', kwargs: { column: 'a', min_value: [1], strict_min: 'yes' } },
        { kwargs: {} },
        'oops',
      ],
    };
    let error: unknown;
    try {
      parseSuite(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SuiteFormatError);
    expect(error).toBeInstanceOf(WorkbenchError);
    expect((error as SuiteFormatError).code).toBe('INVALID_ARGUMENT');
    expect((error as SuiteFormatError).problems).toEqual([
      { path: 'expectations[1].kwargs.value_set', message: 'must be a list or null' },
      { path: 'expectations[2].kwargs.column', message: 'required' },
      { path: 'expectations[2].kwargs.mostly', message: 'must be a number between 0 and 1' },
      { path: 'expectations[3].kwargs.min_value', message: 'must be a number, a string or null' },
      { path: 'expectations[3].kwargs.strict_min', message: 'must be true or false' },
      { path: 'expectations[4].type', message: 'required' },
      { path: 'expectations[5]', message: 'an expectation must be a JSON object' },
    ]);
    expect((error as Error).message).toContain('expectations[2].kwargs.column: required');
  });

  it('rejects documents that are not suites', () => {
    expect(() => parseSuite('{not json')).toThrow(/not valid JSON/);
    expect(() => parseSuite([])).toThrow('invalid expectation suite: a suite must be a JSON object');
    expect(() => parseSuite({ expectations: [] })).toThrow('name: required');
    expect(() => parseSuite({ name: '', expectations: [] })).toThrow('name: must be a non-empty string');
    expect(() => parseSuite({ name: 's', expectations: {} })).toThrow('expectations: must be a list');
    expect(() => parseSuite({ name: 's', expectations: [{ type: 'expect_column_to_exist', kwargs: [] }] })).toThrow('expectations[0].kwargs: must be a JSON object');
  });

  it('accepts a missing expectations list as empty', () => {
    expect(parseSuite({ name: 's' })).toEqual({ name: 's', expectations: [] });
  });
});

describe('kwargsProblems', () => {
  it('accepts suite parameters where values may be parameters, and value_set null', () => {
    expect(kwargsProblems('expect_column_values_to_be_in_set', { column: 'a', value_set: null })).toEqual([]);
    expect(kwargsProblems('expect_column_values_to_be_in_set', { column: 'a', value_set: { $PARAMETER: 'set' } })).toEqual([]);
    expect(kwargsProblems('expect_column_values_to_be_in_set', { column: { $PARAMETER: 'c' }, value_set: [] })).toEqual([{ path: 'kwargs.column', message: 'must be a non-empty string' }]);
    expect(kwargsProblems('expect_column_values_to_be_in_set', { column: 'a', value_set: [], result_format: 'FULL' })).toEqual([
      { path: 'kwargs.result_format', message: 'must be BOOLEAN_ONLY, BASIC, SUMMARY, COMPLETE or {"result_format": …}' },
    ]);
  });
});

describe('serializeSuite', () => {
  it('writes 1.x in GX key order, dropping empty meta, suite_parameters and notes', () => {
    const suite: ExpectationSuite = {
      notes: [],
      meta: {},
      suite_parameters: {},
      expectations: [{ meta: {}, kwargs: { column: 'a' }, type: 'expect_column_values_to_not_be_null', notes: '' }],
      name: 'tidy',
    };
    expect(serializeSuite(suite)).toBe(
      ['{', '  "name": "tidy",', '  "expectations": [', '    {', '      "type": "expect_column_values_to_not_be_null",', '      "kwargs": {', '        "column": "a"', '      }', '    }', '  ]', '}'].join('\n'),
    );
  });

  it('round-trips 0.x → 1.x → 1.x, and 1.x unchanged', () => {
    const once = serializeSuite(parseSuite(suite0x));
    expect(serializeSuite(parseSuite(once))).toBe(once);
    expect(once).not.toContain('expectation_type');
    expect(once).not.toContain('expectation_suite_name');
    expect(once).not.toContain('data_asset_type');
    expect(JSON.parse(once)).toMatchObject({ name: 'taxi.demo', suite_parameters: { upstream_rows: 100 } });
    expect(Object.keys(JSON.parse(serializeSuite(parseSuite(suite1x))))).toEqual(['name', 'id', 'expectations', 'meta', 'notes']);
    expect(parseSuite(serializeSuite(parseSuite(suite1x)))).toEqual({
      ...suite1x,
      expectations: [{ ...suite1x.expectations[0], meta: undefined }, suite1x.expectations[1]].map((e) => JSON.parse(JSON.stringify(e))),
    });
  });
});
