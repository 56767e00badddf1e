/**
 * Columns of the table as the exported graph sees them while the preprocessing steps are replayed:
 * each is a recipe that builds its graph value on first use, so only what the model's features
 * depend on becomes nodes and graph inputs (a dropped column, the target, a column a later step
 * overwrites cost nothing and need not be fed).
 *
 * Numbers flow as double [N, 1] — DuckDB computes the transforms in DOUBLE and the training table
 * is that DOUBLE rounded to float32, so replaying them in double and casting once at the end gives
 * the training features bit for bit. Text flows as the raw string input until an encode turns it
 * into numbers; strings never appear in the middle of the graph (see strings below).
 */
import { type GraphBuilder, type Value, attr, op } from '../graph/index';
import { NotBakeableError, type RawColumn } from './types';

/** How a raw column enters the model: MLflow's column types, each with its own ONNX input type. */
export type RawKind = 'double' | 'boolean' | 'string';

const numericType = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?|NUMERIC(\(\d+,\s*\d+\))?)$/i;

/** null: a type an exported model cannot take (dates, timestamps, lists…). */
export function rawKindOf(type: string): RawKind | null {
  if (numericType.test(type)) return 'double';
  if (/^BOOL(EAN)?$/i.test(type)) return 'boolean';
  if (/^(VARCHAR|TEXT|STRING|CHAR|BPCHAR)(\(\d+\))?$/i.test(type) || /^ENUM\(/i.test(type)) return 'string';
  return null;
}

/** A graph input for one raw column. Its builder name is a placeholder: raw names are arbitrary text (proto.ts renames). */
export interface RawInput {
  readonly name: string;
  readonly kind: RawKind;
  /** Position in the raw schema: inputs are listed in that order. */
  readonly order: number;
  /** Declared to the builder as int64 for strings (the builder has no string type; proto.ts fixes the type). */
  readonly value: Value;
}

export class RawInputs {
  private readonly made = new Map<string, RawInput>();
  constructor(private readonly g: GraphBuilder) {}

  /** The inputs the built graph reads, in raw-schema order. */
  get list(): RawInput[] {
    return [...this.made.values()].sort((a, b) => a.order - b.order);
  }

  get(column: RawColumn, kind: RawKind, order: number): RawInput {
    const known = this.made.get(column.name);
    if (known) return known;
    const dtype = kind === 'double' ? 'double' : kind === 'boolean' ? 'bool' : 'int64';
    const input: RawInput = { name: column.name, kind, order, value: this.g.freshInput('raw_input', dtype, ['N']) };
    this.made.set(column.name, input);
    return input;
  }
}

/** One column of a double block [N, w]: encodings make several columns at once. */
export interface Slot {
  readonly block: Value;
  readonly index: number;
}

export type Column =
  | { readonly kind: 'numeric'; readonly slot: () => Slot }
  /** Text as fed, plus what a missing value (the empty string) stands for after an impute. */
  | { readonly kind: 'string'; readonly input: () => RawInput; readonly missingFill: string | null }
  /** Made by a step the graph cannot replay; an error only if a feature depends on it. */
  | { readonly kind: 'unbakeable'; readonly error: NotBakeableError };

export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}

const numeric = (make: () => Value): Column => {
  const value = lazy(make);
  return { kind: 'numeric', slot: () => ({ block: value(), index: 0 }) };
};

/** Inputs are declared without a shape (proto.ts): MLflow feeds a DataFrame column as [N] but a one-column frame as [N, 1]. */
function asColumn(g: GraphBuilder, x: Value): Value {
  return op.reshape(g, x, [-1, 1]);
}

export function rawColumn(g: GraphBuilder, inputs: RawInputs, column: RawColumn, order: number, kind: RawKind | null): Column {
  if (kind === null) return { kind: 'unbakeable', error: new NotBakeableError(`raw column ${JSON.stringify(column.name)} has type ${column.type}, which an exported model cannot take as input`) };
  const input = lazy(() => inputs.get(column, kind, order));
  if (kind === 'string') return { kind: 'string', input, missingFill: null };
  // DuckDB's CAST(boolean AS DOUBLE) is 1/0, which is how loadTable turned it into a feature.
  return numeric(() => op.cast(g, asColumn(g, input().value), 'double'));
}

/** The column as double [N, 1]. */
export function columnValue(g: GraphBuilder, slot: Slot): Value {
  if (slot.block.shape[1] === 1) return slot.block;
  return op.slice(g, slot.block, { starts: [slot.index], ends: [slot.index + 1], axes: [1] });
}

/** coalesce(x, fill): a missing number reaches the model as NaN (pandas' missing value). */
export function imputeNumeric(g: GraphBuilder, column: Extract<Column, { kind: 'numeric' }>, fill: number): Column {
  return numeric(() => {
    const x = columnValue(g, column.slot());
    return op.where(g, g.node1('IsNaN', [x], {}, { dtype: 'bool', shape: x.shape }), fill, x);
  });
}

/** (x − center) / scale, the same two double operations DuckDB ran, so the result is bit-identical. */
export function scaleNumeric(g: GraphBuilder, column: Extract<Column, { kind: 'numeric' }>, center: number, scale: number): Column {
  return numeric(() => op.div(g, op.sub(g, columnValue(g, column.slot()), center), scale));
}

