/**
 * Checking an exported model against training: run it on raw rows in a fresh session, run the
 * training forward graph on the same rows' preprocessed features, and compare. The trainer calls
 * `verifyExport` on the validation set and fails the run when it reports a mismatch.
 */
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { GraphBuilder, tensorData } from '../graph/index';
import { createSession, runSession } from '../graph/run';
import { addInferenceGraph } from '../model/forward';
import type { ResolvedModelSpec } from '../model/spec';
import { ELEM_TYPE, declaredIo } from './proto';
import { LABEL_OUTPUT, PREDICTION_OUTPUT } from './types';

/** Raw columns by name, one value per row. Missing: NaN / null for numbers, "" / null for text. */
export type RawColumns = Readonly<Record<string, ArrayLike<number | string | boolean | null> | Tensor>>;

/** Predictions in the exported model's terms: class names, probabilities row-major [rows, classes]. */
export interface Predictions {
  readonly rows: number;
  readonly labels?: readonly string[];
  readonly probabilities?: Float32Array;
  /** Regression: [rows, targets] row-major. */
  readonly predictions?: Float32Array;
}

export type VerifyResult = { readonly ok: true; readonly rows: number; readonly maxAbsDiff: number } | { readonly ok: false; readonly rows: number; readonly message: string };

export interface VerifyOptions {
  /** Probabilities: max |Δ|. Regression: max |Δ| / max(1, |expected|). Default 1e-5. */
  readonly tolerance?: number;
}

function isTensor(value: RawColumns[string]): value is Tensor {
  return value instanceof (Tensor as unknown as abstract new (...args: never[]) => object);
}

/** Runs an exported model on raw columns in a fresh session (default ORT settings, CPU). */
export async function runExported(onnx: Uint8Array, columns: RawColumns): Promise<Predictions> {
  const io = declaredIo(onnx);
  const lengths = io.inputs.map((input) => {
    const column = columns[input.name];
    if (!column) throw new Error(`the raw column ${JSON.stringify(input.name)} the model takes is missing`);
    return isTensor(column) ? Number(column.dims[0]) : column.length;
  });
  const rows = lengths[0] ?? 0;
  if (lengths.some((n) => n !== rows)) throw new Error(`the raw columns have different lengths (${lengths.join(', ')})`);
  const feeds: Record<string, Tensor> = {};
  for (const input of io.inputs) {
    const column = columns[input.name]!;
    // A tensor (an image batch) goes in as is; a column becomes the [N] or [N, 1] tensor declared.
    feeds[input.name] = isTensor(column) ? column : toTensor(input.elemType, input.rank, column);
  }
  let session: InferenceSession | null = null;
  try {
    session = await createSession(onnx);
    const results = await session.run(feeds);
    const probabilityNames = io.outputs.filter((name) => name.startsWith('probability_'));
    const labels = results[LABEL_OUTPUT];
    const prediction = results[PREDICTION_OUTPUT];
    return {
      rows,
      ...(labels ? { labels: (labels.data as string[]).slice() } : {}),
      ...(probabilityNames.length > 0 ? { probabilities: interleave(probabilityNames.map((name) => results[name]!.data as Float32Array), rows) } : {}),
      ...(prediction ? { predictions: Float32Array.from(prediction.data as Float32Array) } : {}),
    };
  } finally {
    await session?.release();
  }
}

/**
 * The training-time predictions: the forward graph training validates with (flat θ split inside
 * the graph, as in training), run on the preprocessed feature matrix [rows, spec.inputs].
 */
export async function trainingPredictions(spec: ResolvedModelSpec, theta: Float32Array, features: Float32Array, classes?: readonly string[]): Promise<Predictions> {
  const rows = features.length / spec.inputs;
  if (!Number.isInteger(rows)) throw new Error(`the features hold ${features.length} values, not a multiple of ${spec.inputs}`);
  const g = new GraphBuilder();
  addInferenceGraph(g, spec, theta);
  const session = await createSession(g.encode());
  try {
    const out = await runSession(session, { x: tensorData('float', [rows, spec.inputs], features) });
    if (spec.task === 'regression') return { rows, predictions: out.predictions!.data as Float32Array };
    const indices = Array.from(out.label!.data as BigInt64Array, Number);
    return { rows, labels: indices.map((i) => classes?.[i] ?? String(i)), probabilities: out.probabilities!.data as Float32Array };
  } finally {
    await session.release();
  }
}

