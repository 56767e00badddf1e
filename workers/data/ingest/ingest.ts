import { stat } from 'node:fs/promises';
import type { ColumnSchema, DataSource, IngestReport } from '../../../shared/datasets';
import type { WorkerContext } from '../../runtime';
import type { Duck } from '../duckdb';
import { relationSql } from '../source-sql';
import { columnKind } from './column-kinds';
import { prepareCsv } from './csv-dialect';
import { planCsvRead, type CsvRead } from './csv-read';
import { explainReadError } from './errors';
import { assertText, readHead } from './file-head';
import { imageProgressUnits, profileImages } from './images';
import { profileColumns } from './profile';
import { IngestCancelled, IngestProgress } from './progress';

/**
 * Sources up to this size get exact statistics (quantile_cont, exact distinct counts and top
 * values, which hold every value in DuckDB's memory); bigger ones get bounded-memory sketches.
 * Parquet counts four times its size, being compressed.
 */
export const exactLimitBytes = 64 * 1024 * 1024;

/**
 * Reads a source and learns its schema and profile. Files are streamed, never loaded: CSV is
 * read once in 1 MiB chunks for its encoding, then DuckDB scans the source twice (statistics,
 * then value counts and histograms). Any problem with the data is thrown as an Error that names
 * the file (as given in `source.files`) and, where known, the line and column.
 */
export async function ingest(duck: Duck, source: DataSource, context?: WorkerContext): Promise<IngestReport> {
  const totalBytes = await sourceBytes(source);
  const isCsv = source.format === 'csv' || source.format === 'images';
  const encodingPasses = isCsv && source.csv?.encoding === undefined ? 1 : 0;
  const imageUnits = source.format === 'images' ? (source.images?.length ?? 0) * imageProgressUnits : 0;
  const progress = new IngestProgress(context, totalBytes * (encodingPasses + 2) + imageUnits);
  const exact = totalBytes * (source.format === 'parquet' ? 4 : 1) <= exactLimitBytes;

  let read: CsvRead;
  let dialect: IngestReport['csv'] = null;
  const warnings: string[] = [];
  if (isCsv) {
    const hooks = { onBytes: (bytes: number) => progress.advance(bytes, 'Checking the encoding'), cancelled: () => context?.cancelled() ?? false };
    const prepared = await prepareCsv(duck, source.files, source.csv, hooks);
    warnings.push(...prepared.warnings);
    dialect = { ...prepared.dialect };
    // An image dataset's table is its labels CSV, read like any CSV (dialect and encoding included).
    const relation = relationSql({ ...source, format: 'csv' }, prepared.dialect);
    read = planCsvRead(duck, relation, source.files, prepared.dialect, source.csv?.skipBadRows ?? false);
  } else {
    // JSON lines are text too: garbage is named as such rather than as a JSON syntax error.
    if (source.format === 'jsonl') for (const file of source.files) assertText(await readHead(file));
    const relation = relationSql(source);
    read = {
      first: relation,
      second: relation,
      afterFirst: async () => {},
      skippedRows: () => 0,
      warnings: [],
      explain: (error) => explainReadError(error, source.format, source.files),
    };
  }
  progress.throwIfCancelled();
  progress.advance(0, 'Profiling (pass 1 of 2)', true);

  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      // Only DuckDB's errors need restating; a cancel passes through as it is.
      throw error instanceof IngestCancelled ? error : await read.explain(error);
    }
  };
  const schema = await guarded(() => describe(duck, read.second));
  const profile = await guarded(() =>
    profileColumns(duck, schema, {
      first: read.first,
      second: read.second,
      exact,
      afterFirst: async () => {
        await read.afterFirst();
        progress.throwIfCancelled();
        progress.advance(totalBytes, 'Profiling (pass 2 of 2)', true);
      },
    }),
  );
  progress.advance(totalBytes, 'Profiled', true);
  warnings.push(...read.warnings, ...profile.warnings);
  if (profile.rowCount === 0) throw new Error(noRowsMessage(source, dialect?.header ?? false, read.skippedRows(), read.warnings));

  const images = source.format === 'images' ? await profileImages(duck, source, read.second, schema, progress) : null;
  progress.finish('Ingested');
  return {
    schema,
    profile: { rowCount: profile.rowCount, columns: profile.columns, images },
    csv: dialect,
    skippedRows: read.skippedRows(),
    warnings,
  };
}

/** The columns DuckDB reads from a table expression, with their coarse kinds. */
export async function describe(duck: Duck, relation: string): Promise<ColumnSchema[]> {
  const rows = await duck.all(`DESCRIBE SELECT * FROM ${relation}`);
  return rows.map((row) => {
    const type = String(row.column_type);
    return { name: String(row.column_name), type, kind: columnKind(type) };
  });
}

/** Total size of the tabular files; an empty one is refused here, whatever its format. */
async function sourceBytes(source: DataSource): Promise<number> {
  if (source.files.length === 0) throw new Error('The source names no files');
  let total = 0;
  for (const file of source.files) {
    const size = await stat(file).then(
      (stats) => stats.size,
      (error: NodeJS.ErrnoException) => {
        throw new Error(error.code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read: ${error.code ?? error.message}`);
      },
    );
    if (size === 0) throw new Error(`${file} is empty`);
    total += size;
  }
  return total;
}

function noRowsMessage(source: DataSource, header: boolean, skipped: number, readWarnings: readonly string[]): string {
  const files = source.files.join(', ');
  if (skipped > 0) return `Every row of ${files} was skipped as unreadable (${readWarnings.join('; ')})`;
  if (header) return `${files} ${source.files.length === 1 ? 'has' : 'have'} a header but no data rows`;
  return `${files} ${source.files.length === 1 ? 'has' : 'have'} no rows`;
}
