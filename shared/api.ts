import { z } from 'zod';
import {
  artifactContentSchema,
  artifactEntrySchema,
  experimentSchema,
  idSchema,
  keySchema,
  limits,
  metricInputSchema,
  paramInputSchema,
  purgeResultSchema,
  runInfoSchema,
  runSchema,
  runSourceSchema,
  runStatusSchema,
  seriesSchema,
  tagInputSchema,
} from './tracking';
import { operationNameList } from './operation-names';
import { seriesColumnsSchema } from './series-columns';
import { remoteCapabilitiesSchema, remoteConfigSchema, remoteCredentialsSchema, remoteNameSchema, remoteSummarySchema, syncDirectionSchema, syncStatusSchema } from './sync';
import { probeReportSchema } from './probe';
import { csvOptionsSchema, datasetSummarySchema, datasetVersionSchema, lineageSchema, previewSchema } from './datasets';
import { expectationSuiteSchema, resultFormats, validationReportSchema } from './expectations';
import { jobSchema } from './jobs';
import { transformStepSchema } from './transforms';
import { sweepSpecSchema, trainingConfigSchema } from './training';
import { onnxModelInfoSchema } from './models';
import { modelVersionSchema, registeredModelSchema, registryEventSchema, resolvedModelSchema } from './registry';
import { predictionReplySchema, servedModelSchema } from './serving';
import { dagRunSchema, paramValueSchema, pipelineSummarySchema } from './pipelines';

/** One operation of the contract: a zod schema for what goes in and for what comes out. */
export interface OperationSpec<I extends z.ZodType, O extends z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** One line for the generated docs and the command palette. */
  readonly summary: string;
}

const op = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): OperationSpec<I, O> => ({
  input,
  output,
  summary,
});

const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });
const modelName = z.object({ name: z.string().min(1).max(256) });
const versionRef = modelName.extend({ version: z.number().int().positive() });

