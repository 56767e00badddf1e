import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** Values as our code sees them: DuckDB's BIGINT/HUGEINT become numbers when exact, else strings. */
export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/**
 * One in-memory DuckDB per worker attempt. Threads are capped: the app shares a laptop's cores
 * with the UI and the trainer; DuckDB otherwise takes every core.
 */
export class Duck {
  private constructor(private readonly connection: DuckDBConnection) {}

  /**
   * @param tempDirectory where DuckDB spills when a query outgrows memory; without it an
   * in-memory database spills into `.tmp` under the process's working directory (the user's).
   */
  static async open(options: { threads?: number; memoryLimit?: string; tempDirectory?: string } = {}): Promise<Duck> {
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(options.threads ?? 2),
      ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
      ...(options.tempDirectory ? { temp_directory: options.tempDirectory } : {}),
    });
    return new Duck(await instance.connect());
  }

  /** Runs `sql` with `$1…` parameters and returns rows as plain objects. */
  async all(sql: string, params: readonly Cell[] = []): Promise<Row[]> {
    const reader = params.length > 0 ? await this.connection.runAndReadAll(sql, [...params] as never) : await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => normalizeRow(row as Record<string, unknown>));
  }

  async one(sql: string, params: readonly Cell[] = []): Promise<Row | null> {
    return (await this.all(sql, params))[0] ?? null;
  }

  async run(sql: string, params: readonly Cell[] = []): Promise<void> {
    if (params.length > 0) await this.connection.run(sql, [...params] as never);
    else await this.connection.run(sql);
  }

  close(): void {
    this.connection.closeSync();
  }
}

function normalizeRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[key] = normalizeCell(value);
  return out;
}

/** Plain JSON-able cells: bigint → number when safe, dates and others → their string form. */
export function normalizeCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** A SQL string literal. DuckDB table functions take file lists and options as literals, not parameters. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A quoted identifier, for column names that come from user data. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
