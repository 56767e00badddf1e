import type { Duck } from '../duckdb';
import type { CsvDialect } from '../source-sql';
import { describeReject, explainReadError, type CsvReject } from './errors';
import { withReadOptions } from './read-options';

/**
 * Rows recorded per file when bad rows are skipped. The rejects table keeps each bad line's
 * text in memory, so a file that is mostly bad stops being counted here (the warning then says
 * "at least").
 */
export const rejectsLimit = 100_000;

let tableSerial = 0;

/** How ingest reads a CSV source, and how it accounts for rows DuckDB could not read. */
export interface CsvRead {
  /** Scan 1's table expression; with "skip bad rows" it also records the rows it skips. */
  readonly first: string;
  readonly second: string;
  readonly afterFirst: () => Promise<void>;
  readonly skippedRows: () => number;
  readonly warnings: string[];
  /** Restates an error DuckDB threw while reading, with the file and line. */
  readonly explain: (error: unknown) => Promise<Error>;
}

/**
 * Without "skip bad rows" a bad row fails the read and DuckDB's error names its line. When the
 * bad row sits in the sample DuckDB sniffs column types from, it fails earlier, in the sniffer,
 * with no line: the first rows are then read again with a rejects table to find it.
 * With "skip bad rows" (relationSql adds `ignore_errors`) scan 1 records what it skips.
 */
export function planCsvRead(duck: Duck, relation: string, files: readonly string[], dialect: CsvDialect, skipBadRows: boolean): CsvRead {
  const warnings: string[] = [];
  let skipped = 0;
  const explain = async (error: unknown): Promise<Error> => {
    const message = error instanceof Error ? error.message : String(error);
    if (!skipBadRows && /Error when sniffing file/.test(message)) {
      const reject = await firstRejectNearTop(duck, relation, files).catch(() => null);
      if (reject) return new Error(describeReject(reject, dialect.encoding));
    }
    return explainReadError(error, 'csv', files, dialect.encoding);
  };
  if (!skipBadRows) return { first: relation, second: relation, afterFirst: async () => {}, skippedRows: () => 0, warnings, explain };
  const tables = rejectTables();
  const afterFirst = async (): Promise<void> => {
    const rejects = await readRejects(duck, tables, files);
    await dropRejectTables(duck, tables);
    const lines = new Set(rejects.map((reject) => `${reject.file}\n${reject.line}`));
    skipped = lines.size;
    if (skipped === 0) return;
    const capped = files.some((file) => rejects.filter((reject) => reject.file === file).length >= rejectsLimit);
    const examples = rejects.slice(0, 3).map((reject) => describeReject(reject, dialect.encoding));
    warnings.push(`Skipped ${capped ? 'at least ' : ''}${skipped} row${skipped === 1 ? '' : 's'} that could not be read: ${examples.join('; ')}${skipped > examples.length ? '; …' : ''}`);
  };
  return { first: withReadOptions(relation, rejectOptions(tables, rejectsLimit)), second: relation, afterFirst, skippedRows: () => skipped, warnings, explain };
}

interface RejectTables {
  readonly errors: string;
  readonly scans: string;
}

function rejectTables(): RejectTables {
  tableSerial++;
  return { errors: `ingest_rejects_${tableSerial}`, scans: `ingest_reject_scans_${tableSerial}` };
}

function rejectOptions(tables: RejectTables, limit: number): string[] {
  return ['store_rejects = true', `rejects_table = '${tables.errors}'`, `rejects_scan = '${tables.scans}'`, `rejects_limit = ${limit}`];
}

async function readRejects(duck: Duck, tables: RejectTables, files: readonly string[]): Promise<CsvReject[]> {
  const rows = await duck.all(
    `SELECT s.file_path AS file, e.line, e.error_type, e.error_message, e.column_name
     FROM ${tables.errors} e JOIN ${tables.scans} s ON s.scan_id = e.scan_id AND s.file_id = e.file_id`,
  );
  const rejects = rows.map((row) => ({
    file: String(row.file),
    line: Number(row.line),
    errorType: String(row.error_type),
    errorMessage: String(row.error_message),
    columnName: row.column_name === null ? null : String(row.column_name),
  }));
  // File order, then line order: the first example is the first bad line a person would meet.
  return rejects.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line);
}

async function dropRejectTables(duck: Duck, tables: RejectTables): Promise<void> {
  await duck.run(`DROP TABLE IF EXISTS ${tables.errors}`);
  await duck.run(`DROP TABLE IF EXISTS ${tables.scans}`);
}

/** Reads the first rows (the sniffer's sample and more) with a rejects table; the first reject. */
async function firstRejectNearTop(duck: Duck, relation: string, files: readonly string[]): Promise<CsvReject | null> {
  const tables = rejectTables();
  const scratch = `ingest_diagnosis_${tableSerial}`;
  const lenient = withReadOptions(relation, [...rejectOptions(tables, 10), 'ignore_errors = true']);
  try {
    await duck.run(`CREATE TEMP TABLE ${scratch} AS SELECT * FROM ${lenient} LIMIT 100000`);
    return (await readRejects(duck, tables, files))[0] ?? null;
  } finally {
    await duck.run(`DROP TABLE IF EXISTS ${scratch}`);
    await dropRejectTables(duck, tables);
  }
}
