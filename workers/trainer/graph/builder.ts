/**
 * A pure, typed builder for ONNX graphs: it only records values and nodes, and `encode()` turns
 * them into ModelProto bytes (model.ts). Running a model lives in run.ts so the builder never
 * loads the native runtime.
 *
 * Values are objects, not strings: nodes hold references to them, which lets `output()` give a
 * produced value its public name in place instead of copying it through an Identity
 * (TOOLCHAIN: Identity renames copy tensors), and lets the builder check that a node only reads
 * values its graph can see (its own or an enclosing graph's: outer-scope capture for Loop bodies).
 */
import { type Attrs } from './attributes';
import { DTYPE_CODE, type DType, type FloatType, type NumericInput, type TensorData, type TypedData, rawBytes, tensorData } from './dtype';
import { encodeModel, type EncodeOptions } from './model';
import { type Shape, formatShape, isStatic } from './shape';

export class Value {
  private currentName: string;
  constructor(
    name: string,
    readonly dtype: DType,
    readonly shape: Shape,
    /** The graph that defines this value (constants live in the root graph). */
    readonly graph: GraphBuilder,
  ) {
    this.currentName = name;
  }
  get name(): string {
    return this.currentName;
  }
  get rank(): number {
    return this.shape.length;
  }
  /** Only GraphBuilder.output() renames, and only values no one has seen by name yet. */
  renameForOutput(name: string): void {
    this.currentName = name;
  }
  toString(): string {
    return `${this.currentName}: ${this.dtype}${formatShape(this.shape)}`;
  }
}

export interface NodeRecord {
  readonly opType: string;
  readonly domain: string;
  readonly name: string;
  /** null stands for an omitted optional input. */
  readonly inputs: readonly (Value | null)[];
  readonly outputs: readonly Value[];
  readonly attrs: Attrs;
}

export interface OutputSpec {
  readonly dtype: DType;
  readonly shape: Shape;
  /** A public name; otherwise a fresh one derived from the op type. */
  readonly name?: string;
}

export interface GraphBuilderOptions {
  /**
   * Element type of the model's real-valued tensors. Graph-building code that asks for
   * `g.floatType` instead of hard-coding 'float' can emit the float64 copy the gradient checks use.
   */
  readonly floatType?: FloatType;
  readonly name?: string;
}

/** Names must be unique across a model and all its subgraphs (ONNX SSA), so one scope is shared. */
class NameScope {
  private readonly used = new Set<string>();
  private readonly counters = new Map<string, number>();
  claim(name: string): string {
    if (!/^[A-Za-z_][\w.:/-]*$/.test(name)) throw new Error(`invalid value name "${name}"`);
    if (this.used.has(name)) throw new Error(`the name "${name}" is already used in this model`);
    this.used.add(name);
    return name;
  }
  fresh(hint: string): string {
    const base = hint.replace(/[^\w]/g, '_') || 'v';
    let n = this.counters.get(base) ?? 0;
    let name: string;
    do name = `${base}_${n++}`;
    while (this.used.has(name));
    this.counters.set(base, n);
    this.used.add(name);
    return name;
  }
  isUsed(name: string): boolean {
    return this.used.has(name);
  }
}

export class GraphBuilder {
  readonly name: string;
  readonly floatType: FloatType;
  readonly parent: GraphBuilder | null;
  readonly root: GraphBuilder;
  private readonly scope: NameScope;
  private readonly nodeList: NodeRecord[] = [];
  private readonly inputList: Value[] = [];
  private readonly outputList: Value[] = [];
  private readonly initializerList: Value[] = [];
  private readonly data = new Map<Value, TensorData>();
  private readonly constantCache = new Map<string, Value>();
  private readonly producers = new Map<Value, NodeRecord>();

  constructor(options: GraphBuilderOptions = {}, parent: GraphBuilder | null = null) {
    this.parent = parent;
    this.root = parent ? parent.root : this;
    this.scope = parent ? parent.scope : new NameScope();
    this.floatType = parent ? parent.floatType : (options.floatType ?? 'float');
    this.name = options.name ?? (parent ? this.scope.fresh('subgraph') : 'trainyard');
  }

  get nodes(): readonly NodeRecord[] {
    return this.nodeList;
  }
  get inputs(): readonly Value[] {
    return this.inputList;
  }
  get outputs(): readonly Value[] {
    return this.outputList;
  }
  /** Named initializers and deduplicated constants of this graph, with their data. */
  get initializers(): readonly { value: Value; data: TensorData }[] {
    return this.initializerList.map((value) => ({ value, data: this.data.get(value)! }));
  }

  /** A name no other value in the model has, derived from `hint`. */
  fresh(hint = 'v'): string {
    return this.scope.fresh(hint);
  }

  /** A dim of unknown size (encoded without a name). */
  unknownDim(): string {
    return `?${this.scope.fresh('dim')}`;
  }

  input(name: string, dtype: DType, shape: Shape): Value {
    return this.addInput(this.scope.claim(name), dtype, shape);
  }

