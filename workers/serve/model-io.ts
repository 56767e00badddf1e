/**
 * What a served model takes and gives, read from the loaded session (onnxruntime's own view, so
 * initializers that older exporters list as inputs are already left out), and how its answers are
 * shaped for MLflow clients.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { WorkbenchError } from '../../shared/errors';
import type { ServeReady } from '../../shared/worker-protocol';

/** The element types a request can be coerced into. */
export const feedTypes = ['float32', 'float64', 'string', 'bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'] as const;
export type FeedType = (typeof feedTypes)[number];

export interface InputSpec {
  readonly name: string;
  readonly type: FeedType;
  /** Declared dimensions, null where symbolic; null altogether when the rank is unknown. */
  readonly shape: readonly (number | null)[] | null;
  /** One value per row: declared `[N]` or `[N, 1]` (a DataFrame column, as MLflow feeds it). */
  readonly scalarRows: boolean;
}

export interface OutputSpec {
  readonly name: string;
  readonly type: string;
  readonly shape: readonly (number | null)[] | null;
}

/**
 * How predictions are written, following what MLflow returns for the same model:
 * - `records`: a Trainyard classifier (`label` + `probability_<class>`), one object per row;
 * - `prediction`: a Trainyard regressor, one number per row (a list per row with several targets);
 * - `tensors`: anything else, nested lists (a dict of them by output name when there are several).
 */
export type OutputStyle = 'records' | 'prediction' | 'tensors';

export interface ModelIo {
  readonly inputs: readonly InputSpec[];
  /** Tensor outputs only: a sequence or map output (sklearn's ZipMap) cannot be sent as JSON by onnxruntime-node, so it is not fetched. */
  readonly outputs: readonly OutputSpec[];
  readonly skippedOutputs: readonly string[];
  /** Every input takes one value per row: requests are tables, and a missing input is a missing column. */
  readonly columnar: boolean;
  readonly style: OutputStyle;
  /** A batch axis fixed by the model (say 1): requests run that many rows at a time. */
  readonly fixedBatch: number | null;
}

const isFeedType = (type: string): type is FeedType => (feedTypes as readonly string[]).includes(type);

const dims = (shape: ReadonlyArray<number | string>): (number | null)[] | null =>
  shape.length === 0 ? null : shape.map((dim) => (typeof dim === 'number' && dim > 0 ? dim : null));

export function describeModel(session: InferenceSession, modelName: string): ModelIo {
  const inputs = session.inputMetadata.map((meta): InputSpec => {
    if (!meta.isTensor) throw new WorkbenchError('INVALID_ARGUMENT', `${modelName} cannot be served: its input '${meta.name}' is not a tensor.`);
    if (!isFeedType(meta.type)) throw new WorkbenchError('INVALID_ARGUMENT', `${modelName} cannot be served: its input '${meta.name}' has type ${meta.type}, which a JSON or CSV request cannot carry.`);
    const shape = dims(meta.shape);
    const scalarRows = shape !== null && (shape.length === 1 || (shape.length === 2 && shape[1] === 1));
    return { name: meta.name, type: meta.type, shape, scalarRows };
  });
  const outputs: OutputSpec[] = [];
  const skippedOutputs: string[] = [];
  for (const meta of session.outputMetadata) {
    if (meta.isTensor) outputs.push({ name: meta.name, type: meta.type, shape: dims(meta.shape) });
    else skippedOutputs.push(meta.name);
  }
  if (outputs.length === 0) throw new WorkbenchError('INVALID_ARGUMENT', `${modelName} cannot be served: none of its outputs is a tensor.`);
  const batchDims = new Set(inputs.map((input) => input.shape?.[0] ?? null));
  const fixedBatch = batchDims.size === 1 ? ([...batchDims][0] ?? null) : null;
  return { inputs, outputs, skippedOutputs, columnar: inputs.length > 0 && inputs.every((input) => input.scalarRows), style: styleOf(outputs), fixedBatch };
}

function styleOf(outputs: readonly OutputSpec[]): OutputStyle {
  const names = outputs.map((output) => output.name);
  if (names.includes('label') && names.length > 1 && names.every((name) => name === 'label' || name.startsWith('probability_'))) return 'records';
  if (names.length === 1 && names[0] === 'prediction') return 'prediction';
  return 'tensors';
}

/** The model's inputs and outputs as the `ready` message reports them. */
export function readyInfo(io: ModelIo, host: string, port: number): ServeReady {
  return {
    host,
    port,
    inputs: io.inputs.map((input) => ({ name: input.name, type: input.type, shape: input.shape ? [...input.shape] : null })),
    outputs: io.outputs.map((output) => ({ name: output.name, type: output.type, shape: output.shape ? [...output.shape] : null })),
  };
}
