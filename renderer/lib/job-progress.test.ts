import { describe, expect, it } from 'vitest';
import { addSample, etaMs, formatAmount, formatEta, formatProgress, formatRate, fractionOf, rateOf, type ProgressSample } from './job-progress';

describe('job rate and ETA', () => {
  it('measures the rate over a sliding window', () => {
    let samples: ProgressSample[] = [];
    for (let second = 0; second <= 10; second += 1) samples = addSample(samples, { at: second * 1000, done: second * 2_000_000 }, 5000);
    expect(samples[0]?.at).toBe(5000);
    expect(rateOf(samples)).toBe(2_000_000);
    // The window forgets a slow start.
    samples = addSample(samples, { at: 11_000, done: 40_000_000 }, 5000);
    expect(rateOf(samples)).toBeCloseTo((40_000_000 - 12_000_000) / 5, 0);
  });

  it('has no rate from one sample, a too-short span, or after progress restarts', () => {
    expect(rateOf([{ at: 0, done: 0 }])).toBeNull();
    expect(rateOf([{ at: 0, done: 0 }, { at: 100, done: 1e6 }])).toBeNull();
    const restarted = addSample([{ at: 0, done: 0 }, { at: 1000, done: 500 }], { at: 2000, done: 10 });
    expect(restarted).toEqual([{ at: 2000, done: 10 }]);
  });

  it('computes the ETA only when total and rate are known', () => {
    expect(etaMs(25, 100, 5)).toBe(15_000);
    expect(etaMs(25, null, 5)).toBeNull();
    expect(etaMs(25, 100, null)).toBeNull();
    expect(etaMs(25, 100, 0)).toBeNull();
  });
});

describe('job formatting', () => {
  it('formats rates by unit', () => {
    expect(formatRate(48 * 1024 * 1024, 'bytes')).toBe('48 MB/s');
    expect(formatRate(1500, 'bytes')).toBe('1.5 KB/s');
    expect(formatRate(9.1135, 'bytes')).toBe('9 B/s');
    expect(formatRate(12_345, 'rows')).toBe('12k rows/s');
    expect(formatRate(3.25, 'files')).toBe('3.3 files/s');
    expect(formatRate(2_500_000, 'rows')).toBe('2.5M rows/s');
    expect(formatRate(null, 'bytes')).toBe('');
  });

  it('formats the ETA in whole seconds', () => {
    expect(formatEta(65_200)).toBe('ETA 1m 06s');
    expect(formatEta(4_100)).toBe('ETA 5s');
    expect(formatEta(300)).toBe('ETA <1s');
    expect(formatEta(null)).toBe('');
  });

  it('formats amounts and progress', () => {
    expect(formatAmount(1, 'files')).toBe('1 file');
    expect(formatAmount(1204, 'rows')).toBe('1,204 rows');
    expect(formatProgress(12 * 1024 * 1024, 40 * 1024 * 1024, 'bytes')).toBe('12 MB of 40 MB');
    expect(formatProgress(3, 10, 'files')).toBe('3 of 10 files');
    expect(formatProgress(7, null, 'steps')).toBe('7 steps');
    expect(fractionOf(5, 10)).toBe(0.5);
    expect(fractionOf(5, null)).toBeNull();
    expect(fractionOf(15, 10)).toBe(1);
  });
});
