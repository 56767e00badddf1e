/**
 * Element types the builder emits and their in-memory form. Only the four types the training
 * graphs need: float for real training, double for the finite-difference gradient checks (the
 * CPU provider has double kernels for the ops used), int64 for labels, indices and shapes
 * (TOOLCHAIN: labels are int64), bool for masks and conditions.
 */
export type DType = 'float' | 'double' | 'int64' | 'bool';
export type FloatType = 'float' | 'double';

/** TensorProto.DataType codes. */
export const DTYPE_CODE: Readonly<Record<DType, number>> = { float: 1, double: 11, int64: 7, bool: 9 };

export function dtypeFromCode(code: number): DType {
  const found = (Object.keys(DTYPE_CODE) as DType[]).find((key) => DTYPE_CODE[key] === code);
  if (!found) throw new Error(`unsupported ONNX element type code ${code}`);
  return found;
}

export const isFloat = (dtype: DType): dtype is FloatType => dtype === 'float' || dtype === 'double';

export type TypedData = Float32Array | Float64Array | BigInt64Array | Uint8Array;

/** A dense tensor: row-major data with static dims. bool is stored one byte per element. */
export interface TensorData {
  readonly dtype: DType;
  readonly dims: readonly number[];
  readonly data: TypedData;
}

export type NumericInput = ArrayLike<number> | ArrayLike<bigint> | ArrayLike<boolean>;

/** Converts plain JS numbers (or bigints/booleans) into the typed array of `dtype`. */
export function toTypedData(dtype: DType, values: NumericInput): TypedData {
  const list = Array.from(values as ArrayLike<number | bigint | boolean>);
  switch (dtype) {
    case 'float':
      return Float32Array.from(list, Number);
    case 'double':
      return Float64Array.from(list, Number);
    case 'int64':
      return BigInt64Array.from(list, (v) => (typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)))));
    case 'bool':
      return Uint8Array.from(list, (v) => (v ? 1 : 0));
  }
}

export function tensorData(dtype: DType, dims: readonly number[], values: NumericInput | TypedData): TensorData {
  const data = matchesDtype(dtype, values) ? values : toTypedData(dtype, values as NumericInput);
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new Error(`tensor of dims [${dims.join(', ')}] needs ${count} values, got ${data.length}`);
  return { dtype, dims: [...dims], data };
}

function matchesDtype(dtype: DType, values: unknown): values is TypedData {
  switch (dtype) {
    case 'float':
      return values instanceof Float32Array;
    case 'double':
      return values instanceof Float64Array;
    case 'int64':
      return values instanceof BigInt64Array;
    case 'bool':
      return values instanceof Uint8Array;
  }
}

/** Values as JS numbers (int64 through Number: fine for shapes, axes and indices). */
export function toNumbers(data: TypedData): number[] {
  return Array.from(data as ArrayLike<number | bigint>, Number);
}

/** Little-endian bytes of the data, as TensorProto.raw_data wants them (x64 and arm64 are LE). */
export function rawBytes(data: TypedData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
