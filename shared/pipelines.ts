import { z } from 'zod';

/**
 * Pipelines: a DAG of steps from `pipeline.yaml`, run with Airflow's task semantics
 * (../shared/SEMANTICS.md §2). This file is the contract: the spec as a user writes it (after
 * YAML parsing; line numbers are the parser's business, main/core/pipelines/spec), and the states
 * of DAG runs, task instances and attempts as the orchestrator stores and the UI shows them.
 */

export const stepKinds = ['ingest', 'validate', 'preprocess', 'features', 'train', 'evaluate', 'register', 'command'] as const;
export const stepKindSchema = z.enum(stepKinds);
export type StepKind = z.infer<typeof stepKindSchema>;

/** Airflow's trigger rules (SEMANTICS.md §2.2). */
export const triggerRules = [
  'all_success',
  'all_failed',
  'all_done',
  'one_success',
  'one_failed',
  'one_done',
  'none_failed',
  'none_failed_min_one_success',
  'none_skipped',
  'all_skipped',
  'always',
] as const;
export const triggerRuleSchema = z.enum(triggerRules);
export type TriggerRule = z.infer<typeof triggerRuleSchema>;

/** `30s`, `5m`, `1h30m`, `2d`, or a number of seconds. */
export const durationSchema = z.union([z.number().nonnegative(), z.string().regex(/^\s*(\d+(\.\d+)?\s*(ms|s|m|h|d)\s*)+$/, 'a duration like 30s, 5m, 1h30m or 2d')]);
export type Duration = z.infer<typeof durationSchema>;

/** A param value: what `--param k=v` and the trigger form can set. */
export const paramValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type ParamValue = z.infer<typeof paramValueSchema>;

export const stepSpecSchema = z
  .object({
    kind: stepKindSchema,
    description: z.string().optional(),
    /** Step params; strings may hold `${{ params.x }}` and `${{ steps.<id>.outputs.<name> }}` references. */
    params: z.record(z.string(), z.unknown()).default({}),
    /** Upstream step ids; default: the previous step in the file (none for the first). `[]` makes a root. */
    depends_on: z.union([z.string(), z.array(z.string())]).optional(),
    retries: z.number().int().min(0).max(100).default(0),
    retry_delay: durationSchema.default(300),
    retry_exponential_backoff: z.union([z.boolean(), z.number().min(1)]).default(false),
    max_retry_delay: durationSchema.optional(),
    execution_timeout: durationSchema.optional(),
    trigger_rule: triggerRuleSchema.default('all_success'),
    /** Skip with the outputs of the last successful attempt when kind, params, code and inputs are unchanged. Default true. */
    cache: z.boolean().default(true),
  })
  .strict();
export type StepSpec = z.output<typeof stepSpecSchema>;

export const scheduleSpecSchema = z
  .object({
    /** Five-field cron (`0 3 * * *`) or @hourly / @daily / @weekly / @monthly / @yearly. */
    cron: z.string().min(1),
    /** IANA zone the cron is read in; default UTC. */
    timezone: z.string().default('UTC'),
    /** Create one run per interval missed while the app was closed (true), or only the latest (false, Airflow 3's default). */
    catchup: z.boolean().default(false),
    /** ISO date the schedule starts from; default: when the pipeline was first registered. */
    start_date: z.string().optional(),
  })
  .strict();
export type ScheduleSpec = z.output<typeof scheduleSpecSchema>;

export const pipelineSpecSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, ".", "_" or "-", starting with a letter or digit'),
    description: z.string().optional(),
    tags: z.array(z.string()).default([]),
    /** Defaults, overridable per run (`--param k=v`, the trigger form). */
    params: z.record(z.string(), paramValueSchema).default({}),
    schedule: scheduleSpecSchema.optional(),
    /** Runs beyond this stay queued. */
    max_active_runs: z.number().int().min(1).max(64).default(1),
    /** Tasks of one run at once. */
    max_active_tasks: z.number().int().min(1).max(64).default(4),
    /** Trigger a run when a new version of one of these datasets appears (imported, derived or pulled). */
    triggers: z.object({ datasets: z.array(z.string()).default([]) }).strict().optional(),
    /** Step id → step, in file order (the order gives the default `depends_on`). */
    steps: z.record(z.string().regex(/^[A-Za-z_][\w-]{0,63}$/, 'a step id: letters, digits, "_" or "-", starting with a letter or "_"'), stepSpecSchema),
  })
  .strict();
