/**
 * The event objects under `<prefix>/.trainyard/events/<client>/<seq>.json` (issue 9, item 3):
 * immutable, uniquely named, each written only after every object its records reference is in
 * the bucket. A record names those objects in `objects`: `eager` ones are fetched before the
 * record is applied (a run's metrics, a model version's files, a `.dir` manifest), `lazy` ones on
 * demand (artifacts, dataset files).
 *
 * Compatibility: a reader keeps an event whose `format` it does not know, or that holds a record
 * type it does not know, as 'unsupported' — never fatal — so a newer app can add record types.
 * A new optional field needs no new format; a change of meaning does.
 */
import { z } from 'zod';

/** The body format this app writes and fully understands. */
export const eventFormat = 1;

/** A record stays below this once serialized; an event holds as many records as fit ~4 MB. */
export const maxEventBytes = 4 * 1024 * 1024;

const oid = z.string().regex(/^[0-9a-f]{32}(\.dir)?$/);
const md5 = z.string().regex(/^[0-9a-f]{32}$/);
const runId = z.string().regex(/^[0-9a-f]{32}$/);
const hlc = z.string().regex(/^\d{15}\.\d{6}$/);
const stringMap = z.record(z.string(), z.string());
const fileEntry = z.object({ relpath: z.string(), md5, size: z.number().int().nonnegative() });

export const recordObjectsSchema = z.object({ eager: z.array(oid), lazy: z.array(oid) });
export type RecordObjects = z.infer<typeof recordObjectsSchema>;

export const experimentRecordSchema = z.object({
  type: z.literal('experiment'),
  name: z.string().min(1),
  lifecycle: z.enum(['active', 'deleted']),
  tags: stringMap,
  createdAt: z.number(),
  objects: recordObjectsSchema,
});

export const runRecordSchema = z.object({
  type: z.literal('run'),
  id: runId,
  experiment: z.string().min(1),
  parentId: runId.nullable(),
  name: z.string(),
  status: z.enum(['RUNNING', 'FINISHED', 'FAILED', 'KILLED']),
  startTime: z.number(),
  endTime: z.number().nullable(),
  deleted: z.boolean(),
  deletedAt: z.number().nullable(),
  params: stringMap,
  tags: stringMap,
  /** JSON text as stored (the run's source: git commit, entry point…). */
  source: z.string().nullable(),
  environment: z.string().nullable(),
  inputs: z.array(z.object({ dataset: z.string(), oid, context: z.string() })),
  artifacts: z.array(z.object({ path: z.string(), md5, size: z.number().int().nonnegative(), mediaType: z.string(), createdAt: z.number() })),
  /** The metrics object (metrics-object.ts): every point, deterministic bytes; null when none. */
  metrics: md5.nullable(),
  objects: recordObjectsSchema,
});

export const datasetVersionRecordSchema = z.object({
  type: z.literal('dataset-version'),
  dataset: z.string().min(1),
  description: z.string(),
  oid,
  format: z.string(),
  fileCount: z.number().int(),
  sizeBytes: z.number(),
  rowCount: z.number(),
  /** JSON text as stored. */
  schema: z.string(),
  profile: z.string(),
  readOptions: z.string().nullable(),
  createdAt: z.number(),
  createdBy: z.string(),
  sourcePath: z.string().nullable(),
  steps: z.string().nullable(),
  fitted: z.string().nullable(),
  parents: z.array(z.object({ dataset: z.string(), oid })),
  files: z.array(fileEntry),
  objects: recordObjectsSchema,
});

export const pipelineRecordSchema = z.object({
  type: z.literal('pipeline'),
  name: z.string().min(1),
  spec: z.string(),
  paused: z.boolean(),
  createdAt: z.number(),
  objects: recordObjectsSchema,
});

