import type { ColumnSchema, DataSource, ImageProfile } from '../../../shared/datasets';
import { sqlIdentifier, type Duck } from '../duckdb';
import { readImageSize, type ImageSize } from './image-size';
import type { IngestProgress } from './progress';

/** Progress units per image: about what reading its header costs next to a byte of CSV. */
export const imageProgressUnits = 4096;

export const pathColumns = ['filename', 'file', 'path', 'image'];
export const labelColumns = ['label', 'class', 'target'];
/** How many offending names an error lists before "and N more". */
const listed = 5;

/**
 * Checks an image folder against its labels file and profiles it: every labelled image exists,
 * every image has exactly one label, each image's size comes from its header bytes. The join
 * runs in DuckDB so a labels file of a million rows never becomes a million JS objects.
 */
export async function profileImages(duck: Duck, source: DataSource, labels: string, schema: readonly ColumnSchema[], progress: IngestProgress): Promise<ImageProfile> {
  const labelsFile = source.files[0]!;
  const pick = (names: readonly string[]): string | undefined => schema.find((column) => names.includes(column.name.trim().toLowerCase()))?.name;
  const pathColumn = pick(pathColumns);
  const labelColumn = pick(labelColumns);
  if (pathColumn === undefined || labelColumn === undefined) {
    throw new Error(
      `${labelsFile} needs a column with each image's path (${pathColumns.join(', ')}) and one with its label (${labelColumns.join(', ')}); it has ${schema.map((column) => `"${column.name}"`).join(', ')}`,
    );
  }
  const images = source.images ?? [];
  if (images.length === 0) throw new Error(`The image folder of ${labelsFile} holds no images`);
  if (images.some((image) => image.relpath.includes('\n'))) throw new Error('Image paths must not contain line breaks');
  const normalize = (sql: string): string => `regexp_replace(replace(trim(CAST(${sql} AS VARCHAR)), '\\', '/'), '^(\\./)+', '')`;
  await duck.run('CREATE OR REPLACE TEMP TABLE ingest_images AS SELECT unnest(string_split($1, chr(10))) AS relpath', [images.map((image) => normalizePath(image.relpath)).join('\n')]);
  await duck.run(
    `CREATE OR REPLACE TEMP TABLE ingest_labels AS SELECT ${normalize(sqlIdentifier(pathColumn))} AS relpath, nullif(trim(CAST(${sqlIdentifier(labelColumn)} AS VARCHAR)), '') AS label FROM ${labels}`,
  );
  try {
    await refuse(duck, 'SELECT relpath FROM ingest_labels WHERE relpath IS NOT NULL AND relpath NOT IN (SELECT relpath FROM ingest_images)', (names, count) => `${labelsFile} names ${count} image${count === 1 ? '' : 's'} that ${count === 1 ? 'is' : 'are'} not in the folder: ${names}`);
    await refuse(duck, 'SELECT relpath FROM ingest_labels WHERE relpath IS NOT NULL GROUP BY relpath HAVING count(*) > 1', (names, count) => `${labelsFile} lists ${count} image${count === 1 ? '' : 's'} more than once: ${names}`);
    await refuse(
      duck,
      'SELECT relpath FROM ingest_images WHERE relpath NOT IN (SELECT relpath FROM ingest_labels WHERE label IS NOT NULL AND relpath IS NOT NULL)',
      (names, count) => `${count} image${count === 1 ? ' has' : 's have'} no label in ${labelsFile}: ${names}`,
    );
    const classes = await duck.all('SELECT label, count(*) AS n FROM ingest_labels GROUP BY label ORDER BY n DESC, label');
    const sizes = await measure(images, progress);
    return { imageCount: images.length, ...sizes, classCounts: classes.map((row) => ({ label: String(row.label), count: Number(row.n) })) };
  } finally {
    await duck.run('DROP TABLE IF EXISTS ingest_images');
    await duck.run('DROP TABLE IF EXISTS ingest_labels');
  }
}

function normalizePath(relpath: string): string {
  return relpath.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/** Throws `message` when `sql` (a query of relpaths) returns rows, listing the first few. */
async function refuse(duck: Duck, sql: string, message: (names: string, count: number) => string): Promise<void> {
  const rows = await duck.all(`SELECT relpath, count(*) OVER () AS n FROM (${sql}) ORDER BY relpath LIMIT ${listed}`);
  if (rows.length === 0) return;
  const count = Number(rows[0]!.n);
  const shown = rows.map((row) => String(row.relpath)).join(', ');
  throw new Error(message(count > listed ? `${shown} and ${count - listed} more` : shown, count));
}

async function measure(images: readonly { relpath: string; file: string }[], progress: IngestProgress): Promise<Omit<ImageProfile, 'imageCount' | 'classCounts'>> {
  const formats = new Map<string, number>();
  const width = { min: Infinity, max: 0, sum: 0 };
  const height = { min: Infinity, max: 0, sum: 0 };
  const unreadable: string[] = [];
  let next = 0;
  // A few reads in flight hide the latency of opening many small files.
  const worker = async (): Promise<void> => {
    while (next < images.length) {
      const image = images[next++]!;
      progress.throwIfCancelled();
      const size: ImageSize | null = await readImageSize(image.file).catch(() => null);
      progress.advance(imageProgressUnits, 'Reading image sizes');
      if (size === null) {
        unreadable.push(image.relpath);
        continue;
      }
      formats.set(size.format, (formats.get(size.format) ?? 0) + 1);
      for (const [range, value] of [[width, size.width], [height, size.height]] as const) {
        range.min = Math.min(range.min, value);
        range.max = Math.max(range.max, value);
        range.sum += value;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  if (unreadable.length > 0) {
    unreadable.sort();
    const shown = unreadable.slice(0, listed).join(', ');
    throw new Error(`${unreadable.length} file${unreadable.length === 1 ? ' is' : 's are'} not a PNG, JPEG, GIF, BMP or WebP image: ${shown}${unreadable.length > listed ? ` and ${unreadable.length - listed} more` : ''}`);
  }
  const count = images.length;
  return {
    width: { min: width.min, max: width.max, mean: width.sum / count },
    height: { min: height.min, max: height.max, mean: height.sum / count },
    formats: [...formats].map(([value, n]) => ({ value, count: n })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
  };
}
