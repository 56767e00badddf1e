import { describe, expect, it } from 'vitest';
import { datasetHref, hrefOfResult, modelHref, parseRoute, runHref } from './hash-route';

describe('parseRoute', () => {
  it('reads the runs list, a run page and its tab', () => {
    expect(parseRoute('')).toEqual({ section: 'runs', runId: null, tab: 'metrics' });
    expect(parseRoute('#/runs')).toEqual({ section: 'runs', runId: null, tab: 'metrics' });
    expect(parseRoute('#/runs/abc')).toEqual({ section: 'runs', runId: 'abc', tab: 'metrics' });
    expect(parseRoute('#/runs/abc/artifacts')).toEqual({ section: 'runs', runId: 'abc', tab: 'artifacts' });
    expect(parseRoute('#/runs/abc/nonsense').tab).toBe('metrics');
  });

  it('reads the datasets list, a dataset, a version and its tab', () => {
    expect(parseRoute('#/datasets')).toEqual({ section: 'datasets', dataset: null, version: null, tab: 'profile' });
    expect(parseRoute('#/datasets/iris')).toEqual({ section: 'datasets', dataset: 'iris', version: null, tab: 'profile' });
    expect(parseRoute('#/datasets/iris/3')).toEqual({ section: 'datasets', dataset: 'iris', version: 3, tab: 'profile' });
    expect(parseRoute('#/datasets/iris/3/lineage')).toEqual({ section: 'datasets', dataset: 'iris', version: 3, tab: 'lineage' });
    expect(parseRoute('#/datasets/iris/preview')).toEqual({ section: 'datasets', dataset: 'iris', version: null, tab: 'preview' });
    expect(parseRoute('#/datasets/iris/0/bogus')).toEqual({ section: 'datasets', dataset: 'iris', version: null, tab: 'profile' });
  });

  it('reads the models list, a model page and its tab', () => {
    expect(parseRoute('#/models')).toEqual({ section: 'models', model: null, tab: 'versions' });
    expect(parseRoute('#/models/churn')).toEqual({ section: 'models', model: 'churn', tab: 'versions' });
    expect(parseRoute('#/models/churn/history')).toEqual({ section: 'models', model: 'churn', tab: 'history' });
    expect(parseRoute('#/models/churn/bogus').tab).toBe('versions');
  });

  it('round-trips hrefs', () => {
    expect(parseRoute(runHref('a b', 'params'))).toEqual({ section: 'runs', runId: 'a b', tab: 'params' });
    expect(parseRoute(datasetHref('sales 2024', 2, 'validation'))).toEqual({ section: 'datasets', dataset: 'sales 2024', version: 2, tab: 'validation' });
    expect(datasetHref('iris')).toBe('#/datasets/iris');
    expect(datasetHref('iris', 4)).toBe('#/datasets/iris/4');
    expect(parseRoute(modelHref('churn model', 'lineage'))).toEqual({ section: 'models', model: 'churn model', tab: 'lineage' });
    expect(modelHref('churn')).toBe('#/models/churn');
  });

  it("turns a job's result into a link to the version it made", () => {
    expect(hrefOfResult('dataset:iris@2')).toBe('#/datasets/iris/2');
    expect(hrefOfResult('run:abc')).toBeNull();
    expect(hrefOfResult(null)).toBeNull();
  });
});
