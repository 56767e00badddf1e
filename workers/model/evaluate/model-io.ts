/**
 * What an evaluation needs to know about a model file before reading any data: the inputs it
 * takes (one raw column each, or one `image` tensor), whether it classifies or regresses (told by
 * its outputs, as export writes them: `label` + `probability_<class>`, or `prediction`), its
 * classes, and for an image model how to prepare the pixels (its `trainyard.image` metadata).
 */
import { invalid } from '../../../shared/errors';
import { type OnnxTypes, onnx } from '../../trainer/graph/onnx';
import { IMAGE_INPUT } from '../../trainer/export/image-export';
import { LABEL_OUTPUT, PREDICTION_OUTPUT } from '../../trainer/export/types';

const PROBABILITY_PREFIX = 'probability_';

/** TensorProto.DataType values a column can be fed as. */
export const ELEMENT = { float: 1, int32: 6, int64: 7, string: 8, bool: 9, double: 11 } as const;

export interface ModelInput {
  readonly name: string;
  /** TensorProto.DataType. */
  readonly elemType: number;
  /** Declared dimensions; null where symbolic or unknown. */
  readonly dims: readonly (number | null)[];
}

export type ModelTask =
  | { readonly task: 'classification'; readonly classes: readonly string[]; /** One `probability_<class>` output per class, in class order. */ readonly probabilityOutputs: readonly string[]; readonly hasLabel: boolean }
  | { readonly task: 'regression' };

/** How the trainer prepared images (`trainyard.image`): decode, stretch to width × height, RGB or luminance, 0–255. */
export interface ImageSettings {
  readonly width: number;
  readonly height: number;
  readonly colour: 'rgb' | 'grayscale';
}

export interface EvaluatedModel {
  readonly inputs: readonly ModelInput[];
  readonly kind: ModelTask;
  /** Set for an image model: its only input is the `image` tensor. */
  readonly image: ImageSettings | null;
}

export function describeModel(bytes: Uint8Array, name: string): EvaluatedModel {
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw invalid(`${name} is not an ONNX model: ${error instanceof Error ? error.message : String(error)}`);
  }
  const graph = model.graph;
  if (!graph) throw invalid(`${name} is not an ONNX model: it has no graph.`);
  // Models from older exporters also list their weights as inputs; nobody feeds those.
  const initializers = new Set((graph.initializer ?? []).map((init) => init.name));
  const inputs = (graph.input ?? [])
    .filter((input) => !initializers.has(input.name ?? ''))
    .map((input): ModelInput => {
      const tensor = input.type?.tensorType;
      return { name: input.name ?? '', elemType: tensor?.elemType ?? 0, dims: (tensor?.shape?.dim ?? []).map((dim) => (dim.dimValue !== undefined && dim.dimValue !== null && Number(dim.dimValue) > 0 ? Number(dim.dimValue) : null)) };
    });
  const outputs = (graph.output ?? []).map((output) => output.name ?? '');
  const metadata = new Map((model.metadataProps ?? []).map((prop) => [prop.key ?? '', prop.value ?? '']));
  return { inputs, kind: taskOf(outputs, name), image: imageSettings(inputs, metadata, name) };
}

function taskOf(outputs: readonly string[], name: string): ModelTask {
  const probabilityOutputs = outputs.filter((output) => output.startsWith(PROBABILITY_PREFIX));
  if (probabilityOutputs.length >= 2) return { task: 'classification', classes: probabilityOutputs.map((output) => output.slice(PROBABILITY_PREFIX.length)), probabilityOutputs, hasLabel: outputs.includes(LABEL_OUTPUT) };
  if (outputs.includes(PREDICTION_OUTPUT)) return { task: 'regression' };
  throw invalid(
    `${name} has the outputs ${outputs.map((output) => JSON.stringify(output)).join(', ') || '(none)'}; evaluation needs a classifier's "${LABEL_OUTPUT}" and "${PROBABILITY_PREFIX}<class>" outputs (two classes or more) or a regressor's "${PREDICTION_OUTPUT}", as Trainyard exports them.`,
  );
}

function imageSettings(inputs: readonly ModelInput[], metadata: ReadonlyMap<string, string>, name: string): ImageSettings | null {
  const text = metadata.get('trainyard.image');
  const image = inputs.find((input) => input.name === IMAGE_INPUT && input.dims.length === 4);
  if (text === undefined) {
    if (image && inputs.length === 1) throw invalid(`${name} takes an image tensor but has no trainyard.image metadata, so how to resize its images is unknown.`);
    return null;
  }
  if (!image || inputs.length !== 1) throw invalid(`${name} has trainyard.image metadata but not a single [N, C, H, W] "${IMAGE_INPUT}" input.`);
  let parsed: { resize?: { width?: unknown; height?: unknown }; colour?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw invalid(`${name}'s trainyard.image metadata is not JSON.`);
  }
  const width = Number(parsed.resize?.width);
  const height = Number(parsed.resize?.height);
  const colour = parsed.colour;
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0) || (colour !== 'rgb' && colour !== 'grayscale')) {
    throw invalid(`${name}'s trainyard.image metadata lacks a resize width and height or a colour (rgb, grayscale): ${text}`);
  }
  const [, channels, h, w] = image.dims;
  const expected = colour === 'rgb' ? 3 : 1;
  if ((channels !== null && channels !== undefined && channels !== expected) || (h !== null && h !== undefined && h !== height) || (w !== null && w !== undefined && w !== width)) {
    throw invalid(`${name}'s image input is [N, ${image.dims.slice(1).map((d) => d ?? '?').join(', ')}] but its metadata says ${colour} ${width}×${height}.`);
  }
  return { width, height, colour };
}
