/**
 * `exportModel`: the trained MLP as a forward-only ONNX model that takes the RAW columns (one graph
 * input each, named like the column) and returns predictions, with the training data's
 * preprocessing replayed inside the graph (preprocess.ts), plus the MLflow files beside it.
 *
 * Graph: raw inputs → preprocessing in double → one Cast to float [N, F] → the same forward graph
 * training validates with (model/forward.ts `buildInference`) → outputs:
 * - classification: `label` (string [N], the class name: LabelEncoder over the predicted index)
 *   and `probability_<class>` (float [N], one per class, in class order);
 * - regression: `prediction` (float [N, targets]).
 * Weights are one initializer per parameter named like PyTorch's state_dict keys
 * (`layers.0.weight`…), so the file reads like the equivalent nn.Sequential in Netron.
 */
import { invalid } from '../../../shared/errors';
import { GraphBuilder, attr, op, tensorData } from '../graph/index';
import { type InferenceOutputs, buildInference } from '../model/forward';
import { paramLayout, paramView } from '../model/spec';
import { environmentFiles, mlmodelText } from './mlmodel';
import { bakeFeatures } from './preprocess';
import { type ExportOutput, ML_DOMAIN, encodeExport } from './proto';
import { type ExportInput, type ExportResult, LABEL_OUTPUT, PREDICTION_OUTPUT, type Signature, probabilityOutput } from './types';

export function exportModel(input: ExportInput): ExportResult {
  const { spec, theta, featureNames } = input;
  const layout = paramLayout(spec);
  if (theta.length !== layout.size) throw invalid(`θ has ${theta.length} values; this model has ${layout.size}`);
  if (featureNames.length !== spec.inputs) throw invalid(`the model reads ${spec.inputs} features, but ${featureNames.length} feature names were given`);
  const classes = spec.task === 'classification' ? checkClasses(input.classes, spec.classes) : [];

  const g = new GraphBuilder({ name: 'trainyard_model' });
  const baked = bakeFeatures(g, featureNames, input.preprocessing);
  const params = new Map(layout.entries.map((entry) => [entry.name, g.initializer(entry.name, tensorData('float', entry.shape, Float32Array.from(paramView(theta, entry))))]));
  const inference = buildInference(g, spec, (entry) => params.get(entry.name)!, baked.features);

  const outputs = modelOutputs(g, spec, inference, classes);

  const signature: Signature = {
    inputs: baked.inputs.map((raw) => ({ name: raw.name, type: raw.kind })),
    outputs: outputs.map((output) => ({ name: output.name, type: output.string ? 'string' : 'float' })),
  };
  const onnx = encodeExport(g, {
    inputs: baked.inputs,
    outputs,
    docString: describeModel(input, baked.inputs.length),
    metadata: {
      'trainyard.task': spec.task,
      'trainyard.features': JSON.stringify(featureNames),
      ...(spec.task === 'classification' ? { 'trainyard.classes': JSON.stringify(classes) } : {}),
      'trainyard.preprocessing': input.preprocessing ? 'baked' : 'none',
    },
  });
  return {
    onnx,
    mlmodel: mlmodelText({ signature, modelSizeBytes: onnx.length, ...(input.mlmodel ? { options: input.mlmodel } : {}) }),
    signature,
    files: environmentFiles(),
    preprocessingBaked: input.preprocessing !== undefined,
  };
}

/** `label` + one `probability_<class>` per class (classification), or `prediction` (regression). */
export function modelOutputs(g: GraphBuilder, spec: ExportInput['spec'], inference: InferenceOutputs, classes: readonly string[]): ExportOutput[] {
  if (spec.task !== 'classification') return [{ value: inference.output, name: PREDICTION_OUTPUT, string: false }];
  const labelAttrs = { keys_int64s: attr.ints(classes.map((_, i) => i)), values_strings: attr.strings(classes), default_string: attr.string('') };
  // Declared int64 to the builder, which has no string type; proto.ts retypes the output.
  const [label] = g.node('LabelEncoder', [inference.label!], labelAttrs, [{ dtype: 'int64', shape: inference.label!.shape }], ML_DOMAIN);
  const outputs: ExportOutput[] = [{ value: label!, name: LABEL_OUTPUT, string: true }];
  const columns = op.split(g, inference.probabilities!, classes.map(() => 1), 1);
  columns.forEach((column, k) => outputs.push({ value: op.squeeze(g, column, [1]), name: probabilityOutput(classes[k]!), string: false }));
  return outputs;
}

export function checkClasses(classes: readonly string[] | undefined, count: number): readonly string[] {
  if (!classes || classes.length !== count) throw invalid(`a classifier with ${count} classes needs their ${count} names, got ${classes ? classes.length : 'none'}`);
  const duplicate = classes.find((name, i) => classes.indexOf(name) !== i);
  if (duplicate !== undefined) throw invalid(`the class name ${JSON.stringify(duplicate)} appears twice`);
  return classes;
}

function describeModel({ spec, preprocessing }: ExportInput, inputs: number): string {
  const shape = [spec.inputs, ...spec.hidden, spec.headUnits].join('→');
  const head = spec.task === 'classification' ? `${spec.classes}-class ${spec.head} classifier` : 'regressor';
  const prep = preprocessing ? `, preprocessing of ${preprocessing.steps.length} step(s) baked in` : '';
  return `Trainyard MLP ${shape} (${spec.activation}), ${head}; ${inputs} raw column input(s)${prep}.`;
}