  /** An input whose name only needs to be unique (Loop bodies, generated graphs). */
  freshInput(hint: string, dtype: DType, shape: Shape): Value {
    return this.addInput(this.scope.fresh(hint), dtype, shape);
  }

  private addInput(name: string, dtype: DType, shape: Shape): Value {
    const value = new Value(name, dtype, [...shape], this);
    this.inputList.push(value);
    return value;
  }

  /** A named tensor with initial data (e.g. weights of an exported model). */
  initializer(name: string, data: TensorData): Value {
    const value = new Value(this.scope.claim(name), data.dtype, [...data.dims], this);
    this.initializerList.push(value);
    this.data.set(value, data);
    return value;
  }

  /**
   * A constant tensor. Constants live in the root graph, so every subgraph sees them, and equal
   * constants (same dtype, dims and bytes) are one initializer.
   */
  constant(dtype: DType, dims: readonly number[], values: NumericInput | TypedData): Value {
    const root = this.root;
    const tensor = tensorData(dtype, dims, values);
    const key = `${DTYPE_CODE[dtype]}|${dims.join(',')}|${Buffer.from(rawBytes(tensor.data)).toString('base64')}`;
    const cached = root.constantCache.get(key);
    if (cached) return cached;
    const value = new Value(root.scope.fresh('const'), dtype, [...dims], root);
    root.initializerList.push(value);
    root.data.set(value, tensor);
    root.constantCache.set(key, value);
    return value;
  }

  /** A rank-0 constant; real scalars default to the graph's float type. */
  scalar(value: number, dtype: DType = this.floatType): Value {
    return this.constant(dtype, [], [value]);
  }

  /** A 1-D int64 constant: shapes, axes, pads, split sizes. */
  ints(values: readonly number[]): Value {
    return this.constant('int64', [values.length], values);
  }

  /** The data of a constant or initializer visible from this graph, or undefined. */
  constantValue(value: Value): TensorData | undefined {
    return this.data.get(value) ?? this.parent?.constantValue(value);
  }

  /** The node of this graph that produced `value`, if any. */
  producerOf(value: Value): NodeRecord | undefined {
    return this.producers.get(value);
  }

  /** Whether a node of this graph may read `value` (its own, or captured from an outer graph). */
  canSee(value: Value): boolean {
    return value.graph === this || (this.parent?.canSee(value) ?? false);
  }

  /** Appends a node. Shapes and types of the outputs are given by the caller (see ops/). */
  node(opType: string, inputs: readonly (Value | null)[], attrs: Attrs, outputs: readonly OutputSpec[], domain = ''): Value[] {
    for (const input of inputs) {
      if (input && !this.canSee(input)) {
        throw new Error(`${opType}: value ${input.name} belongs to graph "${input.graph.name}", which graph "${this.name}" cannot see`);
      }
    }
    const values = outputs.map((spec) => new Value(spec.name ? this.scope.claim(spec.name) : this.scope.fresh(opType.toLowerCase()), spec.dtype, [...spec.shape], this));
    let trimmed = [...inputs];
    while (trimmed.length > 0 && trimmed[trimmed.length - 1] === null) trimmed = trimmed.slice(0, -1);
    const record: NodeRecord = { opType, domain, name: this.scope.fresh(`${opType}_node`), inputs: trimmed, outputs: values, attrs };
    this.nodeList.push(record);
    for (const value of values) this.producers.set(value, record);
    return values;
  }

  /** Like node() for the common single-output case. */
  node1(opType: string, inputs: readonly (Value | null)[], attrs: Attrs, output: OutputSpec): Value {
    return this.node(opType, inputs, attrs, [output])[0]!;
  }

  /**
   * Declares `value` a graph output named `name`. A value this graph produced and nobody has
   * named yet is renamed in place; inputs, constants, captured values and values already
   * output go through an Identity, since a graph output must be a distinct node output.
   */
  output(value: Value, name?: string): Value {
    const producedHere = this.producers.has(value) && !this.outputList.includes(value);
    if (producedHere && (name === undefined || name === value.name)) {
      this.outputList.push(value);
      return value;
    }
    if (producedHere && name !== undefined && !this.scope.isUsed(name)) {
      value.renameForOutput(this.scope.claim(name));
      this.outputList.push(value);
      return value;
    }
    const copy = this.node1('Identity', [value], {}, { dtype: value.dtype, shape: value.shape, ...(name === undefined ? {} : { name }) });
    this.outputList.push(copy);
    return copy;
  }

  /** A child graph (a Loop or If body) that shares this model's names and constants. */
  subgraph(name?: string): GraphBuilder {
    return new GraphBuilder(name === undefined ? {} : { name }, this);
  }

  /** ModelProto bytes of this (root) graph; unoptimized, so they are portable across hardware. */
  encode(options?: EncodeOptions): Uint8Array {
    if (this.parent) throw new Error('encode() is called on the root graph, not on a subgraph');
    return encodeModel(this, options);
  }
}

/** Whether every dim of `value` is known. */
export function hasStaticShape(value: Value): boolean {
  return isStatic(value.shape);
}
