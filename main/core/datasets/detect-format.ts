import { extname } from 'node:path';
import { invalid } from '../../../shared/errors';
import type { DatasetFormat } from '../../../shared/datasets';

const tabularFormats: Record<string, DatasetFormat> = {
  '.csv': 'csv', '.tsv': 'csv', '.txt': 'csv',
  '.parquet': 'parquet', '.pq': 'parquet',
  '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'jsonl',
};
const imageExtensions = new Set(['.png', '.jpg', '.jpeg', '.gif', '.bmp', '.webp']);

export interface DetectedLayout {
  readonly format: DatasetFormat;
  /** Relpaths of the files read as a table (for images: the labels file). */
  readonly tabular: string[];
  readonly images: string[];
  /** Files versioned with the data but not read (a README, say). */
  readonly ignored: string[];
  readonly tsv: boolean;
}

/**
 * What kind of dataset a set of files is: one tabular format (several files of it are one table),
 * or an image folder with its labels CSV. Mixed tabular formats are refused with the list.
 */
export function detectLayout(relpaths: readonly string[]): DetectedLayout {
  const byFormat = new Map<DatasetFormat, string[]>();
  const images: string[] = [];
  const ignored: string[] = [];
  for (const relpath of relpaths) {
    const extension = extname(relpath).toLowerCase();
    const format = tabularFormats[extension];
    if (format) byFormat.set(format, [...(byFormat.get(format) ?? []), relpath]);
    else if (imageExtensions.has(extension)) images.push(relpath);
    else ignored.push(relpath);
  }
  if (images.length > 0) {
    const csvs = byFormat.get('csv') ?? [];
    if (csvs.length !== 1 || byFormat.size > 1) {
      throw invalid(
        csvs.length === 0
          ? `This folder has ${images.length} images but no labels file: add a CSV with a file name and a label per image (e.g. labels.csv with columns filename,label).`
          : `An image folder needs exactly one labels CSV; found ${[...byFormat.values()].flat().join(', ')}.`,
      );
    }
    return { format: 'images', tabular: csvs, images, ignored, tsv: false };
  }
  const archives = ignored.filter((relpath) => /\.(zip|tar|tgz|gz|bz2|xz|7z|rar)$/i.test(relpath));
  if (byFormat.size === 0 && archives.length > 0) {
    throw invalid(`Archives are not imported as they are (${archives.slice(0, 3).join(', ')}): extract them and drop the folder, so every file is versioned on its own.`);
  }
  if (byFormat.size === 0) {
    throw invalid(`No data files found (CSV, TSV, Parquet, JSON lines, or images with a labels CSV); got ${relpaths.slice(0, 5).join(', ')}${relpaths.length > 5 ? ', …' : ''}.`);
  }
  if (byFormat.size > 1) {
    const listing = [...byFormat].map(([format, files]) => `${format}: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}`).join('; ');
    throw invalid(`A dataset version is one table, but these files have different formats (${listing}). Import them as separate datasets.`);
  }
  const [format, tabular] = [...byFormat][0]!;
  return { format, tabular, images, ignored, tsv: tabular.every((file) => file.toLowerCase().endsWith('.tsv')) };
}
