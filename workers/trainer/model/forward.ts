/**
 * The forward graph of a model, shared by the training step (θ a graph input or a Loop-carried
 * value), validation, and export (θ an initializer, or one named initializer per parameter).
 * Nothing here knows about optimizers or sessions.
 *
 * Per hidden layer: Gemm(x, W, b, transB) → [LayerNorm] → activation → [dropout]. LayerNorm sits
 * before the activation (the usual MLP placement). Dropout only exists when a dropout key is
 * given (training); inference graphs never contain it, as in PyTorch's eval mode.
 */
import { type GraphBuilder, type TensorData, type Value, op, tensorData } from '../graph/index';
import { dropoutMaskGraph } from './dropout-mask';
import { type ParamEntry, type ResolvedModelSpec, convLayouts, layerLayouts, paramLayout, paramView } from './spec';

/** θ as one flat vector, or a lookup from layout entry to a value (e.g. separate initializers). */
export type ParamSource = Value | ((entry: ParamEntry) => Value);

export interface ForwardOptions {
  /** Training only: the step's dropout round keys (see dropout-mask.ts). Without them dropout is off. */
  readonly dropoutKeys?: readonly Value[];
  /** Forward-only (validation, export): no values kept for a backward pass, e.g. MaxPool's Indices. */
  readonly inference?: boolean;
}

/** PyTorch's nn.LeakyReLU default slope. */
export const LEAKY_RELU_SLOPE = 0.01;
/** PyTorch's nn.LayerNorm default ε. */
export const LAYER_NORM_EPS = 1e-5;

/** Head output [N, headUnits]: logits (classification) or predictions (regression). */
export function buildForward(g: GraphBuilder, spec: ResolvedModelSpec, params: ParamSource, x: Value, options: ForwardOptions = {}): Value {
  if (x.rank !== 2 || x.shape[1] !== spec.inputs) throw new Error(`the model wants inputs [N, ${spec.inputs}], got ${x}`);
  const layers = layerLayouts(spec);
  const take = typeof params === 'function' ? params : flatTaker(g, spec, params);
  const training = options.dropoutKeys !== undefined && spec.dropout > 0;
  const rows = x.shape[0];
  if (training && typeof rows !== 'number') throw new Error(`dropout masks need a static batch size, got ${x}`);
  let h = spec.image ? convStack(g, spec, take, x, options.inference ?? false) : x;
  layers.forEach((layer, i) => {
    h = op.gemm(g, h, take(layer.weight), take(layer.bias), { transB: true });
    if (layer.isHead) return;
    if (layer.norm) h = op.layerNorm(g, h, take(layer.norm.weight), take(layer.norm.bias), { epsilon: LAYER_NORM_EPS });
    h = activate(g, spec.activation, h);
    if (training) {
      const mask = dropoutMaskGraph(g, options.dropoutKeys!, i, rows as number, layer.units, spec.dropout);
      h = op.dropout(g, h, { ratio: spec.dropout, mask }).output;
    }
  });
  return h;
}

/**
 * Rows of C·H·W pixels → [N, C, H, W] → per block Conv (stride 1, same padding) → activation →
 * 2×2 stride-2 pool → flattened [N, flat] for the MLP. Rows stay flat everywhere else, so batches
 * are gathered from the data exactly as for tables.
 */
function convStack(g: GraphBuilder, spec: ResolvedModelSpec, take: (entry: ParamEntry) => Value, x: Value, inference: boolean): Value {
  const image = spec.image!;
  let h = op.reshape(g, x, [-1, image.channels, image.height, image.width]);
  for (const { weight, bias, layer } of convLayouts(spec)) {
    const pad = Math.floor(layer.kernel / 2);
    h = activate(g, spec.activation, op.conv(g, h, take(weight), take(bias), { pads: pad }));
    if (layer.pool === 'max') h = op.maxPool(g, h, { kernel: 2, strides: 2, indices: !inference });
    else if (layer.pool === 'avg') h = op.averagePool(g, h, { kernel: 2, strides: 2 });
  }
  return op.flatten(g, h, 1);
}

/** One Split of θ into every parameter (its gradient comes back as one Concat), weights reshaped. */
function flatTaker(g: GraphBuilder, spec: ResolvedModelSpec, theta: Value): (entry: ParamEntry) => Value {
  const layout = paramLayout(spec);
  if (theta.rank !== 1 || theta.shape[0] !== layout.size) throw new Error(`θ must be [${layout.size}], got ${theta}`);
  const pieces = layout.entries.length === 1 ? [theta] : op.split(g, theta, layout.entries.map((e) => e.size), 0);
  const byName = new Map<string, Value>();
  layout.entries.forEach((entry, i) => {
    const piece = pieces[i]!;
    byName.set(entry.name, entry.shape.length === 1 ? piece : op.reshape(g, piece, entry.shape as number[]));
  });
  return (entry) => byName.get(entry.name)!;
}

