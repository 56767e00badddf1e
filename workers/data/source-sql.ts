import type { DataSource } from '../../shared/datasets';
import { sqlString } from './duckdb';

/** The dialect a CSV source is read with once detection has run. */
export interface CsvDialect {
  readonly delimiter: string;
  readonly quote: string;
  readonly header: boolean;
  readonly encoding: string;
}

/**
 * The DuckDB table expression that reads a source: every task (ingest, preview, validate,
 * transform) reads data through this one function, so they all see the same rows.
 */
export function relationSql(source: DataSource, dialect?: CsvDialect): string {
  const files = `[${source.files.map(sqlString).join(', ')}]`;
  switch (source.format) {
    // The tabular part of an image dataset is its labels file: a CSV read with the same dialect.
    case 'images':
    case 'csv': {
      const options = [`union_by_name = ${source.files.length > 1}`, 'auto_detect = true'];
      const delimiter = dialect?.delimiter ?? source.csv?.delimiter;
      const quote = dialect?.quote ?? source.csv?.quote;
      const header = dialect?.header ?? source.csv?.header;
      const encoding = dialect?.encoding ?? source.csv?.encoding;
      if (delimiter !== undefined) options.push(`delim = ${sqlString(delimiter)}`);
      if (quote !== undefined) options.push(`quote = ${sqlString(quote)}`);
      if (header !== undefined) options.push(`header = ${header}`);
      if (encoding !== undefined) options.push(`encoding = ${sqlString(encoding)}`);
      if (source.csv?.skipBadRows) options.push('ignore_errors = true');
      return `read_csv(${files}, ${options.join(', ')})`;
    }
    case 'parquet':
      return `read_parquet(${files}, union_by_name = ${source.files.length > 1})`;
    case 'jsonl':
      return `read_json(${files}, format = 'newline_delimited', union_by_name = ${source.files.length > 1})`;
  }
}