export type PipelineSpec = z.output<typeof pipelineSpecSchema>;

/** Task-instance states (SEMANTICS.md §2.1); `none` is Airflow's null. */
export const taskStates = ['none', 'scheduled', 'queued', 'running', 'success', 'failed', 'up_for_retry', 'upstream_failed', 'skipped', 'removed', 'restarting'] as const;
export const taskStateSchema = z.enum(taskStates);
export type TaskState = z.infer<typeof taskStateSchema>;

export const finishedStates: readonly TaskState[] = ['success', 'failed', 'skipped', 'upstream_failed', 'removed'];

export const dagRunStates = ['queued', 'running', 'success', 'failed'] as const;
export const dagRunStateSchema = z.enum(dagRunStates);
export type DagRunState = z.infer<typeof dagRunStateSchema>;

export const attemptSchema = z.object({
  tryNumber: z.number(),
  state: taskStateSchema,
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  /** Why it failed (the exception, exit code, timeout), or null. */
  message: z.string().nullable(),
  /** The tracking run this attempt logged into (train/evaluate/command steps), if any. */
  runId: z.string().nullable(),
});
export type Attempt = z.infer<typeof attemptSchema>;

export const taskInstanceSchema = z.object({
  taskId: z.string(),
  kind: stepKindSchema,
  state: taskStateSchema,
  tryNumber: z.number(),
  maxTries: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  nextRetryAt: z.number().nullable(),
  /** What the step produced: dataset versions (`dataset@3`), run ids, model versions (`models:/m/2`), files. */
  outputs: z.record(z.string(), z.string()),
  /** Set when the step was skipped as unchanged: the DAG run whose outputs it reused. */
  cachedFrom: z.string().nullable(),
  message: z.string().nullable(),
  attempts: z.array(attemptSchema),
});
export type TaskInstance = z.infer<typeof taskInstanceSchema>;

export const dagRunSchema = z.object({
  /** Unique: `<pipeline>/<run id>`. */
  id: z.string(),
  pipeline: z.string(),
  /** Airflow style: `manual__2026-11-26T10:00:00.000Z`, `scheduled__…`, `dataset__…`, `rerun__…`. */
  runId: z.string(),
  kind: z.enum(['manual', 'scheduled', 'dataset', 'rerun']),
  state: dagRunStateSchema,
  logicalDate: z.number(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  params: z.record(z.string(), paramValueSchema),
  /** The DAG run this one reproduces ("re-run exactly"). */
  rerunOf: z.string().nullable(),
  /** git commit (+ "-dirty") of the pipeline's folder when it ran, if it is a repository. */
  codeVersion: z.string().nullable(),
  /** Dataset versions the run read, pinned for reproduction (`name@version`). */
  inputs: z.array(z.string()),
  tasks: z.array(taskInstanceSchema),
});
export type DagRun = z.infer<typeof dagRunSchema>;

export const pipelineSummarySchema = z.object({
  name: z.string(),
  description: z.string().nullable(),
  tags: z.array(z.string()),
  /** Where the spec was loaded from (null when registered from text). */
  path: z.string().nullable(),
  steps: z.array(z.object({ id: z.string(), kind: stepKindSchema, dependsOn: z.array(z.string()) })),
  schedule: z.string().nullable(),
  paused: z.boolean(),
  lastRun: z.object({ id: z.string(), state: dagRunStateSchema, createdAt: z.number() }).nullable(),
  runCount: z.number(),
});
export type PipelineSummary = z.infer<typeof pipelineSummarySchema>;
