import { z } from 'zod';

/**
 * A long piece of work in main (an import hashing gigabytes, a validation, a transform): the
 * status bar shows each with progress, rate and ETA, and can cancel it.
 */
export const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  label: z.string(),
  phase: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  done: z.number(),
  total: z.number().nullable(),
  unit: z.enum(['bytes', 'files', 'rows', 'steps', 'items']),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  error: z.string().nullable(),
  /** What the job produced, for a "show me" link (e.g. `dataset:iris@2`). */
  result: z.string().nullable(),
});
export type Job = z.infer<typeof jobSchema>;
