/**
 * A request's values checked against the model's declared inputs and turned into typed arrays —
 * all of them, before anything runs, so a bad value is a 400 naming its column and row rather
 * than a half-run request or onnxruntime's own message. Missing values: null or "" is NaN for a
 * number (the exported models impute it) and "" for text; integers and booleans have no missing value.
 */
import { Tensor } from 'onnxruntime-node';
import type { FeedType, InputSpec, ModelIo } from './model-io';
import type { Payload } from './payload';
import { RequestError } from './request-error';

type Data = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | string[];

export interface BoundInput {
  readonly spec: InputSpec;
  /** Row-major, `rows × product(rowShape)` values. */
  readonly data: Data;
  /** The dimensions after the batch axis. */
  readonly rowShape: readonly number[];
}

export interface BoundRequest {
  readonly rows: number;
  readonly inputs: readonly BoundInput[];
}

/** Why one value cannot be taken; the caller adds where it was. */
class ValueError extends Error {}

export function bindPayload(io: ModelIo, payload: Payload): BoundRequest {
  const noun = io.columnar ? 'column' : 'input';
  if (payload.kind === 'rows') {
    if (io.inputs.length !== 1) {
      throw new RequestError(400, `This model takes ${io.inputs.length} inputs (${io.inputs.map((input) => `'${input.name}'`).join(', ')}): send them by name (dataframe_split, dataframe_records, instances as objects, or inputs as an object).`);
    }
    return { rows: payload.rows.length, inputs: [coerceInput(io.inputs[0]!, payload.rows, noun)] };
  }
  const inputs = io.inputs.map((spec) => {
    const column = payload.columns.get(spec.name);
    if (column) return coerceInput(spec, column, noun);
    // MLflow feeds a one-input tensor model a DataFrame's values, whatever its columns are called.
    if (payload.frame && io.inputs.length === 1 && !io.columnar && payload.columns.size > 0) return coerceInput(spec, frameRows(payload.columns, payload.rows), noun);
    const sent = [...payload.columns.keys()];
    throw new RequestError(
      400,
      `Missing ${noun} '${spec.name}'. The model takes ${io.inputs.map((input) => `'${input.name}'`).join(', ')}; the request has ${sent.length > 0 ? sent.map((name) => `'${name}'`).join(', ') : 'none'}.`,
    );
  });
  return { rows: payload.rows, inputs };
}

function frameRows(columns: ReadonlyMap<string, readonly unknown[]>, rows: number): unknown[][] {
  const lists = [...columns.values()];
  return Array.from({ length: rows }, (_, r) => lists.map((list) => list[r]));
}

/** The tensors of rows [start, end): views on the bound arrays, no copy. */
export function feedsOf(request: BoundRequest, start: number, end: number): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  for (const { spec, data, rowShape } of request.inputs) {
    const size = rowShape.reduce((product, dim) => product * dim, 1);
    const part = Array.isArray(data) ? data.slice(start * size, end * size) : data.subarray(start * size, end * size);
    feeds[spec.name] = new Tensor(spec.type, part, [end - start, ...rowShape]);
  }
  return feeds;
}

function coerceInput(spec: InputSpec, values: readonly unknown[], noun: string): BoundInput {
  const where = (row: number): string => `${noun} '${spec.name}', row ${row}`;
  const rowShape = rowShapeOf(spec, values, where);
  const size = rowShape.reduce((product, dim) => product * dim, 1);
  const rows = values.length;
  const data = allocate(spec.type, rows * size);
  const put = setter(spec.type, data);
  if (rowShape.length === 0 || (spec.scalarRows && size === 1)) {
    if (spec.type === 'float64' || spec.type === 'float32') {
      // The common case (a table of numbers), kept free of per-value closures.
      const out = data as Float64Array | Float32Array;
      for (let r = 0; r < rows; r++) {
        const value = values[r];
        out[r] = typeof value === 'number' ? value : numberAt(value, where, r);
      }
    } else {
      for (let r = 0; r < rows; r++) {
        let value = values[r];
        if (Array.isArray(value) && value.length === 1) value = value[0];
        try {
          put(r, value);
        } catch (error) {
          throw located(error, where(r));
        }
      }
    }
    return { spec, data, rowShape };
  }
  for (let r = 0; r < rows; r++) {
    try {
      flattenRow(values[r], rowShape, size, put, r * size);
    } catch (error) {
      throw located(error, where(r));
    }
  }
  return { spec, data, rowShape };
}

function numberAt(value: unknown, where: (row: number) => string, row: number): number {
  try {
    return toNumber(Array.isArray(value) && value.length === 1 ? value[0] : value);
  } catch (error) {
    throw located(error, where(row));
  }
}

function located(error: unknown, where: string): Error {
  return error instanceof ValueError ? new RequestError(400, `${where}: ${error.message}`) : (error as Error);
}

