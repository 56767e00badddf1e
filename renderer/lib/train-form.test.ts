import { describe, expect, it } from 'vitest';
import type { ColumnSchema } from '../../shared/datasets';
import { trainingConfigSchema } from '../../shared/training';
import { buildTrainingConfig, changeTarget, defaultTarget, featureBlocker, hasValidationPart, loadTrainConfig, newTrainDraft, parseHidden, parseProviders, providerLabel, saveTrainConfig } from './train-form';
import type { PrefsStorage } from './column-prefs';

const schema: ColumnSchema[] = [
  { name: 'sepal_length', type: 'DOUBLE', kind: 'float' },
  { name: 'petals', type: 'BIGINT', kind: 'integer' },
  { name: 'wild', type: 'BOOLEAN', kind: 'boolean' },
  { name: 'city', type: 'VARCHAR', kind: 'string' },
  { name: 'seen', type: 'DATE', kind: 'date' },
  { name: 'species', type: 'VARCHAR', kind: 'string' },
  { name: 'score', type: 'DOUBLE', kind: 'float' },
];

function memoryStorage(): PrefsStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

describe('train form', () => {
  it('preselects a label-like target, else the last column, and every numeric or boolean column as a feature', () => {
    const draft = newTrainDraft(schema);
    expect(draft.target).toBe('species');
    expect(draft.features).toEqual(['sepal_length', 'petals', 'wild', 'score']);
    expect(draft.task).toBe('auto');
    expect(draft.hidden).toBe('64, 64');
    expect(draft.providers).toBe('');

    expect(defaultTarget([{ name: 'a', type: 'DOUBLE', kind: 'float' }, { name: 'Target', type: 'DOUBLE', kind: 'float' }, { name: 'z', type: 'DOUBLE', kind: 'float' }])).toBe('Target');
    expect(defaultTarget([{ name: 'a', type: 'DOUBLE', kind: 'float' }, { name: 'price', type: 'DOUBLE', kind: 'float' }])).toBe('price');
    expect(featureBlocker(schema[3]!)).toBe('encode it first (Transform…)');
    expect(featureBlocker(schema[4]!)).toBe('DATE is not numeric');
    expect(featureBlocker(schema[0]!)).toBeNull();
  });

  it('moves the default features along with the target, and keeps a hand-made choice', () => {
    const draft = changeTarget(newTrainDraft(schema), schema, 'score');
    expect(draft.target).toBe('score');
    expect(draft.features).toEqual(['sepal_length', 'petals', 'wild']);
    const chosen = changeTarget({ ...newTrainDraft(schema), features: ['petals', 'score'] }, schema, 'score');
    expect(chosen.features).toEqual(['petals']);
  });

  it('parses layer widths and provider lists', () => {
    expect(parseHidden('64, 64')).toEqual({ hidden: [64, 64], error: null });
    expect(parseHidden(' 128 32,16 ')).toEqual({ hidden: [128, 32, 16], error: null });
    expect(parseHidden('')).toEqual({ hidden: [], error: null });
    expect(parseHidden('64, 0').error).toMatch(/^Hidden layers: “0”/);
    expect(parseHidden('64, 6.5').error).toMatch(/^Hidden layers: “6.5”/);
    expect(parseHidden(Array(17).fill('8').join(',')).error).toMatch(/at most 16 layers/);
    expect(parseProviders('CUDA, DirectML, CPU')).toEqual({ providers: ['cuda', 'dml', 'cpu'], error: null });
    expect(parseProviders('cuda, tpu').error).toMatch(/^Execution providers: “tpu”/);
    expect(providerLabel('dml')).toBe('DirectML');
    expect(providerLabel('cpu')).toBe('CPU');
    expect(providerLabel('qnn')).toBe('qnn');
  });

  it('builds a config the contract accepts, leaving defaults to the trainer', () => {
    const built = buildTrainingConfig({ ...newTrainDraft(schema), epochs: '15', name: '  first try ' }, schema);
    expect(built.errors).toEqual({});
    expect(built.name).toBe('first try');
    expect(built.config).toEqual({
      target: 'species',
      model: { hidden: [64, 64], activation: 'relu', dropout: 0, layerNorm: false },
      optimizer: { kind: 'adam', lr: 0.001 },
      epochs: 15,
      batchSize: 64,
      validationFraction: 0.2,
      threads: 2,
      seed: 42,
      execution: 'loop',
    });
    const parsed = trainingConfigSchema.parse(built.config);
    expect(parsed.features).toBeUndefined();
    expect(parsed.providers).toBeUndefined();
    expect(parsed.epochs).toBe(15);
  });

  it('sends the choices the user made', () => {
    const draft = { ...newTrainDraft(schema), target: 'score', task: 'regression' as const, features: ['petals', 'wild'], hidden: '', optimizer: 'sgd' as const, lr: '1e-2', dropout: '0.1', layerNorm: true, patience: '5', providers: 'cuda, cpu', execution: 'step' as const };
    const built = buildTrainingConfig(draft, schema, { validationPart: true });
    expect(built.errors).toEqual({});
    const config = trainingConfigSchema.parse(built.config);
    expect(config).toMatchObject({ target: 'score', task: 'regression', features: ['petals', 'wild'], model: { hidden: [], dropout: 0.1, layerNorm: true }, optimizer: { kind: 'sgd', lr: 0.01 }, earlyStopping: { patience: 5 }, providers: ['cuda', 'cpu'], execution: 'step' });
    // With a validation part, the fraction is not the version's to choose.
    expect(built.config).not.toHaveProperty('validationFraction');
  });

  it('names the field of every value that is not valid', () => {
    const draft = {
      ...newTrainDraft(schema),
      features: [],
      hidden: '64, x',
      dropout: '0.99',
      lr: '0',
      epochs: '2.5',
      batchSize: '',
      validationFraction: 'half',
      patience: '-1',
      threads: '100',
      seed: '1.5',
      providers: 'gpu',
      name: 'n'.repeat(251),
    };
    const { config, errors } = buildTrainingConfig(draft, schema);
    expect(config).toBeNull();
    expect(errors).toEqual({
      features: 'Features: choose at least one column.',
      hidden: expect.stringMatching(/^Hidden layers: “x”/),
      dropout: 'Dropout must be a number at least 0 and at most 0.95; “0.99” is not.',
      lr: 'Learning rate must be a number above 0; “0” is not.',
      epochs: 'Epochs must be a whole number at least 1 and at most 100000; “2.5” is not.',
      batchSize: 'Batch size: give a whole number at least 1.',
      validationFraction: 'Validation fraction must be a number at least 0 and at most 0.9; “half” is not.',
      patience: 'Early-stopping patience must be a whole number at least 1; “-1” is not.',
      threads: 'Threads must be a whole number at least 1 and at most 64; “100” is not.',
      seed: 'Seed must be a whole number; “1.5” is not.',
      providers: expect.stringMatching(/^Execution providers: “gpu”/),
      name: 'Run name: at most 250 characters (this has 251).',
    });
  });

  it('refuses a text feature, a missing target and regression on text', () => {
    expect(buildTrainingConfig({ ...newTrainDraft(schema), features: ['city'] }, schema).errors.features).toBe('Features: city cannot be a feature here.');
    expect(buildTrainingConfig({ ...newTrainDraft(schema), target: 'gone' }, schema).errors.target).toBe('Target: there is no column gone.');
    expect(buildTrainingConfig({ ...newTrainDraft(schema), task: 'regression' }, schema).errors.task).toBe('Task: regression needs a numeric target; species is VARCHAR.');
    const textOnly: ColumnSchema[] = [{ name: 'city', type: 'VARCHAR', kind: 'string' }, { name: 'label', type: 'VARCHAR', kind: 'string' }];
    expect(buildTrainingConfig(newTrainDraft(textOnly), textOnly).errors.features).toMatch(/^Features: no numeric column besides the target/);
  });

  it('has no feature columns to choose for an image folder', () => {
    const labels: ColumnSchema[] = [{ name: 'path', type: 'VARCHAR', kind: 'string' }, { name: 'label', type: 'VARCHAR', kind: 'string' }];
    const draft = newTrainDraft(labels);
    expect(draft.target).toBe('label');
    expect(buildTrainingConfig(draft, labels).errors.features).toMatch(/^Features: no numeric column/);
    const built = buildTrainingConfig(draft, labels, { images: true });
    expect(built.errors).toEqual({});
    expect(trainingConfigSchema.parse(built.config).features).toBeUndefined();
  });

  it('tells a version with a validation part', () => {
    expect(hasValidationPart(['train.parquet', 'validation.parquet', 'test.parquet'])).toBe(true);
    expect(hasValidationPart(['train.csv', 'val.csv'])).toBe(true);
    expect(hasValidationPart(['train.parquet', 'holdout.parquet'])).toBe(false);
    expect(hasValidationPart(['data.csv'])).toBe(false);
  });

  it('remembers the last config per dataset and starts the next form from it', () => {
    const storage = memoryStorage();
    const built = buildTrainingConfig({ ...newTrainDraft(schema), features: ['petals'], hidden: '32', epochs: '7', providers: 'cpu' }, schema);
    saveTrainConfig(storage, 'iris', built.config!);
    expect(loadTrainConfig(storage, 'other')).toBeNull();
    const draft = newTrainDraft(schema, loadTrainConfig(storage, 'iris'));
    expect(draft).toMatchObject({ target: 'species', features: ['petals'], hidden: '32', epochs: '7', providers: 'cpu', name: '' });

    // A remembered target the version lacks falls back to the defaults; so does a corrupt entry.
    const renamed = schema.map((column) => (column.name === 'species' ? { ...column, name: 'kind' } : column));
    expect(newTrainDraft(renamed, loadTrainConfig(storage, 'iris')).target).toBe('score');
    storage.items.set('trainyard.train.iris', '{not json');
    expect(loadTrainConfig(storage, 'iris')).toBeNull();
  });
});
