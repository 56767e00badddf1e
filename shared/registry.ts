import { z } from 'zod';

/** MLflow's model version stages (deprecated there since 2.9, still used; both stages and aliases are kept). */
export const modelStages = ['None', 'Staging', 'Production', 'Archived'] as const;
export const modelStageSchema = z.enum(modelStages);
export type ModelStage = z.infer<typeof modelStageSchema>;

/** A version's model signature as its MLmodel states it (MLflow column or tensor specs). */
export const signatureSchema = z.object({ inputs: z.array(z.record(z.string(), z.unknown())), outputs: z.array(z.record(z.string(), z.unknown())) });
export type ModelSignature = z.infer<typeof signatureSchema>;

export const modelVersionSchema = z.object({
  name: z.string(),
  version: z.number(),
  /** The run it came from; null when the version was registered from elsewhere or the run was purged. */
  runId: z.string().nullable(),
  /** `runs:/<run id>/<artifact path>` as registered. */
  source: z.string(),
  artifactPath: z.string(),
  stage: modelStageSchema,
  status: z.literal('READY'),
  description: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  createdBy: z.string(),
  tags: z.record(z.string(), z.string()),
  aliases: z.array(z.string()),
  signature: signatureSchema.nullable(),
  /** `trainyard.task` from the model's metadata when it says (classification, regression, image_classification). */
  task: z.string().nullable(),
  /** Bytes of the model directory. */
  sizeBytes: z.number(),
  /** The dataset versions the source run read (lineage: dataset version → run → model version). */
  inputs: z.array(z.object({ dataset: z.string(), version: z.number(), context: z.string() })),
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

export const registeredModelSchema = z.object({
  name: z.string(),
  description: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  createdBy: z.string(),
  tags: z.record(z.string(), z.string()),
  aliases: z.array(z.object({ alias: z.string(), version: z.number() })),
  /** The newest version in each stage that has one (MLflow's latest_versions). */
  latestVersions: z.array(modelVersionSchema),
  versionCount: z.number(),
});
export type RegisteredModel = z.infer<typeof registeredModelSchema>;

export const registryEventSchema = z.object({
  id: z.number(),
  name: z.string(),
  version: z.number().nullable(),
  kind: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  actor: z.string(),
  at: z.number(),
});
export type RegistryEvent = z.infer<typeof registryEventSchema>;

/** What a model URI (`models:/name/3`, `models:/name@champion`, `runs:/id/model`) points at. */
export const resolvedModelSchema = z.object({
  uri: z.string(),
  /** The registered version, when the URI names one. */
  version: modelVersionSchema.nullable(),
  runId: z.string().nullable(),
  artifactPath: z.string(),
});
export type ResolvedModel = z.infer<typeof resolvedModelSchema>;
