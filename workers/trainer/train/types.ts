/**
 * The training module's public types: configuration, data, streamed metrics, callbacks,
 * checkpoints and results. Plain data only (typed arrays and numbers), so a worker can post any
 * of them across a MessagePort and a CLI can build a config from YAML.
 */
import type { ModelSpec } from '../model/spec';
import type { OptimizerConfig } from '../optim/optimizers';
import type { ScheduleConfig } from '../optim/schedule';

export type MonitorName = 'val_loss' | 'val_accuracy' | 'val_rmse' | 'train_loss' | 'train_accuracy' | 'train_rmse';

export interface EarlyStoppingConfig {
  /** Default: the config's `monitor`. */
  readonly monitor?: MonitorName;
  /** Epochs without improvement before stopping. */
  readonly patience: number;
  /** An improvement must beat the best by more than this; default 0. */
  readonly minDelta?: number;
}

export interface TrainConfig {
  readonly model: ModelSpec;
  readonly optimizer: OptimizerConfig;
  /** Default constant. */
  readonly schedule?: ScheduleConfig;
  readonly epochs: number;
  readonly batchSize: number;
  /** Seeds init, shuffles, the validation split and dropout; default 0. */
  readonly seed?: number;
  /** Reshuffle every epoch (seeded); default true. */
  readonly shuffle?: boolean;
  /**
   * Drop the last partial batch of each epoch; default false: it is trained on as one smaller
   * step (like PyTorch's DataLoader default), through a second per-step graph of that batch size.
   */
  readonly dropLast?: boolean;
  /** Clip the gradient to this global L2 norm before each update; off by default. */
  readonly clipGradNorm?: number;
  /** 'loop' (default): K steps fused per session.run; 'step': one run per step (the reference). */
  readonly execution?: 'loop' | 'step';
  /**
   * Steps per chunk (one session.run in 'loop' mode; one metrics report and cancel check either
   * way). 'auto' (default) adapts K so that a chunk takes about `chunkMillis`; K never changes the
   * weights, because fused and per-step training are bit-identical.
   */
  readonly chunkSteps?: number | 'auto';
  /** Target duration of an auto-sized chunk; default 200 ms. */
  readonly chunkMillis?: number;
  /** The metric that picks the best checkpoint; default val_loss, or train_loss without validation data. */
  readonly monitor?: MonitorName;
  readonly earlyStopping?: EarlyStoppingConfig;
  /** Execution providers in order of preference; each is probed by creating a session. Default ['cpu']. */
  readonly providers?: readonly string[];
  /** Default 2 (TOOLCHAIN: more threads mostly spin on a desktop). */
  readonly intraOpNumThreads?: number;
  /** Default false: idle ORT threads do not spin. */
  readonly allowSpinning?: boolean;
  /** Rows per validation run; default 8192. */
  readonly evalBatchSize?: number;
  /** Without `data.validation`: hold out this fraction of the rows (seeded); default none. */
  readonly validationFraction?: number;
}

export interface LabeledData {
  /** Row-major features [rows, model.inputs]. */
  readonly x: Float32Array;
  /** int64 class labels [rows] (classification) or float targets [rows, outputs] (regression). */
  readonly y: BigInt64Array | Float32Array;
}

export interface TrainData extends LabeledData {
  readonly validation?: LabeledData;
}

export interface ChunkMetrics {
  /** 1-based epoch the chunk belongs to. */
  readonly epoch: number;
  /** Optimizer steps done after this chunk (global). */
  readonly step: number;
  readonly steps: number;
  readonly samples: number;
  /** Sample-weighted mean of the chunk's batch losses. */
  readonly trainLoss: number;
  readonly trainAccuracy?: number;
  readonly trainRmse?: number;
  /** Learning rate of the chunk's last step. */
  readonly lr: number;
  readonly samplesPerSec: number;
  readonly millis: number;
}

export interface EpochMetrics {
  readonly epoch: number;
  readonly step: number;
  readonly trainLoss: number;
  readonly trainAccuracy?: number;
  readonly trainRmse?: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
  readonly valRmse?: number;
  readonly lr: number;
  /** Training samples per second over the epoch (validation time excluded). */
  readonly samplesPerSec: number;
  readonly seconds: number;
  /** Whether the monitored metric improved (a new best checkpoint was taken). */
  readonly improved: boolean;
}

/** Running sums of the current epoch, kept in checkpoints so a resumed epoch reports the same metrics. */
export interface EpochTotals {
  readonly lossSum: number;
  readonly metricSum: number;
  readonly samples: number;
  readonly millis: number;
}

export interface MonitorState {
  readonly name: MonitorName;
  readonly best: number | null;
  readonly bestEpoch: number | null;
  readonly badEpochs: number;
}

export const CHECKPOINT_FORMAT = 'trainyard-checkpoint/1';

export interface Checkpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  /** Model spec, optimizer kind and θ size: what must match to resume. */
  readonly fingerprint: string;
  /** Rows, batch size, seed and shuffle: what must match to resume in the middle of an epoch. */
  readonly position: string;
  readonly theta: Float32Array;
  /** Flat vectors shaped like θ, in optimizerStateNames order. */
  readonly optimizerState: readonly Float32Array[];
  /** Optimizer steps done. */
  readonly step: number;
  /** Epochs completed. */
  readonly epoch: number;
  /** Steps done in the epoch after `epoch` (0 at an epoch boundary). */
  readonly batchInEpoch: number;
  readonly epochTotals: EpochTotals;
  readonly monitor: MonitorState;
  /** The epoch's metrics, when taken at the end of an epoch. */
  readonly metrics?: EpochMetrics;
}

export interface ProviderReport {
  /** The execution provider the sessions run on. */
  readonly provider: string;
  /** Providers tried before it, with why they failed. */
  readonly failures: readonly { readonly provider: string; readonly message: string }[];
}

export interface TrainCallbacks {
  readonly onProvider?: (report: ProviderReport) => void | Promise<void>;
  readonly onChunk?: (metrics: ChunkMetrics) => void | Promise<void>;
  readonly onEpoch?: (metrics: EpochMetrics) => void | Promise<void>;
  /** A new best checkpoint (the monitored metric improved). */
  readonly onBest?: (checkpoint: Checkpoint) => void | Promise<void>;
  /** Checked between chunks; true cancels. */
  readonly shouldCancel?: () => boolean;
  /** Checked between chunks, like shouldCancel. */
  readonly signal?: AbortSignal;
}

export interface TrainOptions {
  /** Continue from this checkpoint (same model and optimizer; same data and batch size mid-epoch). */
  readonly resume?: Checkpoint;
  /** The best checkpoint of the interrupted run, so the resumed run's best is tracked across both. */
  readonly resumeBest?: Checkpoint;
}

export type TrainStatus = 'completed' | 'early_stopped' | 'cancelled';

export interface TrainResult extends ProviderReport {
  readonly status: TrainStatus;
  /** The state when training ended; resume from it to continue. */
  readonly final: Checkpoint;
  /** The checkpoint with the best monitored metric, or null if no epoch finished. */
  readonly best: Checkpoint | null;
  readonly history: readonly EpochMetrics[];
  /** How the full batches ran at the end: 'step' after a fallback from a failing fused graph. */
  readonly execution: 'loop' | 'step';
  /** Why the run left the fused graph, when it did. */
  readonly fallbackReason?: string;
  /** The validation rows' features (the given part or the seeded hold-out), for checking an export on. */
  readonly validationFeatures: Float32Array | null;
}
