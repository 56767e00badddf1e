/**
 * Python `re` → RE2 (DuckDB's `regexp_matches`).
 *
 * GE evaluates `expect_column_values_to_match_regex` as `series.astype(str).str.contains(regex)`:
 * Python's `re.search`, unanchored, on `str` patterns (Unicode classes). DuckDB's `regexp_matches`
 * is also an unanchored search, but in RE2's dialect. This module rewrites the Python syntax RE2
 * spells differently and rejects, with a message naming the construct, what RE2 cannot do:
 *
 * | Python                          | RE2 rewrite / outcome                                              |
 * |---------------------------------|--------------------------------------------------------------------|
 * | leading `(?aiLmsux)` flags      | `i m s` kept as `(?ims)`; `x` verbose handled here; `a` ASCII classes; `u` dropped; `L` error |
 * | `(?i:…)`, `(?-i:…)` scoped      | kept for `i m s`; `x`/`a` applied here                             |
 * | `\d \w \s` (Unicode in Python)  | `\p{Nd}`, `[\p{L}\p{N}_]`, `[\s\x{0B}\x{1C}-\x{1F}\x{85}\p{Z}]` (RE2's are ASCII-only) |
 * | `$` without MULTILINE           | `(?:\n?\z)`: Python's `$` also matches before a final newline       |
 * | `\Z`                            | `\z`                                                               |
 * | `\uXXXX \UXXXXXXXX \xhh \0oo`   | `\x{…}`                                                            |
 * | `{,n}`                          | `{0,n}` (RE2 reads `{,n}` as literal text)                         |
 * | `(?#comment)`                   | removed                                                            |
 * | `[[` / `[]…]`                   | `\[` / `\]` (RE2 would read `[[:alpha:]]` as a POSIX class)        |
 * | lookahead/lookbehind, backreferences `\1` `(?P=n)`, conditionals, atomic groups, possessive quantifiers, `\N{…}` | error: RE2 has no backtracking |
 * | repetition counts over 1000     | error from RE2                                                     |
 *
 * Known residual differences (reported in `notes`): `\b`/`\B` and `\W`/`\S` inside a character
 * class keep RE2's ASCII meaning.
 */

export interface TranslatedRegex {
  /** The pattern in RE2 syntax. */
  readonly source: string;
  /** Approximations made (empty when the translation is exact). */
  readonly notes: readonly string[];
}

export class RegexDialectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegexDialectError';
  }
}

interface Frame {
  readonly verbose: boolean;
  readonly multiline: boolean;
  readonly ascii: boolean;
}

const UNICODE_DIGIT = '\\p{Nd}';
const UNICODE_WORD_ITEMS = '\\p{L}\\p{N}_';
const UNICODE_SPACE_ITEMS = '\\s\\x{0B}\\x{1C}-\\x{1F}\\x{85}\\p{Z}';
const ASCII_SPACE_ITEMS = '\\s\\x{0B}';
const OCTAL = /[0-7]/;
const HEX = /^[0-9a-fA-F]+$/;
const VERBOSE_SPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v']);

const codePoint = (n: number): string => `\\x{${n.toString(16).toUpperCase()}}`;

export function pythonRegexToRe2(pattern: string): TranslatedRegex {
  return new Translator(pattern).run();
}

class Translator {
  private i = 0;
  private out = '';
  private readonly notes = new Set<string>();
  private readonly frames: Frame[] = [];

  constructor(private readonly pattern: string) {}

  run(): TranslatedRegex {
    const global = this.globalFlags();
    this.frames.push({ verbose: global.includes('x'), multiline: global.includes('m'), ascii: global.includes('a') });
    const kept = ['i', 'm', 's'].filter((flag) => global.includes(flag)).join('');
    while (this.i < this.pattern.length) this.token();
    return { source: (kept ? `(?${kept})` : '') + this.out, notes: [...this.notes] };
  }

  private get frame(): Frame {
    return this.frames[this.frames.length - 1] as Frame;
  }

  private peek(offset = 0): string {
    return this.pattern[this.i + offset] ?? '';
  }

  private fail(message: string): never {
    throw new RegexDialectError(`${message} (at position ${this.i} of ${JSON.stringify(this.pattern)})`);
  }

  /** Leading `(?flags)` groups: Python's only place for global flags (3.11+). */
  private globalFlags(): string {
    let flags = '';
    for (;;) {
      const match = /^\(\?([aiLmsux]+)\)/.exec(this.pattern.slice(this.i));
      if (!match) break;
      const letters = match[1] ?? '';
      if (letters.includes('L')) this.fail('the (?L) locale flag is only valid for bytes patterns');
      if (letters.includes('a') && letters.includes('u')) this.fail('flags (?a) and (?u) are incompatible');
      flags += letters;
      this.i += match[0].length;
    }
    return flags;
  }

