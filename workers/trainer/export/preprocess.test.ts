/**
 * Baked preprocessing against the real thing: a raw CSV goes through the data worker's transform
 * (DuckDB: impute, scale standard and minmax, one-hot of text and of numbers, ordinal, rename, cast,
 * drop), the trainer loads the result and trains on it, and the exported model fed the RAW rows
 * must give the same predictions as the training graph fed the transformed rows. Then the
 * documented edge cases: unknown categories, missing values, steps that cannot be baked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FittedStep, TransformStep } from '../../../shared/transforms';
import { relationSql } from '../../data/source-sql';
import { transform } from '../../data/transform/index';
import { type Fixture, openFixture } from '../../data/transform/test-fixtures';
import { loadTable, type TrainingTable } from '../data/load-table';
import { initParameters } from '../model/init';
import { Prng } from '../model/prng';
import { type ResolvedModelSpec, paramLayout, resolveModelSpec } from '../model/spec';
import { train } from '../train/train';
import { exportModel } from './export';
import { NotBakeableError, type Preprocessing, type PreprocessingStep } from './types';
import { type RawColumns, runExported, trainingPredictions, verifyExport } from './verify';

type Cell = number | string | boolean | null;
const ROWS = 160;
const cities = ['Paris', 'Oslo', 'Rome', 'New York'];
const sizes = ['S', 'M', 'L'];

/** Raw columns, missing values as null (an empty CSV cell, which DuckDB reads as NULL). */
function rawData(): Record<string, Cell[]> {
  const prng = new Prng(42);
  const columns: Record<string, Cell[]> = { id: [], income: [], age: [], rooms: [], city: [], size: [], flag: [], y: [] };
  for (let r = 0; r < ROWS; r++) {
    const income = Math.round(prng.uniform(20, 120) * 100) / 100;
    const age = 18 + prng.nextInt(60);
    const rooms = 1 + prng.nextInt(4);
    const city = cities[prng.nextInt(4)]!;
    const size = sizes[prng.nextInt(3)]!;
    const score = income / 40 + rooms / 2 + (city === 'Oslo' ? 1 : 0) + sizes.indexOf(size) / 2 + prng.uniform(-0.5, 0.5);
    columns.id!.push(r);
    columns.income!.push(prng.nextFloat() < 0.12 ? null : income);
    columns.age!.push(age);
    columns.rooms!.push(rooms);
    columns.city!.push(prng.nextFloat() < 0.1 ? null : city);
    columns.size!.push(size);
    columns.flag!.push(prng.nextFloat() < 0.5);
    columns.y!.push(score < 3 ? 'low' : score < 4.2 ? 'mid' : 'high');
  }
  return columns;
}

const steps: TransformStep[] = [
  { op: 'drop', columns: ['id'] },
  { op: 'impute', columns: ['income'], strategy: 'mean' },
  { op: 'impute', columns: ['city'], strategy: 'mode' },
  { op: 'scale', columns: ['income'], method: 'standard' },
  { op: 'scale', columns: ['age'], method: 'minmax' },
  { op: 'rename', mapping: { age: 'age_scaled' } },
  { op: 'encode', columns: ['city', 'rooms'], method: 'onehot' },
  { op: 'encode', columns: ['size'], method: 'ordinal' },
  { op: 'cast', types: { flag: 'float' } },
];
// Not the table's column order, so the graph has to pick the columns (Gather), not just concatenate.
const features = ['flag', 'size', 'city_Paris', 'income', 'rooms_2', 'city_New_York', 'age_scaled', 'rooms_1', 'city_Oslo', 'rooms_3', 'rooms_4', 'city_Rome'];

let fixture: Fixture;
let raw: Record<string, Cell[]>;
let table: TrainingTable;
let fitted: (FittedStep | null)[];
let preprocessing: Preprocessing;
let spec: ResolvedModelSpec;
let theta: Float32Array;
let onnx: Uint8Array;
let classes: readonly string[];

beforeAll(async () => {
  fixture = await openFixture();
  raw = rawData();
  const names = Object.keys(raw);
  const csv = [names.join(','), ...raw.id!.map((_, r) => names.map((name) => raw[name]![r] ?? '').join(','))].join('\n');
  const source = await fixture.csv(`${csv}\n`);
  const result = await transform(fixture.duck, source, steps, fixture.outDir());
  fitted = result.fitted;
  table = await loadTable(fixture.duck, { format: 'parquet', files: [result.outputs[0]!.file] }, { target: 'y', features });
  if (table.target.kind !== 'classes') throw new Error('expected classes');
  classes = table.target.classes;
  const schema = await fixture.duck.all(`DESCRIBE SELECT * FROM ${relationSql(source)}`);
  preprocessing = { columns: schema.map((row) => ({ name: String(row.column_name), type: String(row.column_type) })), steps: steps.map((step, i) => ({ step, fitted: fitted[i]! })) };
  spec = resolveModelSpec({ task: 'classification', inputs: features.length, hidden: [16], classes: classes.length });
  const trained = await train({ model: { task: 'classification', inputs: features.length, hidden: [16], classes: classes.length }, optimizer: { kind: 'adam', lr: 0.01 }, epochs: 15, batchSize: 32, seed: 1 }, { x: table.features, y: table.target.labels });
  theta = trained.final.theta;
  onnx = exportModel({ spec, theta, featureNames: features, classes, preprocessing }).onnx;
});
afterAll(async () => fixture.close());

