/**
 * ModelProto encoding. The opset is fixed at 17 (ONNX 1.12), whose ModelProto needs IR version 8.
 * What opset 17 implies for op signatures (the op helpers in ops/ follow it):
 * - ReduceSum, Squeeze, Unsqueeze, Split, Pad, Slice take axes/sizes/pads as int64 INPUTS (≥ 13);
 * - ReduceMean, ReduceMax, ReduceMin, ReduceSumSquare, ReduceL2 still take `axes` as an
 *   ATTRIBUTE (they move to inputs at 18);
 * - LayerNormalization exists (17); Gelu does not (20), so GELU is built from primitives;
 * - Dropout takes ratio and training_mode as inputs (≥ 12) and has a `seed` attribute.
 */
import type { Attr } from './attributes';
import type { GraphBuilder, NodeRecord, Value } from './builder';
import { DTYPE_CODE, type TensorData, rawBytes } from './dtype';
import { onnx, type OnnxTypes } from './onnx';
import { isUnknownDim } from './shape';

export const OPSET = 17;
export const IR_VERSION = 8;

export interface EncodeOptions {
  readonly producerName?: string;
  readonly docString?: string;
}

const utf8 = new TextEncoder();

export function encodeModel(graph: GraphBuilder, options: EncodeOptions = {}): Uint8Array {
  const model: OnnxTypes.IModelProto = {
    irVersion: IR_VERSION,
    producerName: options.producerName ?? 'trainyard',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: graphToProto(graph),
    ...(options.docString ? { docString: options.docString } : {}),
  };
  return onnx.ModelProto.encode(model).finish();
}

export function graphToProto(graph: GraphBuilder): OnnxTypes.IGraphProto {
  return {
    name: graph.name,
    node: graph.nodes.map(nodeToProto),
    input: graph.inputs.map(valueInfo),
    output: graph.outputs.map(valueInfo),
    initializer: graph.initializers.map(({ value, data }) => tensorToProto(data, value.name)),
  };
}

export function valueInfo(value: Value): OnnxTypes.IValueInfoProto {
  const dim = value.shape.map((d): OnnxTypes.TensorShapeProto.IDimension => {
    if (typeof d === 'number') return { dimValue: d };
    return isUnknownDim(d) ? {} : { dimParam: d };
  });
  return { name: value.name, type: { tensorType: { elemType: DTYPE_CODE[value.dtype], shape: { dim } } } };
}

export function tensorToProto(data: TensorData, name?: string): OnnxTypes.ITensorProto {
  return {
    ...(name === undefined ? {} : { name }),
    dataType: DTYPE_CODE[data.dtype],
    dims: [...data.dims],
    rawData: rawBytes(data.data),
  };
}

function nodeToProto(node: NodeRecord): OnnxTypes.INodeProto {
  return {
    name: node.name,
    opType: node.opType,
    domain: node.domain,
    input: node.inputs.map((input) => input?.name ?? ''),
    output: node.outputs.map((output) => output.name),
    attribute: Object.entries(node.attrs).map(([name, value]) => attributeToProto(name, value)),
  };
}

const T = onnx.AttributeProto.AttributeType;

function attributeToProto(name: string, a: Attr): OnnxTypes.IAttributeProto {
  switch (a.type) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'string':
      return { name, type: T.STRING, s: utf8.encode(a.value) };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...a.value] };
    case 'strings':
      return { name, type: T.STRINGS, strings: a.value.map((s) => utf8.encode(s)) };
    case 'tensor':
      return { name, type: T.TENSOR, t: tensorToProto(a.value) };
    case 'graph':
      return { name, type: T.GRAPH, g: graphToProto(a.value) };
  }
}
