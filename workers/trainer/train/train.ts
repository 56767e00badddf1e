/**
 * `train(config, data, callbacks, options)`: the whole training run as a pure async function over
 * in-memory data — no files, no database, no worker plumbing — so the trainer worker, the CLI
 * and the tests all drive the same code.
 *
 * An epoch is the seeded permutation of the training rows cut into full batches, run in chunks
 * of K steps (one fused session.run each, or one run per step), then the partial batch if kept,
 * then validation. Between chunks: metrics go out, cancel is checked, and the chunk's losses are
 * checked for NaN/Inf (the run stops with "loss became NaN at step N", keeping the state at the
 * start of that chunk, the last one known good).
 */
import type { InferenceSession } from 'onnxruntime-node';
import { tensorData } from '../graph/index';
import { runSession } from '../graph/run';
import { dropoutKeys } from '../model/dropout-mask';
import { initParameters } from '../model/init';
import { paramLayout } from '../model/spec';
import { initialOptimizerState } from '../optim/optimizers';
import { type SchedulePlan, learningRates } from '../optim/schedule';
import { EMPTY_TOTALS, type Progress, freshMonitor, monitorValue, observe, restore, snapshot } from './checkpoint';
import { type ResolvedTrainConfig, maximizes, resolveMonitor, resolveTrainConfig } from './config';
import { type EpochPlan, type PreparedData, type Split, epochPermutation, epochPlan, prepareData } from './data';
import { NAMES, type StepGraphSpec, buildChunkGraph, buildEvalGraph, buildStepGraph, usesDropout } from './graphs';
import { type ChunkOutcome, type ChunkRequest, StepRunner } from './runner';
import { SessionFactory } from './session';
import type { ChunkMetrics, Checkpoint, EpochMetrics, ProviderReport, TrainCallbacks, TrainConfig, TrainData, TrainOptions, TrainResult, TrainStatus } from './types';

/** A NaN or infinite training loss. `lastGood` is the state before the chunk it happened in. */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  constructor(
    /** 1-based optimizer step whose loss was not finite. */
    readonly step: number,
    readonly loss: number,
    readonly lastGood: Checkpoint,
    readonly best: Checkpoint | null,
    readonly providerReport: ProviderReport,
  ) {
    super(`loss became ${Number.isNaN(loss) ? 'NaN' : loss > 0 ? 'Infinity' : '-Infinity'} at step ${step}`);
  }
}

const AUTO_FIRST_CHUNK = 4;
const MAX_CHUNK = 4096;

export async function train(config: TrainConfig, data: TrainData, callbacks: TrainCallbacks = {}, options: TrainOptions = {}): Promise<TrainResult> {
  const cfg = resolveTrainConfig(config);
  const prepared = prepareData(cfg, data);
  const monitor = resolveMonitor(cfg, prepared.validation !== null);
  const rows = prepared.train.rows;
  const layout = paramLayout(cfg.model);
  const progress: Progress = options.resume
    ? restore(cfg, rows, options.resume, monitor)
    : { theta: initParameters(layout, cfg.seed), state: initialOptimizerState(cfg.optimizer, layout.size), step: 0, epoch: 0, batchInEpoch: 0, totals: EMPTY_TOTALS, monitor: freshMonitor(monitor) };
  const factory = new SessionFactory({ providers: cfg.providers, intraOpNumThreads: cfg.intraOpNumThreads, allowSpinning: cfg.allowSpinning });
  try {
    const trainer = await Trainer.open(cfg, prepared, progress, factory, callbacks);
    await callbacks.onProvider?.(factory.report);
    return await trainer.run(options.resumeBest ?? null);
  } finally {
    await factory.releaseAll();
  }
}

interface Sessions {
  fused: InferenceSession | null;
  step: InferenceSession | null;
  partial: InferenceSession | null;
  eval: InferenceSession | null;
}

class Trainer {
  private readonly plan: EpochPlan;
  private readonly schedulePlan: SchedulePlan;
  private readonly runner: StepRunner;
  private readonly history: EpochMetrics[] = [];
  private chunk: number;
  private execution: 'loop' | 'step';
  private fallbackReason: string | null = null;

  private constructor(
    private readonly cfg: ResolvedTrainConfig,
    private readonly data: PreparedData,
    private p: Progress,
    private readonly factory: SessionFactory,
    private readonly callbacks: TrainCallbacks,
    private readonly spec: StepGraphSpec,
    private readonly sessions: Sessions,
  ) {
    this.plan = epochPlan(data.train.rows, cfg.batchSize, cfg.dropLast);
    this.schedulePlan = { stepsPerEpoch: this.plan.stepsPerEpoch, totalSteps: this.plan.stepsPerEpoch * cfg.epochs };
    this.runner = new StepRunner(cfg.model, cfg.optimizer, data.train, usesDropout(cfg.model) ? dropoutKeys(cfg.seed) : null);
    this.chunk = cfg.chunkSteps === 'auto' ? AUTO_FIRST_CHUNK : cfg.chunkSteps;
    this.execution = cfg.execution;
  }

