/**
 * Checkpoints: θ, optimizer state and the trainer's position, enough to continue a run exactly
 * where it stopped (the shuffles, learning rates and dropout masks are pure functions of seed,
 * epoch and step, so no generator state needs saving). Arrays are copied in and out, so a
 * checkpoint handed to a callback never changes under its holder.
 */
import { invalid } from '../../../shared/errors';
import { paramLayout } from '../model/spec';
import { optimizerStateNames } from '../optim/optimizers';
import type { ResolvedTrainConfig } from './config';
import { CHECKPOINT_FORMAT, type Checkpoint, type EpochMetrics, type EpochTotals, type MonitorName, type MonitorState } from './types';

export const EMPTY_TOTALS: EpochTotals = { lossSum: 0, metricSum: 0, samples: 0, millis: 0 };

/** What θ and the optimizer state mean: a checkpoint only loads into the same model and optimizer kind. */
export function fingerprint(config: ResolvedTrainConfig): string {
  return JSON.stringify({ model: config.model, optimizer: config.optimizer.kind, state: optimizerStateNames(config.optimizer), size: paramLayout(config.model).size });
}

/** What a mid-epoch position means: the same rows in the same order, cut into the same batches. */
export function positionKey(config: ResolvedTrainConfig, rows: number): string {
  return JSON.stringify({ rows, batchSize: config.batchSize, seed: config.seed, shuffle: config.shuffle, dropLast: config.dropLast });
}

export interface Progress {
  theta: Float32Array;
  state: Float32Array[];
  step: number;
  epoch: number;
  batchInEpoch: number;
  totals: EpochTotals;
  monitor: MonitorState;
}

export function snapshot(config: ResolvedTrainConfig, rows: number, p: Progress, metrics?: EpochMetrics): Checkpoint {
  return {
    format: CHECKPOINT_FORMAT,
    fingerprint: fingerprint(config),
    position: positionKey(config, rows),
    theta: Float32Array.from(p.theta),
    optimizerState: p.state.map((s) => Float32Array.from(s)),
    step: p.step,
    epoch: p.epoch,
    batchInEpoch: p.batchInEpoch,
    epochTotals: { ...p.totals },
    monitor: { ...p.monitor },
    ...(metrics ? { metrics } : {}),
  };
}

/** The progress a resumed run starts from, after checking the checkpoint fits this run. */
export function restore(config: ResolvedTrainConfig, rows: number, checkpoint: Checkpoint, monitor: MonitorName): Progress {
  if (checkpoint.format !== CHECKPOINT_FORMAT) throw invalid(`not a Trainyard checkpoint (format ${String(checkpoint.format)})`);
  if (checkpoint.fingerprint !== fingerprint(config)) throw invalid('the checkpoint belongs to a different model or optimizer; resume with the configuration it was trained with');
  if (checkpoint.batchInEpoch > 0 && checkpoint.position !== positionKey(config, rows)) {
    throw invalid('the checkpoint was taken in the middle of an epoch over different data, batch size, seed or shuffling; resume with the same ones');
  }
  const size = paramLayout(config.model).size;
  if (checkpoint.theta.length !== size || checkpoint.optimizerState.some((s) => s.length !== size)) throw invalid('the checkpoint holds vectors of the wrong size');
  if (checkpoint.epoch > config.epochs) throw invalid(`the checkpoint is at epoch ${checkpoint.epoch}, past this run's ${config.epochs} epochs`);
  const sameMonitor = checkpoint.monitor.name === monitor;
  return {
    theta: Float32Array.from(checkpoint.theta),
    state: checkpoint.optimizerState.map((s) => Float32Array.from(s)),
    step: checkpoint.step,
    epoch: checkpoint.epoch,
    batchInEpoch: checkpoint.batchInEpoch,
    totals: { ...checkpoint.epochTotals },
    // A different monitored metric starts its best/patience bookkeeping afresh.
    monitor: sameMonitor ? { ...checkpoint.monitor } : freshMonitor(monitor),
  };
}

export function freshMonitor(name: MonitorName): MonitorState {
  return { name, best: null, bestEpoch: null, badEpochs: 0 };
}

/** The monitored metric's value in an epoch's metrics (undefined when the epoch lacks it). */
export function monitorValue(name: MonitorName, m: EpochMetrics): number | undefined {
  switch (name) {
    case 'val_loss':
      return m.valLoss;
    case 'val_accuracy':
      return m.valAccuracy;
    case 'val_rmse':
      return m.valRmse;
    case 'train_loss':
      return m.trainLoss;
    case 'train_accuracy':
      return m.trainAccuracy;
    case 'train_rmse':
      return m.trainRmse;
  }
}

/** Updates best / patience bookkeeping; NaN never counts as an improvement. */
export function observe(state: MonitorState, value: number | undefined, epoch: number, maximize: boolean, minDelta: number): { state: MonitorState; improved: boolean } {
  const valid = value !== undefined && Number.isFinite(value);
  const improved = valid && (state.best === null || (maximize ? value > state.best + minDelta : value < state.best - minDelta));
  if (improved) return { state: { ...state, best: value, bestEpoch: epoch, badEpochs: 0 }, improved };
  return { state: { ...state, badEpochs: state.badEpochs + 1 }, improved };
}