  private token(): void {
    const c = this.peek();
    if (this.frame.verbose) {
      if (VERBOSE_SPACE.has(c)) {
        this.i += 1;
        return;
      }
      if (c === '#') {
        while (this.i < this.pattern.length && this.peek() !== '\n') this.i += 1;
        return;
      }
    }
    switch (c) {
      case '\\':
        this.out += this.escape(false);
        return;
      case '[':
        this.characterClass();
        return;
      case '(':
        this.group();
        return;
      case ')':
        if (this.frames.length > 1) this.frames.pop();
        this.out += ')';
        this.i += 1;
        return;
      case '$':
        this.out += this.frame.multiline ? '$' : '(?:\\n?\\z)';
        this.i += 1;
        return;
      case '*':
      case '+':
      case '?':
        this.i += 1;
        this.out += c + this.quantifierSuffix();
        return;
      case '{':
        this.brace();
        return;
      case '}':
        this.out += '\\}';
        this.i += 1;
        return;
      default:
        this.out += c;
        this.i += 1;
    }
  }

  /** After a quantifier: `?` (lazy) is shared; `+` (possessive, Python 3.11+) is not in RE2. */
  private quantifierSuffix(): string {
    if (this.peek() === '?') {
      this.i += 1;
      return '?';
    }
    if (this.peek() === '+') this.fail('possessive quantifiers (*+, ++, ?+, {m,n}+) are not supported by RE2');
    return '';
  }