/** The training table's feature row `r`, with some features replaced. */
function featureRow(r: number, changes: Readonly<Record<string, number>> = {}): number[] {
  return features.map((name, c) => changes[name] ?? table.features[r * features.length + c]!);
}

describe('preprocessing baked into the exported model', () => {
  it('the exported model on RAW rows predicts what the trained model predicts on the transformed rows', async () => {
    expect(preprocessing.columns.map((c) => c.type)).toEqual(['BIGINT', 'DOUBLE', 'BIGINT', 'BIGINT', 'VARCHAR', 'VARCHAR', 'BOOLEAN', 'VARCHAR']);
    const exported = exportModel({ spec, theta, featureNames: features, classes, preprocessing });
    // Only the raw columns the features need are inputs (not id, not the target), in file order.
    expect(exported.signature.inputs).toEqual([
      { name: 'income', type: 'double' },
      { name: 'age', type: 'double' },
      { name: 'rooms', type: 'double' },
      { name: 'city', type: 'string' },
      { name: 'size', type: 'string' },
      { name: 'flag', type: 'boolean' },
    ]);
    const expected = await trainingPredictions(spec, theta, table.features, classes);
    const verdict = await verifyExport(exported.onnx, raw, expected);
    expect(verdict).toEqual({ ok: true, rows: ROWS, maxAbsDiff: 0 });
    // The model learned something, so equal predictions are not equal constants.
    expect(new Set(expected.labels)).toEqual(new Set(classes));
  });

  it('a final split step changes nothing (it only partitions rows)', async () => {
    const split: PreprocessingStep = { step: { op: 'split', fractions: { train: 0.8, test: 0.2 }, seed: 42 }, fitted: null };
    const withSplit = exportModel({ spec, theta, featureNames: features, classes, preprocessing: { ...preprocessing, steps: [...preprocessing.steps, split] } });
    expect(await runExported(withSplit.onnx, raw)).toEqual(await runExported(onnx, raw));
  });

  it('unknown categories and missing values follow the transform: one-hot zeros, the imputed fill, NaN where nothing fills', async () => {
    const r = raw.city!.findIndex((city, i) => city !== null && raw.income![i] !== null);
    const imputeIncome = fitted[1] as Extract<FittedStep, { op: 'impute' }>;
    const scaleIncome = fitted[3] as Extract<FittedStep, { op: 'scale' }>;
    const mode = (fitted[2] as Extract<FittedStep, { op: 'impute' }>).values.city as string;
    const { center, scale } = scaleIncome.columns.income!;
    const cityZeros = { city_Paris: 0, city_New_York: 0, city_Oslo: 0, city_Rome: 0 };
    const roomZeros = { rooms_1: 0, rooms_2: 0, rooms_3: 0, rooms_4: 0 };
    const cases: [string, Record<string, Cell>, number[]][] = [
      ['as trained', {}, featureRow(r)],
      ['unknown city (one-hot: all zeros, as DuckDB gives)', { city: 'Tokyo' }, featureRow(r, cityZeros)],
      ['missing city ("" or null: the imputed mode)', { city: '' }, featureRow(r, { ...cityZeros, [`city_${mode.replace(/ /g, '_')}`]: 1 })],
      // What onnxruntime's Python binding makes of pandas' None and NaN in a text column.
      ['missing city from pandas (None)', { city: 'None' }, featureRow(r, { ...cityZeros, [`city_${mode.replace(/ /g, '_')}`]: 1 })],
      ['missing city from pandas (NaN)', { city: 'nan' }, featureRow(r, { ...cityZeros, [`city_${mode.replace(/ /g, '_')}`]: 1 })],
      ['missing income (NaN: the imputed mean, then scaled)', { income: Number.NaN }, featureRow(r, { income: Math.fround(((imputeIncome.values.income as number) - center) / scale) })],
      ['unknown number of rooms (numeric one-hot: all zeros)', { rooms: 7 }, featureRow(r, roomZeros)],
      ['unknown size (ordinal: NaN, like the NULL DuckDB gives)', { size: 'XL' }, featureRow(r, { size: Number.NaN })],
      ['missing age (not imputed: NaN flows through)', { age: null }, featureRow(r, { age_scaled: Number.NaN })],
    ];
    const batch: Record<string, Cell[]> = Object.fromEntries(Object.keys(raw).map((name) => [name, cases.map(([, change]) => (name in change ? change[name]! : raw[name]![r]!))]));
    const expected = await trainingPredictions(spec, theta, Float32Array.from(cases.flatMap(([, , row]) => row)), classes);
    const verdict = await verifyExport(onnx, batch as RawColumns, expected);
    expect(verdict.ok ? 'ok' : verdict.message).toBe('ok');
    const got = await runExported(onnx, batch as RawColumns);
    const probabilityRow = (i: number) => Array.from(got.probabilities!.subarray(i * classes.length, (i + 1) * classes.length));
    expect(probabilityRow(7).every(Number.isNaN)).toBe(true);
    expect(probabilityRow(8).every(Number.isNaN)).toBe(true);
    for (const i of [0, 1, 2, 3, 4, 5, 6]) expect(probabilityRow(i).every(Number.isFinite)).toBe(true);
    // The imputed rows are not the unknown-city row: the fill is really applied.
    expect(probabilityRow(2)).toEqual(probabilityRow(3));
    expect(probabilityRow(2)).not.toEqual(probabilityRow(1));
  });
});

