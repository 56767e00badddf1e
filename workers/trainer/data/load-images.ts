/**
 * An image-folder dataset version as the trainer needs it: every image decoded, resized and laid
 * out as one row of C·H·W pixel values (channel-major, like PyTorch's CHW tensors), with its class
 * from the labels file. Decoding and resizing are sharp's (libvips): the same library and the same
 * settings the exported model's documentation tells a caller to use.
 */
import sharp from 'sharp';
import type { DataSource } from '../../../shared/datasets';
import { WorkbenchError } from '../../../shared/errors';
import { type Duck, sqlIdentifier } from '../../data/duckdb';
import { relationSql } from '../../data/source-sql';
import { labelColumns, pathColumns } from '../../data/ingest/images';

export interface ImageOptions {
  /** The labels file's column with each image's class; its best-known name (label, class, target) when omitted. */
  readonly target?: string;
  readonly width: number;
  readonly height: number;
  readonly channels: 'rgb' | 'grayscale';
}

export interface ImageTable {
  readonly rows: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  /** rows × C·H·W raw pixel values in [0, 255], row-major, CHW within a row. */
  readonly pixels: Float32Array;
  readonly labels: BigInt64Array;
  readonly classes: readonly string[];
  readonly relpaths: readonly string[];
}

const fail = (message: string): never => {
  throw new WorkbenchError('INVALID_ARGUMENT', message);
};

/** Images decoded at once: enough to keep libvips' threads busy, few enough to bound memory. */
const inFlight = 4;

export async function loadImages(duck: Duck, source: DataSource, options: ImageOptions, onProgress?: (done: number, total: number) => void): Promise<ImageTable> {
  const labelsFile = source.files[0] ?? fail('The image dataset has no labels file.');
  const columns = (await duck.all(`DESCRIBE SELECT * FROM ${relationSql(source)}`)).map((row) => String(row.column_name));
  const pick = (names: readonly string[]): string | undefined => columns.find((name) => names.includes(name.trim().toLowerCase()));
  const pathColumn = pick(pathColumns) ?? fail(`${labelsFile} has no image path column (${pathColumns.join(', ')})`);
  const labelColumn = options.target
    ? (columns.find((name) => name === options.target) ?? fail(`Unknown target column '${options.target}'; the labels file has ${columns.join(', ')}.`))
    : (pick(labelColumns) ?? fail(`${labelsFile} has no label column (${labelColumns.join(', ')})`));
  if (labelColumn === pathColumn) fail(`The target '${labelColumn}' is the image path column; name the label column.`);
  const rows = await duck.all(
    `SELECT regexp_replace(replace(trim(CAST(${sqlIdentifier(pathColumn)} AS VARCHAR)), '\\', '/'), '^(\\./)+', '') AS relpath,
            trim(CAST(${sqlIdentifier(labelColumn)} AS VARCHAR)) AS label
     FROM ${relationSql(source)} WHERE ${sqlIdentifier(pathColumn)} IS NOT NULL ORDER BY relpath`,
  );
  const files = new Map((source.images ?? []).map((image) => [image.relpath.replace(/\\/g, '/'), image.file]));
  const entries = rows.map((row) => {
    const relpath = String(row.relpath);
    const file = files.get(relpath) ?? fail(`${labelsFile} names ${relpath}, which is not in the image folder`);
    return { relpath, file, label: String(row.label ?? '') };
  });
  if (entries.length === 0) fail('The image dataset has no labelled images.');
  const classes = [...new Set(entries.map((entry) => entry.label))].sort();
  if (classes.length < 2) fail(`Every image has the label '${classes[0]}'; a classifier needs at least two classes.`);
  const index = new Map(classes.map((label, i) => [label, BigInt(i)]));

  const channels = options.channels === 'rgb' ? 3 : 1;
  const size = channels * options.height * options.width;
  const pixels = new Float32Array(entries.length * size);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const i = next++;
      const entry = entries[i]!;
      const data = await decode(entry.file, options, channels).catch((error: unknown) => fail(`Cannot read the image ${entry.relpath}: ${error instanceof Error ? error.message : String(error)}`));
      toChw(data, channels, options.height * options.width, pixels.subarray(i * size, (i + 1) * size));
      onProgress?.(++done, entries.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, entries.length) }, worker));
  return {
    rows: entries.length,
    channels,
    height: options.height,
    width: options.width,
    pixels,
    labels: BigInt64Array.from(entries, (entry) => index.get(entry.label)!),
    classes,
    relpaths: entries.map((entry) => entry.relpath),
  };
}

/**
 * Decoded, EXIF-rotated, stretched to exactly width × height (torchvision's Resize((h, w))), alpha
 * flattened onto black, as 8-bit sRGB or luminance: interleaved HWC bytes.
 */
export async function decode(file: string, options: ImageOptions, channels: number): Promise<Buffer> {
  let image = sharp(file, { failOn: 'error' }).rotate().resize(options.width, options.height, { fit: 'fill' }).removeAlpha();
  image = channels === 1 ? image.grayscale() : image.toColourspace('srgb');
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels || info.width !== options.width || info.height !== options.height) {
    throw new Error(`decoded to ${info.width}×${info.height}×${info.channels}, expected ${options.width}×${options.height}×${channels}`);
  }
  return data;
}

/** HWC bytes → CHW floats. */
function toChw(hwc: Uint8Array, channels: number, area: number, out: Float32Array): void {
  for (let p = 0; p < area; p++) {
    for (let c = 0; c < channels; c++) out[c * area + p] = hwc[p * channels + c]!;
  }
}

/** Per-channel mean and (population) standard deviation of [0, 1]-scaled pixels over the given rows. */
export function channelStats(table: ImageTable, rows: ArrayLike<number>): { mean: number[]; std: number[] } {
  const area = table.height * table.width;
  const size = table.channels * area;
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < table.channels; c++) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < rows.length; i++) {
      const base = rows[i]! * size + c * area;
      for (let p = 0; p < area; p++) {
        const v = table.pixels[base + p]! / 255;
        sum += v;
        squares += v * v;
      }
    }
    const n = rows.length * area;
    const m = sum / n;
    mean.push(m);
    // A constant channel would divide by zero: treat its spread as 1, as the scale step does.
    const s = Math.sqrt(Math.max(0, squares / n - m * m));
    std.push(s > 1e-6 ? s : 1);
  }
  return { mean, std };
}

/** The raw pixels of the given rows, in that order. */
export function pixelRows(table: ImageTable, rows: ArrayLike<number>): Float32Array {
  const size = table.channels * table.height * table.width;
  const out = new Float32Array(rows.length * size);
  for (let i = 0; i < rows.length; i++) out.set(table.pixels.subarray(rows[i]! * size, (rows[i]! + 1) * size), i * size);
  return out;
}

/** (pixel / 255 − mean) / std per channel, in float32, as the exported graph computes it: x·scale − shift. */
export function normalize(pixels: Float32Array, table: ImageTable, stats: { mean: readonly number[]; std: readonly number[] }): Float32Array {
  const area = table.height * table.width;
  const size = table.channels * area;
  const out = new Float32Array(pixels.length);
  for (let r = 0; r < pixels.length / size; r++) {
    for (let c = 0; c < table.channels; c++) {
      const scale = Math.fround(1 / (255 * stats.std[c]!));
      const shift = Math.fround(stats.mean[c]! / stats.std[c]!);
      const base = r * size + c * area;
      for (let p = 0; p < area; p++) out[base + p] = Math.fround(Math.fround(pixels[base + p]! * scale) - shift);
    }
  }
  return out;
}
