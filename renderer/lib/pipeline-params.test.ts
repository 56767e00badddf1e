import { describe, expect, it } from 'vitest';
import { formatParams, paramFields, paramOverrides, readParam } from './pipeline-params';

const spec = `name: churn
params:
  epochs: 20
  lr: 0.01
  dataset: customers
  balanced: false
  note:
  nested: { not: allowed }
steps:
  train: { kind: command, params: { command: "echo \${{ params.epochs }}" } }
`;

describe('trigger form params', () => {
  it('reads the params and their defaults in file order, typed', () => {
    expect(paramFields(spec)).toEqual([
      { name: 'epochs', type: 'number', defaultValue: 20 },
      { name: 'lr', type: 'number', defaultValue: 0.01 },
      { name: 'dataset', type: 'string', defaultValue: 'customers' },
      { name: 'balanced', type: 'boolean', defaultValue: false },
      { name: 'note', type: 'null', defaultValue: null },
    ]);
    expect(paramFields('name: x\nsteps: {}\n')).toEqual([]);
    expect(paramFields(': not yaml : [')).toEqual([]);
  });

  it('reads typed input, saying what is wrong', () => {
    const [epochs, , dataset, balanced, note] = paramFields(spec);
    expect(readParam(epochs!, ' 50 ')).toEqual({ value: 50 });
    expect(readParam(epochs!, 'fifty')).toEqual({ error: 'epochs takes a number, like 20.' });
    expect(readParam(epochs!, '')).toHaveProperty('error');
    expect(readParam(dataset!, ' spaced ')).toEqual({ value: ' spaced ' });
    expect(readParam(balanced!, 'true')).toEqual({ value: true });
    expect(readParam(note!, '')).toEqual({ value: null });
    expect(readParam(note!, '3')).toEqual({ value: 3 });
    expect(readParam(note!, 'hello')).toEqual({ value: 'hello' });
  });

  it('sends only the params that differ from their defaults', () => {
    const fields = paramFields(spec);
    expect(paramOverrides(fields, { epochs: '20', lr: '0.03', dataset: 'customers', balanced: 'true', note: '' })).toEqual({ overrides: { lr: 0.03, balanced: true }, errors: {} });
    expect(paramOverrides(fields, { epochs: 'x' }).errors).toEqual({ epochs: 'epochs takes a number, like 20.' });
    expect(formatParams({ lr: 0.01, note: null, on: true })).toBe('lr=0.01, note=∅, on=true');
  });
});