  /** Python's `{m,n}` rules: a brace that does not form a repeat is a literal. */
  private brace(): void {
    const match = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.pattern.slice(this.i));
    if (!match || (match[1] === '' && match[2] === undefined)) {
      this.out += '\\{';
      this.i += 1;
      return;
    }
    const lo = match[1] || '0';
    const hi = match[2] === undefined ? null : (match[3] ?? '');
    this.i += match[0].length;
    this.out += (hi === null ? `{${lo}}` : `{${lo},${hi}}`) + this.quantifierSuffix();
  }

  private group(): void {
    const rest = this.pattern.slice(this.i);
    const inherit = this.frame;
    if (!rest.startsWith('(?')) {
      this.frames.push(inherit);
      this.out += '(';
      this.i += 1;
      return;
    }
    const named = /^\(\?P<([^>]*)>/.exec(rest);
    if (named) {
      if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(named[1] ?? '')) this.fail(`bad group name ${JSON.stringify(named[1])}`);
      this.frames.push(inherit);
      this.out += named[0];
      this.i += named[0].length;
      return;
    }
    if (rest.startsWith('(?:')) {
      this.frames.push(inherit);
      this.out += '(?:';
      this.i += 3;
      return;
    }
    if (rest.startsWith('(?#')) {
      const end = this.pattern.indexOf(')', this.i);
      if (end < 0) this.fail('missing ), unterminated comment');
      this.i = end + 1;
      return;
    }
    if (rest.startsWith('(?P=')) this.fail('backreferences ((?P=name)) are not supported by RE2');
    if (rest.startsWith('(?=') || rest.startsWith('(?!')) this.fail('lookahead assertions ((?=…), (?!…)) are not supported by RE2');
    if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) this.fail('lookbehind assertions ((?<=…), (?<!…)) are not supported by RE2');
    if (rest.startsWith('(?<')) this.fail('(?<name>…) is not Python syntax; use (?P<name>…)');
    if (rest.startsWith('(?(')) this.fail('conditional groups ((?(id)yes|no)) are not supported by RE2');
    if (rest.startsWith('(?>')) this.fail('atomic groups ((?>…)) are not supported by RE2');
    const scoped = /^\(\?([aimsux]*)(?:-([imsx]*))?(:|\))/.exec(rest);
    if (scoped && (scoped[1] || scoped[2])) {
      if (scoped[3] === ')') this.fail('global flags not at the start of the expression');
      const on = scoped[1] ?? '';
      const off = scoped[2] ?? '';
      if (off === '' && scoped[0].includes('-')) this.fail('missing flag after "-"');
      this.frames.push({
        verbose: on.includes('x') ? true : off.includes('x') ? false : inherit.verbose,
        multiline: on.includes('m') ? true : off.includes('m') ? false : inherit.multiline,
        ascii: on.includes('a') ? true : inherit.ascii,
      });
      const keep = (letters: string): string => [...letters].filter((flag) => 'ims'.includes(flag)).join('');
      const re2On = keep(on);
      const re2Off = keep(off);
      this.out += re2On || re2Off ? `(?${re2On}${re2Off ? `-${re2Off}` : ''}:` : '(?:';
      this.i += scoped[0].length;
      return;
    }
    this.fail(`unknown extension ${JSON.stringify(rest.slice(0, 3))}`);
  }

  private characterClass(): void {
    this.i += 1;
    let body = '';
    if (this.peek() === '^') {
      body += '^';
      this.i += 1;
    }
    if (this.peek() === ']') {
      body += '\\]';
      this.i += 1;
    }
    for (;;) {
      if (this.i >= this.pattern.length) this.fail('unterminated character set');
      const c = this.peek();
      if (c === ']') {
        this.i += 1;
        break;
      }
      if (c === '\\') body += this.escape(true);
      else if (c === '[') {
        body += '\\[';
        this.i += 1;
      } else {
        body += c;
        this.i += 1;
      }
    }
    this.out += `[${body}]`;
  }

  /** One escape starting at `\`; inside a class the result is class items, not an atom. */
  private escape(inClass: boolean): string {
    const c = this.peek(1);
    if (c === '') this.fail('bad escape (end of pattern)');
    this.i += 2;
    const ascii = this.frame.ascii;
    switch (c) {
      case 'd':
        return ascii ? '\\d' : UNICODE_DIGIT;
      case 'D':
        return ascii ? '\\D' : '\\P{Nd}';
      case 'w':
        if (ascii) return '\\w';
        return inClass ? UNICODE_WORD_ITEMS : `[${UNICODE_WORD_ITEMS}]`;
      case 'W':
        if (ascii) return '\\W';
        if (inClass) {
          this.notes.add('\\W inside a character class matches ASCII non-word characters only (RE2)');
          return '\\W';
        }
        return `[^${UNICODE_WORD_ITEMS}]`;
      case 's': {
        const items = ascii ? ASCII_SPACE_ITEMS : UNICODE_SPACE_ITEMS;
        return inClass ? items : `[${items}]`;
      }
      case 'S':
        if (inClass) {
          this.notes.add('\\S inside a character class uses RE2\'s ASCII whitespace');
          return '\\S';
        }
        return `[^${ascii ? ASCII_SPACE_ITEMS : UNICODE_SPACE_ITEMS}]`;
      case 'b':
        if (inClass) return codePoint(8);
        if (!ascii) this.notes.add('\\b is an ASCII word boundary in RE2 (Python: Unicode)');
        return '\\b';
      case 'B':
        if (inClass) this.fail('bad escape \\B');
        if (!ascii) this.notes.add('\\B is an ASCII word boundary in RE2 (Python: Unicode)');
        return '\\B';
      case 'A':
        if (inClass) this.fail('bad escape \\A');
        return '\\A';
      case 'Z':
        if (inClass) this.fail('bad escape \\Z');
        return '\\z';
      case 'a':
        return codePoint(7);
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
        return `\\${c}`;
      case 'x':
        return codePoint(this.hexDigits(2, 'x'));
      case 'u':
        return codePoint(this.hexDigits(4, 'u'));
      case 'U': {
        const value = this.hexDigits(8, 'U');
        if (value > 0x10ffff) this.fail(`bad escape \\U${value.toString(16)}`);
        return codePoint(value);
      }
      case 'N':
        this.fail('named Unicode escapes (\\N{…}) are not supported; write the character or \\uXXXX');
    }
    if (/[0-9]/.test(c)) return this.numericEscape(c, inClass);
    if (/[A-Za-z]/.test(c)) this.fail(`bad escape \\${c}`);
    // An escaped punctuation, space or non-ASCII character is that character.
    const point = c.codePointAt(0) as number;
    if (point > 0xffff) this.i += 1; // the second UTF-16 unit of an astral character
    return /[!-/:-@[-`{-~]/.test(c) ? `\\${c}` : codePoint(point);
  }

  private hexDigits(count: number, letter: string): number {
    const digits = this.pattern.slice(this.i, this.i + count);
    if (digits.length !== count || !HEX.test(digits)) this.fail(`incomplete escape \\${letter}${digits}`);
    this.i += count;
    return parseInt(digits, 16);
  }

  /** `\0`, `\0oo`, `\ooo` are octal characters; other digits are backreferences. */
  private numericEscape(first: string, inClass: boolean): string {
    let digits = first;
    const octal = (): string => {
      while (digits.length < 3 && OCTAL.test(this.peek())) {
        digits += this.peek();
        this.i += 1;
      }
      const value = parseInt(digits, 8);
      if (value > 0o377) this.fail(`octal escape value \\${digits} outside of range 0-0o377`);
      return codePoint(value);
    };
    if (first === '0') return octal();
    if (OCTAL.test(first) && OCTAL.test(this.peek()) && OCTAL.test(this.peek(1))) return octal();
    if (inClass) this.fail(`bad escape \\${first}`);
    this.fail(`backreferences (\\${first}) are not supported by RE2`);
  }
}
