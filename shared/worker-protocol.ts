import { z } from 'zod';
import { metricValueSchema } from './tracking';

/** The kinds of worker main can start; each has an entry file `workers/<kind>/entry.ts`. */
export const workerKinds = ['probe', 'data', 'trainer', 'model'] as const;
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
  z.object({ type: z.literal('result'), value: z.unknown() }),
  z.object({ type: z.literal('error'), message: z.string(), stack: z.string().optional() }),
]);
export type FromWorkerMessage = z.infer<typeof fromWorkerMessageSchema>;
