/**
 * Bringing your own model: a `.onnx` file trained elsewhere is checked (it decodes as an ONNX
 * ModelProto with a graph, and onnxruntime creates a session from it) and described — inputs and
 * outputs with their types and shapes — so it can sit in the registry beside trained models, with an
 * MLmodel file whose signature is made of tensor specs read from the graph.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import { WorkbenchError } from '../../shared/errors';
import type { InspectResult, OnnxModelInfo, TensorInfo } from '../../shared/models';
import { type OnnxTypes, onnx } from '../trainer/graph/onnx';
import { environmentFiles, mlmodelText } from '../trainer/export/index';

/** TensorProto.DataType → numpy's dtype name, as MLflow's tensor specs spell it. */
const NUMPY: Readonly<Record<number, string>> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'str', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64',
};

const bad = (message: string): never => {
  throw new WorkbenchError('INVALID_ARGUMENT', message);
};

export async function inspectOnnx(file: string, runId?: string): Promise<InspectResult> {
  const name = basename(file);
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => bad(`Cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`));
  if (bytes.length === 0) bad(`${name} is empty, not an ONNX model.`);
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    return bad(`${name} is not an ONNX model: it does not decode as one (${error instanceof Error ? error.message : String(error)}).`);
  }
  // Protobuf decodes many byte strings without complaint; a model has an IR version and a graph with nodes.
  const graph = model.graph;
  if (!model.irVersion || !graph || (graph.node ?? []).length === 0) bad(`${name} is not an ONNX model: it has no ${!model.irVersion ? 'IR version' : 'graph nodes'}.`);
  let session: InferenceSession | null = null;
  try {
    session = await InferenceSession.create(bytes);
  } catch (error) {
    bad(`onnxruntime cannot load ${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  } finally {
    await session?.release();
  }
  const initializers = new Set((graph!.initializer ?? []).map((init) => init.name));
  const info: OnnxModelInfo = {
    // Models from older exporters also list their weights as inputs; those are not fed by a caller.
    inputs: (graph!.input ?? []).filter((value) => !initializers.has(value.name ?? '')).map(describe),
    outputs: (graph!.output ?? []).map(describe),
    irVersion: Number(model.irVersion),
    opsets: (model.opsetImport ?? []).map((opset) => ({ domain: opset.domain || 'ai.onnx', version: Number(opset.version ?? 0) })),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' ') || 'unknown',
    nodes: (graph!.node ?? []).length,
    sizeBytes: bytes.length,
  };
  const signature = {
    inputs: [],
    outputs: [],
    inputTensors: info.inputs.map(tensorSpec),
    outputTensors: info.outputs.map(tensorSpec),
  };
  const mlmodel = mlmodelText({ signature, modelSizeBytes: bytes.length, options: { ...(runId ? { runId } : {}), artifactPath: 'model', metadata: { 'trainyard.source': name, 'trainyard.producer': info.producer } } });
  return { info, mlmodel, files: environmentFiles() };
}

function describe(value: OnnxTypes.IValueInfoProto): TensorInfo {
  const tensor = value.type?.tensorType;
  const dims = tensor?.shape?.dim ?? [];
  return {
    name: value.name ?? '',
    dtype: NUMPY[tensor?.elemType ?? 0] ?? `onnx:${tensor?.elemType ?? 'non-tensor'}`,
    shape: dims.map((dim) => (dim.dimValue !== undefined && dim.dimValue !== null && Number(dim.dimValue) > 0 ? Number(dim.dimValue) : -1)),
  };
}

function tensorSpec(tensor: TensorInfo) {
  return { name: tensor.name, dtype: tensor.dtype, shape: tensor.shape };
}
