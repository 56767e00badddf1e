/** A TrainConfig with defaults filled in and every value checked, with messages a user can act on. */
import { invalid } from '../../../shared/errors';
import { type ResolvedModelSpec, resolveModelSpec } from '../model/spec';
import { type ResolvedOptimizer, resolveOptimizer } from '../optim/optimizers';
import { type ScheduleConfig, validateSchedule } from '../optim/schedule';
import type { MonitorName, TrainConfig } from './types';

export interface ResolvedTrainConfig {
  readonly model: ResolvedModelSpec;
  readonly optimizer: ResolvedOptimizer;
  readonly schedule: ScheduleConfig;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly clipGradNorm: number | null;
  readonly execution: 'loop' | 'step';
  readonly chunkSteps: number | 'auto';
  readonly chunkMillis: number;
  /** Resolved against the presence of validation data in resolveMonitor. */
  readonly monitor: MonitorName | null;
  readonly earlyStopping: { readonly monitor: MonitorName | null; readonly patience: number; readonly minDelta: number } | null;
  readonly providers: readonly string[];
  readonly intraOpNumThreads: number;
  readonly allowSpinning: boolean;
  readonly evalBatchSize: number;
  readonly validationFraction: number;
}

const MONITORS: readonly MonitorName[] = ['val_loss', 'val_accuracy', 'val_rmse', 'train_loss', 'train_accuracy', 'train_rmse'];
export const DEFAULT_PROVIDERS: readonly string[] = ['cpu'];

export function resolveTrainConfig(config: TrainConfig): ResolvedTrainConfig {
  const model = resolveModelSpec(config.model);
  const optimizer = resolveOptimizer(config.optimizer);
  const schedule = config.schedule ?? { kind: 'constant' };
  validateSchedule(schedule);
  positiveInt('epochs', config.epochs);
  positiveInt('batchSize', config.batchSize);
  const seed = config.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw invalid(`seed must be a non-negative integer, got ${seed}`);
  const clip = config.clipGradNorm ?? null;
  if (clip !== null && !(clip > 0)) throw invalid(`clipGradNorm must be > 0, got ${clip}`);
  const execution = config.execution ?? 'loop';
  if (execution !== 'loop' && execution !== 'step') throw invalid(`execution must be 'loop' or 'step', got ${String(execution)}`);
  const chunkSteps = config.chunkSteps ?? 'auto';
  if (chunkSteps !== 'auto') positiveInt('chunkSteps', chunkSteps);
  const chunkMillis = config.chunkMillis ?? 200;
  if (!(chunkMillis > 0)) throw invalid(`chunkMillis must be > 0, got ${chunkMillis}`);
  const monitor = config.monitor ?? null;
  if (monitor !== null) checkMonitor(monitor, model.task);
  const early = config.earlyStopping ?? null;
  if (early) {
    positiveInt('earlyStopping.patience', early.patience);
    if (!((early.minDelta ?? 0) >= 0)) throw invalid(`earlyStopping.minDelta must be ≥ 0, got ${early.minDelta}`);
    if (early.monitor) checkMonitor(early.monitor, model.task);
  }
  const providers = config.providers ?? DEFAULT_PROVIDERS;
  if (providers.length === 0) throw invalid('providers must name at least one execution provider');
  const threads = config.intraOpNumThreads ?? 2;
  positiveInt('intraOpNumThreads', threads);
  const evalBatchSize = config.evalBatchSize ?? 8192;
  positiveInt('evalBatchSize', evalBatchSize);
  const validationFraction = config.validationFraction ?? 0;
  if (!(validationFraction >= 0 && validationFraction < 1)) throw invalid(`validationFraction must be in [0, 1), got ${validationFraction}`);
  return {
    model,
    optimizer,
    schedule,
    epochs: config.epochs,
    batchSize: config.batchSize,
    seed,
    shuffle: config.shuffle ?? true,
    dropLast: config.dropLast ?? false,
    clipGradNorm: clip,
    execution,
    chunkSteps,
    chunkMillis,
    monitor,
    earlyStopping: early ? { monitor: early.monitor ?? null, patience: early.patience, minDelta: early.minDelta ?? 0 } : null,
    providers: [...providers],
    intraOpNumThreads: threads,
    allowSpinning: config.allowSpinning ?? false,
    evalBatchSize,
    validationFraction,
  };
}

function positiveInt(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw invalid(`${name} must be a positive integer, got ${value}`);
}

function checkMonitor(name: MonitorName, task: ResolvedModelSpec['task']): void {
  if (!MONITORS.includes(name)) throw invalid(`unknown monitor "${String(name)}"; use one of ${MONITORS.join(', ')}`);
  if (task === 'classification' && name.endsWith('_rmse')) throw invalid(`${name} is a regression metric; a classifier reports loss and accuracy`);
  if (task === 'regression' && name.endsWith('_accuracy')) throw invalid(`${name} is a classification metric; a regressor reports loss and RMSE`);
}

/**
 * The one metric that picks the best checkpoint and drives early stopping (two different ones
 * would make "best" and "stopped because it stopped improving" disagree).
 */
export function resolveMonitor(config: ResolvedTrainConfig, hasValidation: boolean): MonitorName {
  const early = config.earlyStopping?.monitor ?? null;
  if (config.monitor && early && config.monitor !== early) throw invalid(`monitor (${config.monitor}) and earlyStopping.monitor (${early}) differ; set one`);
  const name = config.monitor ?? early ?? (hasValidation ? 'val_loss' : 'train_loss');
  if (name.startsWith('val_') && !hasValidation) throw invalid(`monitor ${name} needs validation data (data.validation or validationFraction)`);
  return name;
}

/** Whether larger is better for a metric. */
export const maximizes = (name: MonitorName): boolean => name.endsWith('_accuracy');