/** The step being replayed, for error messages. */
export interface StepRef {
  readonly index: number;
  readonly label: string;
}

/** One-hot columns (in category order) or the single ordinal column an encode makes. */
export type Encoded = readonly Column[];

/**
 * How a missing text value arrives: "" from JS callers and CSV cells, and what onnxruntime's
 * Python binding makes of pandas' missing values in an object column (it applies str(): None →
 * "None", NaN → "nan", pd.NA → "<NA>"), which is how MLflow's pyfunc feeds a DataFrame.
 */
export const MISSING_TEXT: readonly string[] = ['', 'None', 'nan', '<NA>'];

/**
 * Text → category index with ai.onnx.ml LabelEncoder (−1 when unknown). Equal has no string kernel
 * before opset 19 (export.test.ts checks that ONNX Runtime refuses it at 17), and LabelEncoder is
 * what converters such as skl2onnx use for the same job. A missing marker (MISSING_TEXT) maps to
 * the fill's category after an impute; otherwise it stays unknown, like DuckDB's NULL. A marker
 * that is itself a fitted category (a real "None" in the data) keeps meaning that category.
 */
export function encodeString(g: GraphBuilder, column: Extract<Column, { kind: 'string' }>, categories: readonly string[], method: 'onehot' | 'ordinal'): Encoded {
  const index = lazy(() => {
    const keys = [...categories];
    const values = categories.map((_, i) => i);
    const fillIndex = column.missingFill === null ? -1 : categories.indexOf(column.missingFill);
    for (const marker of fillIndex >= 0 ? MISSING_TEXT : []) {
      if (keys.includes(marker)) continue;
      keys.push(marker);
      values.push(fillIndex);
    }
    // LabelEncoder needs at least one key; an encode fitted on an all-NULL column has none.
    if (keys.length === 0) {
      keys.push('');
      values.push(-1);
    }
    const attrs = { keys_strings: attr.strings(keys), values_int64s: attr.ints(values), default_int64: attr.int(-1) };
    const [codes] = g.node('LabelEncoder', [column.input().value], attrs, [{ dtype: 'int64', shape: ['N'] }], 'ai.onnx.ml');
    return asColumn(g, codes!);
  });
  if (method === 'ordinal') {
    // DuckDB's list_position gives NULL for an unknown value; NaN is that NULL here.
    return [numeric(() => op.where(g, op.less(g, index(), 0), Number.NaN, op.cast(g, index(), 'double')))];
  }
  const block = lazy(() => op.cast(g, op.equal(g, index(), g.constant('int64', [1, categories.length], categories.map((_, i) => i))), 'double'));
  return categories.map((_, k) => ({ kind: 'numeric', slot: () => ({ block: block(), index: k }) }));
}

/**
 * Encoding a numeric column: DuckDB matched CAST(x AS VARCHAR) against the category texts, which
 * for numbers is numeric equality (its text is the shortest round-trip form), and booleans print
 * as true/false. A missing (NaN) value matches nothing, like NULL.
 */
export function encodeNumeric(g: GraphBuilder, column: Extract<Column, { kind: 'numeric' }>, categories: readonly string[], method: 'onehot' | 'ordinal', step: StepRef): Encoded {
  const values = categories.map((text) => (text === 'true' ? 1 : text === 'false' ? 0 : Number(text)));
  const bad = categories.find((_, i) => !Number.isFinite(values[i]!));
  if (bad !== undefined) return categories.map(() => ({ kind: 'unbakeable', error: new NotBakeableError(`${step.label}: the category ${JSON.stringify(bad)} of a numeric column is not a finite number`, step.index) }));
  const matches = lazy(() => {
    const x = columnValue(g, column.slot());
    if (values.length === 0) return op.cast(g, op.equal(g, x, Number.NaN), 'double');
    return op.cast(g, op.equal(g, x, g.constant('double', [1, values.length], values)), 'double');
  });
  if (method === 'onehot') return values.map((_, k) => ({ kind: 'numeric', slot: () => ({ block: matches(), index: k }) }));
  return [
    numeric(() => {
      if (values.length === 0) return op.add(g, matches(), Number.NaN);
      const position = op.matmul(g, matches(), g.constant('double', [values.length, 1], values.map((_, i) => i)));
      const found = op.reduceMax(g, matches(), [1], true);
      return op.where(g, op.equal(g, found, 0), Number.NaN, position);
    }),
  ];
}

/**
 * The model's input: every feature's slot, blocks concatenated once and the columns picked with
 * one Gather (skipped when they are already in order), then the single cast to float32.
 */
export function assembleFeatures(g: GraphBuilder, slots: readonly Slot[]): Value {
  const blocks: Value[] = [];
  const offsets = new Map<Value, number>();
  let width = 0;
  for (const { block } of slots) {
    if (offsets.has(block)) continue;
    offsets.set(block, width);
    blocks.push(block);
    width += block.shape[1] as number;
  }
  const all = blocks.length === 1 ? blocks[0]! : op.concat(g, blocks, 1);
  const picks = slots.map((slot) => offsets.get(slot.block)! + slot.index);
  const inOrder = picks.length === width && picks.every((p, i) => p === i);
  const features = inOrder ? all : op.gather(g, all, g.constant('int64', [picks.length], picks), 1);
  return op.cast(g, features, 'float');
}
