import { describe, expect, it } from 'vitest';
import { compareMetrics, formatDelta } from './compare-metrics';
import { formatMetric } from './format';

describe('compareMetrics', () => {
  it('marks the better side by each metric’s direction, with the delta b − a', () => {
    const rows = compareMetrics({ accuracy: 0.8, log_loss: 0.5, f1_macro: 0.7 }, { accuracy: 0.9, log_loss: 0.6, f1_macro: 0.7 });
    expect(rows.map((row) => [row.key, row.better])).toEqual([
      ['accuracy', 'b'],
      ['f1_macro', 'same'],
      ['log_loss', 'a'], // lower is better
    ]);
    expect(rows[0]?.delta).toBeCloseTo(0.1);
    expect(rows[2]?.delta).toBeCloseTo(0.1);
  });

  it('lists overall metrics in reading order, then per-class ones alphabetically', () => {
    const rows = compareMetrics({ recall_b: 1, precision_a: 1, rmse: 1, accuracy: 1 }, { zeta: 1 });
    expect(rows.map((row) => [row.key, row.overall])).toEqual([
      ['accuracy', true],
      ['rmse', true],
      ['precision_a', false],
      ['recall_b', false],
      ['zeta', false],
    ]);
  });

  it('says nothing about better when a side lacks the metric, or is not evaluated, or has no direction', () => {
    expect(compareMetrics({ accuracy: 0.9 }, { r2: 0.5 }).map((row) => [row.key, row.a, row.b, row.delta, row.better])).toEqual([
      ['accuracy', 0.9, null, null, null],
      ['r2', null, 0.5, null, null],
    ]);
    expect(compareMetrics(null, { accuracy: 0.5 })[0]).toMatchObject({ a: null, b: 0.5, better: null });
    expect(compareMetrics({ custom: 1 }, { custom: 2 })[0]?.better).toBeNull();
    expect(compareMetrics(null, null)).toEqual([]);
  });

  it('writes deltas with their sign', () => {
    expect(formatDelta(0.0123, formatMetric)).toBe('+0.0123');
    expect(formatDelta(-0.5, formatMetric)).toBe('−0.5');
    expect(formatDelta(0, formatMetric)).toBe('0');
    expect(formatDelta(null, formatMetric)).toBe('—');
  });
});
