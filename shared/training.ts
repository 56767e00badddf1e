import { z } from 'zod';
import { dataSourceSchema } from './datasets';
import { fittedStepSchema, transformStepSchema } from './transforms';

const positiveInt = z.number().int().positive();

/**
 * A training job as a user writes it (train.yaml, the UI's form, a pipeline's train step). The
 * trainer worker turns it into its engine config; defaults are what a first try should use.
 */
export const trainingConfigSchema = z.object({
  /** The column to predict. */
  target: z.string().min(1),
  /** Feature columns; every other numeric column when omitted. */
  features: z.array(z.string().min(1)).optional(),
  /** Inferred from the target when omitted (text or few whole numbers → classification). */
  task: z.enum(['classification', 'regression']).optional(),
  model: z
    .object({
      hidden: z.array(positiveInt).max(16).default([64, 64]),
      activation: z.enum(['relu', 'leaky_relu', 'tanh', 'sigmoid', 'gelu']).default('relu'),
      dropout: z.number().min(0).max(0.95).default(0),
      layerNorm: z.boolean().default(false),
      /** Regression loss. */
      loss: z.enum(['mse', 'huber']).default('mse'),
      /**
       * Image datasets: Conv (same padding) → activation → 2×2 pool blocks before the MLP. Default
       * for images: 16 then 32 filters of 3×3 with max pooling; ignored for tables.
       */
      conv: z
        .array(z.object({ filters: positiveInt.max(1024), kernel: z.number().int().min(1).max(11).default(3), pool: z.enum(['max', 'avg', 'none']).default('max') }))
        .max(8)
        .optional(),
    })
    .default({ hidden: [64, 64], activation: 'relu', dropout: 0, layerNorm: false, loss: 'mse' }),
  optimizer: z
    .object({
      kind: z.enum(['sgd', 'adam', 'adamw']).default('adam'),
      lr: z.number().positive().default(1e-3),
      momentum: z.number().min(0).max(1).optional(),
      nesterov: z.boolean().optional(),
      weightDecay: z.number().min(0).optional(),
    })
    .default({ kind: 'adam', lr: 1e-3 }),
  schedule: z
    .object({
      kind: z.enum(['constant', 'step', 'cosine']).default('constant'),
      warmupSteps: z.number().int().min(0).optional(),
      stepSize: positiveInt.optional(),
      gamma: z.number().positive().optional(),
      minLr: z.number().min(0).optional(),
    })
    .default({ kind: 'constant' }),
  epochs: positiveInt.max(100_000).default(20),
  batchSize: positiveInt.default(64),
  seed: z.number().int().default(42),
  validationFraction: z.number().min(0).max(0.9).default(0.2),
  clipGradNorm: z.number().positive().optional(),
  earlyStopping: z.object({ patience: positiveInt, minDelta: z.number().min(0).optional() }).optional(),
  monitor: z.enum(['val_loss', 'val_accuracy', 'val_rmse', 'train_loss', 'train_accuracy', 'train_rmse']).optional(),
  /** Image datasets: every image is resized (stretched) to width × height, as RGB or grayscale (default 32×32 RGB). */
  image: z
    .object({ width: positiveInt.max(1024).default(32), height: positiveInt.max(1024).default(32), channels: z.enum(['rgb', 'grayscale']).default('rgb') })
    .optional(),
  /** Execution providers in preference order; the first that loads runs (recorded on the run). */
  providers: z.array(z.string()).optional(),
  threads: z.number().int().min(1).max(64).default(2),
  /** `loop` fuses chunks of steps into one session.run; `step` is the per-step reference. */
  execution: z.enum(['loop', 'step']).default('loop'),
});
export type TrainingConfig = z.output<typeof trainingConfigSchema>;
export type TrainingConfigInput = z.input<typeof trainingConfigSchema>;

/** What the trainer worker reports when it ends. */
export const trainingSummarySchema = z.object({
  status: z.enum(['completed', 'early_stopped', 'cancelled']),
  provider: z.string(),
  providerFailures: z.array(z.object({ provider: z.string(), message: z.string() })),
  execution: z.enum(['loop', 'step']),
  epochs: z.number(),
  rows: z.number(),
  features: z.array(z.string()),
  classes: z.array(z.string()).nullable(),
  best: z.record(z.string(), z.number()).nullable(),
  samplesPerSec: z.number(),
});
export type TrainingSummary = z.infer<typeof trainingSummarySchema>;

/**
 * A hyperparameter sweep: one parent run, one nested run per trial. `parameters` maps a config
 * path (`optimizer.lr`, `model.hidden`) to the values to try.
 */
export const sweepSpecSchema = z.object({
  method: z.enum(['grid', 'random']).default('grid'),
  parameters: z.record(z.string().min(1), z.array(z.union([z.number(), z.string(), z.boolean(), z.array(z.number())])).min(1)),
  /** Random search: how many trials (distinct combinations drawn with the seed). */
  trials: z.number().int().min(1).max(1000).default(10),
  /** Trials running at once, each in its own worker. */
  parallel: z.number().int().min(1).max(8).default(2),
  /** The metric that picks the best trial, and whether lower or higher is better. */
  metric: z.string().default('val_loss'),
  goal: z.enum(['minimize', 'maximize']).optional(),
  seed: z.number().int().default(0),
});
export type SweepSpec = z.output<typeof sweepSpecSchema>;

/**
 * How a derived dataset version was made from raw data: the root version's source and columns,
 * then every transform step of every hop with what it fitted. The trainer bakes these into the
 * exported model so it takes raw columns (see workers/trainer/export/README.md).
 */
export const trainerPreprocessingSchema = z.object({
  /** The root version, e.g. `houses@1`, for messages. */
  label: z.string(),
  source: dataSourceSchema,
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  steps: z.array(z.object({ step: transformStepSchema, fitted: fittedStepSchema.nullable() })).min(1),
});
export type TrainerPreprocessing = z.output<typeof trainerPreprocessingSchema>;
export type TrainerPreprocessingInput = z.input<typeof trainerPreprocessingSchema>;