  static async open(cfg: ResolvedTrainConfig, data: PreparedData, p: Progress, factory: SessionFactory, callbacks: TrainCallbacks): Promise<Trainer> {
    const spec: StepGraphSpec = { model: cfg.model, optimizer: cfg.optimizer, clipGradNorm: cfg.clipGradNorm };
    const plan = epochPlan(data.train.rows, cfg.batchSize, cfg.dropLast);
    const full = plan.fullSteps > 0;
    // The first session created probes the providers; the rest use the one that worked.
    const sessions: Sessions = {
      fused: cfg.execution === 'loop' && full ? await factory.create(buildChunkGraph(spec, cfg.batchSize)) : null,
      step: cfg.execution === 'step' && full ? await factory.create(buildStepGraph(spec, cfg.batchSize)) : null,
      partial: plan.partialRows > 0 ? await factory.create(buildStepGraph(spec, plan.partialRows)) : null,
      eval: data.validation ? await factory.create(buildEvalGraph(cfg.model)) : null,
    };
    return new Trainer(cfg, data, p, factory, callbacks, spec, sessions);
  }

  private cancelled(): boolean {
    return this.callbacks.signal?.aborted === true || this.callbacks.shouldCancel?.() === true;
  }

  private checkpoint(metrics?: EpochMetrics): Checkpoint {
    return snapshot(this.cfg, this.data.train.rows, this.p, metrics);
  }

  async run(resumeBest: Checkpoint | null): Promise<TrainResult> {
    let best = resumeBest;
    const early = this.cfg.earlyStopping;
    while (this.p.epoch < this.cfg.epochs) {
      const perm = epochPermutation(this.cfg.seed, this.p.epoch, this.data.train.rows, this.cfg.shuffle);
      while (this.p.batchInEpoch < this.plan.stepsPerEpoch) {
        if (this.cancelled()) return this.finish('cancelled', best);
        await this.runChunk(perm, best);
      }
      const metrics = await this.endEpoch();
      if (metrics.improved) {
        best = this.checkpoint(metrics);
        await this.callbacks.onBest?.(best);
      }
      await this.callbacks.onEpoch?.(metrics);
      if (early && this.p.monitor.badEpochs >= early.patience) return this.finish('early_stopped', best);
    }
    return this.finish('completed', best);
  }

  private async runChunk(perm: BigInt64Array, best: Checkpoint | null): Promise<void> {
    const { cfg, plan, p } = this;
    const partial = p.batchInEpoch >= plan.fullSteps;
    const steps = partial ? 1 : Math.min(this.chunk, plan.fullSteps - p.batchInEpoch);
    const batch = partial ? plan.partialRows : cfg.batchSize;
    const req: ChunkRequest = {
      perm,
      firstRow: p.batchInEpoch * cfg.batchSize,
      steps,
      batch,
      lrs: learningRates(cfg.optimizer.lr, cfg.schedule, p.step, steps, this.schedulePlan),
      step0: p.step,
      theta: p.theta,
      state: p.state,
    };
    const started = performance.now();
    const out = partial ? await this.runner.runStepwise(this.sessions.partial!, req) : await this.runFull(req);
    const millis = performance.now() - started;
    const bad = out.losses.findIndex((l) => !Number.isFinite(l));
    if (bad >= 0) throw new NonFiniteLossError(p.step + bad + 1, out.losses[bad]!, this.checkpoint(), best, this.factory.report);

    let lossSum = 0;
    let metricSum = 0;
    for (let i = 0; i < steps; i++) {
      lossSum += out.losses[i]! * batch;
      metricSum += out.metrics[i]!;
    }
    const samples = steps * batch;
    const t = p.totals;
    this.p = {
      ...p,
      theta: out.theta,
      state: out.state,
      step: p.step + steps,
      batchInEpoch: p.batchInEpoch + steps,
      totals: { lossSum: t.lossSum + lossSum, metricSum: t.metricSum + metricSum, samples: t.samples + samples, millis: t.millis + millis },
    };
    if (!partial && cfg.chunkSteps === 'auto') this.chunk = Math.max(1, Math.min(MAX_CHUNK, Math.round((cfg.chunkMillis * steps) / Math.max(millis, 1e-3))));
    const chunkMetrics: ChunkMetrics = {
      epoch: p.epoch + 1,
      step: this.p.step,
      steps,
      samples,
      trainLoss: lossSum / samples,
      ...this.trainFields(metricSum, samples),
      lr: req.lrs[steps - 1]!,
      samplesPerSec: samples / (millis / 1000),
      millis,
    };
    await this.callbacks.onChunk?.(chunkMetrics);
  }

