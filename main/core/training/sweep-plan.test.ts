import { describe, expect, it } from 'vitest';
import { trainingConfigSchema } from '../../../shared/training';
import { goalOf, gridCombinations, randomCombinations, trialConfig } from './sweep-plan';

describe('sweep plans', () => {
  it('enumerates a grid in a stable order', () => {
    expect(gridCombinations({ 'optimizer.lr': [0.1, 0.01], 'model.hidden': [[8], [16, 16]] })).toEqual([
      { 'optimizer.lr': 0.1, 'model.hidden': [8] },
      { 'optimizer.lr': 0.1, 'model.hidden': [16, 16] },
      { 'optimizer.lr': 0.01, 'model.hidden': [8] },
      { 'optimizer.lr': 0.01, 'model.hidden': [16, 16] },
    ]);
  });

  it('draws distinct random combinations, the same for the same seed', () => {
    const space = { a: [1, 2, 3, 4], b: ['x', 'y', 'z'] };
    const first = randomCombinations(space, 5, 7);
    expect(first).toHaveLength(5);
    expect(new Set(first.map((c) => JSON.stringify(c))).size).toBe(5);
    expect(randomCombinations(space, 5, 7)).toEqual(first);
    expect(randomCombinations(space, 5, 8)).not.toEqual(first);
    expect(randomCombinations(space, 100, 1)).toHaveLength(12);
  });

  it('sets trial values at their paths and validates the result', () => {
    const base = trainingConfigSchema.parse({ target: 'y' });
    expect(trialConfig(base, { 'optimizer.lr': 0.5, 'model.hidden': [4] })).toMatchObject({ optimizer: { lr: 0.5 }, model: { hidden: [4] } });
    expect(base.optimizer.lr).toBe(1e-3);
    expect(() => trialConfig(base, { 'optimizer.lr': -1 })).toThrow(/optimizer\.lr/);
  });

  it('minimizes losses and maximizes accuracies unless told', () => {
    expect(goalOf({ metric: 'val_loss' })).toBe('minimize');
    expect(goalOf({ metric: 'val_accuracy' })).toBe('maximize');
    expect(goalOf({ metric: 'val_accuracy', goal: 'minimize' })).toBe('minimize');
  });
});
