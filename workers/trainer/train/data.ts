/**
 * Training data as the graphs want it, checked once up front (a bad value found mid-run would
 * cost a whole epoch and produce a NaN the user cannot trace), plus the epoch plan and the seeded
 * per-epoch permutation that the graphs gather batches by.
 */
import { invalid } from '../../../shared/errors';
import { Prng, deriveSeed, permutation } from '../model/prng';
import type { ResolvedModelSpec } from '../model/spec';
import type { ResolvedTrainConfig } from './config';
import type { LabeledData, TrainData } from './types';

export const SHUFFLE_STREAM = 2;
export const SPLIT_STREAM = 4;

export interface Split {
  readonly x: Float32Array;
  readonly y: BigInt64Array | Float32Array;
  readonly rows: number;
}

export interface PreparedData {
  readonly train: Split;
  readonly validation: Split | null;
}

export function prepareData(config: ResolvedTrainConfig, data: TrainData): PreparedData {
  const model = config.model;
  const all = checkSplit(model, data, 'training');
  let train = all;
  let validation = data.validation ? checkSplit(model, data.validation, 'validation') : null;
  if (!validation && config.validationFraction > 0) [train, validation] = holdOut(model, all, config.validationFraction, config.seed);
  if (model.task === 'classification') checkClasses(train.y as BigInt64Array);
  if (config.batchSize > train.rows) throw invalid(`batch size ${config.batchSize} is larger than the ${train.rows} training rows; use a batch size of at most ${train.rows}`);
  return { train, validation };
}

function checkSplit(model: ResolvedModelSpec, data: LabeledData, label: string): Split {
  const width = model.inputs;
  if (!(data.x instanceof Float32Array)) throw invalid(`${label} features must be a Float32Array`);
  if (data.x.length === 0 || data.x.length % width !== 0) throw invalid(`${label} features hold ${data.x.length} values, not a whole number of rows of ${width} features`);
  const rows = data.x.length / width;
  for (let i = 0; i < data.x.length; i++) {
    const v = data.x[i]!;
    if (!Number.isFinite(v)) throw invalid(`${label} feature ${i % width} of row ${Math.floor(i / width)} is ${v}; impute or drop missing values before training`);
  }
  if (model.task === 'classification') {
    if (!(data.y instanceof BigInt64Array)) throw invalid(`${label} labels must be int64 class indices (a BigInt64Array) for classification`);
    if (data.y.length !== rows) throw invalid(`${label} data has ${rows} rows but ${data.y.length} labels`);
    const classes = BigInt(model.classes);
    for (let i = 0; i < rows; i++) {
      const c = data.y[i]!;
      if (c < 0n || c >= classes) throw invalid(`${label} label ${c} of row ${i} is not a class index in [0, ${model.classes})`);
    }
  } else {
    if (!(data.y instanceof Float32Array)) throw invalid(`${label} targets must be numbers (a Float32Array) for regression`);
    if (data.y.length !== rows * model.headUnits) throw invalid(`${label} data has ${rows} rows but ${data.y.length} targets (expected ${model.headUnits} per row)`);
    for (let i = 0; i < data.y.length; i++) {
      if (!Number.isFinite(data.y[i]!)) throw invalid(`${label} target of row ${Math.floor(i / model.headUnits)} is ${data.y[i]}; regression targets must be finite numbers`);
    }
  }
  return { x: data.x, y: data.y, rows };
}

function checkClasses(labels: BigInt64Array): void {
  const first = labels[0];
  if (labels.every((c) => c === first)) throw invalid(`the training labels hold a single class (${String(first)}); classification needs at least two`);
}

/** A seeded hold-out: the rows the split permutation puts last become the validation set. */
function holdOut(model: ResolvedModelSpec, all: Split, fraction: number, seed: number): [Split, Split] {
  const { train, validation } = holdOutRows(all.rows, fraction, seed);
  return [takeRows(model, all, train), takeRows(model, all, validation)];
}

/**
 * Which rows the seeded hold-out keeps for training and which for validation (the trainer uses the
 * same split when it must know the rows, e.g. to fit image normalization on training rows only).
 */
export function holdOutRows(rows: number, fraction: number, seed: number): { train: Int32Array; validation: Int32Array } {
  const valRows = Math.round(rows * fraction);
  if (valRows < 1 || valRows >= rows) throw invalid(`validationFraction ${fraction} of ${rows} rows leaves no rows for ${valRows < 1 ? 'validation' : 'training'}`);
  const order = permutation(rows, new Prng(deriveSeed(seed, SPLIT_STREAM)));
  const cut = rows - valRows;
  return { train: Int32Array.from(order.subarray(0, cut)), validation: Int32Array.from(order.subarray(cut)) };
}

export function takeRows(model: ResolvedModelSpec, split: Split, rows: ArrayLike<number>): Split {
  const width = model.inputs;
  const yWidth = model.task === 'classification' ? 1 : model.headUnits;
  const x = new Float32Array(rows.length * width);
  const y = split.y instanceof BigInt64Array ? new BigInt64Array(rows.length) : new Float32Array(rows.length * yWidth);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    x.set(split.x.subarray(r * width, (r + 1) * width), i * width);
    if (y instanceof BigInt64Array) y[i] = (split.y as BigInt64Array)[r]!;
    else y.set((split.y as Float32Array).subarray(r * yWidth, (r + 1) * yWidth), i * yWidth);
  }
  return { x, y, rows: rows.length };
}

export interface EpochPlan {
  /** Full batches per epoch: the fused graph's trip counts add up to exactly this. */
  readonly fullSteps: number;
  /** Rows of the last partial batch, 0 when there is none or it is dropped. */
  readonly partialRows: number;
  readonly stepsPerEpoch: number;
}

export function epochPlan(rows: number, batchSize: number, dropLast: boolean): EpochPlan {
  const fullSteps = Math.floor(rows / batchSize);
  const partialRows = dropLast ? 0 : rows - fullSteps * batchSize;
  return { fullSteps, partialRows, stepsPerEpoch: fullSteps + (partialRows > 0 ? 1 : 0) };
}

/** The row order of one epoch (0-based), a pure function of (seed, epoch) so resumes repeat it. */
export function epochPermutation(seed: number, epoch: number, rows: number, shuffle: boolean): BigInt64Array {
  const out = new BigInt64Array(rows);
  if (!shuffle) {
    for (let i = 0; i < rows; i++) out[i] = BigInt(i);
    return out;
  }
  const order = permutation(rows, new Prng(deriveSeed(seed, SHUFFLE_STREAM, epoch)));
  for (let i = 0; i < rows; i++) out[i] = BigInt(order[i]!);
  return out;
}
