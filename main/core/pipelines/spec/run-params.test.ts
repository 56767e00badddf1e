import { describe, expect, it } from 'vitest';
import { runParams } from './run-params';

describe('runParams', () => {
  const defaults = { epochs: 30, lr: 0.001, deep: false, dataset: 'houses', cutoff: null };

  it('overrides defaults, reading text as the type of the default it replaces', () => {
    expect(runParams(defaults)).toEqual(defaults);
    expect(runParams(defaults, { epochs: '50', lr: '1e-4', deep: 'TRUE', dataset: 'houses@2', cutoff: '2026-01-01' })).toEqual({ epochs: 50, lr: 1e-4, deep: true, dataset: 'houses@2', cutoff: '2026-01-01' });
    expect(runParams(defaults, { epochs: 10, dataset: 7, cutoff: 3 })).toMatchObject({ epochs: 10, dataset: '7', cutoff: 3 });
  });

  it('rejects unknown names with a suggestion, and values of the wrong type', () => {
    expect(() => runParams(defaults, { epoch: '5' })).toThrow("'epoch' is not a param of this pipeline (did you mean 'epochs'?); it has epochs, lr, deep, dataset, cutoff.");
    expect(() => runParams(defaults, { epochs: 'many' })).toThrow("params.epochs takes a number (default 30), got 'many'.");
    expect(() => runParams(defaults, { epochs: '' })).toThrow('params.epochs takes a number');
    expect(() => runParams(defaults, { deep: 'yes' })).toThrow("params.deep takes true or false (default false), got 'yes'.");
    expect(() => runParams(defaults, { deep: 1 })).toThrow('params.deep takes true or false (default false), got 1.');
    expect(() => runParams(defaults, { epochs: [1] })).toThrow('params.epochs must be text, a number, true/false or null, got [1].');
  });
});
