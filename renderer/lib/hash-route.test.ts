import { describe, expect, it } from 'vitest';
import { compareHref, dagRunHref, dagRunIdHref, datasetHref, hrefOfResult, modelCompareHref, modelHref, parseRoute, pipelineHref, runHref } from './hash-route';

describe('parseRoute', () => {
  it('reads the runs list, a run page and its tab', () => {
    expect(parseRoute('')).toEqual({ section: 'runs', runId: null, tab: 'metrics' });
    expect(parseRoute('#/runs')).toEqual({ section: 'runs', runId: null, tab: 'metrics' });
    expect(parseRoute('#/runs/abc')).toEqual({ section: 'runs', runId: 'abc', tab: 'metrics' });
    expect(parseRoute('#/runs/abc/artifacts')).toEqual({ section: 'runs', runId: 'abc', tab: 'artifacts' });
    expect(parseRoute('#/runs/abc/nonsense')).toMatchObject({ tab: 'metrics' });
  });

  it('reads the datasets list, a dataset, a version and its tab', () => {
    expect(parseRoute('#/datasets')).toEqual({ section: 'datasets', dataset: null, version: null, tab: 'profile' });
    expect(parseRoute('#/datasets/iris')).toEqual({ section: 'datasets', dataset: 'iris', version: null, tab: 'profile' });
    expect(parseRoute('#/datasets/iris/3')).toEqual({ section: 'datasets', dataset: 'iris', version: 3, tab: 'profile' });
    expect(parseRoute('#/datasets/iris/3/lineage')).toEqual({ section: 'datasets', dataset: 'iris', version: 3, tab: 'lineage' });
    expect(parseRoute('#/datasets/iris/preview')).toEqual({ section: 'datasets', dataset: 'iris', version: null, tab: 'preview' });
    expect(parseRoute('#/datasets/iris/0/bogus')).toEqual({ section: 'datasets', dataset: 'iris', version: null, tab: 'profile' });
  });

  it('reads the sync section, whatever follows it', () => {
    expect(parseRoute('#/sync')).toEqual({ section: 'sync' });
    expect(parseRoute('#/sync/anything')).toEqual({ section: 'sync' });
  });

  it('reads the models list, a model page and its tab', () => {
    expect(parseRoute('#/models')).toEqual({ section: 'models', model: null, tab: 'versions', compare: null });
    expect(parseRoute('#/models/churn')).toEqual({ section: 'models', model: 'churn', tab: 'versions', compare: null });
    expect(parseRoute('#/models/churn/history')).toEqual({ section: 'models', model: 'churn', tab: 'history', compare: null });
    expect(parseRoute('#/models/churn/serving')).toEqual({ section: 'models', model: 'churn', tab: 'serving', compare: null });
    expect(parseRoute('#/models/churn/bogus')).toMatchObject({ tab: 'versions' });
  });

  it('reads two versions to compare, and falls back to the versions when they are not numbers', () => {
    expect(parseRoute('#/models/churn/compare/1/3')).toEqual({ section: 'models', model: 'churn', tab: 'versions', compare: [1, 3] });
    expect(parseRoute('#/models/churn/compare/1')).toEqual({ section: 'models', model: 'churn', tab: 'versions', compare: null });
    expect(parseRoute('#/models/churn/compare/0/x')).toEqual({ section: 'models', model: 'churn', tab: 'versions', compare: null });
    expect(parseRoute(modelCompareHref('churn model', 2, 5))).toEqual({ section: 'models', model: 'churn model', tab: 'versions', compare: [2, 5] });
  });

  it('reads the evaluation tab of a run', () => {
    expect(parseRoute(runHref('abc', 'evaluation'))).toEqual({ section: 'runs', runId: 'abc', tab: 'evaluation' });
  });

  it('round-trips hrefs', () => {
    expect(parseRoute(runHref('a b', 'params'))).toEqual({ section: 'runs', runId: 'a b', tab: 'params' });
    expect(parseRoute(datasetHref('sales 2024', 2, 'validation'))).toEqual({ section: 'datasets', dataset: 'sales 2024', version: 2, tab: 'validation' });
    expect(datasetHref('iris')).toBe('#/datasets/iris');
    expect(datasetHref('iris', 4)).toBe('#/datasets/iris/4');
    expect(parseRoute(modelHref('churn model', 'lineage'))).toEqual({ section: 'models', model: 'churn model', tab: 'lineage', compare: null });
    expect(modelHref('churn')).toBe('#/models/churn');
  });

  it("turns a job's result into a link to the version it made", () => {
    expect(hrefOfResult('dataset:iris@2')).toBe('#/datasets/iris/2');
    expect(hrefOfResult('run:abc')).toBeNull();
    expect(hrefOfResult(null)).toBeNull();
  });
});

describe('pipeline routes', () => {
  it('reads the list, a pipeline at a tab, a DAG run and a task of it', () => {
    expect(parseRoute('#/pipelines')).toEqual({ section: 'pipelines', pipeline: null, tab: 'graph', dagRun: null, task: null });
    expect(parseRoute('#/pipelines/churn')).toEqual({ section: 'pipelines', pipeline: 'churn', tab: 'graph', dagRun: null, task: null });
    expect(parseRoute('#/pipelines/churn/grid')).toEqual({ section: 'pipelines', pipeline: 'churn', tab: 'grid', dagRun: null, task: null });
    expect(parseRoute('#/pipelines/churn/runs')).toEqual({ section: 'pipelines', pipeline: 'churn', tab: 'runs', dagRun: null, task: null });
    expect(parseRoute('#/pipelines/churn/bogus')).toMatchObject({ tab: 'graph' });
    expect(parseRoute('#/pipelines/churn/runs/manual__1')).toEqual({ section: 'pipelines', pipeline: 'churn', tab: 'runs', dagRun: 'manual__1', task: null });
    expect(parseRoute('#/pipelines/churn/runs/manual__1/train')).toEqual({ section: 'pipelines', pipeline: 'churn', tab: 'runs', dagRun: 'manual__1', task: 'train' });
  });

  it('round-trips run ids with colons and dots, and DAG run ids', () => {
    const runId = 'manual__2026-11-26T10:00:00.000Z';
    expect(parseRoute(dagRunHref('churn v2', runId, 'train'))).toEqual({ section: 'pipelines', pipeline: 'churn v2', tab: 'runs', dagRun: runId, task: 'train' });
    expect(dagRunIdHref(`churn/${runId}`)).toBe(dagRunHref('churn', runId));
    expect(dagRunIdHref('nonsense')).toBeNull();
    expect(pipelineHref('churn')).toBe('#/pipelines/churn');
    expect(pipelineHref('churn', 'spec')).toBe('#/pipelines/churn/spec');
  });
});

describe('compare links', () => {
  it('round-trips the selected run ids, in order, through the hash', () => {
    const ids = ['b2f0', 'a1c9', 'odd,id'];
    const href = compareHref(ids);
    expect(href.startsWith('#/compare?runs=')).toBe(true);
    expect(parseRoute(href)).toEqual({ section: 'compare', runIds: ids });
  });

  it('reads an empty or duplicated list sensibly', () => {
    expect(parseRoute('#/compare')).toEqual({ section: 'compare', runIds: [] });
    expect(parseRoute('#/compare?runs=a,,a,b')).toEqual({ section: 'compare', runIds: ['a', 'b'] });
  });
});
