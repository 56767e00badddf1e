import { z } from 'zod';
import { dataSourceSchema } from '../../shared/datasets';
import { trainerPreprocessingSchema, trainingConfigSchema, type TrainingSummary } from '../../shared/training';
import { Duck } from '../data/duckdb';
import { runWorker } from '../runtime';
import { loadTable, type TrainingTable } from './data/load-table';
import { candidateProviders } from '../probe/probe';
import { exportTrained } from './export-trained';
import { resolveModelSpec, type ModelSpec } from './model/index';
import { train, type EpochMetrics } from './train/index';

const inputSchema = z.object({
  source: dataSourceSchema,
  validation: dataSourceSchema.optional(),
  preprocessing: trainerPreprocessingSchema.optional(),
  config: trainingConfigSchema,
  runId: z.string().optional(),
});

/** Metric keys as the runs table shows them (MLflow habits: snake_case, val_ prefix). */
function epochPoints(metrics: EpochMetrics): Array<[string, number | undefined]> {
  return [
    ['train_loss_epoch', metrics.trainLoss],
    ['train_accuracy', metrics.trainAccuracy],
    ['train_rmse', metrics.trainRmse],
    ['val_loss', metrics.valLoss],
    ['val_accuracy', metrics.valAccuracy],
    ['val_rmse', metrics.valRmse],
    ['epoch', metrics.epoch],
  ];
}

/**
 * The validation part read with the same features; its class labels re-indexed to the training
 * part's classes (a class missing from the training part cannot be predicted: an error).
 */
function alignValidation(table: TrainingTable, held: TrainingTable): { x: Float32Array; y: BigInt64Array | Float32Array } {
  if (held.featureNames.join('\u0000') !== table.featureNames.join('\u0000')) throw new Error('The validation part has different feature columns from the train part.');
  if (table.target.kind === 'values' || held.target.kind === 'values') {
    if (table.target.kind !== held.target.kind) throw new Error('The train and validation parts disagree on the target type.');
    return { x: held.features, y: (held.target as { values: Float32Array }).values };
  }
  const index = new Map(table.target.classes.map((label, i) => [label, BigInt(i)]));
  const heldClasses = held.target.classes;
  const labels = BigInt64Array.from(held.target.labels, (label) => {
    const name = heldClasses[Number(label)]!;
    const mapped = index.get(name);
    if (mapped === undefined) throw new Error(`Class '${name}' appears in the validation part but not in the train part.`);
    return mapped;
  });
  return { x: held.features, y: labels };
}

