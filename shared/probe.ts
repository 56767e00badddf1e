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

/** What the probe worker itself reports: which providers load, and a computed check. */
export const providerReportSchema = z.object({
  providers: z.array(providerProbeSchema),
  /** The first provider in preference order that loaded; training and serving use it. */
  preferredProvider: z.string(),
  /** Output of a tiny model (Y = X + X on [1,2,3,4]) run on the preferred provider. */
  checkOutput: z.array(z.number()),
  onnxruntimeVersion: z.string().nullable(),
  elapsedMs: z.number(),
});

/** The probe as the UI sees it: main adds the machine facts to the worker's report. */
export const probeReportSchema = providerReportSchema.extend({ environment: environmentSchema });
export type ProbeReport = z.infer<typeof probeReportSchema>;
