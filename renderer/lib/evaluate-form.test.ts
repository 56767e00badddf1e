import { describe, expect, it } from 'vitest';
import { defaultEvaluationDataset, evaluateRequest, evaluationPart } from './evaluate-form';

describe('evaluate form', () => {
  it('names the part a split version is scored on, as main picks it', () => {
    expect(evaluationPart(['train.parquet', 'test.parquet'])).toBe('test');
    expect(evaluationPart(['train.parquet', 'validation.parquet', 'test.parquet'])).toBe('test');
    expect(evaluationPart(['Train.csv', 'VAL.csv'])).toBe('val');
    expect(evaluationPart(['data.parquet'])).toBeNull();
    // Two files but no train part: the whole version.
    expect(evaluationPart(['a.csv', 'test.csv'])).toBeNull();
  });

  it('offers the dataset the version trained on, when it still exists', () => {
    const version = { inputs: [{ dataset: 'points', version: 2, context: 'train' }] };
    expect(defaultEvaluationDataset(version, ['iris', 'points'])).toBe('points');
    expect(defaultEvaluationDataset(version, ['iris'])).toBe('iris');
    expect(defaultEvaluationDataset({ inputs: [] }, [])).toBe('');
  });

  it('sends only what was filled in, trimmed, leaving the rest to the server’s defaults', () => {
    expect(evaluateRequest({ name: 'churn', version: 3 }, { dataset: 'points', version: '', target: ' ', failIf: '' })).toEqual({ uri: 'models:/churn/3', dataset: 'points' });
    expect(evaluateRequest({ name: 'churn', version: 3 }, { dataset: 'points', version: '2', target: ' label ', failIf: ' metrics.accuracy < 0.9 ' })).toEqual({
      uri: 'models:/churn/3',
      dataset: 'points',
      version: 2,
      target: 'label',
      failIf: 'metrics.accuracy < 0.9',
    });
  });
});