  /** Full batches, fused or per step; a fused run that fails falls back to per-step for the rest of the run. */
  private async runFull(req: ChunkRequest): Promise<ChunkOutcome> {
    if (this.execution === 'loop') {
      try {
        return await this.runner.runFused(this.sessions.fused!, req);
      } catch (error) {
        this.fallbackReason = `the fused Loop graph failed (${error instanceof Error ? error.message : String(error)}); continued one run per step`;
        this.execution = 'step';
      }
    }
    this.sessions.step ??= await this.factory.create(buildStepGraph(this.spec, this.cfg.batchSize));
    return this.runner.runStepwise(this.sessions.step, req);
  }

  /** Accuracy (classification) or RMSE over all targets (regression) from a metric sum. */
  private score(metricSum: number, samples: number): { accuracy?: number; rmse?: number } {
    if (this.cfg.model.task === 'classification') return { accuracy: metricSum / samples };
    return { rmse: Math.sqrt(metricSum / (samples * this.cfg.model.headUnits)) };
  }

  private trainFields(metricSum: number, samples: number): Pick<ChunkMetrics, 'trainAccuracy' | 'trainRmse'> {
    const { accuracy, rmse } = this.score(metricSum, samples);
    return accuracy !== undefined ? { trainAccuracy: accuracy } : { trainRmse: rmse! };
  }

  private async endEpoch(): Promise<EpochMetrics> {
    const { p, cfg } = this;
    const started = performance.now();
    const val = this.data.validation ? await this.evaluate(this.data.validation) : null;
    const evalMillis = performance.now() - started;
    const t = p.totals;
    const lastStep = Math.max(p.step - 1, 0);
    const valScore = val ? this.score(val.metricSum, val.rows) : null;
    const base: EpochMetrics = {
      epoch: p.epoch + 1,
      step: p.step,
      trainLoss: t.lossSum / t.samples,
      ...this.trainFields(t.metricSum, t.samples),
      ...(val ? { valLoss: val.loss } : {}),
      ...(valScore?.accuracy !== undefined ? { valAccuracy: valScore.accuracy } : {}),
      ...(valScore?.rmse !== undefined ? { valRmse: valScore.rmse } : {}),
      lr: learningRates(cfg.optimizer.lr, cfg.schedule, lastStep, 1, this.schedulePlan)[0]!,
      samplesPerSec: t.samples / (t.millis / 1000),
      seconds: (t.millis + evalMillis) / 1000,
      improved: false,
    };
    const seen = observe(p.monitor, monitorValue(p.monitor.name, base), p.epoch + 1, maximizes(p.monitor.name), cfg.earlyStopping?.minDelta ?? 0);
    const metrics: EpochMetrics = { ...base, improved: seen.improved };
    this.p = { ...p, epoch: p.epoch + 1, batchInEpoch: 0, totals: EMPTY_TOTALS, monitor: seen.state };
    this.history.push(metrics);
    return metrics;
  }

  /** Mean loss and metric sum over a split, in blocks of evalBatchSize rows. */
  private async evaluate(split: Split): Promise<{ loss: number; metricSum: number; rows: number }> {
    const { model, evalBatchSize } = this.cfg;
    const yWidth = model.task === 'classification' ? 1 : model.headUnits;
    let lossSum = 0;
    let metricSum = 0;
    for (let start = 0; start < split.rows; start += evalBatchSize) {
      const n = Math.min(evalBatchSize, split.rows - start);
      const y = split.y.subarray(start * yWidth, (start + n) * yWidth);
      const out = await runSession(this.sessions.eval!, {
        [NAMES.x]: tensorData('float', [n, model.inputs], split.x.subarray(start * model.inputs, (start + n) * model.inputs)),
        [NAMES.y]: y instanceof BigInt64Array ? tensorData('int64', [n], y) : tensorData('float', [n, yWidth], y),
        [NAMES.theta]: tensorData('float', [this.p.theta.length], this.p.theta),
      });
      lossSum += (out[NAMES.loss]!.data[0] as number) * n;
      metricSum += out[NAMES.metric]!.data[0] as number;
    }
    return { loss: lossSum / split.rows, metricSum, rows: split.rows };
  }

  private finish(status: TrainStatus, best: Checkpoint | null): TrainResult {
    return {
      status,
      ...this.factory.report,
      final: this.checkpoint(this.history.length > 0 && this.p.batchInEpoch === 0 ? this.history[this.history.length - 1] : undefined),
      best,
      history: this.history,
      execution: this.execution,
      ...(this.fallbackReason ? { fallbackReason: this.fallbackReason } : {}),
      validationFeatures: this.data.validation?.x ?? null,
    };
  }
}
