import { z } from 'zod';

/** One graph input or output of an ONNX model: its element type (numpy's name) and shape (-1: any size). */
export const tensorInfoSchema = z.object({
  name: z.string(),
  dtype: z.string(),
  shape: z.array(z.number()),
});
export type TensorInfo = z.infer<typeof tensorInfoSchema>;

/** What inspecting a model file found. */
export const onnxModelInfoSchema = z.object({
  inputs: z.array(tensorInfoSchema),
  outputs: z.array(tensorInfoSchema),
  irVersion: z.number(),
  opsets: z.array(z.object({ domain: z.string(), version: z.number() })),
  producer: z.string(),
  nodes: z.number(),
  sizeBytes: z.number(),
});
export type OnnxModelInfo = z.infer<typeof onnxModelInfoSchema>;

/** Work for the `model` worker (inference only: it never trains). */
export const modelTaskSchema = z.discriminatedUnion('task', [
  /** Check that a file is an ONNX model onnxruntime loads, and describe it (with an MLmodel for it). */
  z.object({ task: z.literal('inspect'), file: z.string(), runId: z.string().optional() }),
]);
export type ModelTask = z.infer<typeof modelTaskSchema>;

export const inspectResultSchema = z.object({
  info: onnxModelInfoSchema,
  mlmodel: z.string(),
  files: z.record(z.string(), z.string()),
});
export type InspectResult = z.infer<typeof inspectResultSchema>;
