import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TransformResult } from '../../../shared/transforms';
import { sqlString, type Duck } from '../duckdb';
import { wrapDuckError } from './errors';

export interface PartQuery {
  readonly part: string;
  readonly select: string;
}

/**
 * Writes each part to `<outputDir>/<part>.parquet`, all or nothing: every part is first written
 * under a hidden temporary name, and only when all succeeded are they renamed into place (a rename
 * within one folder is atomic). On any failure the temporary files, and any part already renamed,
 * are removed, so a failed transform leaves no output behind.
 */
export async function writeParts(duck: Duck, parts: readonly PartQuery[], outputDir: string): Promise<TransformResult['outputs']> {
  await mkdir(outputDir, { recursive: true });
  const token = randomUUID().replace(/-/g, '').slice(0, 12);
  const staged = parts.map((part) => ({
    part: part.part,
    select: part.select,
    temporary: join(outputDir, `.${part.part}.${token}.parquet.tmp`),
    file: join(outputDir, `${part.part}.parquet`),
    rowCount: 0,
  }));
  const placed: string[] = [];
  try {
    for (const entry of staged) {
      try {
        const row = await duck.one(`COPY (${entry.select}) TO ${sqlString(entry.temporary)} (FORMAT parquet)`);
        entry.rowCount = Number(row?.Count ?? 0);
      } catch (error) {
        throw wrapDuckError(`writing ${entry.part}.parquet failed`, error);
      }
    }
    for (const entry of staged) {
      await rename(entry.temporary, entry.file);
      placed.push(entry.file);
    }
  } catch (error) {
    await Promise.all([...staged.map((entry) => entry.temporary), ...placed].map((path) => rm(path, { force: true }).catch(() => undefined)));
    throw error;
  }
  return staged.map(({ part, file, rowCount }) => ({ part, file, rowCount }));
}
