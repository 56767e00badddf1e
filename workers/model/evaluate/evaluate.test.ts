/**
 * `evaluateModel` on real exported models (a softmax regression trained on Iris, a random
 * regressor, a random CNN) over real files read by DuckDB, with onnxruntime CPU: its metrics are
 * the ones metrics.ts computes on the predictions the exported model gives for the same rows,
 * batching changes nothing, and missing columns or unknown classes fail with messages that name them.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from '../../../shared/datasets';
import { type EvaluationResult, evaluationResultSchema, modelTaskSchema } from '../../../shared/models';
import { Duck } from '../../data/duckdb';
import { loadImages } from '../../trainer/data/load-images';
import { exportModel } from '../../trainer/export/export';
import { exportImageModel } from '../../trainer/export/image-export';
import { runExported } from '../../trainer/export/verify';
import { initParameters } from '../../trainer/model/init';
import { paramLayout, resolveModelSpec } from '../../trainer/model/spec';
import { IRIS_SPECIES, readIris } from '../../trainer/train/test-data';
import { train } from '../../trainer/train/train';
import { evaluateModel } from './evaluate';
import { labelIndices } from './metrics';
import { type ClassificationReport, classificationReport, regressionReport } from './report';

const irisCsv = fileURLToPath(new URL('../../trainer/train/fixtures/iris.csv', import.meta.url));
const features = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const classes = [...IRIS_SPECIES];

let dir: string;
let irisModel: string;
let irisOnnx: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trainyard-evaluate-test-'));
  const result = await train({ model: { task: 'classification', inputs: 4, hidden: [], classes: 3 }, optimizer: { kind: 'adam', lr: 0.05 }, epochs: 30, batchSize: 16, seed: 1936 }, readIris());
  const spec = resolveModelSpec({ task: 'classification', inputs: 4, hidden: [], classes: 3 });
  irisOnnx = exportModel({ spec, theta: result.final.theta, featureNames: features, classes }).onnx;
  irisModel = join(dir, 'iris.onnx');
  await writeFile(irisModel, irisOnnx);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A CSV's cells by column (a naive split: the fixtures have no quoted commas). */
function csvColumns(text: string): Record<string, string[]> {
  const [header, ...lines] = text.trim().split('\n');
  const names = header!.split(',');
  const rows = lines.map((line) => line.split(','));
  return Object.fromEntries(names.map((name, c) => [name, rows.map((row) => row[c]!)]));
}

function expectMetricsClose(actual: Record<string, number>, expected: Record<string, number>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) expect(actual[key], key).toBeCloseTo(value, 12);
}

/** What metrics.ts makes of the exported model's own predictions on the iris rows. */
async function irisReference(): Promise<ClassificationReport> {
  const columns = csvColumns(await readFile(irisCsv, 'utf8'));
  const predictions = await runExported(irisOnnx, Object.fromEntries(features.map((name) => [name, columns[name]!.map(Number)])));
  return classificationReport({ classes, truth: labelIndices(columns.species!, classes), predicted: labelIndices(predictions.labels!, classes), probabilities: predictions.probabilities! });
}

