import { describe, expect, it } from 'vitest';
import { durationSchema } from '../../../../shared/pipelines';
import { parseDuration } from './durations';

describe('parseDuration', () => {
  it('reads numbers as seconds and adds up unit terms', () => {
    expect(parseDuration(300)).toBe(300);
    expect(parseDuration('250ms')).toBe(0.25);
    expect(parseDuration('30s')).toBe(30);
    expect(parseDuration('5m')).toBe(300);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('1h 30m 15s')).toBe(5415);
    expect(parseDuration('1.5h')).toBe(5400);
    expect(parseDuration('2d')).toBe(172_800);
    expect(parseDuration(' 0.1s0.2s ')).toBe(0.3);
  });

  it('rejects what the schema rejects', () => {
    for (const bad of ['', '5', '5x', 'm5', '1h-30m', '1 h 30']) {
      expect(durationSchema.safeParse(bad).success).toBe(false);
      expect(() => parseDuration(bad)).toThrow(`'${bad}' is not a duration: write 30s, 5m, 1h30m, 2d or a number of seconds.`);
    }
    expect(() => parseDuration(-1)).toThrow('non-negative');
  });
});
