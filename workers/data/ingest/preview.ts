import type { DataSource, Preview } from '../../../shared/datasets';
import { sqlIdentifier, type Duck } from '../duckdb';
import { relationSql } from '../source-sql';
import { explainReadError } from './errors';
import { describe } from './ingest';

/**
 * One page of rows, as DuckDB displays them (nulls stay null), and the total row count. Rows
 * come in file order: DuckDB keeps insertion order for scans (`preserve_insertion_order`, on by
 * default), so LIMIT/OFFSET pages are stable. The source is read through relationSql exactly as
 * validate and transform read it, so main should pass the dialect ingest reported in `csv`.
 */
export async function preview(duck: Duck, source: DataSource, offset: number, limit: number): Promise<Preview> {
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`Preview offset must be a whole number ≥ 0, not ${offset}`);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`Preview limit must be a whole number ≥ 1, not ${limit}`);
  const relation = relationSql(source);
  try {
    const columns = await describe(duck, relation);
    // Positional aliases: names from user data may collide with anything once cast.
    const cells = columns.map((column, i) => `CAST(${sqlIdentifier(column.name)} AS VARCHAR) AS c${i}`).join(', ');
    const page = await duck.all(`SELECT ${cells} FROM ${relation} LIMIT ${limit} OFFSET ${offset}`);
    const total = Number((await duck.one(`SELECT count(*) AS n FROM ${relation}`))?.n ?? 0);
    const rows = page.map((row) => columns.map((_, i) => {
      const cell = row[`c${i}`];
      return cell === null || cell === undefined ? null : String(cell);
    }));
    return { columns, rows, offset, total };
  } catch (error) {
    throw await explainReadError(error, source.format, source.files, source.csv?.encoding);
  }
}