describe('a classifier', () => {
  const source: DataSource = { format: 'csv', files: [irisCsv] };

  it('gives the metrics metrics.ts computes on the exported model’s predictions, in batches, with progress', async () => {
    const progress: [number, number | null, string | undefined][] = [];
    const result = await evaluateModel({ file: irisModel, source, target: 'species', batchRows: 64 }, { progress: (done, total, message) => progress.push([done, total, message]) });
    const expected = await irisReference();
    expect(result.task).toBe('classification');
    expect(result.rows).toBe(150);
    expect(result.skippedRows).toBe(0);
    expect(result.classes).toEqual(classes);
    expectMetricsClose(result.metrics, expected.metrics);
    expect(result.metrics.accuracy).toBeGreaterThan(0.9);
    expect(result.plots.map((plot) => plot.name)).toEqual(['confusion_matrix', 'roc', 'pr', 'calibration']);
    expect(result.plots[0]!.data).toEqual(expected.confusion);
    expect(result.plots.every((plot) => plot.svg.startsWith('<svg') && plot.svg.endsWith('</svg>'))).toBe(true);
    expect(progress).toEqual([0, 64, 128, 150].map((done) => [done, 150, 'scoring rows']));
    expect(evaluationResultSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(JSON.parse(JSON.stringify(result)));
  });

  it('in one batch gives the same numbers', async () => {
    const batched = await evaluateModel({ file: irisModel, source, target: 'species', batchRows: 7 });
    const whole = await evaluateModel({ file: irisModel, source, target: 'species' });
    expectMetricsClose(whole.metrics, batched.metrics);
  });

  it('names a model input the data lacks, and lists the columns it has', async () => {
    const file = join(dir, 'no-petal-width.csv');
    const columns = csvColumns(await readFile(irisCsv, 'utf8'));
    await writeFile(file, ['sepal_length,sepal_width,petal_length,species', ...columns.species!.map((species, r) => `${columns.sepal_length![r]},${columns.sepal_width![r]},${columns.petal_length![r]},${species}`)].join('\n'));
    await expect(evaluateModel({ file: irisModel, source: { format: 'csv', files: [file] }, target: 'species' })).rejects.toThrow(
      'The dataset has no column "petal_width" (a model input); its columns are "sepal_length", "sepal_width", "petal_length", "species".',
    );
  });

  it('names a missing target column', async () => {
    await expect(evaluateModel({ file: irisModel, source, target: 'Species' })).rejects.toThrow('The dataset has no column "Species" (the target); its columns are "sepal_length", "sepal_width", "petal_length", "petal_width", "species".');
  });

  it('refuses target values the model has no class for, and leaves out rows without a target', async () => {
    const text = await readFile(irisCsv, 'utf8');
    const unknown = join(dir, 'unknown-class.csv');
    await writeFile(unknown, `${text.trim()}\n5.0,3.0,1.5,0.2,iris-x\n`);
    await expect(evaluateModel({ file: irisModel, source: { format: 'csv', files: [unknown] }, target: 'species' })).rejects.toThrow('The target has values the model has no class for: "iris-x" (1 row). The model\'s classes are "setosa", "versicolor", "virginica".');

    const missing = join(dir, 'missing-target.csv');
    await writeFile(missing, `${text.trim()}\n5.0,3.0,1.5,0.2,\n`);
    const result = await evaluateModel({ file: irisModel, source: { format: 'csv', files: [missing] }, target: 'species' });
    expect([result.rows, result.skippedRows]).toEqual([150, 1]);
    expect(result.notes).toContain('1 row(s) with no value in the target "species" were left out.');
    expectMetricsClose(result.metrics, (await irisReference()).metrics);
  });

  it('refuses a file that is not a model it can evaluate', async () => {
    await expect(evaluateModel({ file: join(dir, 'nope.onnx'), source, target: 'species' })).rejects.toThrow(/no such file/);
    const garbage = join(dir, 'garbage.onnx');
    await writeFile(garbage, 'not a model at all');
    await expect(evaluateModel({ file: garbage, source, target: 'species' })).rejects.toThrow(/garbage\.onnx is not an ONNX model|garbage\.onnx has the outputs/);
  });
});

describe('a regressor', () => {
  it('gives RMSE, MAE, R², max error of its predictions, leaving out rows with no target or a NaN prediction', async () => {
    const spec = resolveModelSpec({ task: 'regression', inputs: 2, hidden: [4] });
    const onnx = exportModel({ spec, theta: initParameters(paramLayout(spec), 5), featureNames: ['x1', 'x2'] }).onnx;
    const model = join(dir, 'regressor.onnx');
    await writeFile(model, onnx);
    const x1 = Array.from({ length: 60 }, (_, i) => Math.sin(i) * 2);
    const x2 = Array.from({ length: 60 }, (_, i) => (i % 7) - 3);
    const y = x1.map((a, i) => a * 0.5 - x2[i]! + Math.cos(i));
    const csv = join(dir, 'regression.csv');
    // Row 60 has no target; row 61 lacks x1, which nothing imputes: the model answers NaN.
    await writeFile(csv, ['x1,x2,y', ...y.map((v, i) => `${x1[i]},${x2[i]},${v}`), '0.5,1,', ',2,0.25'].join('\n'));

    const result = await evaluateModel({ file: model, source: { format: 'csv', files: [csv] }, target: 'y', batchRows: 25 });
    const predicted = (await runExported(onnx, { x1, x2 })).predictions!;
    const expected = regressionReport(y, Array.from(predicted));
    expect(result.task).toBe('regression');
    expect([result.rows, result.skippedRows]).toEqual([60, 2]);
    expect(result.notes).toEqual(['1 row(s) with no value in the target "y" were left out.', '1 row(s) were left out: the model returned NaN for them (a missing value in an input its graph does not impute).']);
    expectMetricsClose(result.metrics, expected.metrics);
    expect(Object.keys(result.metrics).sort()).toEqual(['mae', 'max_error', 'r2', 'rmse']);
    expect(result.plots.map((plot) => plot.name)).toEqual(['residuals', 'predicted_vs_actual']);
    expect(result.plots[1]!.data).toEqual(expected.predictedVsActual);
    expect(result.classes).toBeUndefined();
    evaluationResultSchema.parse(result);
  });

  it('feeds a single-input model its [N, 1] column, and refuses a text target', async () => {
    const spec = resolveModelSpec({ task: 'regression', inputs: 1 });
    const onnx = exportModel({ spec, theta: initParameters(paramLayout(spec), 2), featureNames: ['x'] }).onnx;
    const model = join(dir, 'single.onnx');
    await writeFile(model, onnx);
    const csv = join(dir, 'single.csv');
    await writeFile(csv, ['x,y,name', '1,2,a', '2,4,b', '3,5,c'].join('\n'));
    const result = await evaluateModel({ file: model, source: { format: 'csv', files: [csv] }, target: 'y' });
    const predicted = Array.from((await runExported(onnx, { x: [1, 2, 3] })).predictions!);
    expectMetricsClose(result.metrics, regressionReport([2, 4, 5], predicted).metrics);
    await expect(evaluateModel({ file: model, source: { format: 'csv', files: [csv] }, target: 'name' })).rejects.toThrow('The model is a regressor but the target "name" is VARCHAR, not a number.');
  });
});

describe('an image classifier', () => {
  it('decodes the labelled images as training did and scores them', async () => {
    const spec = resolveModelSpec({ task: 'classification', inputs: 3 * 8 * 8, hidden: [], classes: 2, image: { channels: 3, height: 8, width: 8, conv: [{ filters: 2, kernel: 3, pool: 'max' }] } });
    const onnx = exportImageModel({ spec, theta: initParameters(paramLayout(spec), 11), classes: ['blue', 'red'], normalization: { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] }, colour: 'rgb' }).onnx;
    const model = join(dir, 'cnn.onnx');
    await writeFile(model, onnx);
    const images: { relpath: string; file: string }[] = [];
    const lines = ['filename,label'];
    for (let i = 0; i < 10; i++) {
      const red = i % 2 === 0;
      const relpath = `img/${i}.png`;
      const file = join(dir, `image-${i}.png`);
      await sharp({ create: { width: 10 + i, height: 12, channels: 3, background: red ? { r: 200 + i * 5, g: 20 * i, b: 10 } : { r: 10, g: 15 * i, b: 180 + i * 6 } } }).png().toFile(file);
      images.push({ relpath, file });
      lines.push(`${relpath},${red ? 'red' : 'blue'}`);
    }
    lines.push('img/extra.png,');
    const labels = join(dir, 'labels.csv');
    await writeFile(labels, lines.join('\n'));
    images.push({ relpath: 'img/extra.png', file: images[0]!.file });
    const source: DataSource = { format: 'images', files: [labels], images };

    const result: EvaluationResult = await evaluateModel({ file: model, source, target: 'label', batchRows: 4 });
    // The reference: the trainer's own loader (all labelled images, sorted by path) and the exported model run directly.
    const duck = await Duck.open();
    const labelled = { ...source, images: images.slice(0, 10) };
    await writeFile(labels, lines.slice(0, -1).join('\n'));
    const table = await loadImages(duck, labelled, { target: 'label', width: 8, height: 8, channels: 'rgb' }).finally(() => duck.close());
    const predictions = await runExported(onnx, { image: new Tensor('float32', table.pixels, [table.rows, 3, 8, 8]) });
    const expected = classificationReport({ classes: ['blue', 'red'], truth: Array.from(table.labels, Number), predicted: labelIndices(predictions.labels!, ['blue', 'red']), probabilities: predictions.probabilities! });
    expect([result.rows, result.skippedRows]).toEqual([10, 1]);
    expectMetricsClose(result.metrics, expected.metrics);
    expect(result.classes).toEqual(['blue', 'red']);
    await expect(evaluateModel({ file: model, source, target: 'kind' })).rejects.toThrow(`The dataset has no column "kind" (the target, in the images' labels file); its columns are "filename", "label".`);
  });
});

describe('the model task', () => {
  it('accepts an evaluate task with a data source', () => {
    const task = modelTaskSchema.parse({ task: 'evaluate', file: '/m/model.onnx', source: { format: 'csv', files: ['/d/a.csv'] }, target: 'y', threads: 2 });
    expect(task).toMatchObject({ task: 'evaluate', target: 'y', threads: 2 });
    expect(() => modelTaskSchema.parse({ task: 'evaluate', file: '/m/model.onnx', source: { format: 'csv', files: [] }, target: 'y' })).toThrow();
  });
});
