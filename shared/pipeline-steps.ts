import { z } from 'zod';
import { csvOptionsSchema } from './datasets';
import type { StepKind } from './pipelines';
import { modelStageSchema } from './registry';
import { sweepSpecSchema, trainingConfigSchema } from './training';
import { transformStepSchema } from './transforms';

/**
 * What each step kind takes in `params` and what it produces. The spec parser checks a step's
 * params against its kind's schema (with `${{ params.x }}` references replaced by the params'
 * defaults, and fields holding `${{ steps.… }}` references left for run time); an executor parses
 * the params again once the references are resolved, which also fills these defaults.
 *
 * Relative paths (`path`, `suite`, `cwd`) are relative to the folder of the pipeline file.
 */

/** True when a string holds a `${{ … }}` reference, whose value is only known at run time. */
const holdsReference = (value: string): boolean => value.includes('${{');

const datasetNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const datasetRefPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(@[1-9]\d*)?$/;
const modelUriPattern = /^(runs:\/[^/\s]+\/\S+|models:\/[^/@\s]+(\/[^/\s]+|@[^/\s]+))$/;

/** A dataset name, as a new version is named (letters, digits, ".", "_", "-"). */
export const stepDatasetNameSchema = z.string().refine((value) => holdsReference(value) || datasetNamePattern.test(value), {
  message: 'a dataset name: letters, digits, ".", "_" or "-", starting with a letter or digit',
});

/** `name` (its latest version), `name@3`, or a reference such as `${{ steps.ingest.outputs.dataset }}`. */
export const stepDatasetRefSchema = z.string().refine((value) => holdsReference(value) || datasetRefPattern.test(value), {
  message: 'a dataset: name, name@3, or a reference like ${{ steps.ingest.outputs.dataset }}',
});

/** `runs:/<run id>/model`, `models:/name/3`, `models:/name/Production`, `models:/name@alias`, or a reference. */
export const stepModelUriSchema = z.string().refine((value) => holdsReference(value) || modelUriPattern.test(value), {
  message: 'a model URI (runs:/<run id>/model, models:/name/3, models:/name@alias) or a reference like ${{ steps.train.outputs.model }}',
});

const nonEmpty = z.string().min(1);

export const ingestParamsSchema = z.strictObject({
  /** A file or a folder to import as a new version. */
  path: nonEmpty,
  /** The dataset it becomes a version of; default: derived from the file name. */
  name: stepDatasetNameSchema.optional(),
  csv: csvOptionsSchema.optional(),
  /** Also write a `.dvc` file beside the data, as `dvc add` would. */
  dvc: z.boolean().default(false),
});

export const validateParamsSchema = z.strictObject({
  dataset: stepDatasetRefSchema,
  /** A Great Expectations suite (JSON). A failed validation fails the step. */
  suite: nonEmpty,
});

/** preprocess and features: the same engine, named apart so the graph reads as the workflow does. */
export const transformParamsSchema = z.strictObject({
  dataset: stepDatasetRefSchema,
  steps: z.array(transformStepSchema).min(1),
  /** The dataset the result is a version of; default: a new version of the input's dataset. */
  output: stepDatasetNameSchema.optional(),
});

export const trainParamsSchema = trainingConfigSchema
  .extend({
    dataset: stepDatasetRefSchema,
    /** A hyperparameter sweep instead of one run; `model` is then the best trial's model. */
    sweep: sweepSpecSchema.optional(),
    /** The experiment the run goes to; default: the pipeline's. */
    experiment: nonEmpty.optional(),
  })
  .strict();

export const evaluateParamsSchema = z.strictObject({
  model: stepModelUriSchema,
  dataset: stepDatasetRefSchema,
  /** Default: the target the model was trained on. */
  target: nonEmpty.optional(),
  /** A gate such as `metrics.accuracy < 0.9`: when it holds the step fails (so a register after it does not run). */
  fail_if: nonEmpty.optional(),
});

export const registerParamsSchema = z.strictObject({
  model: stepModelUriSchema,
  /** The registered model's name (created on first use). */
  name: z.string().min(1).max(256),
  alias: z.string().min(1).max(255).optional(),
  stage: modelStageSchema.optional(),
  /** Moving to a stage archives the versions that were in it (MLflow's archive_existing_versions). */
  archive_existing: z.boolean().default(false),
  description: z.string().max(5000).optional(),
});

export const commandParamsSchema = z.strictObject({
  /** A shell command line, or a program and its arguments (no shell). */
  command: z.union([nonEmpty, z.array(z.string()).min(1)]),
  cwd: nonEmpty.optional(),
  env: z.record(z.string(), z.string()).optional(),
});

/** Step kind → the schema of its params. */
export const stepParamSchemas = {
  ingest: ingestParamsSchema,
  validate: validateParamsSchema,
  preprocess: transformParamsSchema,
  features: transformParamsSchema,
  train: trainParamsSchema,
  evaluate: evaluateParamsSchema,
  register: registerParamsSchema,
  command: commandParamsSchema,
} as const satisfies Record<StepKind, z.ZodType>;

export type StepParams<K extends StepKind> = z.output<(typeof stepParamSchemas)[K]>;
export type StepParamsInput<K extends StepKind> = z.input<(typeof stepParamSchemas)[K]>;

/**
 * Step kind → the outputs `${{ steps.<id>.outputs.<name> }}` may name; null for `command`, whose
 * outputs are whatever the program writes (any name may be referenced; a missing one fails the
 * referencing step at run time).
 */
export const stepOutputNames = {
  /** `name@version` of the imported version. */
  ingest: ['dataset'],
  /** dataset: the version checked (`name@version`); report: the validation report's id; success: `true`. */
  validate: ['dataset', 'report', 'success'],
  preprocess: ['dataset'],
  features: ['dataset'],
  /** run: the run id; model: `runs:/<id>/model`; best_run: with a sweep, the best trial's run id. */
  train: ['run', 'model', 'best_run'],
  evaluate: ['run'],
  /** model_version: `models:/name/3`; version: `3`. */
  register: ['model_version', 'version'],
  command: null,
} as const satisfies Record<StepKind, readonly string[] | null>;
