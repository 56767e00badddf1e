import { z } from 'zod';

/** Limits shared with MLflow (MLFLOW.md §1) so scripts written for it behave the same here. */
export const limits = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  searchMaxResults: 1000,
  seriesMaxPoints: 10000,
  /** Runs one `metrics.seriesBatch` request may name. */
  seriesBatchRuns: 1000,
} as const;

export const runStatuses = ['RUNNING', 'FINISHED', 'FAILED', 'KILLED'] as const;
/** A run's lifecycle; RUNNING runs found at start-up after a crash become KILLED. */
export const runStatusSchema = z.enum(runStatuses);
export type RunStatus = z.infer<typeof runStatusSchema>;

/**
 * A metric value. NaN and ±Infinity are legal (a diverging loss is information), so this is any
 * JS number, not zod's finite `number()`. The HTTP transport encodes non-finite values itself.
 */
export const metricValueSchema = z.custom<number>((value) => typeof value === 'number', 'expected a number');

/** Identifiers are opaque strings: experiments "0", "1"…, runs 32 lowercase hex characters. */
export const idSchema = z.string().min(1).max(64);

export const keySchema = z
  .string()
  .min(1, 'key must not be empty')
  .max(limits.keyLength, `key is longer than ${limits.keyLength} characters`);

export const experimentSchema = z.object({
  id: z.string(),
  name: z.string(),
  lifecycleStage: z.enum(['active', 'deleted']),
  createdAt: z.number(),
  updatedAt: z.number(),
  tags: z.record(z.string(), z.string()),
  runCount: z.number(),
});
export type Experiment = z.infer<typeof experimentSchema>;

/** Where a run's code came from; captured when the run starts inside a git work tree. */
export const runSourceSchema = z.object({
  gitCommit: z.string().nullable(),
  gitDirty: z.boolean().nullable(),
  gitBranch: z.string().nullable().optional(),
  repository: z.string().nullable().optional(),
  entryPoint: z.string().nullable().optional(),
});
export type RunSource = z.infer<typeof runSourceSchema>;

/** The machine a run ran on, so a result can be traced to its hardware and library versions. */
export const environmentSchema = z.object({
  os: z.string(),
  osRelease: z.string(),
  arch: z.string(),
  hostname: z.string(),
  cpuModel: z.string(),
  cpuCores: z.number(),
  totalMemoryBytes: z.number(),
  gpus: z.array(z.string()),
  nodeVersion: z.string(),
  onnxruntimeVersion: z.string().nullable(),
  trainyardVersion: z.string(),
});
export type Environment = z.infer<typeof environmentSchema>;

/** The latest value of a metric by MLflow's rule: largest step, then timestamp, then value. */
export const latestMetricSchema = z.object({
  value: metricValueSchema,
  step: z.number(),
  timestamp: z.number(),
  count: z.number(),
  min: metricValueSchema.nullable(),
  max: metricValueSchema.nullable(),
});
export type LatestMetric = z.infer<typeof latestMetricSchema>;

export const runInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  experimentId: z.string(),
  parentRunId: z.string().nullable(),
  status: runStatusSchema,
  startTime: z.number(),
  endTime: z.number().nullable(),
  deleted: z.boolean(),
  childCount: z.number(),
  source: runSourceSchema.nullable(),
  environment: environmentSchema.nullable(),
  /** The teammate this run came from through team sync; null for a run made in this home. */
  syncedBy: z.string().nullable().optional(),
});
export type RunInfo = z.infer<typeof runInfoSchema>;

export const runSchema = runInfoSchema.extend({
  params: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()),
  metrics: z.record(z.string(), latestMetricSchema),
});
export type Run = z.infer<typeof runSchema>;

export const paramInputSchema = z.object({
  key: keySchema,
  value: z.string().max(limits.paramValueLength, `param value is longer than ${limits.paramValueLength} characters`),
});
export const tagInputSchema = z.object({
  key: keySchema,
  value: z.string().max(limits.tagValueLength, `tag value is longer than ${limits.tagValueLength} characters`),
});
export const metricInputSchema = z.object({
  key: keySchema,
  value: metricValueSchema,
  step: z.number().int().default(0),
  /** Milliseconds since the epoch; the server's clock when omitted. */
  timestamp: z.number().int().optional(),
});
export type MetricInput = z.input<typeof metricInputSchema>;

/**
 * One point of a chart series. At full resolution (`bucketWidth` 1) min = max = value and
 * count = 1; otherwise it summarizes a bucket of steps so spikes survive down-sampling.
 */
export const seriesPointSchema = z.object({
  step: z.number(),
  firstStep: z.number(),
  value: metricValueSchema,
  min: metricValueSchema.nullable(),
  max: metricValueSchema.nullable(),
  count: z.number(),
  nanCount: z.number(),
  timestamp: z.number(),
});
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

export const seriesSchema = z.object({
  runId: z.string(),
  key: z.string(),
  /** Steps per point: 1 means every logged point is returned. */
  bucketWidth: z.number(),
  totalCount: z.number(),
  points: z.array(seriesPointSchema),
});
export type Series = z.infer<typeof seriesSchema>;

export const artifactEntrySchema = z.object({
  path: z.string(),
  isDir: z.boolean(),
  size: z.number(),
  mediaType: z.string().nullable(),
  md5: z.string().nullable(),
});
export type ArtifactEntry = z.infer<typeof artifactEntrySchema>;

export const artifactContentSchema = z.object({
  path: z.string(),
  mediaType: z.string(),
  size: z.number(),
  encoding: z.enum(['utf8', 'base64']),
  content: z.string(),
  truncated: z.boolean(),
});
export type ArtifactContent = z.infer<typeof artifactContentSchema>;

export const purgeResultSchema = z.object({
  runsPurged: z.number(),
  objectsDeleted: z.number(),
  bytesFreed: z.number(),
});
export type PurgeResult = z.infer<typeof purgeResultSchema>;
