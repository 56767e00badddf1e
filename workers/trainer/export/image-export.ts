/**
 * `exportImageModel`: a trained CNN as a forward-only ONNX model over RAW image tensors. The one
 * input `image` is float [N, C, H, W] holding 0–255 pixel values of an image already resized to
 * H × W (channel-major, RGB or luminance); the per-channel normalization training used,
 * (pixel / 255 − mean) / std, is the graph's first two ops. Outputs as for tables: `label` and one
 * `probability_<class>` per class. The resize and channel settings are written to the model's
 * metadata so a caller can prepare images the way training did.
 */
import { GraphBuilder, op, tensorData } from '../graph/index';
import { buildInference } from '../model/forward';
import { type ResolvedModelSpec, paramLayout, paramView } from '../model/spec';
import { checkClasses, modelOutputs } from './export';
import { environmentFiles, mlmodelText } from './mlmodel';
import { encodeExport } from './proto';
import type { ExportResult, MlmodelOptions, Signature } from './types';

export const IMAGE_INPUT = 'image';

export interface ImageExportInput {
  readonly spec: ResolvedModelSpec;
  readonly theta: Float32Array;
  readonly classes: readonly string[];
  /** Per-channel statistics of [0, 1]-scaled pixels that training normalized with. */
  readonly normalization: { readonly mean: readonly number[]; readonly std: readonly number[] };
  readonly colour: 'rgb' | 'grayscale';
  readonly mlmodel?: MlmodelOptions;
}

export function exportImageModel(input: ImageExportInput): ExportResult {
  const { spec, theta, normalization } = input;
  const image = spec.image;
  if (!image) throw new Error('exportImageModel needs an image model');
  const layout = paramLayout(spec);
  if (theta.length !== layout.size) throw new Error(`θ has ${theta.length} values; this model has ${layout.size}`);
  const classes = checkClasses(input.classes, spec.classes);
  const { channels: c, height: h, width: w } = image;

  const g = new GraphBuilder({ name: 'trainyard_image_model' });
  const x = g.input(IMAGE_INPUT, 'float', ['N', c, h, w]);
  // The same float32 constants and op order as the trainer's normalize(): x·scale − shift.
  const scale = Float32Array.from({ length: c }, (_, k) => 1 / (255 * normalization.std[k]!));
  const shift = Float32Array.from({ length: c }, (_, k) => normalization.mean[k]! / normalization.std[k]!);
  const scaled = op.mul(g, x, g.constant('float', [1, c, 1, 1], scale));
  const normalized = op.sub(g, scaled, g.constant('float', [1, c, 1, 1], shift));
  const rows = op.reshape(g, normalized, [-1, c * h * w]);
  const params = new Map(layout.entries.map((entry) => [entry.name, g.initializer(entry.name, tensorData('float', entry.shape, Float32Array.from(paramView(theta, entry))))]));
  const inference = buildInference(g, spec, (entry) => params.get(entry.name)!, rows);
  const outputs = modelOutputs(g, spec, inference, classes);

  const signature: Signature = {
    inputs: [],
    inputTensors: [{ name: IMAGE_INPUT, dtype: 'float32', shape: [-1, c, h, w] }],
    outputs: outputs.map((output) => ({ name: output.name, type: output.string ? 'string' : 'float' })),
  };
  const preprocessing = JSON.stringify({ resize: { width: w, height: h, fit: 'fill' }, colour: input.colour, layout: 'NCHW', range: [0, 255], mean: normalization.mean, std: normalization.std });
  const onnx = encodeExport(g, {
    inputs: [],
    outputs,
    keepInputShapes: true,
    docString: `Trainyard CNN (${image.conv.map((layer) => `${layer.filters}@${layer.kernel}×${layer.kernel}${layer.pool === 'none' ? '' : `+${layer.pool}pool`}`).join(', ')}; MLP ${[image.flat, ...spec.hidden, spec.headUnits].join('→')}), ${spec.classes}-class classifier over ${c}×${h}×${w} images with 0–255 pixel values; normalization baked in.`,
    metadata: {
      'trainyard.task': 'image_classification',
      'trainyard.classes': JSON.stringify(classes),
      'trainyard.image': preprocessing,
      'trainyard.preprocessing': 'baked',
    },
  });
  return {
    onnx,
    mlmodel: mlmodelText({ signature, modelSizeBytes: onnx.length, options: { ...input.mlmodel, metadata: { ...input.mlmodel?.metadata, 'trainyard.image': preprocessing } } }),
    signature,
    files: environmentFiles(),
    preprocessingBaked: true,
  };
}
