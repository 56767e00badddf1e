/**
 * The MLflow model directory's text files for an exported model: `MLmodel` with the `onnx` and
 * `python_function` flavors (MLFLOW.md §5), and the environment files its python_function names.
 * Written the way MLflow 2.x's `mlflow.onnx.save_model` writes them (yaml.safe_dump: keys sorted,
 * block style; the signature as JSON strings), so `mlflow.pyfunc.load_model` and `mlflow models
 * serve` take the directory as is. No YAML library: the shape is fixed and every scalar goes
 * through `scalar()`, which quotes whatever YAML could read as something other than a string.
 */
import { randomUUID } from 'node:crypto';
import type { MlmodelOptions, Signature, SignatureColumn, TensorSpec } from './types';

/** The client MLFLOW.md §4 observed; MLflow only warns when the loader's version differs. */
export const MLFLOW_VERSION = '2.12.1';
/** The ONNX release whose format the file uses: IR 8, opset 17, ai.onnx.ml 3. */
export const ONNX_VERSION = '1.12.0';
/** For `mlflow models serve` with a virtualenv: any Python that the requirements install on. */
export const PYTHON_VERSION = '3.10.12';
/** MLflow's default (mlflow.onnx.ONNX_EXECUTION_PROVIDERS). */
export const DEFAULT_PROVIDERS = ['CUDAExecutionProvider', 'CPUExecutionProvider'] as const;
export const MODEL_FILE = 'model.onnx';

const REQUIREMENTS = [`mlflow>=${MLFLOW_VERSION}`, `onnx>=${ONNX_VERSION}`, 'onnxruntime>=1.12.0'];

export interface MlmodelInput {
  readonly signature: Signature;
  /** MLflow records the model directory's size before writing MLmodel: here, model.onnx. */
  readonly modelSizeBytes: number;
  readonly options?: MlmodelOptions;
}

export function mlmodelText({ signature, modelSizeBytes, options = {} }: MlmodelInput): string {
  const lines: string[] = [];
  if (options.artifactPath !== undefined) lines.push(`artifact_path: ${scalar(options.artifactPath)}`);
  lines.push(
    'flavors:',
    '  onnx:',
    '    code: null',
    `    data: ${MODEL_FILE}`,
    '    onnx_session_options: null',
    `    onnx_version: ${scalar(ONNX_VERSION)}`,
    '    providers:',
    ...(options.providers ?? DEFAULT_PROVIDERS).map((provider) => `    - ${scalar(provider)}`),
    '  python_function:',
    `    data: ${MODEL_FILE}`,
    '    env:',
    '      conda: conda.yaml',
    '      virtualenv: python_env.yaml',
    '    loader_module: mlflow.onnx',
    `    python_version: ${scalar(PYTHON_VERSION)}`,
  );
  const metadata = Object.entries(options.metadata ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (metadata.length > 0) lines.push('metadata:', ...metadata.map(([key, value]) => `  ${scalar(key)}: ${scalar(value)}`));
  lines.push(`mlflow_version: ${scalar(MLFLOW_VERSION)}`, `model_size_bytes: ${modelSizeBytes}`, `model_uuid: ${scalar(options.modelUuid ?? randomUUID().replace(/-/g, ''))}`);
  if (options.runId !== undefined) lines.push(`run_id: ${scalar(options.runId)}`);
  lines.push(
    'signature:',
    `  inputs: ${quoted(signature.inputTensors ? tensorsJson(signature.inputTensors) : columnsJson(signature.inputs))}`,
    `  outputs: ${quoted(signature.outputTensors ? tensorsJson(signature.outputTensors) : columnsJson(signature.outputs))}`,
    '  params: null',
    `utc_time_created: ${quoted(utcTime(options.createdAt ?? new Date()))}`,
  );
  return `${lines.join('\n')}\n`;
}

/** conda.yaml, python_env.yaml and requirements.txt, as mlflow.onnx.save_model writes them beside MLmodel. */
export function environmentFiles(): Record<string, string> {
  return {
    'conda.yaml': ['channels:', '- conda-forge', 'dependencies:', `- python=${PYTHON_VERSION}`, '- pip', '- pip:', ...REQUIREMENTS.map((r) => `  - ${scalar(r)}`), 'name: mlflow-env', ''].join('\n'),
    'python_env.yaml': [`python: ${scalar(PYTHON_VERSION)}`, 'build_dependencies:', '- pip', '- setuptools', '- wheel', 'dependencies:', '- -r requirements.txt', ''].join('\n'),
    'requirements.txt': `${REQUIREMENTS.join('\n')}\n`,
  };
}

/**
 * MLflow's column-based schema JSON (`Schema.to_json`, Python's separators). `required` is left
 * out: it defaults to true, and MLflow before 2.10 rejects the key.
 */
export function columnsJson(columns: readonly SignatureColumn[]): string {
  return `[${columns.map((column) => `{"name": ${JSON.stringify(column.name)}, "type": "${column.type}"}`).join(', ')}]`;
}

/** MLflow's TensorSpec.to_dict() order: type, tensor-spec, name. */
export function tensorsJson(tensors: readonly TensorSpec[]): string {
  return `[${tensors.map((t) => `{"type": "tensor", "tensor-spec": {"dtype": "${t.dtype}", "shape": [${t.shape.join(', ')}]}, "name": ${JSON.stringify(t.name)}}`).join(', ')}]`;
}

/** Python's str(datetime.utcnow()): `2024-04-15 10:00:00.123456`. */
export function utcTime(date: Date): string {
  return `${date.toISOString().replace('T', ' ').replace('Z', '')}000`;
}

const plain = /^[A-Za-z_/][\w./-]*$/;
const special = /^(null|~|true|false|yes|no|on|off|y|n)$/i;

/** A plain scalar when YAML reads it back as the same string, else single-quoted. */
export function scalar(text: string): string {
  return plain.test(text) && !special.test(text) ? text : quoted(text);
}

/**
 * YAML single quotes, where only the quote itself is escaped (doubled); text with control
 * characters (which single quotes would fold) goes double-quoted, and JSON's escapes are YAML's.
 */
export function quoted(text: string): string {
  return /[\u0000-\u001f\u007f]/.test(text) ? JSON.stringify(text) : `'${text.replace(/'/g, "''")}'`;
}
