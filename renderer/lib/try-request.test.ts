import { describe, expect, it } from 'vitest';
import { buildRecord, curlCommand, emptyValues, fieldKind, jsonBodyProblem, jsonTemplate, readAnswer, requestBody, shellQuote, tryFormOf, valuesFromRow } from './try-request';

// Inputs as serving.start reports them for a trained table model (one [N, 1] tensor per raw column).
const tableInputs = [
  { name: 'x1', type: 'float64', shape: [null, 1] },
  { name: 'city', type: 'string', shape: [null, 1] },
  { name: 'member', type: 'bool', shape: [null] },
  { name: 'visits', type: 'int64', shape: [null, 1] },
];

describe('try-it form', () => {
  it('gives each column input its field, and a tensor model a JSON body', () => {
    const form = tryFormOf(tableInputs);
    expect(form.mode === 'fields' ? form.fields.map((field) => [field.name, field.kind]) : null).toEqual([
      ['x1', 'number'],
      ['city', 'text'],
      ['member', 'checkbox'],
      ['visits', 'integer'],
    ]);
    expect(fieldKind('float32')).toBe('number');
    expect(fieldKind('uint8')).toBe('integer');
    const image = tryFormOf([{ name: 'image', type: 'float32', shape: [null, 3, 32, 32] }]);
    expect(image.mode).toBe('json');
    // Too many values to prefill: an empty row to fill in.
    expect(image.mode === 'json' ? JSON.parse(image.template) : null).toEqual({ inputs: { image: [[]] } });
    expect(tryFormOf([{ name: 'x', type: 'float32', shape: null }]).mode).toBe('json');
  });

  it('prefills a small tensor with zeros of its shape', () => {
    expect(JSON.parse(jsonTemplate([{ name: 'features', type: 'float32', shape: [null, 2, 2] }]))).toEqual({ inputs: { features: [[[0, 0], [0, 0]]] } });
  });

  it('fills the fields from a dataset row by column name, leaving the others empty', () => {
    const form = tryFormOf(tableInputs);
    if (form.mode !== 'fields') throw new Error('expected fields');
    const { values, filled } = valuesFromRow(form.fields, ['x1', 'label', 'member', 'city'], ['5.1', 'high', 'true', null]);
    expect(values).toEqual({ x1: '5.1', city: '', member: true, visits: '' });
    expect(filled).toBe(2);
    expect(emptyValues(form.fields)).toEqual({ x1: '', city: '', member: false, visits: '' });
  });

  it('builds the row: numbers as numbers, empty floats missing, bad values named', () => {
    const form = tryFormOf(tableInputs);
    if (form.mode !== 'fields') throw new Error('expected fields');
    expect(buildRecord(form.fields, { x1: ' 2.5 ', city: 'lima', member: true, visits: '3' })).toEqual({ record: { x1: 2.5, city: 'lima', member: true, visits: 3 }, errors: {} });
    expect(buildRecord(form.fields, { x1: '', city: '', member: false, visits: '1' }).record).toEqual({ x1: null, city: '', member: false, visits: 1 });
    expect(buildRecord(form.fields, { x1: 'abc', city: '', member: false, visits: '' }).errors).toEqual({
      x1: 'x1: “abc” is not a number.',
      visits: 'visits is a whole number (int64) and cannot be missing.',
    });
    expect(buildRecord(form.fields, { x1: '1', city: '', member: false, visits: '1.5' }).errors).toEqual({ visits: 'visits: “1.5” is not a whole number (int64).' });
  });

  it('sends the row as dataframe_records, and the same request as a curl command a shell reads back', () => {
    const body = requestBody({ x1: 2.5, city: "o'hare" });
    expect(JSON.parse(body)).toEqual({ dataframe_records: [{ x1: 2.5, city: "o'hare" }] });
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(curlCommand('http://127.0.0.1:5001/', body)).toBe(
      `curl -X POST 'http://127.0.0.1:5001/invocations' -H 'Content-Type: application/json' -d '{"dataframe_records":[{"x1":2.5,"city":"o'\\''hare"}]}'`,
    );
  });

  it('checks a typed JSON body before sending it', () => {
    expect(jsonBodyProblem('{"inputs": {}}')).toBeNull();
    expect(jsonBodyProblem('')).toMatch(/^Type a request body/);
    expect(jsonBodyProblem('[1]')).toBe('The body must be a JSON object, such as {"inputs": …}.');
    expect(jsonBodyProblem('{"inputs": ')).toMatch(/^The body is not valid JSON: /);
  });
});

describe('readAnswer', () => {
  it("reads a classifier's record: the label and its class probabilities, most likely first", () => {
    expect(readAnswer(200, { predictions: [{ label: 'high', probability_low: 0.1, probability_high: 0.9 }] })).toEqual({
      kind: 'label',
      label: 'high',
      probabilities: [
        { name: 'high', value: 0.9 },
        { name: 'low', value: 0.1 },
      ],
    });
  });

  it('keeps a NaN probability (null in JSON) visible, last', () => {
    expect(readAnswer(200, { predictions: [{ label: 'high', probability_high: null, probability_low: 0.2 }] })).toMatchObject({
      probabilities: [
        { name: 'low', value: 0.2 },
        { name: 'high', value: null },
      ],
    });
  });

  it("reads a regressor's number (null for NaN) and shows anything else as JSON", () => {
    expect(readAnswer(200, { predictions: [3.25] })).toEqual({ kind: 'value', value: 3.25 });
    expect(readAnswer(200, { predictions: [null] })).toEqual({ kind: 'value', value: null });
    expect(readAnswer(200, { predictions: [[0.1, 0.9]] })).toEqual({ kind: 'raw', text: JSON.stringify([0.1, 0.9], null, 2) });
    expect(readAnswer(200, { predictions: { logits: [[1, 2]] } })).toEqual({ kind: 'raw', text: JSON.stringify({ logits: [[1, 2]] }, null, 2) });
  });

  it("reads the server's error, which names the column", () => {
    expect(readAnswer(400, { error_code: 'BAD_REQUEST', message: "column 'x1', row 0: expected a number, got \"abc\"" })).toEqual({
      kind: 'error',
      code: 'BAD_REQUEST',
      message: "column 'x1', row 0: expected a number, got \"abc\"",
    });
    expect(readAnswer(503, 'shutting down')).toEqual({ kind: 'error', code: 'HTTP 503', message: '"shutting down"' });
  });
});
