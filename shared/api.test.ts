import { describe, expect, it } from 'vitest';
import { operationNames, workbenchApi } from './api';
import { operationNameList } from './operation-names';
import { eventNames } from './events';
import { parseWire, stringifyWire } from './wire';

describe('the contract', () => {
  // Changing the surface is a reviewed decision: update this list on purpose (CONVENTIONS.md 3).
  it('has exactly these operations', () => {
    expect(operationNames).toEqual([
      'app.info', 'app.probe',
      'experiments.list', 'experiments.get', 'experiments.create', 'experiments.rename', 'experiments.delete', 'experiments.restore',
      'runs.create', 'runs.get', 'runs.search', 'runs.update', 'runs.end', 'runs.logBatch', 'runs.setTag', 'runs.logInputs', 'runs.deleteTag',
      'runs.delete', 'runs.restore', 'runs.purge',
      'metrics.series', 'metrics.seriesBatch',
      'artifacts.list', 'artifacts.read', 'artifacts.write',
      'jobs.list', 'jobs.cancel',
      'datasets.list', 'datasets.versions', 'datasets.version', 'datasets.import', 'datasets.preview', 'datasets.validate',
      'datasets.reports', 'datasets.suggestSuite', 'datasets.transform', 'datasets.lineage',
      'suites.list',
      'training.start', 'training.sweep', 'training.cancel',
      'models.importOnnx', 'models.list', 'models.get', 'models.create', 'models.update', 'models.delete', 'models.setTag', 'models.deleteTag', 'models.register', 'models.versions', 'models.version', 'models.updateVersion', 'models.deleteVersion', 'models.transitionStage', 'models.setAlias', 'models.deleteAlias', 'models.history', 'models.resolve', 'models.evaluate',
      'serving.start', 'serving.list', 'serving.stop', 'serving.predict',
      'sync.remotes', 'sync.saveRemote', 'sync.removeRemote', 'sync.testRemote', 'sync.start', 'sync.cancel', 'sync.status', 'sync.dismissConflict',
      'pipelines.list', 'pipelines.get', 'pipelines.register', 'pipelines.check', 'pipelines.trigger', 'pipelines.runs', 'pipelines.run', 'pipelines.cancel', 'pipelines.cancelTask', 'pipelines.clear', 'pipelines.mark', 'pipelines.rerun', 'pipelines.pause', 'pipelines.log',
    ]);
    expect([...operationNameList]).toEqual(operationNames);
    expect(eventNames).toEqual(['run.created', 'run.updated', 'run.deleted', 'metrics.logged', 'params.logged', 'experiment.changed', 'job.updated', 'dataset.changed', 'model.changed', 'serving.changed', 'pipeline.updated', 'pipeline.changed', 'sync.progress', 'sync.changed']);
  });

  it('fills defaults and rejects bad input with a field path', () => {
    expect(workbenchApi['runs.search'].input.parse({})).toMatchObject({ maxResults: 100, view: 'active' });
    const bad = workbenchApi['runs.logBatch'].input.safeParse({ runId: 'r', metrics: [{ key: 'k', value: 'high' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['metrics', 0, 'value']);
  });
});

describe('wire JSON', () => {
  it('round-trips NaN and infinities, and leaves the string "NaN" a string', () => {
    const value = { a: Number.NaN, b: [Infinity, -Infinity, 1.5], c: 'NaN', d: { $float: 'x', other: 1 } };
    const back = parseWire(stringifyWire(value)) as typeof value;
    expect(back.a).toBeNaN();
    expect(back.b).toEqual([Infinity, -Infinity, 1.5]);
    expect(back.c).toBe('NaN');
    expect(back.d).toEqual({ $float: 'x', other: 1 });
  });

  it('is plain JSON when nothing is non-finite, and finds a non-finite number however deep', () => {
    const plain = { points: [{ step: 1, value: 0.5, min: null }], when: new Date(0), text: 'x' };
    expect(stringifyWire(plain)).toBe(JSON.stringify(plain));
    const deep = { a: [{ b: [1, { c: [2, Number.NaN] }] }] };
    expect(stringifyWire(deep)).toContain('{"$float":"NaN"}');
    expect((parseWire(stringifyWire(deep)) as typeof deep).a[0]!.b).toEqual([1, { c: [2, Number.NaN] }]);
    // A string that merely mentions the tag still parses to itself.
    expect(parseWire(stringifyWire({ note: 'the "$float" tag' }))).toEqual({ note: 'the "$float" tag' });
  });
});
