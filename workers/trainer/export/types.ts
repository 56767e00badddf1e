/**
 * What export takes and returns. Plain data, so the trainer worker can build the input from a
 * training job (spec, θ, the table's feature names and classes, the dataset version's steps) and
 * post the result to main as is.
 */
import { WorkbenchError } from '../../../shared/errors';
import type { FittedStep, TransformStep } from '../../../shared/transforms';
import type { ResolvedModelSpec } from '../model/spec';

/** A column of the raw data as DuckDB describes it (`DESCRIBE`): its type decides the model input's type. */
export interface RawColumn {
  readonly name: string;
  /** DuckDB's spelling: BIGINT, DOUBLE, DECIMAL(9,2), BOOLEAN, VARCHAR… */
  readonly type: string;
}

/** One transform step with what fitting it learned (null for steps that fit nothing). */
export interface PreprocessingStep {
  readonly step: TransformStep;
  readonly fitted: FittedStep | null;
}

/** How the training table was made from the raw data: the source's columns, then the steps in order. */
export interface Preprocessing {
  readonly columns: readonly RawColumn[];
  readonly steps: readonly PreprocessingStep[];
}

export interface MlmodelOptions {
  /** Defaults to a fresh random one (MLflow: uuid4().hex). */
  readonly modelUuid?: string;
  /** Defaults to now. */
  readonly createdAt?: Date;
  readonly runId?: string;
  readonly artifactPath?: string;
  /** Execution providers an MLflow loader tries, in order; MLflow's default when omitted. */
  readonly providers?: readonly string[];
  /** Free-form `metadata:` entries (strings only, kept flat). */
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface ExportInput {
  readonly spec: ResolvedModelSpec;
  /** The trained parameters in the layout of `paramLayout(spec)`. */
  readonly theta: Float32Array;
  /** The training table's feature columns, in the order the model reads them. */
  readonly featureNames: readonly string[];
  /** Classification: class names by label index (the training table's `target.classes`). */
  readonly classes?: readonly string[];
  /** How the training table was derived from the raw data; without it the inputs are the features themselves. */
  readonly preprocessing?: Preprocessing;
  readonly mlmodel?: MlmodelOptions;
}

/** MLflow's column types (mlflow.types.DataType) for the ones an exported model uses. */
export type MlflowType = 'double' | 'float' | 'string' | 'boolean';

export interface SignatureColumn {
  readonly name: string;
  readonly type: MlflowType;
}

/** An MLflow tensor spec (image models take one float32 [-1, C, H, W] tensor). */
export interface TensorSpec {
  readonly name: string;
  /** numpy's name: float32, int64, str… */
  readonly dtype: string;
  /** -1 for the batch axis. */
  readonly shape: readonly number[];
}

export interface Signature {
  /** Column-based inputs; empty when `inputTensors` describes them instead. */
  readonly inputs: readonly SignatureColumn[];
  readonly inputTensors?: readonly TensorSpec[];
  /** Tensor-based outputs (a model brought in from elsewhere); replaces `outputs` when given. */
  readonly outputTensors?: readonly TensorSpec[];
  readonly outputs: readonly SignatureColumn[];
}

export interface ExportResult {
  /** model.onnx: unoptimized, weights inline. */
  readonly onnx: Uint8Array;
  /** The MLmodel file beside it. */
  readonly mlmodel: string;
  readonly signature: Signature;
  /** The environment files MLmodel names (conda.yaml, python_env.yaml, requirements.txt), by file name. */
  readonly files: Readonly<Record<string, string>>;
  /** Whether the preprocessing steps are inside the graph (false: the inputs are the training features). */
  readonly preprocessingBaked: boolean;
}

/** Output names. Probabilities are one [N] output per class: see README.md ("Outputs") for why. */
export const LABEL_OUTPUT = 'label';
export const PREDICTION_OUTPUT = 'prediction';
export const probabilityOutput = (className: string): string => `probability_${className}`;

/**
 * Preprocessing the exported graph cannot reproduce. INVALID_ARGUMENT, like the transform's own
 * step errors; the caller may export without preprocessing instead (the inputs are then the
 * training features). The message names the step ("step 3 (derive): …") or the raw column.
 */
export class NotBakeableError extends WorkbenchError {
  constructor(
    reason: string,
    /** 0-based position of the step that cannot be baked, when one step is to blame. */
    readonly stepIndex: number | null = null,
  ) {
    super('INVALID_ARGUMENT', `the preprocessing cannot be baked into the exported model: ${reason}`);
    this.name = 'NotBakeableError';
  }
}
