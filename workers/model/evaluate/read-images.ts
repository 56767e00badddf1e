/**
 * Feeding an image model from an image-folder version: each labelled image decoded and resized
 * exactly as training did (load-images.ts `decode`, with the size and colour from the model's
 * `trainyard.image` metadata), as raw 0–255 CHW floats — the model normalizes them itself. Images
 * are decoded batch by batch, so only one batch of pixels is in memory at a time.
 */
import { Tensor } from 'onnxruntime-node';
import type { DataSource } from '../../../shared/datasets';
import { invalid } from '../../../shared/errors';
import { type Duck, sqlIdentifier } from '../../data/duckdb';
import { pathColumns } from '../../data/ingest/images';
import { relationSql } from '../../data/source-sql';
import { IMAGE_INPUT } from '../../trainer/export/image-export';
import { decode } from '../../trainer/data/load-images';
import { checkKnownLabels } from './metrics';
import type { EvaluatedModel, ImageSettings } from './model-io';
import { type BatchSource, describeColumns, missingColumns } from './read-table';

/** Images scored at once (64 × 3 × 224 × 224 floats ≈ 38 MB). */
export const IMAGE_BATCH_ROWS = 64;
/** Images decoded concurrently: enough to keep libvips' threads busy. */
const IN_FLIGHT = 4;

export async function imageBatches(duck: Duck, source: DataSource, target: string, model: EvaluatedModel, batchRows = IMAGE_BATCH_ROWS): Promise<BatchSource> {
  const settings = model.image!;
  if (model.kind.task !== 'classification') throw invalid('An image model must be a classifier to be evaluated on an image folder.');
  const classes = model.kind.classes;
  const columns = await describeColumns(duck, source);
  if (!columns.has(target)) missingColumns([target], "the target, in the images' labels file", columns.keys());
  const pathColumn = [...columns.keys()].find((name) => pathColumns.includes(name.trim().toLowerCase())) ?? missingColumns([pathColumns.join(' / ')], 'the image paths', columns.keys());
  if (pathColumn === target) throw invalid(`The target ${JSON.stringify(target)} is the image path column; name the label column.`);

  // The same normalization as loadImages: trimmed labels, relpaths with forward slashes and no leading "./".
  const rows = await duck.all(
    `SELECT regexp_replace(replace(trim(CAST(${sqlIdentifier(pathColumn)} AS VARCHAR)), '\\', '/'), '^(\\./)+', '') AS relpath,
            trim(CAST(${sqlIdentifier(target)} AS VARCHAR)) AS label
     FROM ${relationSql(source)} WHERE ${sqlIdentifier(pathColumn)} IS NOT NULL ORDER BY relpath`,
  );
  const labelled = rows.filter((row) => row.label !== null && row.label !== '');
  const files = new Map((source.images ?? []).map((image) => [image.relpath.replace(/\\/g, '/'), image.file]));
  const entries = labelled.map((row) => {
    const relpath = String(row.relpath);
    const file = files.get(relpath);
    if (file === undefined) throw invalid(`The labels file names ${relpath}, which is not in the image folder.`);
    return { relpath, file, label: String(row.label) };
  });
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.label, (counts.get(entry.label) ?? 0) + 1);
  checkKnownLabels(counts, classes);
  const classIndex = new Map(classes.map((name, i) => [name, i]));
  const skipped = rows.length - labelled.length;

  return {
    rows: entries.length,
    skipped: skipped > 0 ? { rows: skipped, reason: `no label in ${JSON.stringify(target)}` } : null,
    async *batches() {
      for (let start = 0; start < entries.length; start += batchRows) {
        const batch = entries.slice(start, start + batchRows);
        const pixels = await decodeBatch(batch, settings);
        const channels = settings.colour === 'rgb' ? 3 : 1;
        yield {
          feeds: { [IMAGE_INPUT]: new Tensor('float32', pixels, [batch.length, channels, settings.height, settings.width]) },
          truth: Float64Array.from(batch, (entry) => classIndex.get(entry.label)!),
        };
      }
    },
  };
}

/** The batch's images as one [n, C, H, W] block of raw pixel values. */
async function decodeBatch(batch: readonly { relpath: string; file: string }[], settings: ImageSettings): Promise<Float32Array> {
  const channels = settings.colour === 'rgb' ? 3 : 1;
  const area = settings.width * settings.height;
  const size = channels * area;
  const out = new Float32Array(batch.length * size);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batch.length) {
      const i = next++;
      const entry = batch[i]!;
      let hwc: Buffer;
      try {
        hwc = await decode(entry.file, { width: settings.width, height: settings.height, channels: settings.colour }, channels);
      } catch (error) {
        throw invalid(`Cannot read the image ${entry.relpath}: ${error instanceof Error ? error.message : String(error)}`);
      }
      // HWC bytes → CHW floats, as training laid them out.
      const row = out.subarray(i * size, (i + 1) * size);
      for (let p = 0; p < area; p++) for (let c = 0; c < channels; c++) row[c * area + p] = hwc[p * channels + c]!;
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, batch.length) }, worker));
  return out;
}
