/**
 * Node attributes carry their ONNX type explicitly. onnx-proto (protobufjs) does not infer the
 * AttributeType from which field is set, and ONNX Runtime rejects an attribute whose type is
 * missing or wrong (TOOLCHAIN: "set attribute types explicitly"), so every attribute is built
 * through one of these constructors and the encoder writes the type it names.
 */
import type { GraphBuilder } from './builder';
import type { TensorData } from './dtype';

export type Attr =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'strings'; readonly value: readonly string[] }
  | { readonly type: 'tensor'; readonly value: TensorData }
  | { readonly type: 'graph'; readonly value: GraphBuilder };

export type Attrs = Readonly<Record<string, Attr>>;

export const attr = {
  int: (value: number | boolean): Attr => ({ type: 'int', value: Number(value) }),
  /** ONNX float attributes are 32-bit: the value is stored rounded, as the runtime will see it. */
  float: (value: number): Attr => ({ type: 'float', value: Math.fround(value) }),
  string: (value: string): Attr => ({ type: 'string', value }),
  ints: (value: readonly number[]): Attr => ({ type: 'ints', value: [...value] }),
  floats: (value: readonly number[]): Attr => ({ type: 'floats', value: value.map((v) => Math.fround(v)) }),
  strings: (value: readonly string[]): Attr => ({ type: 'strings', value: [...value] }),
  tensor: (value: TensorData): Attr => ({ type: 'tensor', value }),
  graph: (value: GraphBuilder): Attr => ({ type: 'graph', value }),
};

/** Readers used by backward rules; they return the ONNX default when the attribute is absent. */
export function attrInt(attrs: Attrs, name: string, fallback: number): number {
  const found = attrs[name];
  if (found === undefined) return fallback;
  if (found.type !== 'int') throw new Error(`attribute ${name} is ${found.type}, expected int`);
  return found.value;
}

export function attrFloat(attrs: Attrs, name: string, fallback: number): number {
  const found = attrs[name];
  if (found === undefined) return fallback;
  if (found.type !== 'float') throw new Error(`attribute ${name} is ${found.type}, expected float`);
  return found.value;
}

export function attrInts(attrs: Attrs, name: string): readonly number[] | undefined {
  const found = attrs[name];
  if (found === undefined) return undefined;
  if (found.type !== 'ints') throw new Error(`attribute ${name} is ${found.type}, expected ints`);
  return found.value;
}
