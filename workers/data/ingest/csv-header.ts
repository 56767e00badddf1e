/** The first record of a CSV text: its fields and where the record ends. */
export interface FirstRecord {
  readonly fields: string[];
  /** Index in the text just past the record's line end. */
  readonly end: number;
  /** False when the text ran out inside the record (a header longer than the sample). */
  readonly complete: boolean;
}

/**
 * Splits the first record of `text` with the detected delimiter and quote (a doubled quote is a
 * literal quote, as in RFC 4180). Only the header is parsed here: DuckDB reads everything else.
 */
export function parseFirstRecord(text: string, delimiter: string, quote: string): FirstRecord {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (quoted) {
      if (char === quote && text[index + 1] === quote) {
        field += quote;
        index += 2;
      } else if (char === quote) {
        quoted = false;
        index++;
      } else {
        field += char;
        index++;
      }
    } else if (quote !== '' && char === quote && field.trim() === '') {
      quoted = true;
      field = '';
      index++;
    } else if (text.startsWith(delimiter, index)) {
      fields.push(field);
      field = '';
      index += delimiter.length;
    } else if (char === '\n' || char === '\r') {
      fields.push(field);
      const end = char === '\r' && text[index + 1] === '\n' ? index + 2 : index + 1;
      return { fields, end, complete: true };
    } else {
      field += char;
      index++;
    }
  }
  fields.push(field);
  return { fields, end: text.length, complete: !quoted };
}

/**
 * Header names that occur more than once. DuckDB compares names case-insensitively and would
 * silently rename the second `price` to `price_1`, so a model trained on it would read the
 * wrong column; we refuse instead. Empty names are left out: DuckDB names them `columnN`.
 */
export function duplicateNames(fields: readonly string[]): string[] {
  // Keyed by lower-cased name, in order of first appearance; the value is the first spelling.
  const counts = new Map<string, { name: string; count: number }>();
  for (const raw of fields) {
    const name = raw.trim();
    if (name === '') continue;
    const entry = counts.get(name.toLowerCase());
    if (entry) entry.count++;
    else counts.set(name.toLowerCase(), { name, count: 1 });
  }
  return [...counts.values()].filter((entry) => entry.count > 1).map((entry) => entry.name);
}

/** True when nothing but blank lines follows the first record. */
export function onlyBlankAfter(text: string, end: number): boolean {
  return text.slice(end).trim() === '';
}
