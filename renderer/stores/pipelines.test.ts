import { beforeEach, describe, expect, it } from 'vitest';
import type { DagRun } from '../../shared/pipelines';
import { setConnection } from '../api/connection';
import { createFakeConnection } from '../api/fake-api';
import { installEventListeners } from '../app-events';
import { mergeRun, usePipelinesStore } from './pipelines';

const spec = `name: flow
steps:
  a: { kind: command, params: { command: echo a } }
  b: { kind: command, params: { command: echo b } }
`;

let fake: ReturnType<typeof createFakeConnection>;
beforeEach(() => {
  fake = createFakeConnection();
  setConnection(fake);
  usePipelinesStore.setState({ summaries: [], loaded: false, error: null, pipelines: {}, runs: {}, dagRuns: {} });
});

async function eventually(check: () => void): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      check();
      return;
    } catch (error) {
      if (attempt > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

describe('pipelines store', () => {
  it('says when an opened pipeline or DAG run does not exist, rather than failing', async () => {
    await usePipelinesStore.getState().loadPipeline('ghost');
    await usePipelinesStore.getState().loadDagRun('ghost/manual__1');
    expect(usePipelinesStore.getState().pipelines['ghost']).toMatchObject({ missing: true, error: null, detail: null });
    expect(usePipelinesStore.getState().dagRuns['ghost/manual__1']).toMatchObject({ missing: true, error: null, run: null });
  });

  it('keeps the list, the runs of an open pipeline and an open DAG run live from pipeline.changed', async () => {
    const stop = installEventListeners(fake);
    try {
      await fake.api['pipelines.register']({ text: spec });
      const store = usePipelinesStore.getState();
      await Promise.all([store.load(), store.loadPipeline('flow'), store.loadRuns('flow')]);
      expect(usePipelinesStore.getState().runs['flow']?.list).toEqual([]);

      // A run started elsewhere (the CLI, another window) arrives through events alone.
      const started = await fake.api['pipelines.trigger']({ name: 'flow' });
      const other = await fake.api['pipelines.trigger']({ name: 'flow' });
      await usePipelinesStore.getState().loadDagRun(started.id);
      await eventually(() => {
        const state = usePipelinesStore.getState();
        expect(state.runs['flow']?.list?.map((run) => [run.id, run.state])).toEqual([[other.id, 'success'], [started.id, 'success']]);
        expect(state.runs['flow']?.list?.[0]?.tasks.map((task) => task.state)).toEqual(['success', 'success']);
        expect(state.summaries[0]).toMatchObject({ name: 'flow', runCount: 2, lastRun: { id: other.id, state: 'success' } });
        expect(state.pipelines['flow']?.detail?.lastRun?.id).toBe(other.id);
        // The DAG run a page opened follows too; the other one lives in the list only.
        expect(state.dagRuns[started.id]?.run?.state).toBe('success');
        expect(Object.keys(state.dagRuns)).toEqual([started.id]);
      });
    } finally {
      stop();
    }
  });

  it('merges a run in place, or on top when new, within the limit', () => {
    const run = (id: string, createdAt: number, state: DagRun['state'] = 'running'): DagRun => ({ id, createdAt, state } as DagRun);
    const list = [run('p/3', 3), run('p/2', 2)];
    expect(mergeRun(list, run('p/2', 2, 'success'), 10).map((entry) => [entry.id, entry.state])).toEqual([['p/3', 'running'], ['p/2', 'success']]);
    expect(mergeRun(list, run('p/4', 4), 2).map((entry) => entry.id)).toEqual(['p/4', 'p/3']);
  });
});
