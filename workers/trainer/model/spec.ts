/**
 * What a model is: the user-facing spec (MLP classifier or regressor; zero hidden layers is
 * logistic or linear regression), its resolved form with every default filled in, and the layout
 * of its parameters in ONE flat float32 vector θ.
 *
 * The layout follows PyTorch's `state_dict` order and shapes for the equivalent
 * `nn.Sequential(Linear, [LayerNorm], act, [Dropout], …, Linear)`: weights are [out, in] and
 * applied with Gemm transB, so θ can be compared with, or loaded from, a PyTorch model by name.
 * Image models put `[Conv2d(k, padding=k//2), act, [MaxPool2d(2)|AvgPool2d(2)]]…, Flatten` in
 * front; their kernels come first in θ, [out, in, k, k] as PyTorch stores them.
 */
import { invalid } from '../../../shared/errors';

export type Activation = 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid' | 'gelu';
export const ACTIVATIONS: readonly Activation[] = ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'gelu'];

export type Task = 'classification' | 'regression';
export type RegressionLoss = 'mse' | 'huber';

export interface ModelSpec {
  readonly task: Task;
  /** Number of input features. */
  readonly inputs: number;
  /** Widths of the hidden layers; [] gives logistic (classification) or linear (regression) regression. */
  readonly hidden?: readonly number[];
  /** Default 'relu'. leaky_relu uses PyTorch's slope 0.01; gelu is the tanh approximation (see graph/ops/nn.ts). */
  readonly activation?: Activation;
  /** Dropout after each hidden activation, in [0, 1); default 0. */
  readonly dropout?: number;
  /** LayerNorm (PyTorch defaults: ε 1e-5, γ=1, β=0) after each hidden Linear, before the activation. */
  readonly layerNorm?: boolean;
  /** Classification: number of classes, ≥ 2. */
  readonly classes?: number;
  /**
   * Classification with 2 classes: 'sigmoid' (default) is one logit with binary cross-entropy, the
   * textbook logistic regression; 'softmax' is two logits with cross-entropy like any C.
   */
  readonly binaryHead?: 'sigmoid' | 'softmax';
  /** Regression: number of targets per row; default 1. */
  readonly outputs?: number;
  /** Regression loss; default 'mse'. */
  readonly loss?: RegressionLoss;
  /** Huber's delta (PyTorch HuberLoss), default 1. */
  readonly huberDelta?: number;
  /** Image models: the input is C×H×W pixels (flattened per row) through a conv stack before the MLP. */
  readonly image?: ImageInputSpec;
}

export type PoolKind = 'max' | 'avg' | 'none';

export interface ConvLayerSpec {
  readonly filters: number;
  /** Odd, so "same" padding (k // 2) keeps the size; default 3. */
  readonly kernel?: number;
  /** 2×2, stride 2 after the activation; default 'max'. */
  readonly pool?: PoolKind;
}

export interface ImageInputSpec {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly conv: readonly ConvLayerSpec[];
}

/** One Conv → activation → [pool] block with the sizes it sees. */
export interface ResolvedConvLayer {
  readonly filters: number;
  readonly kernel: number;
  readonly pool: PoolKind;
  readonly inChannels: number;
  /** Size after the conv and pool. */
  readonly outHeight: number;
  readonly outWidth: number;
}

export interface ResolvedImageInput {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly conv: readonly ResolvedConvLayer[];
  /** Values per image after the conv stack: what the first Linear reads. */
  readonly flat: number;
}

/** The head decides the loss and the metric: softmax CE, sigmoid BCE, or a linear output with MSE/Huber. */
export type Head = 'softmax' | 'sigmoid' | 'linear';

export interface ResolvedModelSpec {
  readonly task: Task;
  readonly inputs: number;
  readonly hidden: readonly number[];
  readonly activation: Activation;
  readonly dropout: number;
  readonly layerNorm: boolean;
  /** Classes for classification, 0 for regression. */
  readonly classes: number;
  readonly head: Head;
  /** Width of the last Linear: C (softmax), 1 (sigmoid), targets (linear). */
  readonly headUnits: number;
  readonly loss: RegressionLoss | 'cross_entropy' | 'binary_cross_entropy';
  readonly huberDelta: number;
  /** Image models: the conv stack in front of the MLP; null for tabular models. */
  readonly image: ResolvedImageInput | null;
}

