import type { CsvOptions } from '../../../shared/datasets';
import { sqlString, type Duck } from '../duckdb';
import type { CsvDialect } from '../source-sql';
import { duplicateNames, onlyBlankAfter, parseFirstRecord } from './csv-header';
import { detectEncoding, type ScanHooks } from './encoding';
import { assertNotEmpty, assertText, decodeHead, encodingFromMarks, readHead, type FileHead, type TextEncoding } from './file-head';

export interface CsvPreflight {
  readonly dialect: CsvDialect;
  readonly warnings: string[];
}

/**
 * Everything about CSV files that must be settled before DuckDB reads them: each file is
 * non-empty text in one encoding, the dialect (sniffed on the first file, used for all, so a
 * union reads every file the same way), and a header without duplicate names above at least one
 * data row. Reads the first 64 KB of each file, plus one streaming pass for the encoding.
 */
export async function prepareCsv(duck: Duck, files: readonly string[], options: CsvOptions = {}, hooks: ScanHooks = {}): Promise<CsvPreflight> {
  const warnings: string[] = [];
  const heads: FileHead[] = [];
  const encodings: { file: string; encoding: TextEncoding }[] = [];
  for (const file of files) {
    const head = await readHead(file);
    assertNotEmpty(head);
    heads.push(head);
    const marked = options.encoding ?? encodingFromMarks(head);
    if (marked !== 'utf-16') {
      assertText(head);
      if (head.bytes.length === head.size && head.bytes.every(isBlank)) throw new Error(`${file} is empty (it holds only blank lines)`);
    }
    if (options.encoding !== undefined) continue;
    const result = await detectEncoding(head, hooks);
    if (result.warning) warnings.push(result.warning);
    // Pure ASCII reads the same in UTF-8 and Latin-1, so it never conflicts with either.
    if (!result.ascii) encodings.push({ file, encoding: result.encoding });
  }
  const encoding = options.encoding ?? agreedEncoding(encodings);
  const first = heads[0]!;
  const sniffed = await sniffDialect(duck, first.file, options, encoding);
  const dialect: CsvDialect = { ...sniffed, encoding };
  for (const head of heads) assertHeader(head, dialect);
  return { dialect, warnings };
}

/** Whitespace bytes, and those of a UTF-8 byte-order mark. */
function isBlank(byte: number): boolean {
  return byte === 9 || byte === 10 || byte === 13 || byte === 32 || byte === 0xef || byte === 0xbb || byte === 0xbf;
}

/** One encoding for all files: relationSql reads a union with a single `encoding` option. */
function agreedEncoding(encodings: readonly { file: string; encoding: TextEncoding }[]): TextEncoding {
  const first = encodings[0];
  if (!first) return 'utf-8';
  const other = encodings.find((entry) => entry.encoding !== first.encoding);
  if (other) {
    throw new Error(`The files use different encodings (${first.file} is ${first.encoding}, ${other.file} is ${other.encoding}); save them all as UTF-8 and add them again`);
  }
  return first.encoding;
}

interface Sniffed {
  readonly delimiter: string;
  readonly quote: string;
  readonly header: boolean;
  readonly columns: number;
}

/**
 * DuckDB's sniffer, with two corrections. In strict mode it rejects every dialect when a row in
 * its sample has the wrong number of fields, falling back to one column per line; sniffing again
 * with `ignore_errors` finds the real delimiter, so the read can report that row by its line
 * instead of profiling one garbled column. And when no quote occurs in the sample it reports no
 * quote at all, which would split a quoted field further down the file; `"` is used instead
 * whenever the sample reads the same with it (RFC 4180's default).
 */
async function sniffDialect(duck: Duck, file: string, options: CsvOptions, encoding: TextEncoding): Promise<Omit<CsvDialect, 'encoding'>> {
  const given = [`encoding = ${sqlString(encoding)}`];
  if (options.delimiter !== undefined) given.push(`delim = ${sqlString(options.delimiter)}`);
  if (options.quote !== undefined) given.push(`quote = ${sqlString(options.quote)}`);
  if (options.header !== undefined) given.push(`header = ${options.header}`);
  let failure: unknown = null;
  let best = await sniff(duck, file, given).catch((error: unknown) => {
    failure = error;
    return null;
  });
  let lenient = false;
  if (best === null || best.columns <= 1) {
    const retry = await sniff(duck, file, [...given, 'ignore_errors = true']).catch(() => null);
    if (retry !== null && (best === null || retry.columns > best.columns)) {
      best = retry;
      lenient = true;
    }
  }
  if (best === null) {
    const reason = failure instanceof Error ? (failure.message.split('\n')[1] ?? '') : '';
    throw new Error(`${file}: could not work out how to read this CSV (delimiter, quoting, header)${reason ? `: ${reason.trim()}` : ''}; set them explicitly`);
  }
  let quote = best.quote;
  if (quote === '' && options.quote === undefined) {
    const quoted = [...given, `delim = ${sqlString(best.delimiter)}`, `quote = '"'`, ...(lenient ? ['ignore_errors = true'] : [])];
    const withQuote = await sniff(duck, file, quoted).catch(() => null);
    if (withQuote !== null && withQuote.columns === best.columns) quote = '"';
  }
  return { delimiter: best.delimiter, quote, header: best.header };
}

async function sniff(duck: Duck, file: string, options: readonly string[]): Promise<Sniffed | null> {
  const row = await duck.one(
    `SELECT Delimiter AS delimiter, Quote AS quote, HasHeader AS header, len(Columns) AS columns FROM sniff_csv(${sqlString(file)}, ${options.join(', ')})`,
  );
  if (row === null) return null;
  const quote = String(row.quote);
  return {
    delimiter: String(row.delimiter),
    quote: quote === '(empty)' ? '' : quote,
    header: row.header === true,
    columns: Number(row.columns),
  };
}

/** Duplicate header names, and a header with no rows under it, are refused per file. */
function assertHeader(head: FileHead, dialect: CsvDialect): void {
  const text = decodeHead(head, dialect.encoding as TextEncoding);
  const record = parseFirstRecord(text, dialect.delimiter, dialect.quote);
  const wholeFile = head.bytes.length === head.size;
  if (dialect.header) {
    const duplicates = duplicateNames(record.fields);
    if (duplicates.length > 0) {
      const names = duplicates.map((name) => `"${name}"`).join(', ');
      throw new Error(`${head.file} line 1: duplicate column name${duplicates.length > 1 ? 's' : ''} ${names} in the header; rename the columns so each name is unique (names are compared ignoring case)`);
    }
    if (wholeFile && record.complete && onlyBlankAfter(text, record.end)) throw new Error(`${head.file} has a header but no data rows`);
  }
}
