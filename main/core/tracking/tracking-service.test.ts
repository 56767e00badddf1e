import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

let workbench: Workbench;
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(() => workbench.dispose());

const call = async (operation: string, input: unknown) => workbench.dispatch(operation, input);

describe('params are write-once', () => {
  it('accepts the same value again and refuses a different one, naming both', async () => {
    const run = workbench.tracking.createRun({ params: [{ key: 'lr', value: '0.01' }] });
    workbench.tracking.logBatch({ runId: run.id, params: [{ key: 'lr', value: '0.01' }] });
    const result = await call('runs.logBatch', { runId: run.id, params: [{ key: 'lr', value: '0.02' }] });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(!result.ok && result.error.message).toMatch(/'lr'.*'0\.01'.*'0\.02'/);
    expect(workbench.tracking.getRun(run.id).params).toEqual({ lr: '0.01' });
  });

  it('logs nothing of a batch that fails', async () => {
    const run = workbench.tracking.createRun({ params: [{ key: 'lr', value: '1' }] });
    const result = await call('runs.logBatch', {
      runId: run.id,
      metrics: [{ key: 'loss', value: 0.5, step: 1 }],
      tags: [{ key: 't', value: 'x' }],
      params: [{ key: 'lr', value: '2' }],
    });
    expect(result.ok).toBe(false);
    const after = workbench.tracking.getRun(run.id);
    expect(after.metrics).toEqual({});
    expect(after.tags).toEqual({});
  });
});

describe('bad input gets a clear error', () => {
  it('refuses keys over 250 characters and param values over 6,000', async () => {
    const run = workbench.tracking.createRun({});
    const longKey = await call('runs.logBatch', { runId: run.id, params: [{ key: 'k'.repeat(251), value: '1' }] });
    expect(longKey).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(!longKey.ok && longKey.error.message).toMatch(/params\.0\.key: key is longer than 250/);
    const longValue = await call('runs.logBatch', { runId: run.id, params: [{ key: 'k', value: 'v'.repeat(6001) }] });
    expect(!longValue.ok && longValue.error.message).toMatch(/longer than 6000/);
  });

  it('answers unknown ids with NOT_FOUND and unknown operations likewise', async () => {
    expect(await call('runs.get', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: "No run with id 'nope'." } });
    expect(await call('experiments.get', { id: '42' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('runs.explode', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: "Unknown operation 'runs.explode'." } });
  });

  it('names the position of a malformed filter', async () => {
    const result = await call('runs.search', { filter: "metrics.acc > 0.9 and params.lr = " });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(!result.ok && result.error.message).toMatch(/column \d+/);
  });

  it('refuses a duplicate experiment name', async () => {
    await call('experiments.create', { name: 'vision' });
    expect(await call('experiments.create', { name: 'vision' })).toMatchObject({ ok: false, error: { code: 'ALREADY_EXISTS' } });
  });
});

describe('runs', () => {
  it('records source and environment, and ends with a status', () => {
    const run = workbench.tracking.createRun({ name: 'r', source: { gitCommit: 'abc', gitDirty: true } });
    expect(run).toMatchObject({ name: 'r', status: 'RUNNING', endTime: null, source: { gitCommit: 'abc', gitDirty: true } });
    expect(run.environment?.cpuCores).toBeGreaterThan(0);
    expect(run.environment?.nodeVersion).toBe(process.versions.node);
    const ended = workbench.tracking.endRun(run.id, 'FAILED');
    expect(ended.status).toBe('FAILED');
    expect(ended.endTime).toBeGreaterThanOrEqual(run.startTime);
  });

  it('nests to any depth, and deleting a parent trashes its descendants', async () => {
    const root = workbench.tracking.createRun({ name: 'sweep' });
    const trial = workbench.tracking.createRun({ name: 'trial', parentRunId: root.id });
    const fold = workbench.tracking.createRun({ name: 'fold', parentRunId: trial.id });
    expect(workbench.tracking.getRun(root.id).childCount).toBe(1);
    expect(workbench.tracking.getRun(fold.id).parentRunId).toBe(trial.id);
    workbench.tracking.setDeleted(root.id, true);
    const active = await call('runs.search', {});
    expect(active.ok && (active.result as { total: number }).total).toBe(0);
    const trashed = await call('runs.search', { view: 'deleted' });
    expect(trashed.ok && (trashed.result as { total: number }).total).toBe(3);
    expect(await call('runs.logBatch', { runId: fold.id, tags: [{ key: 'a', value: 'b' }] })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    workbench.tracking.setDeleted(root.id, false);
    const children = await call('runs.search', { parentRunId: root.id });
    expect(children.ok && (children.result as { runs: Array<{ id: string }> }).runs.map((r) => r.id)).toEqual([trial.id]);
  });

  it('pages with an opaque token bound to the query', async () => {
    for (let i = 0; i < 5; i++) workbench.tracking.createRun({ name: `r${i}`, startTime: 1000 + i });
    const first = await call('runs.search', { maxResults: 2 });
    const page1 = first.ok ? (first.result as { runs: Array<{ name: string }>; nextPageToken: string }) : null;
    expect(page1?.runs.map((r) => r.name)).toEqual(['r4', 'r3']);
    const second = await call('runs.search', { maxResults: 2, pageToken: page1!.nextPageToken });
    expect(second.ok && (second.result as { runs: Array<{ name: string }> }).runs.map((r) => r.name)).toEqual(['r2', 'r1']);
    const wrong = await call('runs.search', { maxResults: 2, pageToken: page1!.nextPageToken, filter: "status = 'RUNNING'" });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('filters and sorts on params, metrics and tags', async () => {
    const make = (name: string, lr: string, acc: number, team: string) => {
      const run = workbench.tracking.createRun({ name, params: [{ key: 'lr', value: lr }], tags: [{ key: 'team', value: team }] });
      workbench.tracking.logBatch({ runId: run.id, metrics: [{ key: 'acc', value: acc, step: 1 }] });
    };
    make('a', '0.01', 0.95, 'vision-core');
    make('b', '0.1', 0.91, 'nlp');
    make('c', '0.01', 0.5, 'vision-edge');
    const result = await call('runs.search', { filter: "metrics.acc > 0.9 and (params.lr = '0.01' or tags.team like 'nlp%')", orderBy: ['metrics.acc ASC'] });
    expect(result.ok && (result.result as { runs: Array<{ name: string }> }).runs.map((r) => r.name)).toEqual(['b', 'a']);
  });
});

describe('experiments', () => {
  it('lists with run counts and refuses runs in a deleted experiment', async () => {
    const experiment = workbench.experiments.create('exp');
    workbench.tracking.createRun({ experimentId: experiment.id });
    expect(workbench.experiments.list().find((e) => e.id === experiment.id)?.runCount).toBe(1);
    workbench.experiments.setLifecycle(experiment.id, 'deleted');
    expect(await call('runs.create', { experimentId: experiment.id })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });
});
