import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatMetric, runDuration, shortId } from './format';

describe('formatDuration', () => {
  it('picks a unit a person reads at a glance', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_340)).toBe('12.3s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(2 * 3600_000 + 3 * 60_000)).toBe('2h 03m');
    expect(formatDuration(3 * 86400_000 + 4 * 3600_000)).toBe('3d 04h');
    expect(formatDuration(null)).toBe('—');
  });

  it('counts a running run up to now and leaves an ended-without-time run blank', () => {
    expect(runDuration({ startTime: 1000, endTime: null, status: 'RUNNING' }, 4000)).toBe(3000);
    expect(runDuration({ startTime: 1000, endTime: 1500, status: 'FINISHED' }, 4000)).toBe(500);
    expect(runDuration({ startTime: 1000, endTime: null, status: 'KILLED' }, 4000)).toBeNull();
  });
});

describe('formatMetric', () => {
  it('shows non-finite values instead of hiding them', () => {
    expect(formatMetric(Number.NaN)).toBe('NaN');
    expect(formatMetric(Infinity)).toBe('∞');
    expect(formatMetric(-Infinity)).toBe('−∞');
  });

  it('keeps five significant digits and switches to exponents at the extremes', () => {
    expect(formatMetric(0.123456789)).toBe('0.12346');
    expect(formatMetric(42)).toBe('42');
    expect(formatMetric(0.0000123)).toBe('1.230e-5');
    expect(formatMetric(12345678)).toBe('1.235e7');
  });
});

describe('shortId and formatBytes', () => {
  it('shortens long ids only', () => {
    expect(shortId('0123456789abcdef')).toBe('01234567');
    expect(shortId('7')).toBe('7');
  });
  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
  });
});