/** The trainer worker: one training job per process (DESIGN.md §1), metrics streamed as they happen. */
runWorker(async (input, context) => {
  const { source, validation, preprocessing, config, runId } = inputSchema.parse(input);
  const duck = await Duck.open({ threads: config.threads });
  const options = { target: config.target, ...(config.features ? { features: config.features } : {}), ...(config.task ? { task: config.task } : {}) };
  // One connection runs one query at a time: read the parts in turn.
  const [table, held] = await (async () => [await loadTable(duck, source, options), validation ? await loadTable(duck, validation, options) : null] as const)().finally(() => duck.close());
  const validationData = held ? alignValidation(table, held) : undefined;
  const classes = table.target.kind === 'classes' ? table.target.classes : null;
  const post = (step: number, points: Array<[string, number | undefined]>): void => {
    const timestamp = Date.now();
    context.post({ type: 'metrics', points: points.filter(([, value]) => value !== undefined).map(([key, value]) => ({ key, value: value!, step, timestamp })) });
  };
  let samples = 0;
  let millis = 0;
  const modelSpec: ModelSpec = {
    task: table.target.kind === 'classes' ? 'classification' : 'regression',
    inputs: table.featureNames.length,
    hidden: config.model.hidden,
    activation: config.model.activation,
    dropout: config.model.dropout,
    layerNorm: config.model.layerNorm,
    ...(classes ? { classes: classes.length } : { outputs: 1, loss: config.model.loss }),
  };
  const result = await train(
    {
      model: modelSpec,
      optimizer: { kind: config.optimizer.kind, lr: config.optimizer.lr, ...(config.optimizer.weightDecay !== undefined ? { weightDecay: config.optimizer.weightDecay } : {}), ...(config.optimizer.kind === 'sgd' ? { momentum: config.optimizer.momentum ?? 0, nesterov: config.optimizer.nesterov ?? false } : {}) },
      schedule: config.schedule.kind === 'step' ? { kind: 'step', stepSize: config.schedule.stepSize ?? 1000, ...(config.schedule.gamma ? { gamma: config.schedule.gamma } : {}), ...(config.schedule.warmupSteps ? { warmupSteps: config.schedule.warmupSteps } : {}) } : config.schedule.kind === 'cosine' ? { kind: 'cosine', ...(config.schedule.minLr !== undefined ? { minLr: config.schedule.minLr } : {}), ...(config.schedule.warmupSteps ? { warmupSteps: config.schedule.warmupSteps } : {}) } : { kind: 'constant', ...(config.schedule.warmupSteps ? { warmupSteps: config.schedule.warmupSteps } : {}) },
      epochs: config.epochs,
      batchSize: Math.min(config.batchSize, Math.max(1, Math.floor(table.rows * (1 - config.validationFraction)))),
      seed: config.seed,
      validationFraction: validationData ? 0 : config.validationFraction,
      execution: config.execution,
      providers: config.providers ?? candidateProviders(process.platform),
      intraOpNumThreads: config.threads,
      ...(config.clipGradNorm ? { clipGradNorm: config.clipGradNorm } : {}),
      ...(config.monitor ? { monitor: config.monitor } : {}),
      ...(config.earlyStopping ? { earlyStopping: config.earlyStopping } : {}),
    },
    { x: table.features, y: table.target.kind === 'classes' ? table.target.labels : table.target.values, ...(validationData ? { validation: validationData } : {}) },
    {
      onProvider: (report) => {
        context.post({ type: 'param', key: 'execution_provider', value: report.provider });
        for (const failure of report.failures) context.log(`provider ${failure.provider} did not load: ${failure.message}`, 'warn');
      },
      onChunk: (metrics) => {
        samples += metrics.samples;
        millis += metrics.millis;
        post(metrics.step, [['train_loss', metrics.trainLoss], ['lr', metrics.lr], ['samples_per_sec', metrics.samplesPerSec]]);
      },
      onEpoch: (metrics) => {
        post(metrics.step, epochPoints(metrics));
        context.progress(metrics.epoch, config.epochs, `epoch ${metrics.epoch} of ${config.epochs}`);
      },
      shouldCancel: () => context.cancelled(),
    },
  );
  // Export the best checkpoint as a forward-only model and prove it reproduces the training graph.
  context.progress(config.epochs, config.epochs, 'exporting the model');
  const model = await exportTrained({
    spec: resolveModelSpec(modelSpec),
    theta: (result.best ?? result.final).theta,
    table,
    classes,
    ...(result.validationFeatures ? { validationFeatures: result.validationFeatures } : {}),
    ...(preprocessing ? { preprocessing } : {}),
    loadOptions: options,
    ...(runId ? { runId } : {}),
    openDuck: () => Duck.open({ threads: config.threads }),
  });
  const best = result.best?.metrics;
  const summary: TrainingSummary = {
    status: result.status,
    provider: result.provider,
    providerFailures: [...result.failures],
    execution: result.execution,
    epochs: result.history.length,
    rows: table.rows,
    features: [...table.featureNames],
    classes: classes ? [...classes] : null,
    best: best ? Object.fromEntries(epochPoints(best).filter((entry): entry is [string, number] => entry[1] !== undefined)) : null,
    samplesPerSec: millis > 0 ? samples / (millis / 1000) : 0,
  };
  return { summary, model };
});
