/**
 * Learning-rate schedules, computed in JS and fed to the graph: one double per step (a vector of
 * K values for a fused chunk of K steps). Keeping them out of the graph means a schedule change
 * never changes the training graph, and the lr of any step is known to the metrics stream.
 *
 * Steps are counted from 0 (k = number of updates done before this one). All schedules take an
 * optional linear warmup: for k < W, lr = base·(k+1)/W (so the W-th update uses the full rate,
 * and the first is not wasted at 0); after it the schedule runs on k − W.
 *
 * - constant: base (with warmup: plain linear warmup).
 * - step (PyTorch StepLR, per epoch): base·γ^⌊epoch/stepSize⌋, epoch = ⌊k / stepsPerEpoch⌋.
 * - cosine (PyTorch CosineAnnealingLR with T_max = the steps after warmup):
 *   minLr + (base − minLr)·(1 + cos(π·k′/T))/2.
 */
import { invalid } from '../../../shared/errors';

export type ScheduleConfig =
  | { readonly kind: 'constant'; readonly warmupSteps?: number }
  | { readonly kind: 'step'; readonly stepSize: number; readonly gamma?: number; readonly warmupSteps?: number }
  | { readonly kind: 'cosine'; readonly minLr?: number; readonly warmupSteps?: number };

export interface SchedulePlan {
  /** Optimizer steps in one epoch (a kept partial batch counts). */
  readonly stepsPerEpoch: number;
  /** Optimizer steps in the whole run (epochs · stepsPerEpoch). */
  readonly totalSteps: number;
}

export function validateSchedule(schedule: ScheduleConfig): void {
  const warmup = schedule.warmupSteps ?? 0;
  if (!Number.isInteger(warmup) || warmup < 0) throw invalid(`warmupSteps must be an integer ≥ 0, got ${warmup}`);
  switch (schedule.kind) {
    case 'constant':
      return;
    case 'step':
      if (!Number.isInteger(schedule.stepSize) || schedule.stepSize < 1) throw invalid(`step schedule: stepSize (epochs) must be a positive integer, got ${schedule.stepSize}`);
      if (!((schedule.gamma ?? 0.1) > 0)) throw invalid(`step schedule: gamma must be > 0, got ${schedule.gamma}`);
      return;
    case 'cosine':
      if (!((schedule.minLr ?? 0) >= 0)) throw invalid(`cosine schedule: minLr must be ≥ 0, got ${schedule.minLr}`);
      return;
    default:
      throw invalid(`unknown schedule "${String((schedule as { kind: unknown }).kind)}"; use constant, step or cosine`);
  }
}

/** The learning rate of update k (0-based). */
export function learningRateAt(base: number, schedule: ScheduleConfig, k: number, plan: SchedulePlan): number {
  const warmup = schedule.warmupSteps ?? 0;
  if (k < warmup) return (base * (k + 1)) / warmup;
  switch (schedule.kind) {
    case 'constant':
      return base;
    case 'step': {
      const epoch = Math.floor(k / Math.max(plan.stepsPerEpoch, 1));
      return base * Math.pow(schedule.gamma ?? 0.1, Math.floor(epoch / schedule.stepSize));
    }
    case 'cosine': {
      const minLr = schedule.minLr ?? 0;
      const span = Math.max(plan.totalSteps - warmup, 1);
      const progress = Math.min(k - warmup, span) / span;
      return minLr + ((base - minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
  }
}

/** Learning rates of updates from, from + 1, …, from + count − 1 (a chunk's feed). */
export function learningRates(base: number, schedule: ScheduleConfig, from: number, count: number, plan: SchedulePlan): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = learningRateAt(base, schedule, from + i, plan);
  return out;
}
