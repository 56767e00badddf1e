/**
 * Training an image classifier on an image-folder dataset version: decode and resize every image
 * (sharp), hold out validation rows with the same seeded split tables use, normalize each channel
 * by statistics of the TRAINING images only, train the CNN, and export it with that normalization
 * baked in, checked on the raw validation images.
 */
import { Tensor } from 'onnxruntime-node';
import type { DataSource } from '../../shared/datasets';
import { invalid } from '../../shared/errors';
import type { TrainingConfig } from '../../shared/training';
import { Duck } from '../data/duckdb';
import type { WorkerContext } from '../runtime';
import { channelStats, loadImages, normalize, pixelRows } from './data/load-images';
import { IMAGE_INPUT, exportImageModel } from './export/image-export';
import { trainingPredictions, verifyExport } from './export/index';
import { resolveModelSpec, type ModelSpec } from './model/index';
import { runTraining, summarize } from './run-training';
import { holdOutRows } from './train/index';

/** Validation images the exported model is checked on. */
const verifyImages = 500;

const defaultConv = [
  { filters: 16, kernel: 3, pool: 'max' as const },
  { filters: 32, kernel: 3, pool: 'max' as const },
];

export interface ImageJob {
  readonly source: DataSource;
  readonly config: TrainingConfig;
  readonly runId?: string | undefined;
}

export async function imageJob({ source, config, runId }: ImageJob, context: WorkerContext): Promise<unknown> {
  if (config.task === 'regression') throw invalid('Image datasets train classifiers; regression on images is not supported.');
  const imageOptions = config.image ?? { width: 32, height: 32, channels: 'rgb' as const };
  const duck = await Duck.open({ threads: config.threads });
  const table = await loadImages(duck, source, { ...imageOptions, target: config.target }, (done, total) => {
    if (done % 64 === 0 || done === total) context.progress(0, null, `decoding images: ${done} of ${total}`);
  }).finally(() => duck.close());
  if (config.validationFraction <= 0) throw invalid('Image training needs a validation fraction above 0 (its images check the exported model).');
  const split = holdOutRows(table.rows, config.validationFraction, config.seed);
  const stats = channelStats(table, split.train);
  const take = (rows: Int32Array) => ({ pixels: pixelRows(table, rows), labels: BigInt64Array.from(rows, (r) => table.labels[r]!) });
  const train = take(split.train);
  const held = take(split.validation);
  const modelSpec: ModelSpec = {
    task: 'classification',
    inputs: table.channels * table.height * table.width,
    hidden: config.model.hidden,
    activation: config.model.activation,
    dropout: config.model.dropout,
    layerNorm: config.model.layerNorm,
    classes: table.classes.length,
    image: { channels: table.channels, height: table.height, width: table.width, conv: config.model.conv ?? defaultConv },
  };
  const heldFeatures = normalize(held.pixels, table, stats);
  const data = { x: normalize(train.pixels, table, stats), y: train.labels, validation: { x: heldFeatures, y: held.labels } };
  const run = await runTraining(context, config, modelSpec, data, split.train.length);

  context.progress(config.epochs, config.epochs, 'exporting the model');
  const spec = resolveModelSpec(modelSpec);
  const theta = (run.result.best ?? run.result.final).theta;
  const exported = exportImageModel({ spec, theta, classes: table.classes, normalization: stats, colour: imageOptions.channels, mlmodel: { ...(runId ? { runId } : {}), artifactPath: 'model' } });
  const rows = Math.min(split.validation.length, verifyImages);
  const size = modelSpec.inputs;
  const raw = new Tensor('float32', held.pixels.slice(0, rows * size), [rows, table.channels, table.height, table.width]);
  const expected = await trainingPredictions(spec, theta, heldFeatures.subarray(0, rows * size), table.classes);
  const verdict = await verifyExport(exported.onnx, { [IMAGE_INPUT]: raw }, expected);
  if (!verdict.ok) throw new Error(`The exported model does not reproduce the training-time predictions on ${rows} validation images: ${verdict.message}`);
  const note = `raw ${table.channels === 3 ? 'RGB' : 'grayscale'} images as float [N, ${table.channels}, ${table.height}, ${table.width}] with 0–255 pixel values (resized to ${table.width}×${table.height}); normalization baked in`;
  return {
    summary: summarize(run, table.rows, [`${IMAGE_INPUT}[${table.channels}×${table.height}×${table.width}]`], table.classes),
    model: { onnx: exported.onnx, mlmodel: exported.mlmodel, files: exported.files, verifiedRows: rows, preprocessing: { baked: true, note } },
  };
}