export const appInfoSchema = z.object({
  version: z.string(),
  home: z.string(),
  platform: z.string(),
  /** `desktop` inside Electron, `browser` for `trainyard ui`. */
  shell: z.enum(['desktop', 'browser']),
  /** Where this app's MLflow-compatible server listens (for MLFLOW_TRACKING_URI), when it runs. */
  mlflowTrackingUri: z.string().nullable(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const runsSearchInputSchema = z.object({
  experimentIds: z.array(idSchema).optional(),
  /** The search grammar: `metrics.acc > 0.9 and params.lr = '0.01'`, with `or`, `()`, `in`, `is null`. */
  filter: z.string().max(10000).optional(),
  /** `"metrics.loss ASC"`, `"params.lr"`, `"attributes.start_time DESC"`… applied left to right. */
  orderBy: z.array(z.string().max(500)).max(10).optional(),
  maxResults: z.number().int().min(1).max(limits.searchMaxResults).default(100),
  pageToken: z.string().nullable().optional(),
  view: z.enum(['active', 'deleted', 'all']).default('active'),
  /** Only the children of this run; `null` for top-level runs only; omitted for any. */
  parentRunId: idSchema.nullable().optional(),
  /**
   * Every run below this one, at any depth (children, their children…), not the run itself.
   * Mutually exclusive with `parentRunId`.
   */
  ancestorRunId: idSchema.optional(),
});
export type RunsSearchInput = z.input<typeof runsSearchInputSchema>;

export const runsSearchOutputSchema = z.object({
  runs: z.array(runSchema),
  nextPageToken: z.string().nullable(),
  total: z.number(),
});
export type RunsSearchOutput = z.infer<typeof runsSearchOutputSchema>;

export const runCreateInputSchema = z.object({
  experimentId: idSchema.optional(),
  name: z.string().max(250).optional(),
  parentRunId: idSchema.nullable().optional(),
  startTime: z.number().int().optional(),
  params: z.array(paramInputSchema).max(limits.batchParams).optional(),
  tags: z.array(tagInputSchema).max(limits.batchTags).optional(),
  source: runSourceSchema.nullable().optional(),
});
export type RunCreateInput = z.input<typeof runCreateInputSchema>;

export const logBatchInputSchema = z.object({
  runId: idSchema,
  params: z.array(paramInputSchema).max(limits.batchParams).default([]),
  metrics: z.array(metricInputSchema).max(limits.batchMetrics).default([]),
  tags: z.array(tagInputSchema).max(limits.batchTags).default([]),
});
export type LogBatchInput = z.input<typeof logBatchInputSchema>;

export const seriesInputSchema = z.object({
  runId: idSchema,
  key: keySchema,
  /** Point budget of the chart, about two per pixel. */
  maxPoints: z.number().int().min(10).max(limits.seriesMaxPoints).default(1000),
  minStep: z.number().optional(),
  maxStep: z.number().optional(),
});
export type SeriesInput = z.input<typeof seriesInputSchema>;

/**
 * One metric of many runs in one request (a comparison chart): every run read at the same point
 * budget and step window, so a chart costs one round trip however many runs it overlays.
 */
export const seriesBatchInputSchema = z.object({
  /** The runs, at most 1,000; the answer lists their series in this order. */
  runIds: z.array(idSchema).min(1).max(limits.seriesBatchRuns),
  key: keySchema,
  /** Point budget per series, about two per pixel of the chart's width. */
  maxPoints: seriesInputSchema.shape.maxPoints,
  minStep: z.number().optional(),
  maxStep: z.number().optional(),
});
export type SeriesBatchInput = z.input<typeof seriesBatchInputSchema>;

const artifactPathSchema = z.string().max(1024);

const datasetName = z.string().min(1).max(128);
/** A dataset version: the latest when `version` is omitted. */
const versionInput = z.object({ dataset: datasetName, version: z.number().int().positive().optional() });

/**
 * Where an import reads from: a path (the desktop's drag-in hands main the dropped file's path,
 * which main validates), or an upload (browser mode streams the dropped files to main first).
 */
export const importSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  z.object({ kind: z.literal('upload'), uploadId: z.string().regex(/^[0-9a-f-]{36}$/, 'not an upload id') }),
]);

/**
 * Every operation the UI (or any other client of the contract) can call, by name. Both
 * transports — Electron IPC and browser-mode HTTP — are generated from this table.
 */
export const workbenchApi = {
  'app.info': op(empty, appInfoSchema, 'Version, home folder and shell'),
  'app.probe': op(empty, probeReportSchema, 'Hardware and the onnxruntime execution providers that load'),

  'experiments.list': op(
    z.object({ view: z.enum(['active', 'deleted', 'all']).default('active') }),
    z.array(experimentSchema),
    'All experiments with their run counts',
  ),
  'experiments.get': op(z.object({ id: idSchema }), experimentSchema, 'One experiment'),
  'experiments.create': op(
    z.object({ name: z.string().trim().min(1).max(250), tags: z.record(keySchema, z.string()).optional() }),
    experimentSchema,
    'Create an experiment',
  ),
  'experiments.rename': op(z.object({ id: idSchema, name: z.string().trim().min(1).max(250) }), experimentSchema, 'Rename an experiment'),
  'experiments.delete': op(z.object({ id: idSchema }), ok, 'Move an experiment to the trash'),
  'experiments.restore': op(z.object({ id: idSchema }), ok, 'Bring an experiment back from the trash'),

  'runs.create': op(runCreateInputSchema, runSchema, 'Start a run'),
  'runs.get': op(z.object({ id: idSchema }), runSchema, 'One run with params, tags and latest metrics'),
  'runs.search': op(runsSearchInputSchema, runsSearchOutputSchema, 'Filter, sort and page runs'),
  'runs.update': op(
    z.object({ id: idSchema, name: z.string().max(250).optional(), status: runStatusSchema.optional(), endTime: z.number().int().nullable().optional() }),
    runInfoSchema,
    'Rename a run or change its status',
  ),
  'runs.end': op(
    z.object({ id: idSchema, status: runStatusSchema.exclude(['RUNNING']).default('FINISHED'), endTime: z.number().int().optional() }),
    runInfoSchema,
    'Finish a run',
  ),
  'runs.logBatch': op(logBatchInputSchema, ok, 'Log params, metrics and tags in one call'),
  'runs.setTag': op(tagInputSchema.extend({ runId: idSchema }), ok, 'Set a tag'),
  'runs.logInputs': op(
    z.object({
      runId: idSchema,
      inputs: z.array(z.object({ dataset: z.string().min(1).max(128), version: z.number().int().positive().optional(), context: z.string().min(1).max(64).default('train') })).min(1).max(100),
    }),
    ok,
    'Record the dataset versions a run read (lineage)',
  ),
  'runs.deleteTag': op(z.object({ runId: idSchema, key: keySchema }), ok, 'Remove a tag'),
  'runs.delete': op(z.object({ id: idSchema }), ok, 'Move a run (and its children) to the trash'),
  'runs.restore': op(z.object({ id: idSchema }), ok, 'Bring a run back from the trash'),
  'runs.purge': op(
    z.object({ ids: z.array(idSchema).optional(), olderThanMs: z.number().int().min(0).optional() }),
    purgeResultSchema,
    'Delete trashed runs for good and free the disk their artifacts used',
  ),

  'metrics.series': op(seriesInputSchema, seriesSchema, 'A metric series down-sampled to a point budget'),
  'metrics.seriesBatch': op(seriesBatchInputSchema, z.array(seriesColumnsSchema), 'One metric of many runs, each down-sampled to a point budget, in the order asked, as columns'),

  'artifacts.list': op(z.object({ runId: idSchema, path: artifactPathSchema.default('') }), z.array(artifactEntrySchema), 'List a folder of a run\'s artifacts'),
  'artifacts.read': op(
    z.object({ runId: idSchema, path: artifactPathSchema, maxBytes: z.number().int().min(1).max(20_000_000).default(2_000_000) }),
    artifactContentSchema,
    'Read an artifact for preview',
  ),
  'artifacts.write': op(
    z.object({ runId: idSchema, path: artifactPathSchema, content: z.string().max(20_000_000), encoding: z.enum(['utf8', 'base64']).default('utf8') }),
    artifactEntrySchema,
    'Store a small artifact',
  ),

  'jobs.list': op(empty, z.array(jobSchema), 'Long-running work: imports, validations, transforms'),
  'jobs.cancel': op(z.object({ id: z.string() }), ok, 'Cancel a running job'),

  'datasets.list': op(empty, z.array(datasetSummarySchema), 'Datasets with their latest version'),
  'datasets.versions': op(z.object({ dataset: datasetName }), z.array(datasetVersionSchema), 'Every version of a dataset, newest first'),
  'datasets.version': op(versionInput, datasetVersionSchema, 'One version: schema, profile, lineage parents'),
  'datasets.import': op(
    z.object({ source: importSourceSchema, name: datasetName.optional(), csv: csvOptionsSchema.optional(), writeDvcFile: z.boolean().default(false) }),
    datasetVersionSchema,
    'Import a file or folder as a new dataset version (identical content gives back the existing one)',
  ),
  'datasets.preview': op(
    versionInput.extend({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(5000).default(200) }),
    previewSchema,
    'A page of rows',
  ),
  'datasets.validate': op(
    versionInput.extend({ suite: z.unknown(), resultFormat: z.enum(resultFormats).default('SUMMARY') }),
    validationReportSchema,
    'Validate a version against an expectation suite (Great Expectations JSON, 1.x or 0.x)',
  ),
  'datasets.reports': op(versionInput, z.array(validationReportSchema), 'Validation reports of a version, newest first'),
  'datasets.suggestSuite': op(versionInput.extend({ name: z.string().min(1).max(200).optional() }), expectationSuiteSchema, 'A starter expectation suite from the profile'),
  'datasets.transform': op(
    versionInput.extend({ steps: z.array(transformStepSchema).min(1).max(100), outputName: datasetName.optional() }),
    datasetVersionSchema,
    'Derive a new version with transform steps',
  ),
  'datasets.lineage': op(versionInput, lineageSchema, 'Ancestors, descendants and the runs that used them'),
  'suites.list': op(empty, z.array(expectationSuiteSchema), 'Saved expectation suites'),

  'training.start': op(
    versionInput.extend({ config: trainingConfigSchema, experimentId: idSchema.optional(), name: z.string().max(250).optional() }),
    z.object({ runId: z.string() }),
    'Train a model on a dataset version; returns the run at once, metrics stream into it',
  ),
  'training.sweep': op(
    versionInput.extend({ config: trainingConfigSchema, sweep: sweepSpecSchema, experimentId: idSchema.optional(), name: z.string().max(250).optional() }),
    z.object({ runId: z.string() }),
    'Grid or random search: a parent run with one nested run per trial',
  ),
  'training.cancel': op(z.object({ runId: idSchema }), ok, 'Stop a training run or a whole sweep (it ends KILLED)'),

  'models.importOnnx': op(
    z.object({ source: importSourceSchema, experimentId: idSchema.optional(), name: z.string().max(250).optional() }),
    z.object({ runId: z.string(), info: onnxModelInfoSchema }),
    'Bring your own ONNX model: check it loads, describe it, and keep it as a run with model/ artifacts',
  ),
  'models.list': op(z.object({ filter: z.string().max(256).optional() }), z.array(registeredModelSchema), 'Registered models, most recently changed first (filter: a name substring)'),
  'models.get': op(modelName, registeredModelSchema, 'One registered model with its aliases and latest version per stage'),
  'models.create': op(modelName.extend({ description: z.string().max(5000).optional() }), registeredModelSchema, 'Create an empty registered model'),
  'models.update': op(modelName.extend({ description: z.string().max(5000).optional(), newName: z.string().min(1).max(256).optional() }), registeredModelSchema, 'Describe or rename a registered model'),
  'models.delete': op(modelName, ok, 'Delete a registered model and all its versions (the runs stay)'),
  'models.setTag': op(modelName.extend({ version: z.number().int().positive().optional(), key: z.string().min(1).max(250), value: z.string().max(5000) }), ok, 'Tag a registered model, or one of its versions'),
  'models.deleteTag': op(modelName.extend({ version: z.number().int().positive().optional(), key: z.string().min(1).max(250) }), ok, 'Remove a tag from a model or version'),
  'models.register': op(
    modelName.extend({
      runId: idSchema,
      artifactPath: z.string().min(1).max(500).default('model'),
      description: z.string().max(5000).optional(),
      alias: z.string().min(1).max(255).optional(),
      stage: z.string().optional(),
      archiveExisting: z.boolean().default(false),
    }),
    modelVersionSchema,
    "Register a run's model as a new version (the model is created on first use), optionally with an alias or stage",
  ),
  'models.versions': op(modelName, z.array(modelVersionSchema), 'Versions of a registered model, newest first'),
  'models.version': op(versionRef, modelVersionSchema, 'One model version'),
  'models.updateVersion': op(versionRef.extend({ description: z.string().max(5000) }), modelVersionSchema, 'Describe a model version'),
  'models.deleteVersion': op(versionRef, ok, 'Delete a model version (its number is never reused)'),
  'models.transitionStage': op(versionRef.extend({ stage: z.string(), archiveExisting: z.boolean().default(false) }), modelVersionSchema, 'Move a version to None, Staging, Production or Archived'),
  'models.setAlias': op(versionRef.extend({ alias: z.string().min(1).max(255) }), ok, 'Point an alias (@champion) at a version; it moves if another version held it'),
  'models.deleteAlias': op(modelName.extend({ alias: z.string().min(1).max(255) }), ok, 'Remove an alias'),
  'models.history': op(modelName, z.array(registryEventSchema), 'Every change to a registered model, newest first'),
  'models.resolve': op(z.object({ uri: z.string().min(1).max(1000) }), resolvedModelSchema, 'What models:/name/3, models:/name/Production, models:/name@alias or runs:/id/model points at'),
  'models.evaluate': op(
    z.object({
      uri: z.string().min(1).max(1000),
      dataset: z.string().min(1),
      version: z.number().int().positive().optional(),
      target: z.string().min(1).optional(),
      failIf: z.string().max(1000).optional(),
      experimentId: idSchema.optional(),
      name: z.string().max(250).optional(),
    }),
    z.object({ runId: z.string() }),
    "Evaluate a model on a dataset version (its test part when split): an evaluate run with metrics and plots; fail_if gates it",
  ),
  'serving.start': op(
    z.object({ uri: z.string().min(1).max(1000), port: z.number().int().min(0).max(65_535).default(0), host: z.string().min(1).max(255).default('127.0.0.1') }),
    servedModelSchema,
    'Serve a model (models:/name@alias, models:/name/3, runs:/id/model) over MLflow\'s scoring protocol; port 0 picks a free one',
  ),
  'serving.list': op(empty, z.array(servedModelSchema), 'Models being served'),
  'serving.stop': op(z.object({ id: z.string().min(1) }), ok, 'Stop a model server after the requests in flight'),
  'serving.predict': op(
    z.object({ id: z.string().min(1), body: z.string().max(10_000_000), contentType: z.enum(['application/json', 'text/csv']).default('application/json') }),
    predictionReplySchema,
    'Send one scoring request to a served model and return its answer (the "try it" form)',
  ),
  'sync.remotes': op(empty, z.array(remoteSummarySchema), 'The team buckets configured, with their last test and syncs (never their keys)'),
  'sync.saveRemote': op(
    z.object({ config: remoteConfigSchema, credentials: remoteCredentialsSchema.optional() }),
    remoteSummarySchema,
    'Add or change a remote; keys, when given, go to the secret store (left out: the stored ones are kept)',
  ),
  'sync.removeRemote': op(z.object({ name: remoteNameSchema }), ok, 'Forget a remote and its stored keys (the bucket is not touched)'),
  'sync.testRemote': op(z.object({ name: remoteNameSchema }), remoteCapabilitiesSchema, 'Probe the endpoint: listing, writes, conditional writes, checksums, clock'),
  'sync.start': op(
    z.object({ remote: remoteNameSchema.optional(), direction: syncDirectionSchema.default('both'), dryRun: z.boolean().default(false) }),
    z.object({ historyId: z.number() }),
    'Push what is new and pull what teammates pushed (or only one way); progress comes as sync.progress events',
  ),
  'sync.cancel': op(z.object({ remote: remoteNameSchema.optional() }), ok, 'Stop the sync in progress (what was transferred stays; the next sync resumes)'),
  'sync.status': op(z.object({ remote: remoteNameSchema.optional() }), syncStatusSchema, 'The running sync, recent syncs, conflicts and unsupported events'),
  'sync.dismissConflict': op(z.object({ id: z.number().int() }), ok, 'Hide a resolved conflict from the list'),
  'pipelines.list': op(empty, z.array(pipelineSummarySchema), 'Registered pipelines with their last run'),
  'pipelines.get': op(z.object({ name: z.string().min(1) }), pipelineSummarySchema.extend({ spec: z.string() }), 'One pipeline with its spec text'),
  'pipelines.register': op(
    z.object({ text: z.string().min(1).max(1_000_000).optional(), path: z.string().min(1).optional() }),
    pipelineSummarySchema,
    'Check and store a pipeline spec (YAML text, or a pipeline.yaml path whose folder relative paths are read from)',
  ),
  'pipelines.check': op(z.object({ text: z.string().max(1_000_000) }), z.object({ ok: z.boolean(), issues: z.array(z.object({ line: z.number(), column: z.number(), path: z.string(), message: z.string() })) }), 'Validate a spec without storing it; issues carry line and column'),
  'pipelines.trigger': op(
    z.object({ name: z.string().min(1), params: z.record(z.string(), paramValueSchema).optional(), force: z.boolean().default(false) }),
    dagRunSchema,
    'Start a DAG run (queued until max_active_runs allows), params overriding the defaults',
  ),
  'pipelines.runs': op(z.object({ pipeline: z.string().optional(), limit: z.number().int().min(1).max(5000).default(100) }), z.array(dagRunSchema), 'DAG runs, newest first, with their task instances'),
  'pipelines.run': op(z.object({ id: z.string().min(1) }), dagRunSchema, 'One DAG run (<pipeline>/<run id>)'),
  'pipelines.cancel': op(z.object({ id: z.string().min(1) }), ok, 'Stop a DAG run: running tasks are killed, the rest skipped'),
  'pipelines.cancelTask': op(z.object({ id: z.string().min(1), taskId: z.string().min(1) }), dagRunSchema, 'Stop one task: it fails without retrying; downstream tasks follow their trigger rules'),
  'pipelines.clear': op(z.object({ id: z.string().min(1), taskId: z.string().min(1), downstream: z.boolean().default(true) }), dagRunSchema, 'Clear a task (and its downstream) so it runs again'),
  'pipelines.mark': op(z.object({ id: z.string().min(1), taskId: z.string().min(1), state: z.enum(['success', 'failed']) }), dagRunSchema, 'Mark a task success or failed by hand'),
  'pipelines.rerun': op(z.object({ id: z.string().min(1) }), dagRunSchema, 'Re-run exactly: the same spec, params and dataset versions, linked to the original'),
  'pipelines.pause': op(z.object({ name: z.string().min(1), paused: z.boolean() }), ok, 'Pause or resume a pipeline\'s schedule and dataset triggers'),
  'pipelines.log': op(
    z.object({ id: z.string().min(1), taskId: z.string().min(1), tryNumber: z.number().int().min(1).optional(), offset: z.number().int().min(0).default(0), maxBytes: z.number().int().min(1).max(4_000_000).default(256_000) }),
    z.object({ text: z.string(), size: z.number(), offset: z.number(), tryNumber: z.number() }),
    'A slice of one attempt\'s log (poll with the returned offset to follow it)',
  ),
} as const;

export type WorkbenchOperations = typeof workbenchApi;
export type OperationName = keyof WorkbenchOperations;
export type OperationInput<K extends OperationName> = z.input<WorkbenchOperations[K]['input']>;
export type OperationOutput<K extends OperationName> = z.infer<WorkbenchOperations[K]['output']>;

/** What a client holds: one async function per operation. */
export type WorkbenchApi = {
  [K in OperationName]: (input: OperationInput<K>) => Promise<OperationOutput<K>>;
};

/** The operation names in table order; a unit test snapshots this list. */
export const operationNames = Object.keys(workbenchApi) as OperationName[];

// Compile-time proof that the schema-free list in operation-names.ts names exactly these operations.
type ListedName = (typeof operationNameList)[number];
const everyListedNameIsAnOperation: Record<ListedName, true> = Object.fromEntries(operationNameList.map((name) => [name, true])) as Record<OperationName, true>;
const everyOperationIsListed: Record<OperationName, true> = everyListedNameIsAnOperation;
void everyOperationIsListed;

export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(workbenchApi, name);
}
