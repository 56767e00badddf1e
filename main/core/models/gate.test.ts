import { describe, expect, it } from 'vitest';
import { evaluateGate } from './gate';

describe('evaluation gates', () => {
  const metrics = { accuracy: 0.85, f1_macro: 0.8, log_loss: 0.4 };
  it('fails when a condition holds, saying which', () => {
    expect(evaluateGate('metrics.accuracy < 0.9', metrics)).toEqual({ failed: true, reasons: ['metrics.accuracy = 0.85 < 0.9'] });
    expect(evaluateGate('accuracy >= 0.9', metrics)).toEqual({ failed: false, reasons: [] });
  });
  it('joins with and/or, and binding tighter', () => {
    expect(evaluateGate('metrics.accuracy < 0.5 or metrics.f1_macro < 0.9 and metrics.log_loss > 0.3', metrics).failed).toBe(true);
    expect(evaluateGate('metrics.accuracy < 0.9 and metrics.log_loss > 1', metrics).failed).toBe(false);
    expect(evaluateGate('metrics.log_loss == 0.4', metrics).failed).toBe(true);
  });
  it('names unknown metrics and unreadable terms', () => {
    expect(() => evaluateGate('metrics.rmse > 1', metrics)).toThrow('fail_if names metrics.rmse, which this evaluation did not produce; it has accuracy, f1_macro, log_loss.');
    expect(() => evaluateGate('metrics.accuracy < 0.9 and accuracy is low', metrics)).toThrow(/cannot read 'accuracy is low' at column 28/);
    expect(() => evaluateGate(' ', metrics)).toThrow(/fail_if is empty/);
  });
});
