import { describe, expect, it } from 'vitest';
import type { ColumnSchema } from '../../shared/datasets';
import { buildSteps, columnsAfter, newDraft, type StepDraft } from './transform-drafts';

const schema: ColumnSchema[] = [
  { name: 'age', type: 'BIGINT', kind: 'integer' },
  { name: 'income', type: 'DOUBLE', kind: 'float' },
  { name: 'country', type: 'VARCHAR', kind: 'string' },
  { name: 'id', type: 'BIGINT', kind: 'integer' },
];

describe('transform drafts', () => {
  it('turns a complete form into contract steps', () => {
    const drafts: StepDraft[] = [
      { op: 'drop', columns: ['id'] },
      { op: 'filter', where: ' age >= 18 ' },
      { op: 'impute', columns: ['income'], strategy: 'constant', value: '0' },
      { op: 'scale', columns: ['age', 'income'], method: 'minmax' },
      { op: 'encode', columns: ['country'], method: 'onehot' },
      newDraft('split'),
    ];
    const { steps, errors } = buildSteps(schema, drafts);
    expect(errors).toEqual([null, null, null, null, null, null]);
    expect(steps).toEqual([
      { op: 'drop', columns: ['id'] },
      { op: 'filter', where: 'age >= 18' },
      { op: 'impute', columns: ['income'], strategy: 'constant', value: 0 },
      { op: 'scale', columns: ['age', 'income'], method: 'minmax' },
      { op: 'encode', columns: ['country'], method: 'onehot' },
      { op: 'split', fractions: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 42 },
    ]);
  });

  it('says what each unfinished step lacks, against the columns at that step', () => {
    const { steps, errors } = buildSteps(schema, [
      { op: 'drop', columns: ['id'] },
      { op: 'scale', columns: ['country'], method: 'standard' },
      { op: 'impute', columns: ['id'], strategy: 'mean', value: '' },
      { op: 'impute', columns: ['country'], strategy: 'median', value: '' },
      { op: 'split', parts: [{ name: 'train', fraction: '0.7' }, { name: 'test', fraction: '0.2' }], seed: '1', stratify: '' },
      { op: 'filter', where: '  ' },
    ]);
    expect(steps).toBeNull();
    expect(errors[0]).toBeNull();
    expect(errors[1]).toContain('country is not');
    expect(errors[2]).toBe('No column id at this step.');
    expect(errors[3]).toContain('not numeric');
    expect(errors[4]).toContain('add up to 0.9');
    expect(errors[5]).toContain('condition');
  });

  it('tracks renames, derived and one-hot columns for later steps', () => {
    const drafts: StepDraft[] = [
      { op: 'rename', from: 'income', to: 'salary' },
      { op: 'derive', column: 'ratio', expression: 'salary / age' },
      { op: 'encode', columns: ['country'], method: 'onehot' },
    ];
    expect(columnsAfter(schema, drafts).map((column) => column.name)).toEqual(['age', 'salary', 'id', 'ratio']);
    expect(buildSteps(schema, [...drafts, { op: 'drop', columns: ['salary', 'ratio'] }]).errors).toEqual([null, null, null, null]);
    expect(buildSteps(schema, [{ op: 'rename', from: 'age', to: 'income' }]).errors[0]).toContain('already a column');
    expect(buildSteps(schema, []).steps).toBeNull();
  });
});