/** The row's dimensions: declared where fixed, else read from the first row and required of every row. */
function rowShapeOf(spec: InputSpec, values: readonly unknown[], where: (row: number) => string): number[] {
  if (spec.scalarRows) return spec.shape!.slice(1) as number[];
  const declared = spec.shape?.slice(1) ?? null;
  if (declared && declared.every((dim): dim is number => dim !== null)) return declared;
  const first = values[0];
  const seen = nestedShape(first);
  if (declared && seen.length !== declared.length && values.length > 0) {
    throw new RequestError(400, `${where(0)}: expected ${declared.length} nested level(s) per row (${describeShape(declared)}), got ${seen.length}.`);
  }
  if (declared) declared.forEach((dim, axis) => {
    if (dim !== null && seen[axis] !== dim) throw new RequestError(400, `${where(0)}: expected ${describeShape(declared)} per row, got ${describeShape(seen)}.`);
  });
  return seen;
}

function nestedShape(value: unknown): number[] {
  const shape: number[] = [];
  let current = value;
  while (Array.isArray(current)) {
    shape.push(current.length);
    if (current.length === 0) break;
    current = current[0];
  }
  return shape;
}

const describeShape = (shape: readonly (number | null)[]): string => `[${shape.map((dim) => dim ?? '?').join(', ')}]`;

/** One row into `out` at `offset`: nested lists of exactly `shape`, or one flat list of all its values (MLflow reshapes). */
function flattenRow(row: unknown, shape: readonly number[], size: number, put: (index: number, value: unknown) => void, offset: number): void {
  if (Array.isArray(row) && shape.length > 1 && row.length === size && !Array.isArray(row[0])) {
    for (let i = 0; i < size; i++) put(offset + i, row[i]);
    return;
  }
  let index = offset;
  const walk = (value: unknown, axis: number): void => {
    if (axis === shape.length) {
      if (Array.isArray(value)) throw new ValueError(`expected ${describeShape(shape)} values per row, got a deeper list`);
      put(index++, value);
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[axis]) {
      throw new ValueError(`expected ${describeShape(shape)} values per row, got ${Array.isArray(value) ? `a list of ${value.length} at depth ${axis + 1}` : JSON.stringify(value) ?? String(value)}`);
    }
    for (const item of value) walk(item, axis + 1);
  };
  walk(row, 0);
}

function allocate(type: FeedType, length: number): Data {
  switch (type) {
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'int8':
      return new Int8Array(length);
    case 'uint8':
    case 'bool':
      return new Uint8Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'uint16':
      return new Uint16Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'uint32':
      return new Uint32Array(length);
    case 'int64':
      return new BigInt64Array(length);
    case 'uint64':
      return new BigUint64Array(length);
    case 'string':
      return new Array<string>(length).fill('');
  }
}

const INTEGER_RANGE: Readonly<Partial<Record<FeedType, readonly [number, number]>>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

function setter(type: FeedType, data: Data): (index: number, value: unknown) => void {
  switch (type) {
    case 'float32':
    case 'float64': {
      const out = data as Float32Array | Float64Array;
      return (index, value) => {
        out[index] = toNumber(value);
      };
    }
    case 'string': {
      const out = data as string[];
      return (index, value) => {
        out[index] = toText(value);
      };
    }
    case 'bool': {
      const out = data as Uint8Array;
      return (index, value) => {
        out[index] = toBool(value) ? 1 : 0;
      };
    }
    case 'int64':
    case 'uint64': {
      const out = data as BigInt64Array | BigUint64Array;
      const [min, max] = type === 'int64' ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
      return (index, value) => {
        const big = toBigInt(value);
        if (big < min || big > max) throw new ValueError(`${String(big)} is out of range for ${type}`);
        out[index] = big;
      };
    }
    default: {
      const out = data as Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
      const [min, max] = INTEGER_RANGE[type]!;
      return (index, value) => {
        const number = toInteger(value);
        if (number < min || number > max) throw new ValueError(`${number} is out of range for ${type}`);
        out[index] = number;
      };
    }
  }
}

const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : Array.isArray(value) ? 'a list' : typeof value === 'object' && value !== null ? 'an object' : String(value));

const SPECIAL_NUMBERS: Readonly<Record<string, number>> = { nan: Number.NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity };

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === null || value === undefined || value === '') return Number.NaN;
  if (typeof value === 'string') {
    const text = value.trim();
    const special = SPECIAL_NUMBERS[text.toLowerCase()];
    if (special !== undefined) return special;
    const number = Number(text);
    if (text !== '' && !Number.isNaN(number)) return number;
  }
  throw new ValueError(`expected a number, got ${shown(value)}`);
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ValueError(`expected text, got ${shown(value)}`);
}

function toBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
  }
  if (value === null || value === undefined || value === '') throw new ValueError('a boolean cannot be missing');
  throw new ValueError(`expected true or false, got ${shown(value)}`);
}

function toInteger(value: unknown): number {
  const number = typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number)) return number;
  if (value === null || value === undefined || value === '') throw new ValueError('an integer cannot be missing');
  throw new ValueError(`expected an integer, got ${shown(value)}`);
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return BigInt(value.trim());
  if (value === null || value === undefined || value === '') throw new ValueError('an integer cannot be missing');
  throw new ValueError(`expected an integer, got ${shown(value)}`);
}
