import { describe, expect, it } from 'vitest';
import { describeFitted, describeStep } from './describe-step';

describe('transform step descriptions', () => {
  it('says what each step does in one line', () => {
    expect(describeStep({ op: 'drop', columns: ['id', 'notes'] })).toBe('Drop id, notes');
    expect(describeStep({ op: 'filter', where: 'age >= 18' })).toBe('Keep rows where age >= 18');
    expect(describeStep({ op: 'impute', columns: ['income'], strategy: 'median' })).toBe('Fill nulls in income with the median');
    expect(describeStep({ op: 'impute', columns: ['city'], strategy: 'constant', value: 'unknown' })).toBe('Fill nulls in city with "unknown"');
    expect(describeStep({ op: 'encode', columns: ['plan'], method: 'onehot' })).toBe('One-hot encode plan');
    expect(describeStep({ op: 'split', fractions: { train: 0.8, test: 0.2 }, seed: 7, stratify: 'label' })).toBe('Split train 80% · test 20% (seed 7, stratified by label)');
    expect(describeStep({ op: 'rename', mapping: { a: 'b' } })).toBe('Rename a → b');
    expect(describeStep({ op: 'teleport' })).toBe('{"op":"teleport"}');
  });

  it('shows fitted statistics, and nothing for steps that fit nothing', () => {
    expect(describeFitted({ op: 'impute', values: { income: 81793.5 } })).toBe('income ← 81794');
    expect(describeFitted({ op: 'scale', method: 'standard', columns: { age: { center: 47.9, scale: 17.301 } } })).toBe('age: center 47.9, scale 17.301');
    expect(describeFitted({ op: 'encode', method: 'ordinal', categories: { plan: ['basic', 'pro'] }, outputColumns: { plan: ['plan'] } })).toBe('plan: basic, pro');
    expect(describeFitted(null)).toBeNull();
  });
});
