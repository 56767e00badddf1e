import { beforeEach, describe, expect, it } from 'vitest';
import { setConnection } from '../api/connection';
import { createFakeConnection } from '../api/fake-api';
import { installEventListeners } from '../app-events';
import { useModelsStore } from './models';

let fake: ReturnType<typeof createFakeConnection>;
beforeEach(() => {
  fake = createFakeConnection();
  setConnection(fake);
  useModelsStore.setState({ summaries: [], loaded: false, error: null, entries: {} });
});

async function runWithModel(name: string): Promise<string> {
  const run = await fake.api['runs.create']({ name });
  await fake.api['artifacts.write']({ runId: run.id, path: 'model/model.onnx', content: 'onnx' });
  return run.id;
}

/** Until `check` passes: the store re-reads after throttled timers and microtask-delivered events. */
async function eventually(check: () => void): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      check();
      return;
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

describe('models store', () => {
  it('says when an opened model does not exist, rather than failing', async () => {
    await useModelsStore.getState().loadModel('ghost');
    expect(useModelsStore.getState().entries['ghost']).toMatchObject({ missing: true, error: null, model: null });
  });

  it('keeps the list and an opened model live from model.changed', async () => {
    const stop = installEventListeners(fake);
    try {
      await fake.api['models.register']({ name: 'churn', runId: await runWithModel('a') });
      await useModelsStore.getState().loadModel('churn');
      expect(useModelsStore.getState().entries['churn']?.versions?.map((version) => version.version)).toEqual([1]);

      // Changes made elsewhere (the CLI, another window) arrive as events.
      await fake.api['models.register']({ name: 'churn', runId: await runWithModel('b'), alias: 'champion' });
      await eventually(() => {
        const entry = useModelsStore.getState().entries['churn'];
        expect(entry?.versions?.map((version) => [version.version, version.aliases])).toEqual([[2, ['champion']], [1, []]]);
        expect(entry?.history?.[0]).toMatchObject({ kind: 'alias', to: '@champion' });
        expect(useModelsStore.getState().summaries.map((model) => model.name)).toEqual(['churn']);
      });
    } finally {
      stop();
    }
  });
});
