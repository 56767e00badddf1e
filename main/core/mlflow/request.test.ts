import { describe, expect, it } from 'vitest';
import { MlflowError } from './errors';
import { encodeProtoJson, runStatuses, viewTypes } from './proto-json';
import { Fields } from './request';

const query = (text: string): Fields => Fields.fromQuery(new URLSearchParams(text));

describe('request fields', () => {
  it('reads repeated query keys and x[]= as lists, and one value as a one-element list', () => {
    expect(query('run_ids=a&run_ids=b&metric_key=loss').strings('run_ids')).toEqual(['a', 'b']);
    expect(query('run_ids[]=a&run_ids[]=b').strings('run_ids')).toEqual(['a', 'b']);
    expect(query('run_ids=a').strings('run_ids')).toEqual(['a']);
    expect(query('').strings('run_ids')).toEqual([]);
    // A repeated key read where one value is expected takes the value when there is one.
    expect(query('order_by[]=name').strings('order_by')).toEqual(['name']);
    expect(query('experiment_id[]=3').string('experiment_id')).toBe('3');
  });

  it('reads int64 as numbers or decimal strings, and doubles with the non-finite names', () => {
    const fields = new Fields({ a: 5, b: '1712000000000', c: 'NaN', d: '-Infinity', e: 0.5, f: '2.5', g: 'x', h: 1.5 });
    expect(fields.int('a')).toBe(5);
    expect(fields.int('b')).toBe(1_712_000_000_000);
    expect(fields.double('c')).toBeNaN();
    expect(fields.double('d')).toBe(Number.NEGATIVE_INFINITY);
    expect(fields.double('e')).toBe(0.5);
    expect(fields.double('f')).toBe(2.5);
    expect(() => fields.double('g')).toThrow(MlflowError);
    expect(() => fields.int('h')).toThrow(/Invalid value 1.5 for parameter 'h'/);
    expect(() => fields.int('missing')).toThrow(/Missing value for required parameter 'missing'/);
  });

  it('reads enums by name or number, and names the field of a nested message in errors', () => {
    const fields = new Fields({ view: 'DELETED_ONLY', numbered: 3, status: 'KILLED', metrics: [{ key: 'k' }] });
    expect(fields.enumValue('view', viewTypes)).toBe('DELETED_ONLY');
    expect(fields.enumValue('numbered', viewTypes)).toBe('ALL');
    expect(fields.enumValue('absent', viewTypes, 'ACTIVE_ONLY')).toBe('ACTIVE_ONLY');
    expect(fields.enumValue('status', runStatuses)).toBe('KILLED');
    expect(() => fields.messages('metrics')[0]!.double('value')).toThrow(/'metrics\[0\]\.value'/);
  });

  it('reads booleans as the Python client writes them in query strings', () => {
    expect(query('a=True&b=false').optionalBool('a')).toBe(true);
    expect(query('a=True&b=false').optionalBool('b')).toBe(false);
  });

  it('writes non-finite doubles as proto3-JSON strings and leaves out unset fields', () => {
    expect(encodeProtoJson({ a: Number.NaN, b: Number.POSITIVE_INFINITY, c: Number.NEGATIVE_INFINITY, d: 1, e: undefined })).toBe('{"a":"NaN","b":"Infinity","c":"-Infinity","d":1}');
  });
});
