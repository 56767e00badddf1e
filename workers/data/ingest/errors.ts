import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DatasetFormat } from '../../../shared/datasets';

/** One row DuckDB stored in its rejects table (`store_rejects`) for a line it could not read. */
export interface CsvReject {
  readonly file: string;
  readonly line: number;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly columnName: string | null;
}

/** A reject restated for a person: file, line, column where known, and what was wrong. */
export function describeReject(reject: CsvReject, encoding: string): string {
  const where = `${reject.file} line ${reject.line}`;
  const fields = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(reject.errorMessage);
  if (fields) return `${where}: expected ${fields[1]} fields, found ${fields[2]}`;
  if (reject.errorType === 'CAST') return `${where}, ${describeCast(reject.errorMessage, reject.columnName)}`;
  if (/unicode|encoding/i.test(`${reject.errorType} ${reject.errorMessage}`)) return `${where}: bytes that are not valid ${encoding}`;
  if (reject.errorType === 'UNQUOTED VALUE') return `${where}: text after a closing quote (a quote inside a field must be doubled)`;
  if (reject.errorType === 'LINE SIZE OVER MAXIMUM') return `${where}: the line is longer than DuckDB's limit (often an unclosed quote)`;
  return `${where}: ${reject.errorMessage}`;
}

function describeCast(message: string, column: string | null): string {
  const cast = /Could not convert string "(.*)" to '([^']+)'/.exec(message);
  const name = column === null ? 'a column' : `column "${column}"`;
  if (!cast) return `${name}: ${message}`;
  return `${name}: "${cast[1]}" is not a valid ${cast[2]} (the type was detected from a sample of the file's rows)`;
}

/**
 * Turns an error DuckDB threw while reading a source into one a person can act on: it names the
 * file, and the line and column when DuckDB gave them. DuckDB's own text (hints about its
 * options, the failing SQL) is dropped, since the user never sees those options.
 */
export async function explainReadError(error: unknown, format: DatasetFormat, files: readonly string[], encoding = 'utf-8'): Promise<Error> {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = (message.split('\n')[0] ?? message).replace(/^[A-Za-z ]+ Error: /, '');
  const named = /file(?: = |\s+)["']?([^"'\n]+?)["']?(?:[\s,.]|$)/.exec(message);
  const file = files.find((candidate) => message.includes(candidate)) ?? named?.[1] ?? files.join(', ');
  if (format === 'csv' || format === 'images') {
    const line = /CSV Error on Line: (\d+)/.exec(message);
    if (line) {
      const errorType = /Could not convert/.test(message) ? 'CAST' : /unicode/i.test(message) ? 'INVALID ENCODING' : '';
      const detail = /Expected Number of Columns: \d+ Found: \d+|Error when converting column "[^"]*"\. Could not convert string "[^\n]*" to '[^']+'|Invalid unicode[^\n]*/.exec(message);
      const column = /converting column "([^"]*)"/.exec(message)?.[1] ?? null;
      return new Error(describeReject({ file, line: Number(line[1]), errorType, errorMessage: detail?.[0] ?? firstLine, columnName: column }, encoding));
    }
    if (/Error when sniffing file/.test(message)) {
      return new Error(`${file}: could not work out how to read this CSV (its delimiter, quoting and header); set them explicitly, or look for malformed lines near the top of the file`);
    }
  }
  if (format === 'parquet') {
    return new Error(`${file} is not a valid Parquet file (${firstLine.replace(/ ?'[^']*'/, '').replace(/\.$/, '')})`);
  }
  if (format === 'jsonl' && /JSON/i.test(message)) {
    const located = await firstMalformedJsonLine(file);
    if (located) return new Error(`${file} line ${located.line}: not valid JSON (${located.reason})`);
    return new Error(`${file}: not valid JSON lines (${firstLine})`);
  }
  return new Error(`Reading ${file} failed: ${firstLine}`);
}

/**
 * The first line that JSON.parse rejects. DuckDB's JSON errors give a line number that is off by
 * one (1.5: "line 5" for the 4th line), so the line is found again here; this runs only after a
 * read has already failed, streaming the file line by line.
 */
async function firstMalformedJsonLine(file: string): Promise<{ line: number; reason: string } | null> {
  let stream;
  try {
    stream = createReadStream(file, { encoding: 'utf8' });
  } catch {
    return null;
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const text of lines) {
      number++;
      if (text.trim() === '') continue;
      try {
        JSON.parse(text);
      } catch (error) {
        return { line: number, reason: error instanceof Error ? error.message : String(error) };
      }
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return null;
}