/**
 * Whether the exported model, fed the raw rows, gives the expected (training-time) predictions:
 * identical labels, probabilities within `tolerance`; a message naming the first differences
 * otherwise. Failing to run at all (a missing column, a runtime error) is a mismatch too.
 */
export async function verifyExport(onnx: Uint8Array, columns: RawColumns, expected: Predictions, options: VerifyOptions = {}): Promise<VerifyResult> {
  const tolerance = options.tolerance ?? 1e-5;
  let actual: Predictions;
  try {
    actual = await runExported(onnx, columns);
  } catch (error) {
    return { ok: false, rows: expected.rows, message: `the exported model did not run on the raw rows: ${error instanceof Error ? error.message : String(error)}` };
  }
  const problems: string[] = [];
  if (actual.rows !== expected.rows) problems.push(`it was fed ${actual.rows} rows for ${expected.rows} expected predictions`);
  let maxAbsDiff = 0;
  if (expected.labels) {
    const got = actual.labels ?? [];
    const differ = expected.labels.flatMap((label, row) => (got[row] === label ? [] : [row]));
    if (differ.length > 0) {
      const row = differ[0]!;
      problems.push(`${differ.length} label(s) differ, first at row ${row}: ${JSON.stringify(got[row] ?? null)} instead of ${JSON.stringify(expected.labels[row])}`);
    }
  }
  for (const [what, want, got, relative] of [
    ['probability', expected.probabilities, actual.probabilities, false],
    ['prediction', expected.predictions, actual.predictions, true],
  ] as const) {
    if (!want) continue;
    if (!got || got.length !== want.length) {
      problems.push(`it returned ${got ? got.length : 'no'} ${what} values for ${want.length}`);
      continue;
    }
    const worst = largestDifference(want, got, relative);
    maxAbsDiff = Math.max(maxAbsDiff, worst.abs);
    if (worst.score > tolerance) {
      const row = Math.floor(worst.at / (want.length / Math.max(expected.rows, 1)));
      problems.push(`${what} values differ by up to ${worst.abs.toExponential(2)} (tolerance ${tolerance}${relative ? ', relative to max(1, |value|)' : ''}), at row ${row}: ${got[worst.at]} instead of ${want[worst.at]}`);
    }
  }
  if (problems.length > 0) return { ok: false, rows: expected.rows, message: `the exported model does not reproduce the training-time predictions: ${problems.join('; ')}` };
  return { ok: true, rows: expected.rows, maxAbsDiff };
}

/** The worst element: NaN matches only NaN (a NaN against a number counts as infinitely far). */
function largestDifference(want: ArrayLike<number>, got: ArrayLike<number>, relative: boolean): { abs: number; score: number; at: number } {
  let worst = { abs: 0, score: 0, at: 0 };
  for (let i = 0; i < want.length; i++) {
    const a = want[i]!;
    const b = got[i]!;
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    const abs = Number.isNaN(a) || Number.isNaN(b) ? Number.POSITIVE_INFINITY : Math.abs(a - b);
    const score = relative ? abs / Math.max(1, Math.abs(a)) : abs;
    if (score > worst.score) worst = { abs, score, at: i };
  }
  return worst;
}

function interleave(columns: readonly Float32Array[], rows: number): Float32Array {
  const out = new Float32Array(rows * columns.length);
  columns.forEach((column, k) => {
    for (let r = 0; r < rows; r++) out[r * columns.length + k] = column[r]!;
  });
  return out;
}

/** A raw column as the tensor its input declares: [N], or [N, 1] for a single-input model. */
function toTensor(elemType: number, rank: number, values: ArrayLike<number | string | boolean | null>): Tensor {
  const list = Array.from(values);
  const n = rank === 2 ? [list.length, 1] : [list.length];
  switch (elemType) {
    case ELEM_TYPE.double:
      return new Tensor('float64', Float64Array.from(list, (v) => (v === null || v === '' ? Number.NaN : Number(v))), n);
    case ELEM_TYPE.string:
      return new Tensor('string', list.map((v) => (v === null ? '' : String(v))), n);
    case ELEM_TYPE.bool:
      return new Tensor('bool', Uint8Array.from(list, (v) => (v === true || v === 1 || v === 'true' ? 1 : 0)), n);
    case ELEM_TYPE.float:
      return new Tensor('float32', Float32Array.from(list, (v) => (v === null ? Number.NaN : Number(v))), n);
    default:
      throw new Error(`an input of ONNX element type ${elemType} is not supported`);
  }
}
