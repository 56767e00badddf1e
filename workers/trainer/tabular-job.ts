/** Training on a table: a dataset version's (or a file's) rows, features and target read by DuckDB. */
import type { DataSource } from '../../shared/datasets';
import type { TrainerPreprocessing, TrainingConfig } from '../../shared/training';
import { Duck } from '../data/duckdb';
import type { WorkerContext } from '../runtime';
import { loadTable, type TrainingTable } from './data/load-table';
import { exportTrained } from './export-trained';
import { resolveModelSpec, type ModelSpec } from './model/index';
import { runTraining, summarize } from './run-training';

export interface TabularJob {
  readonly source: DataSource;
  readonly validation?: DataSource | undefined;
  readonly preprocessing?: TrainerPreprocessing | undefined;
  readonly config: TrainingConfig;
  readonly runId?: string | undefined;
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

export async function tabularJob({ source, validation, preprocessing, config, runId }: TabularJob, context: WorkerContext): Promise<unknown> {
  const duck = await Duck.open({ threads: config.threads });
  const options = { target: config.target, ...(config.features ? { features: config.features } : {}), ...(config.task ? { task: config.task } : {}) };
  // One connection runs one query at a time: read the parts in turn.
  const [table, held] = await (async () => [await loadTable(duck, source, options), validation ? await loadTable(duck, validation, options) : null] as const)().finally(() => duck.close());
  const validationData = held ? alignValidation(table, held) : undefined;
  const classes = table.target.kind === 'classes' ? table.target.classes : null;
  const modelSpec: ModelSpec = {
    task: table.target.kind === 'classes' ? 'classification' : 'regression',
    inputs: table.featureNames.length,
    hidden: config.model.hidden,
    activation: config.model.activation,
    dropout: config.model.dropout,
    layerNorm: config.model.layerNorm,
    ...(classes ? { classes: classes.length } : { outputs: 1, loss: config.model.loss }),
  };
  const y = table.target.kind === 'classes' ? table.target.labels : table.target.values;
  const run = await runTraining(context, config, modelSpec, { x: table.features, y, ...(validationData ? { validation: validationData } : {}) }, table.rows);
  // Export the best checkpoint as a forward-only model and prove it reproduces the training graph.
  context.progress(config.epochs, config.epochs, 'exporting the model');
  const model = await exportTrained({
    spec: resolveModelSpec(modelSpec),
    theta: (run.result.best ?? run.result.final).theta,
    table,
    classes,
    ...(run.result.validationFeatures ? { validationFeatures: run.result.validationFeatures } : {}),
    ...(preprocessing ? { preprocessing } : {}),
    loadOptions: options,
    ...(runId ? { runId } : {}),
    openDuck: () => Duck.open({ threads: config.threads }),
  });
  return { summary: summarize(run, table.rows, table.featureNames, classes), model };
}
