import { z } from 'zod';
import { metricValueSchema } from './tracking';

/** The kinds of worker main can start; each has an entry file `workers/<kind>/entry.ts`. */
export const workerKinds = ['probe', 'data', 'trainer', 'model', 'serve'] as const;
export type WorkerKind = (typeof workerKinds)[number];

/** Main → worker: the one message that starts the work, then an optional cancel. */
export const toWorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), input: z.unknown() }),
  z.object({ type: z.literal('cancel') }),
]);
export type ToWorkerMessage = z.infer<typeof toWorkerMessageSchema>;

/** Worker → main. Validated on receipt: a malformed message fails the attempt, loudly. */
export const fromWorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('log'), level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string() }),
  z.object({
    type: z.literal('progress'),
    done: z.number(),
    total: z.number().nullable(),
    unit: z.string().optional(),
    message: z.string().optional(),
  }),
  z.object({
    type: z.literal('metrics'),
    points: z.array(z.object({ key: z.string(), value: metricValueSchema, step: z.number(), timestamp: z.number() })),
  }),
  z.object({ type: z.literal('param'), key: z.string(), value: z.string() }),
  z.object({ type: z.literal('artifact'), path: z.string(), file: z.string() }),
  /** A long-lived worker (a model server) is up and serving; `info` is kind-specific (`serveReadySchema`). */
  z.object({ type: z.literal('ready'), info: z.unknown() }),
  z.object({ type: z.literal('result'), value: z.unknown() }),
  z.object({ type: z.literal('error'), message: z.string(), stack: z.string().optional() }),
]);
export type FromWorkerMessage = z.infer<typeof fromWorkerMessageSchema>;

/** What main asks of a `serve` worker: one model file served over HTTP until cancelled. */
export const serveInputSchema = z.object({
  /** The model.onnx to load (one InferenceSession for the worker's life). */
  file: z.string().min(1),
  /** 0 picks any free port; the `ready` message says which. */
  port: z.number().int().min(0).max(65_535),
  host: z.string().min(1).default('127.0.0.1'),
  /** Shown in the worker's log lines. */
  name: z.string().default('model'),
  /** Larger bodies are answered 413 without being read to the end. */
  maxBodyBytes: z.number().int().positive().default(50 * 1024 * 1024),
  /** onnxruntime intra-op threads. */
  threads: z.number().int().min(1).max(64).default(1),
  /** Rows per `session.run`, so a large request runs in bounded memory. */
  batchRows: z.number().int().positive().default(10_000),
});
export type ServeInput = z.input<typeof serveInputSchema>;

/** A served model's input or output as onnxruntime reports it; symbolic dimensions are null. */
export const servedTensorSchema = z.object({ name: z.string(), type: z.string(), shape: z.array(z.number().int().nullable()).nullable() });

/** The `info` of a `serve` worker's `ready` message: where it listens, and what the model takes. */
export const serveReadySchema = z.object({
  host: z.string(),
  port: z.number().int(),
  inputs: z.array(servedTensorSchema),
  outputs: z.array(servedTensorSchema),
});
export type ServeReady = z.infer<typeof serveReadySchema>;
