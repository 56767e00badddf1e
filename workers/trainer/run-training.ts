/**
 * What every training job shares, tables or images: the engine config from the user's config,
 * metrics streamed to main as they happen, and the summary main logs on the run.
 */
import type { TrainingConfig, TrainingSummary } from '../../shared/training';
import { candidateProviders } from '../probe/probe';
import type { WorkerContext } from '../runtime';
import type { ModelSpec } from './model/index';
import { train, type EpochMetrics, type TrainData, type TrainResult } from './train/index';

/** Metric keys as the runs table shows them (MLflow habits: snake_case, val_ prefix). */
export function epochPoints(metrics: EpochMetrics): Array<[string, number | undefined]> {
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

export interface TrainingRun {
  readonly result: TrainResult;
  readonly samplesPerSec: number;
}

/** Trains `model` on `data` with the user's settings, posting params, metrics and progress to main. */
export async function runTraining(context: WorkerContext, config: TrainingConfig, model: ModelSpec, data: TrainData, rows: number): Promise<TrainingRun> {
  const post = (step: number, points: Array<[string, number | undefined]>): void => {
    const timestamp = Date.now();
    context.post({ type: 'metrics', points: points.filter(([, value]) => value !== undefined).map(([key, value]) => ({ key, value: value!, step, timestamp })) });
  };
  let samples = 0;
  let millis = 0;
  const { optimizer, schedule } = config;
  const warmup = schedule.warmupSteps ? { warmupSteps: schedule.warmupSteps } : {};
  const result = await train(
    {
      model,
      optimizer: {
        kind: optimizer.kind,
        lr: optimizer.lr,
        ...(optimizer.weightDecay !== undefined ? { weightDecay: optimizer.weightDecay } : {}),
        ...(optimizer.kind === 'sgd' ? { momentum: optimizer.momentum ?? 0, nesterov: optimizer.nesterov ?? false } : {}),
      },
      schedule:
        schedule.kind === 'step'
          ? { kind: 'step', stepSize: schedule.stepSize ?? 1000, ...(schedule.gamma ? { gamma: schedule.gamma } : {}), ...warmup }
          : schedule.kind === 'cosine'
            ? { kind: 'cosine', ...(schedule.minLr !== undefined ? { minLr: schedule.minLr } : {}), ...warmup }
            : { kind: 'constant', ...warmup },
      epochs: config.epochs,
      // A batch larger than the data would be refused; a first try on a small table should just run.
      batchSize: Math.min(config.batchSize, Math.max(1, Math.floor(rows * (1 - (data.validation ? 0 : config.validationFraction))))),
      seed: config.seed,
      validationFraction: data.validation ? 0 : config.validationFraction,
      execution: config.execution,
      providers: config.providers ?? candidateProviders(process.platform),
      intraOpNumThreads: config.threads,
      ...(config.clipGradNorm ? { clipGradNorm: config.clipGradNorm } : {}),
      ...(config.monitor ? { monitor: config.monitor } : {}),
      ...(config.earlyStopping ? { earlyStopping: config.earlyStopping } : {}),
    },
    data,
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
  return { result, samplesPerSec: millis > 0 ? samples / (millis / 1000) : 0 };
}

export function summarize(run: TrainingRun, rows: number, features: readonly string[], classes: readonly string[] | null): TrainingSummary {
  const { result } = run;
  const best = result.best?.metrics;
  return {
    status: result.status,
    provider: result.provider,
    providerFailures: [...result.failures],
    execution: result.execution,
    epochs: result.history.length,
    rows,
    features: [...features],
    classes: classes ? [...classes] : null,
    best: best ? Object.fromEntries(epochPoints(best).filter((entry): entry is [string, number] => entry[1] !== undefined)) : null,
    samplesPerSec: run.samplesPerSec,
  };
}