describe('steps that cannot be baked', () => {
  const oneFeature = resolveModelSpec({ task: 'regression', inputs: 1 });
  const w = initParameters(paramLayout(oneFeature), 4);
  const columns = [
    { name: 'x', type: 'DOUBLE' },
    { name: 's', type: 'VARCHAR' },
    { name: 'd', type: 'DATE' },
  ];
  const scaleX: PreprocessingStep = { step: { op: 'scale', columns: ['x'], method: 'standard' }, fitted: { op: 'scale', method: 'standard', columns: { x: { center: 2, scale: 4 } } } };
  const bake = (stepList: readonly PreprocessingStep[], feature = 'x') => () => exportModel({ spec: oneFeature, theta: w, featureNames: [feature], preprocessing: { columns, steps: stepList } });
  const error = (run: () => unknown): NotBakeableError => {
    try {
      run();
    } catch (caught) {
      if (caught instanceof NotBakeableError) return caught;
      throw caught;
    }
    throw new Error('expected a NotBakeableError');
  };

  it('a filter is refused wherever it is, naming the step', () => {
    const e = error(bake([scaleX, { step: { op: 'filter', where: 'x > 0' }, fitted: null }]));
    expect(e.message).toMatch(/step 2 \(filter\): a filter decides which rows exist/);
    expect([e.stepIndex, e.code]).toEqual([1, 'INVALID_ARGUMENT']);
  });

  it('derive and casts other than to float fail only when a feature depends on them', async () => {
    expect(error(bake([{ step: { op: 'derive', column: 'x', expression: 'x * 2' }, fitted: null }])).message).toMatch(/step 1 \(derive\): the expression "x \* 2" that makes "x" is DuckDB SQL/);
    expect(error(bake([{ step: { op: 'cast', types: { x: 'integer' } }, fitted: null }, scaleX])).message).toMatch(/step 1 \(cast\): casting "x" to integer/);
    const unused = bake([{ step: { op: 'derive', column: 'w', expression: 'x + 1' }, fitted: null }, { step: { op: 'cast', types: { s: 'float', x: 'float' } }, fitted: null }, scaleX])();
    // The derived column and the text column are not features: only x is an input, scaled as the transform defines it.
    expect(unused.signature.inputs).toEqual([{ name: 'x', type: 'double' }]);
    const got = await runExported(unused.onnx, { x: [1, 10, Number.NaN] });
    const want = await trainingPredictions(oneFeature, w, Float32Array.from([1, 10, Number.NaN], (x) => (x - 2) / 4));
    expect(got.predictions).toEqual(want.predictions);
  });

  it('raw types an input cannot take, text never encoded, missing fitted records and unknown columns', () => {
    expect(error(bake([], 'd')).message).toMatch(/raw column "d" has type DATE, which an exported model cannot take as input/);
    expect(error(bake([], 's')).message).toMatch(/the feature "s" is still text after the steps/);
    expect(error(bake([{ step: scaleX.step, fitted: null }])).message).toMatch(/step 1 \(scale\): its fitted statistics are missing \(got none\)/);
    expect(error(bake([{ step: { op: 'drop', columns: ['nope'] }, fitted: null }])).message).toMatch(/step 1 \(drop\): unknown column "nope"; the columns at this point are "x", "s", "d"/);
    expect(error(bake([{ step: { op: 'drop', columns: ['x'] }, fitted: null }])).message).toMatch(/the feature "x" is not a column after the steps; they leave "s", "d"/);
  });
});
