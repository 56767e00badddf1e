import type { Job } from '../../shared/jobs';
import { formatBytes, formatDuration } from './format';

/**
 * Rate, ETA and "x of y" for the status bar's jobs. Rates come from a sliding window of progress
 * samples, so a burst (a cached file counted at once) does not swing the ETA wildly.
 */

export interface ProgressSample {
  readonly at: number;
  readonly done: number;
}

/** How far back the rate looks. */
export const rateWindowMs = 5000;
/** Below this much elapsed time between samples the rate is noise: none is shown. */
const minimumSpanMs = 250;

/** Appends a sample and drops those older than the window. */
export function addSample(samples: readonly ProgressSample[], sample: ProgressSample, windowMs = rateWindowMs): ProgressSample[] {
  // Progress going backwards means a new phase restarted the count: start the window afresh.
  const last = samples[samples.length - 1];
  const kept = last && sample.done < last.done ? [] : samples.filter((existing) => existing.at <= sample.at);
  const next = [...kept, sample];
  return next.filter((existing) => sample.at - existing.at <= windowMs);
}

/** Units per second over the samples, or null when there is not enough to say. */
export function rateOf(samples: readonly ProgressSample[]): number | null {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.at - first.at < minimumSpanMs) return null;
  return ((last.done - first.done) * 1000) / (last.at - first.at);
}

/** Milliseconds left at `rate`, or null when the total or the rate is unknown. */
export function etaMs(done: number, total: number | null, rate: number | null): number | null {
  if (total === null || rate === null || rate <= 0 || total < done) return null;
  return ((total - done) / rate) * 1000;
}

const unitWords: Record<Job['unit'], [string, string]> = {
  bytes: ['byte', 'bytes'],
  files: ['file', 'files'],
  rows: ['row', 'rows'],
  steps: ['step', 'steps'],
  items: ['item', 'items'],
};

/** A count in a job's unit: `12 MB`, `1,204 rows`, `1 file`. */
export function formatAmount(value: number, unit: Job['unit']): string {
  if (unit === 'bytes') return formatBytes(Math.round(value));
  const rounded = Math.round(value);
  return `${rounded.toLocaleString('en-US')} ${unitWords[unit][rounded === 1 ? 0 : 1]}`;
}

/** `48 MB/s`, `1.2k rows/s`, `3.5 files/s`. */
export function formatRate(perSecond: number | null, unit: Job['unit']): string {
  if (perSecond === null || !Number.isFinite(perSecond) || perSecond < 0) return '';
  if (unit === 'bytes') return `${formatBytes(Math.round(perSecond))}/s`;
  const word = unitWords[unit][1];
  if (perSecond >= 1e6) return `${trim(perSecond / 1e6)}M ${word}/s`;
  if (perSecond >= 1e4) return `${trim(perSecond / 1e3)}k ${word}/s`;
  return `${perSecond >= 10 ? Math.round(perSecond) : trim(perSecond)} ${word}/s`;
}

const trim = (value: number): string => String(Number(value.toPrecision(value >= 100 ? 3 : 2)));

/** `ETA 1m 05s`, `ETA <1s`, or '' when unknown. */
export function formatEta(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '';
  if (ms < 1000) return 'ETA <1s';
  // Whole seconds: a countdown that shows tenths looks busy and is not more true.
  return `ETA ${formatDuration(Math.ceil(ms / 1000) * 1000).replace(/\.0s$/, 's')}`;
}

/** `12 MB of 40 MB`, `3 of 10 files`, or the bare amount when the total is unknown. */
export function formatProgress(done: number, total: number | null, unit: Job['unit']): string {
  if (total === null) return formatAmount(done, unit);
  if (unit === 'bytes') return `${formatBytes(Math.round(done))} of ${formatBytes(Math.round(total))}`;
  return `${Math.round(done).toLocaleString('en-US')} of ${formatAmount(total, unit)}`;
}

/** 0..1, or null for an indeterminate bar. */
export function fractionOf(done: number, total: number | null): number | null {
  if (total === null || total <= 0) return null;
  return Math.max(0, Math.min(1, done / total));
}
