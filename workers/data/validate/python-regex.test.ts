import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duck, sqlString } from '../duckdb';
import { pythonRegexToRe2, RegexDialectError } from './python-regex';

let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open({ threads: 1 });
});
afterAll(() => duck.close());

const re2 = (pattern: string): string => pythonRegexToRe2(pattern).source;

describe('pythonRegexToRe2: rewrites', () => {
  it('keeps plain patterns and RE2-compatible flags', () => {
    expect(re2('^a.c')).toBe('^a.c');
    expect(re2('(?s).*')).toBe('(?s).*');
    expect(re2('(?i)(?m)^x')).toBe('(?im)^x');
    expect(re2('(?P<year>[0-9]{4})')).toBe('(?P<year>[0-9]{4})');
    expect(re2('a*?b+?c??')).toBe('a*?b+?c??');
  });

  it('spells Python\'s Unicode classes out, or keeps ASCII ones under (?a)', () => {
    expect(re2('\\d\\w\\s')).toBe('\\p{Nd}[\\p{L}\\p{N}_][\\s\\x{0B}\\x{1C}-\\x{1F}\\x{85}\\p{Z}]');
    expect(re2('[\\d_]')).toBe('[\\p{Nd}_]');
    expect(re2('(?a)\\d\\w')).toBe('\\d\\w');
  });

  it('translates $, \\Z, escapes and {,n}', () => {
    expect(re2('a$')).toBe('a(?:\\n?\\z)');
    expect(re2('(?m)a$')).toBe('(?m)a$');
    expect(re2('a\\Z')).toBe('a\\z');
    expect(re2('\\u00e9\\x41\\U0001F600\\0\\101')).toBe('\\x{E9}\\x{41}\\x{1F600}\\x{0}\\x{41}');
    expect(re2('a{,3}b{2,}c{}')).toBe('a{0,3}b{2,}c\\{\\}');
    expect(re2('[[]')).toBe('[\\[]');
    expect(re2('[]a]')).toBe('[\\]a]');
    expect(re2('a(?#comment)b')).toBe('ab');
    expect(re2('\\.\\-')).toBe('\\.\\-');
  });

  it('applies verbose mode itself', () => {
    expect(re2('(?x) a b  # comment\n c [ ]')).toBe('abc[ ]');
    expect(re2('(?x)a\\ b')).toBe('a\\x{20}b');
  });

  it('notes the residual differences', () => {
    expect(pythonRegexToRe2('\\bword\\b').notes).toEqual(['\\b is an ASCII word boundary in RE2 (Python: Unicode)']);
    expect(pythonRegexToRe2('abc').notes).toEqual([]);
  });
});

describe('pythonRegexToRe2: errors for what RE2 cannot do', () => {
  const cases: [string, RegExp][] = [
    ['a(?=b)', /lookahead/],
    ['a(?!b)', /lookahead/],
    ['(?<=a)b', /lookbehind/],
    ['(?<!a)b', /lookbehind/],
    ['(a)\\1', /backreferences/],
    ['(?P<x>a)(?P=x)', /backreferences/],
    ['(?(1)a|b)', /conditional/],
    ['(?>a)', /atomic/],
    ['a++', /possessive/],
    ['a{2}+', /possessive/],
    ['a(?i)b', /global flags not at the start/],
    ['\\N{DIGIT ONE}', /named Unicode escapes/],
    ['\\q', /bad escape \\q/],
    ['[abc', /unterminated character set/],
    ['(?<x>a)', /use \(\?P<name>/],
  ];
  it.each(cases)('%s', (pattern, message) => {
    expect(() => pythonRegexToRe2(pattern)).toThrow(RegexDialectError);
    expect(() => pythonRegexToRe2(pattern)).toThrow(message);
  });
});

describe('translated patterns behave like Python re.search in DuckDB', () => {
  // Expected values are what CPython 3.11's `re.search(pattern, value) is not None` returns.
  const cases: [string, string, boolean][] = [
    ['^\\d+$', '٣٤', true],
    ['^\\d+$', '34a', false],
    ['^\\w+$', 'café', true],
    ['\\s', '\u00a0', true],
    ['\\s', '\u000b', true],
    ['^\\S+$', 'a\u2003b', false],
    ['a$', 'a\n', true],
    ['a$', 'a\nb', false],
    ['a\\Z', 'a\n', false],
    ['a.b', 'a\nb', false],
    ['(?s)a.b', 'a\nb', true],
    ['(?m)^b', 'a\nb', true],
    ['^b', 'a\nb', false],
    ['(?x) a  b # trailing comment', 'ab', true],
    ['a{,2}b', 'aab', true],
    ['[[]', '[', true],
    ['\\u00e9', 'é', true],
    ['(?i)É', 'é', true],
    ['an', 'banana', true],
    ['^an', 'banana', false],
    ['colou?r', 'The color', true],
  ];
  it.each(cases)('%s on %j → %s', async (pattern, value, expected) => {
    const row = await duck.one(`SELECT regexp_matches(${sqlString(value)}, ${sqlString(re2(pattern))}) AS hit`);
    expect(row?.hit).toBe(expected);
  });
});