export function activate(g: GraphBuilder, activation: ResolvedModelSpec['activation'], x: Value): Value {
  switch (activation) {
    case 'relu':
      return op.relu(g, x);
    case 'leaky_relu':
      return op.leakyRelu(g, x, LEAKY_RELU_SLOPE);
    case 'tanh':
      return op.tanh(g, x);
    case 'sigmoid':
      return op.sigmoid(g, x);
    case 'gelu':
      return op.gelu(g, x);
  }
}

/** Mean loss over the batch. `y`: int64 [N] labels, or float [N, T] targets. */
export function buildLoss(g: GraphBuilder, spec: ResolvedModelSpec, out: Value, y: Value): Value {
  switch (spec.head) {
    case 'softmax':
      return op.softmaxCrossEntropy(g, out, y);
    case 'sigmoid':
      return op.binaryCrossEntropyWithLogits(g, out, labelsAsColumn(g, y, out.dtype));
    case 'linear':
      return spec.loss === 'huber' ? op.huber(g, out, y, spec.huberDelta) : op.meanSquaredError(g, out, y);
  }
}

function labelsAsColumn(g: GraphBuilder, y: Value, dtype: Value['dtype']): Value {
  return op.unsqueeze(g, op.cast(g, y, dtype), [1]);
}

/** Predicted class per row, int64 [N] (classification only). */
export function predictedClass(g: GraphBuilder, spec: ResolvedModelSpec, out: Value): Value {
  if (spec.head === 'sigmoid') return op.cast(g, op.squeeze(g, op.greater(g, out, 0), [1]), 'int64');
  return op.argMax(g, out, 1, false);
}

/**
 * The batch's metric as a sum, so batches of any size add up: correct predictions
 * (classification) or the sum of squared errors over all targets (regression; RMSE =
 * √(Σ / (rows·targets))). A rank-0 float.
 */
export function buildMetricSum(g: GraphBuilder, spec: ResolvedModelSpec, out: Value, y: Value): Value {
  if (spec.task === 'classification') {
    return op.reduceSum(g, op.cast(g, op.equal(g, predictedClass(g, spec, out), y), out.dtype), undefined, false);
  }
  const d = op.sub(g, out, y);
  return op.reduceSum(g, op.mul(g, d, d), undefined, false);
}

export interface InferenceOutputs {
  /** Head output: logits or regression predictions. */
  readonly output: Value;
  /** Classification: class probabilities [N, C] (sigmoid head: [1 − p, p]). */
  readonly probabilities?: Value;
  /** Classification: predicted class, int64 [N]. */
  readonly label?: Value;
}

/** Forward plus the inference heads, for evaluation and export. */
export function buildInference(g: GraphBuilder, spec: ResolvedModelSpec, params: ParamSource, x: Value): InferenceOutputs {
  const output = buildForward(g, spec, params, x, { inference: true });
  if (spec.task === 'regression') return { output };
  const probabilities = spec.head === 'sigmoid' ? sigmoidPair(g, output) : op.softmax(g, output, 1);
  return { output, probabilities, label: predictedClass(g, spec, output) };
}

function sigmoidPair(g: GraphBuilder, logit: Value): Value {
  const p = op.sigmoid(g, logit);
  return op.concat(g, [op.sub(g, 1, p), p], 1);
}

export interface InferenceGraphOptions {
  /** One initializer per parameter named by the layout (layers.0.weight, …) instead of one flat θ. */
  readonly separateInitializers?: boolean;
  readonly inputName?: string;
}

/**
 * A forward-only model with θ baked in as initializer(s): input `x` [N, inputs]; outputs
 * `logits`, `probabilities`, `label` (classification) or `predictions` (regression). The export
 * step (a later item) builds on `buildInference` to put preprocessing in front.
 */
export function addInferenceGraph(g: GraphBuilder, spec: ResolvedModelSpec, theta: Float32Array, options: InferenceGraphOptions = {}): InferenceOutputs {
  const layout = paramLayout(spec);
  if (theta.length !== layout.size) throw new Error(`θ has ${theta.length} values; this model has ${layout.size}`);
  const x = g.input(options.inputName ?? 'x', g.floatType, ['N', spec.inputs]);
  const params: ParamSource = options.separateInitializers
    ? initializerLookup(g, layout.entries, theta)
    : g.initializer('theta', floatTensor(g, [layout.size], theta));
  const outs = buildInference(g, spec, params, x);
  if (spec.task === 'regression') return { output: g.output(outs.output, 'predictions') };
  return { output: g.output(outs.output, 'logits'), probabilities: g.output(outs.probabilities!, 'probabilities'), label: g.output(outs.label!, 'label') };
}

function initializerLookup(g: GraphBuilder, entries: readonly ParamEntry[], theta: Float32Array): (entry: ParamEntry) => Value {
  const values = new Map(entries.map((e) => [e.name, g.initializer(e.name, floatTensor(g, e.shape, paramView(theta, e)))]));
  return (entry) => values.get(entry.name)!;
}

function floatTensor(g: GraphBuilder, dims: readonly number[], values: Float32Array): TensorData {
  return g.floatType === 'float' ? tensorData('float', dims, Float32Array.from(values)) : tensorData('double', dims, Float64Array.from(values));
}
