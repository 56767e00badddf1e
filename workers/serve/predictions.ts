/**
 * The `{"predictions": …}` body, written as JSON text batch by batch so a large request never holds
 * more than one batch of output tensors. Shapes follow MLflow (model-io.ts `OutputStyle`). A NaN or
 * infinite value is written `null`: JSON has no NaN, and a strict client's parser must not fail on
 * one row (Python's `json` would write a bare `NaN`).
 */
import type { Tensor } from 'onnxruntime-node';
import type { ModelIo, OutputSpec } from './model-io';
import { RequestError } from './request-error';

type Json = number | string | boolean | null | Json[] | { [key: string]: Json };
type Reader = (index: number) => Json;

export class PredictionWriter {
  /** Per output (the first one for records), the JSON text of each batch's rows as a list. */
  private readonly parts = new Map<string, string[]>();
  /** An output with no row axis, taken whole (possible only when the request ran in one batch). */
  private readonly whole = new Map<string, string>();
  private batches = 0;

  constructor(private readonly io: ModelIo) {
    for (const output of io.outputs) this.parts.set(output.name, []);
  }

  add(results: Readonly<Record<string, Tensor>>, rows: number): void {
    if (this.whole.size > 0) throw unsplittable([...this.whole.keys()][0]!);
    this.batches++;
    // Plain values through one JSON.stringify: V8's serializer beats concatenating strings by hand.
    if (this.io.style === 'records') {
      this.parts.get(this.io.outputs[0]!.name)!.push(JSON.stringify(recordRows(this.io.outputs, results, rows)));
      return;
    }
    for (const output of this.io.outputs) {
      const tensor = results[output.name]!;
      const dims = tensor.dims.map(Number);
      const read = readerOf(tensor);
      if (dims.length === 0 || dims[0] !== rows) {
        if (this.batches > 1) throw unsplittable(output.name);
        this.whole.set(output.name, JSON.stringify(nested(read, dims, 0, 0)));
        continue;
      }
      const rowDims = dims.slice(1);
      // A regressor's single target is one number per row, as MLflow's DataFrame column has it.
      const flat = this.io.style === 'prediction' && rowDims.every((dim) => dim === 1);
      const size = rowDims.reduce((product, dim) => product * dim, 1);
      const values = new Array<Json>(rows);
      for (let r = 0; r < rows; r++) values[r] = flat || rowDims.length === 0 ? read(r * size) : nested(read, rowDims, 0, r * size);
      this.parts.get(output.name)!.push(JSON.stringify(values));
    }
  }

  /** The whole response body. */
  finish(): string {
    const listOf = (name: string): string => {
      const whole = this.whole.get(name);
      if (whole !== undefined) return whole;
      const parts = this.parts.get(name)!;
      if (parts.length === 1) return parts[0]!;
      return `[${parts.map((part) => part.slice(1, -1)).filter((part) => part !== '').join(',')}]`;
    };
    const { outputs, style } = this.io;
    if (style !== 'tensors' || outputs.length === 1) return `{"predictions":${listOf(outputs[0]!.name)}}`;
    return `{"predictions":{${outputs.map((output) => `${JSON.stringify(output.name)}:${listOf(output.name)}`).join(',')}}}`;
  }
}

const unsplittable = (name: string): RequestError =>
  new RequestError(400, `The model's output '${name}' has no row axis, so a request too large for one batch cannot be answered: send fewer rows at a time.`);

/** One object per row: `{"label": "setosa", "probability_setosa": 0.97, …}`. */
function recordRows(outputs: readonly OutputSpec[], results: Readonly<Record<string, Tensor>>, rows: number): Json[] {
  const columns = outputs.map((output) => {
    const tensor = results[output.name]!;
    const size = tensor.size / Math.max(rows, 1);
    return { key: output.name, read: readerOf(tensor), size, dims: tensor.dims.slice(1).map(Number) };
  });
  const records = new Array<Json>(rows);
  for (let r = 0; r < rows; r++) {
    const record: { [key: string]: Json } = {};
    for (const column of columns) record[column.key] = column.size === 1 ? column.read(r) : nested(column.read, column.dims, 0, r * column.size);
    records[r] = record;
  }
  return records;
}

/** Nested lists of `dims` from flat index `offset`. */
function nested(read: Reader, dims: readonly number[], axis: number, offset: number): Json {
  if (axis === dims.length) return read(offset);
  const stride = dims.slice(axis + 1).reduce((product, dim) => product * dim, 1);
  const items = new Array<Json>(dims[axis]!);
  for (let i = 0; i < dims[axis]!; i++) items[i] = nested(read, dims, axis + 1, offset + i * stride);
  return items;
}

/** JSON.stringify writes NaN and ±Infinity as null; 64-bit integers past 2^53 become text rather than lose digits. */
function readerOf(tensor: Tensor): Reader {
  const data = tensor.data as ArrayLike<number | bigint | string | boolean>;
  switch (tensor.type) {
    case 'string':
      return (i) => data[i] as string;
    case 'bool':
      return (i) => Boolean(data[i]);
    case 'int64':
    case 'uint64':
      return (i) => {
        const value = Number(data[i]);
        return Number.isSafeInteger(value) ? value : String(data[i]);
      };
    default:
      return (i) => data[i] as number;
  }
}
