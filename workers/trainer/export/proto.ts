/**
 * Turns the built graph into the exported ModelProto. The graph builder is made for training
 * graphs: numeric types only and identifier-like names. An exported model also needs
 * - string inputs and a string `label` output (built as int64 placeholders, retyped here: they
 *   are only ever graph inputs and outputs, never intermediate values, so no value_info changes);
 * - names that are arbitrary text: an input is named exactly like its DataFrame column (MLflow's
 *   onnx pyfunc feeds `data[input.name]`), and a probability output after its class;
 * - input shapes as MLflow feeds them: [N] each, or [N, 1] for a model with a single input (the
 *   graph reshapes to [N, 1] itself either way);
 * - the ai.onnx.ml opset for LabelEncoder.
 */
import { invalid } from '../../../shared/errors';
import type { GraphBuilder, Value } from '../graph/index';
import { IR_VERSION, OPSET } from '../graph/index';
import { graphToProto } from '../graph/model';
import { onnx, type OnnxTypes } from '../graph/onnx';
import type { RawInput } from './columns';

/** ONNX 1.12 pairs opset 17 with ai.onnx.ml 3 (LabelEncoder is version 2 there). */
export const ML_DOMAIN = 'ai.onnx.ml';
export const ML_OPSET = 3;
const STRING_TYPE = 8;

export interface ExportOutput {
  readonly value: Value;
  readonly name: string;
  readonly string: boolean;
}

export interface ProtoOptions {
  readonly inputs: readonly RawInput[];
  readonly outputs: readonly ExportOutput[];
  readonly docString: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Tensor inputs (images) keep the shape they were built with instead of MLflow's column shapes. */
  readonly keepInputShapes?: boolean;
}

export function encodeExport(g: GraphBuilder, options: ProtoOptions): Uint8Array {
  const outputs = options.outputs.map((output) => ({ ...output, placeholder: g.output(output.value).name }));
  const graph = graphToProto(g);
  const publicNames = [...options.inputs.map((input) => input.name), ...outputs.map((output) => output.name)];
  const clash = publicNames.find((name, i) => publicNames.indexOf(name) !== i);
  if (clash !== undefined) throw invalid(`cannot export: ${JSON.stringify(clash)} would name both a raw input column and an output (or two outputs); rename that column`);

  const renames = new Map<string, string>();
  options.inputs.forEach((input) => renames.set(input.value.name, input.name));
  outputs.forEach((output) => renames.set(output.placeholder, output.name));
  // An internal value that happens to carry a public name (a column called "const_3") moves aside.
  const taken = new Set([...allNames(graph), ...publicNames]);
  for (const name of allNames(graph)) {
    if (renames.has(name) || !publicNames.includes(name)) continue;
    let n = 1;
    while (taken.has(`${name}__${n}`)) n++;
    taken.add(`${name}__${n}`);
    renames.set(name, `${name}__${n}`);
  }
  applyRenames(graph, renames);

  const kinds = new Map(options.inputs.map((input) => [input.name, input.kind]));
  const order = new Map(options.inputs.map((input, i) => [input.name, i]));
  graph.input = [...(graph.input ?? [])].sort((a, b) => (order.get(a.name!) ?? 0) - (order.get(b.name!) ?? 0));
  // MLflow's onnx pyfunc feeds `data[name].values` ([N]) to a model with several inputs, but
  // `data.values` ([N, 1]) to one with a single input; ONNX checks the rank, and onnx.checker
  // requires a declared shape, so the shape follows the input count.
  const shape = graph.input.length === 1 ? { dim: [{ dimParam: 'N' }, { dimValue: 1 }] } : { dim: [{ dimParam: 'N' }] };
  for (const input of graph.input) {
    const tensor = input.type!.tensorType!;
    if (!options.keepInputShapes) tensor.shape = shape;
    if (kinds.get(input.name!) === 'string') tensor.elemType = STRING_TYPE;
  }
  const stringOutputs = new Set(outputs.filter((output) => output.string).map((output) => output.name));
  for (const output of graph.output ?? []) {
    if (stringOutputs.has(output.name!)) output.type!.tensorType!.elemType = STRING_TYPE;
  }

  const usesMl = (graph.node ?? []).some((node) => node.domain === ML_DOMAIN);
  const model: OnnxTypes.IModelProto = {
    irVersion: IR_VERSION,
    producerName: 'trainyard',
    opsetImport: [{ domain: '', version: OPSET }, ...(usesMl ? [{ domain: ML_DOMAIN, version: ML_OPSET }] : [])],
    graph,
    docString: options.docString,
    metadataProps: Object.entries(options.metadata).map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(model).finish();
}

function allNames(graph: OnnxTypes.IGraphProto): Set<string> {
  const names = new Set<string>();
  for (const value of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.initializer ?? [])]) names.add(value.name!);
  for (const node of graph.node ?? []) for (const name of [...(node.input ?? []), ...(node.output ?? [])]) if (name) names.add(name);
  return names;
}

function applyRenames(graph: OnnxTypes.IGraphProto, renames: ReadonlyMap<string, string>): void {
  const rename = (name: string): string => renames.get(name) ?? name;
  for (const value of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.initializer ?? [])]) value.name = rename(value.name!);
  for (const node of graph.node ?? []) {
    node.input = (node.input ?? []).map((name) => (name ? rename(name) : name));
    node.output = (node.output ?? []).map(rename);
  }
}

/** What a model file declares, read back (verify.ts feeds inputs by their declared type). */
export function declaredIo(bytes: Uint8Array): { inputs: { name: string; elemType: number; rank: number }[]; outputs: string[] } {
  const model = onnx.ModelProto.decode(bytes);
  const inputs = (model.graph?.input ?? []).map((input) => {
    const tensor = input.type?.tensorType;
    return { name: input.name ?? '', elemType: tensor?.elemType ?? 0, rank: tensor?.shape?.dim?.length ?? 1 };
  });
  return { inputs, outputs: (model.graph?.output ?? []).map((output) => output.name ?? '') };
}

export const ELEM_TYPE = { float: 1, bool: 9, double: 11, string: STRING_TYPE } as const;
