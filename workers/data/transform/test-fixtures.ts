import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from '../../../shared/datasets';
import { Duck, sqlString, type Row } from '../duckdb';

/** A temp folder, a DuckDB, and helpers to write small sources and read outputs back (tests only). */
export interface Fixture {
  readonly dir: string;
  readonly duck: Duck;
  /** Writes a CSV under an extension-less name, as the object store does, and returns its source. */
  csv(text: string, name?: string): Promise<DataSource>;
  /** A fresh, not yet existing output folder. */
  outDir(name?: string): string;
  read(file: string): Promise<Row[]>;
  types(file: string): Promise<Record<string, string>>;
  list(dir: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function openFixture(options: { threads?: number } = {}): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-transform-'));
  const duck = await Duck.open({ threads: options.threads ?? 2 });
  let counter = 0;
  return {
    dir,
    duck,
    async csv(text, name = `source${counter++}`) {
      const file = join(dir, name);
      await writeFile(file, text);
      return { format: 'csv', files: [file] };
    },
    outDir: (name = `out${counter++}`) => join(dir, name),
    read: (file) => duck.all(`SELECT * FROM read_parquet(${sqlString(file)})`),
    async types(file) {
      const rows = await duck.all(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
      return Object.fromEntries(rows.map((row) => [String(row.column_name), String(row.column_type)]));
    },
    list: async (folder) => (await readdir(folder).catch(() => [])).sort(),
    async close() {
      duck.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Lines of a CSV from a header and rows. */
export const csvText = (header: string, rows: readonly (string | number)[][]): string =>
  [header, ...rows.map((row) => row.join(','))].join('\n') + '\n';
