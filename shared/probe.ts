import { z } from 'zod';
import { environmentSchema } from './tracking';

/** One execution provider the probe tried: whether a session could be created with it. */
export const providerProbeSchema = z.object({
  name: z.string(),
  available: z.boolean(),
  /** Why it did not load ("Failed to load shared library …"), so the UI can tell the user. */
  error: z.string().nullable(),
});
export type ProviderProbe = z.infer<typeof providerProbeSchema>;

export const probeReportSchema = z.object({
  environment: environmentSchema,
  providers: z.array(providerProbeSchema),
  /** The first provider in preference order that loaded; training and serving use it. */
  preferredProvider: z.string(),
  /** Output of a tiny model run on the preferred provider, proving the runtime computes. */
  checkOutput: z.array(z.number()),
  elapsedMs: z.number(),
});
export type ProbeReport = z.infer<typeof probeReportSchema>;
