/**
 * Running encoded models with onnxruntime-node: session creation from bytes, feeds and
 * outputs as TensorData. Kept apart from the builder so that building and encoding stay pure
 * and never load the native runtime.
 */
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { type DType, type TensorData, type TypedData } from './dtype';

export interface RunSessionOptions {
  /** ORT's level; 'all' is what training uses, 'disabled' shows the graph exactly as built. */
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** 1–2 on a desktop: more threads mostly spin (TOOLCHAIN). */
  readonly intraOpNumThreads?: number;
  /** Spinning threads burn a core while idle and hurt a busy desktop; off unless asked for. */
  readonly allowSpinning?: boolean;
  readonly executionProviders?: readonly string[];
}

/** `model`: the bytes, or a file path — a path lets tensors stored as external data load from beside it. */
export async function createSession(model: Uint8Array | string, options: RunSessionOptions = {}): Promise<InferenceSession> {
  const spinning = options.allowSpinning ? '1' : '0';
  const sessionOptions: InferenceSession.SessionOptions = {
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    intraOpNumThreads: options.intraOpNumThreads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    executionProviders: [...(options.executionProviders ?? ['cpu'])],
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: spinning }, inter_op: { allow_spinning: spinning } } },
  };
  return typeof model === 'string' ? InferenceSession.create(model, sessionOptions) : InferenceSession.create(model, sessionOptions);
}

const ORT_TYPE: Readonly<Record<DType, 'float32' | 'float64' | 'int64' | 'bool'>> = { float: 'float32', double: 'float64', int64: 'int64', bool: 'bool' };

export function toTensor(data: TensorData): Tensor {
  return new Tensor(ORT_TYPE[data.dtype], data.data, [...data.dims]);
}

export function fromTensor(tensor: Tensor): TensorData {
  const dims = [...tensor.dims];
  switch (tensor.type) {
    case 'float32':
      return { dtype: 'float', dims, data: tensor.data as Float32Array };
    case 'float64':
      return { dtype: 'double', dims, data: tensor.data as Float64Array };
    case 'int64':
      return { dtype: 'int64', dims, data: tensor.data as BigInt64Array };
    case 'bool':
      return { dtype: 'bool', dims, data: Uint8Array.from(tensor.data as ArrayLike<number | boolean>, Number) };
    default:
      throw new Error(`unsupported output tensor type ${tensor.type}`);
  }
}

/** Runs once; `fetches` limits the outputs computed (all graph outputs by default). */
export async function runSession(session: InferenceSession, feeds: Readonly<Record<string, TensorData>>, fetches?: readonly string[]): Promise<Record<string, TensorData>> {
  const tensors: Record<string, Tensor> = {};
  for (const [name, data] of Object.entries(feeds)) tensors[name] = toTensor(data);
  const results = fetches ? await session.run(tensors, [...fetches]) : await session.run(tensors);
  const out: Record<string, TensorData> = {};
  for (const [name, tensor] of Object.entries(results)) out[name] = fromTensor(tensor as Tensor);
  return out;
}

/** One-shot convenience for tests: create a session from bytes, run once, release. */
export async function runModel(model: Uint8Array, feeds: Readonly<Record<string, TensorData>>, options: RunSessionOptions = {}): Promise<Record<string, TensorData>> {
  const session = await createSession(model, options);
  try {
    return await runSession(session, feeds);
  } finally {
    await session.release();
  }
}

/** Numbers of a real output (tests compare them with JS arithmetic). */
export function numbers(data: TensorData | undefined): number[] {
  if (!data) throw new Error('missing output');
  return Array.from(data.data as ArrayLike<number | bigint>, Number);
}

export type { TypedData };