export function resolveModelSpec(spec: ModelSpec): ResolvedModelSpec {
  const hidden = [...(spec.hidden ?? [])];
  positiveInt('inputs', spec.inputs);
  hidden.forEach((w, i) => positiveInt(`hidden[${i}]`, w));
  const activation = spec.activation ?? 'relu';
  if (!ACTIVATIONS.includes(activation)) throw invalid(`unknown activation "${String(activation)}"; use one of ${ACTIVATIONS.join(', ')}`);
  const dropout = spec.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw invalid(`dropout must be in [0, 1), got ${dropout}`);
  const huberDelta = spec.huberDelta ?? 1;
  if (!(huberDelta > 0)) throw invalid(`huberDelta must be positive, got ${huberDelta}`);
  const image = spec.image ? resolveImage(spec.image, spec.inputs) : null;
  const common = { inputs: spec.inputs, hidden, activation, dropout, layerNorm: spec.layerNorm ?? false, huberDelta, image };
  if (spec.task === 'classification') {
    const classes = spec.classes ?? 0;
    if (!Number.isInteger(classes) || classes < 2) throw invalid(`classification needs at least 2 classes, got ${spec.classes ?? 'none'}`);
    const sigmoid = classes === 2 && (spec.binaryHead ?? 'sigmoid') === 'sigmoid';
    return sigmoid
      ? { ...common, task: 'classification', classes, head: 'sigmoid', headUnits: 1, loss: 'binary_cross_entropy' }
      : { ...common, task: 'classification', classes, head: 'softmax', headUnits: classes, loss: 'cross_entropy' };
  }
  if (spec.task !== 'regression') throw invalid(`unknown task "${String(spec.task)}"; use classification or regression`);
  const outputs = spec.outputs ?? 1;
  positiveInt('outputs', outputs);
  const loss = spec.loss ?? 'mse';
  if (loss !== 'mse' && loss !== 'huber') throw invalid(`unknown regression loss "${String(loss)}"; use mse or huber`);
  return { ...common, task: 'regression', classes: 0, head: 'linear', headUnits: outputs, loss };
}

function resolveImage(image: ImageInputSpec, inputs: number): ResolvedImageInput {
  positiveInt('image.channels', image.channels);
  positiveInt('image.height', image.height);
  positiveInt('image.width', image.width);
  if (image.channels * image.height * image.width !== inputs) {
    throw invalid(`an image of ${image.channels}×${image.height}×${image.width} has ${image.channels * image.height * image.width} values, but the model reads ${inputs}`);
  }
  let channels = image.channels;
  let height = image.height;
  let width = image.width;
  const conv = image.conv.map((layer, i): ResolvedConvLayer => {
    positiveInt(`conv[${i}].filters`, layer.filters);
    const kernel = layer.kernel ?? 3;
    if (!Number.isInteger(kernel) || kernel < 1 || kernel % 2 === 0) throw invalid(`conv[${i}].kernel must be an odd positive integer (same padding), got ${kernel}`);
    const pool = layer.pool ?? 'max';
    if (pool !== 'max' && pool !== 'avg' && pool !== 'none') throw invalid(`conv[${i}].pool must be max, avg or none, got ${String(pool)}`);
    if (pool !== 'none') {
      if (height < 2 || width < 2) throw invalid(`conv[${i}] pools a ${height}×${width} map; use a larger image or fewer pooling layers`);
      height = Math.floor(height / 2);
      width = Math.floor(width / 2);
    }
    const resolved = { filters: layer.filters, kernel, pool, inChannels: channels, outHeight: height, outWidth: width };
    channels = layer.filters;
    return resolved;
  });
  return { channels: image.channels, height: image.height, width: image.width, conv, flat: channels * height * width };
}

function positiveInt(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw invalid(`${name} must be a positive integer, got ${value}`);
}

export type ParamKind = 'weight' | 'bias' | 'norm_weight' | 'norm_bias';