export const dagRunRecordSchema = z.object({
  type: z.literal('dag-run'),
  pipeline: z.string().min(1),
  runId: z.string().min(1),
  kind: z.string(),
  state: z.string(),
  logicalDate: z.number(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  params: z.string(),
  spec: z.string(),
  tasks: z.array(z.object({ taskId: z.string(), kind: z.string(), state: z.string(), tryNumber: z.number().int(), startedAt: z.number().nullable(), endedAt: z.number().nullable(), message: z.string().nullable() })),
  objects: recordObjectsSchema,
});

/**
 * One registry change, as this home made it. Versions are named by `version` (a random key that
 * stays the same across homes), never by number: numbers are assigned by the merge.
 */
export const registryChangeSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('create-model'), description: z.string(), createdBy: z.string(), createdAt: z.number() }),
  z.object({ op: z.literal('rename-model'), to: z.string().min(1) }),
  z.object({ op: z.literal('delete-model') }),
  z.object({ op: z.literal('model-description'), description: z.string() }),
  z.object({ op: z.literal('model-tag'), key: z.string(), value: z.string().nullable() }),
  z.object({
    op: z.literal('create-version'),
    version: z.string().min(1),
    /** The number it had where it was made: kept when free, so imported gaps survive. */
    number: z.number().int().positive(),
    runId: z.string().nullable(),
    source: z.string(),
    artifactPath: z.string(),
    files: z.array(fileEntry),
    signature: z.string().nullable(),
    flavor: z.string().nullable(),
    flavors: z.string().nullable(),
    description: z.string(),
    tags: stringMap,
    createdBy: z.string(),
    createdAt: z.number(),
  }),
  z.object({ op: z.literal('delete-version'), version: z.string().min(1) }),
  z.object({ op: z.literal('set-stage'), version: z.string().min(1), stage: z.enum(['None', 'Staging', 'Production', 'Archived']), archiveExisting: z.boolean() }),
  z.object({ op: z.literal('set-alias'), alias: z.string().min(1), version: z.string().min(1) }),
  z.object({ op: z.literal('delete-alias'), alias: z.string().min(1) }),
  z.object({ op: z.literal('version-description'), version: z.string().min(1), description: z.string() }),
  z.object({ op: z.literal('version-tag'), version: z.string().min(1), key: z.string(), value: z.string().nullable() }),
]);
export type RegistryChange = z.infer<typeof registryChangeSchema>;

export const registryRecordSchema = z.object({
  type: z.literal('registry'),
  model: z.string().min(1),
  change: registryChangeSchema,
  objects: recordObjectsSchema,
});

export const syncRecordSchema = z.discriminatedUnion('type', [
  experimentRecordSchema,
  runRecordSchema,
  datasetVersionRecordSchema,
  pipelineRecordSchema,
  dagRunRecordSchema,
  registryRecordSchema,
]);
export type SyncRecord = z.infer<typeof syncRecordSchema>;
export type ExperimentRecord = z.infer<typeof experimentRecordSchema>;
export type RunRecord = z.infer<typeof runRecordSchema>;
export type DatasetVersionRecord = z.infer<typeof datasetVersionRecordSchema>;
export type PipelineRecord = z.infer<typeof pipelineRecordSchema>;
export type DagRunRecord = z.infer<typeof dagRunRecordSchema>;
export type RegistryRecord = z.infer<typeof registryRecordSchema>;

export const recordTypes: ReadonlySet<string> = new Set(['experiment', 'run', 'dataset-version', 'pipeline', 'dag-run', 'registry']);

/** The envelope: checked before the records, so a newer format is recognised as such. */
export const eventEnvelopeSchema = z.object({
  format: z.number().int().positive(),
  client: z.string().regex(/^[0-9a-z]{1,64}$/),
  seq: z.number().int().positive(),
  hlc,
  author: z.string(),
  createdAt: z.number(),
  records: z.array(z.unknown()),
});

export const eventBodySchema = eventEnvelopeSchema.extend({ records: z.array(syncRecordSchema) });
export type EventBody = z.infer<typeof eventBodySchema>;

/** Keys of the log, relative to the remote's prefix (SEMANTICS.md §1.5: never under files/ or runs/). */
export const eventsRoot = '.trainyard/events/';
export const eventKey = (client: string, seq: number): string => `${eventsRoot}${client}/${String(seq).padStart(12, '0')}.json`;
export const eventKeyPattern = /^\.trainyard\/events\/([0-9a-z]{1,64})\/(\d{12})\.json$/;
