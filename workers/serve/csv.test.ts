import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import type { RequestError } from './request-error';

describe('CSV bodies', () => {
  it('reads a header, quoted fields, CRLF, a BOM and blank lines; an empty field is missing', () => {
    const frame = parseCsv('\ufeffname,"note, with comma",n\r\n"Ann ""A"" Lee","two\nlines",1\r\n\r\nBob,,\n');
    expect(frame.columns).toEqual(['name', 'note, with comma', 'n']);
    expect(frame.rows).toBe(2);
    expect(frame.values).toEqual([
      ['Ann "A" Lee', 'Bob'],
      ['two\nlines', null],
      ['1', null],
    ]);
  });

  it('takes a last line without a line break, and a header alone', () => {
    expect(parseCsv('a,b\n1,2').values).toEqual([['1'], ['2']]);
    expect(parseCsv('a,b\n')).toEqual({ columns: ['a', 'b'], values: [[], []], rows: 0 });
  });

  it('refuses ragged rows, unclosed quotes and an empty body with the line', () => {
    const failure = (text: string): RequestError => {
      try {
        parseCsv(text);
      } catch (error) {
        return error as RequestError;
      }
      throw new Error('parsed');
    };
    expect(failure('a,b\n1,2\n3\n')).toMatchObject({ status: 400, message: 'CSV line 3 has 1 field(s); the header has 2.' });
    expect(failure('a,b\n"1,2\n').message).toMatch(/line 2: a quoted field is never closed/);
    expect(failure('a,b\n"1"x,2\n').message).toMatch(/line 2: text after a closing quote/);
    expect(failure('').message).toMatch(/empty/);
  });
});