export interface ParamEntry {
  /** PyTorch-style name: layers.0.weight, norms.0.bias, head.weight, … */
  readonly name: string;
  readonly kind: ParamKind;
  readonly shape: readonly number[];
  /** Start index in θ. */
  readonly offset: number;
  readonly size: number;
  /** in_features of the Linear the entry belongs to (what PyTorch's init bounds depend on). */
  readonly fanIn: number;
}

export interface ParamLayout {
  readonly entries: readonly ParamEntry[];
  /** Length of θ. */
  readonly size: number;
}

/** A Linear (and optional LayerNorm) of the network, with its entries in θ. */
export interface LayerLayout {
  readonly weight: ParamEntry;
  readonly bias: ParamEntry;
  readonly norm: { readonly weight: ParamEntry; readonly bias: ParamEntry } | null;
  readonly units: number;
  readonly isHead: boolean;
}

/** A Conv block's kernel [filters, in, k, k] and bias [filters] in θ (PyTorch's Conv2d shapes). */
export interface ConvLayout {
  readonly weight: ParamEntry;
  readonly bias: ParamEntry;
  readonly layer: ResolvedConvLayer;
}

/** The conv stack's entries, first in θ (as nn.Sequential(conv…, flatten, linear…) orders them). */
export function convLayouts(spec: ResolvedModelSpec): ConvLayout[] {
  let offset = 0;
  return (spec.image?.conv ?? []).map((layer, i) => {
    const fanIn = layer.inChannels * layer.kernel * layer.kernel;
    const weightShape = [layer.filters, layer.inChannels, layer.kernel, layer.kernel];
    const weight = { name: `conv.${i}.weight`, kind: 'weight' as const, shape: weightShape, offset, size: layer.filters * fanIn, fanIn };
    offset += weight.size;
    const bias = { name: `conv.${i}.bias`, kind: 'bias' as const, shape: [layer.filters], offset, size: layer.filters, fanIn };
    offset += bias.size;
    return { weight, bias, layer };
  });
}

function convSize(spec: ResolvedModelSpec): number {
  const last = convLayouts(spec).at(-1);
  return last ? last.bias.offset + last.bias.size : 0;
}

export function layerLayouts(spec: ResolvedModelSpec): LayerLayout[] {
  const layers: LayerLayout[] = [];
  let offset = convSize(spec);
  const entry = (name: string, kind: ParamKind, shape: number[], fanIn: number): ParamEntry => {
    const size = shape.reduce((a, b) => a * b, 1);
    const e = { name, kind, shape, offset, size, fanIn };
    offset += size;
    return e;
  };
  let fanIn = spec.image ? spec.image.flat : spec.inputs;
  spec.hidden.forEach((units, i) => {
    const weight = entry(`layers.${i}.weight`, 'weight', [units, fanIn], fanIn);
    const bias = entry(`layers.${i}.bias`, 'bias', [units], fanIn);
    const norm = spec.layerNorm ? { weight: entry(`norms.${i}.weight`, 'norm_weight', [units], units), bias: entry(`norms.${i}.bias`, 'norm_bias', [units], units) } : null;
    layers.push({ weight, bias, norm, units, isHead: false });
    fanIn = units;
  });
  const weight = entry('head.weight', 'weight', [spec.headUnits, fanIn], fanIn);
  const bias = entry('head.bias', 'bias', [spec.headUnits], fanIn);
  layers.push({ weight, bias, norm: null, units: spec.headUnits, isHead: true });
  return layers;
}

export function paramLayout(spec: ResolvedModelSpec): ParamLayout {
  const conv = convLayouts(spec).flatMap((c) => [c.weight, c.bias]);
  const entries = [...conv, ...layerLayouts(spec).flatMap((l) => [l.weight, l.bias, ...(l.norm ? [l.norm.weight, l.norm.bias] : [])])];
  const last = entries[entries.length - 1]!;
  return { entries, size: last.offset + last.size };
}

/** A view of one parameter's values inside θ (no copy). */
export function paramView(theta: Float32Array, entry: ParamEntry): Float32Array {
  return theta.subarray(entry.offset, entry.offset + entry.size);
}
