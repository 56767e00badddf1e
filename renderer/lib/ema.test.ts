import { describe, expect, it } from 'vitest';
import { ema } from './ema';

describe('ema', () => {
  it('returns the values unchanged at weight 0', () => {
    expect(ema([1, 5, 2], 0)).toEqual([1, 5, 2]);
  });

  it('is debiased: a constant series stays constant from the first point', () => {
    for (const value of ema([3, 3, 3, 3], 0.9)) expect(value).toBeCloseTo(3, 10);
  });

  it('damps a spike and follows a step change gradually', () => {
    const smoothed = ema([0, 0, 0, 10, 0, 0], 0.6);
    expect(smoothed[3]!).toBeGreaterThan(0);
    expect(smoothed[3]!).toBeLessThan(10);
    expect(smoothed[4]!).toBeLessThan(smoothed[3]!);
    expect(smoothed[5]!).toBeLessThan(smoothed[4]!);
  });

  it('matches the recurrence by hand', () => {
    const [a, b] = ema([2, 4], 0.5);
    expect(a).toBeCloseTo(2);
    // (0.5·(0.5·0+0.5·2) + 0.5·4) / (1 − 0.25) = (0.5 + 2) / 0.75
    expect(b).toBeCloseTo(2.5 / 0.75);
  });

  it('keeps NaN and infinity as gaps without poisoning later values', () => {
    const smoothed = ema([1, Number.NaN, null, Infinity, 1], 0.8);
    expect(smoothed[1]).toBeNull();
    expect(smoothed[2]).toBeNull();
    expect(smoothed[3]).toBeNull();
    expect(smoothed[4]).toBeCloseTo(1, 10);
  });
});
