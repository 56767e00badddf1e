import { beforeEach, describe, expect, it } from 'vitest';
import type { ServedModelInfo } from '../../shared/serving';
import { ApiError } from '../api/api-error';
import { setConnection } from '../api/connection';
import { createFakeConnection } from '../api/fake-api';
import { installEventListeners } from '../app-events';
import { serversOf, useServingStore } from './serving';

let fake: ReturnType<typeof createFakeConnection>;
beforeEach(() => {
  fake = createFakeConnection();
  setConnection(fake);
  useServingStore.setState({ servers: [], loaded: false, error: null, starting: [] });
});

const server = (id: string, uri: string, startedAt: number, model: ServedModelInfo['model'] = null): ServedModelInfo => ({
  id, url: `http://127.0.0.1:${5000 + startedAt}`, host: '127.0.0.1', port: 5000 + startedAt, uri, label: id, model, startedAt, inputs: [], outputs: [],
});

describe('serving store', () => {
  it('follows serving.changed, oldest server first', async () => {
    const stop = installEventListeners(fake);
    try {
      await useServingStore.getState().load();
      expect(useServingStore.getState()).toMatchObject({ servers: [], loaded: true });
      fake.backend.emit({ name: 'serving.changed', payload: { servers: [server('b', 'models:/churn/2', 2), server('a', 'models:/churn@champion', 1, { name: 'churn', version: 1 })] } });
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(useServingStore.getState().servers.map((entry) => entry.id)).toEqual(['a', 'b']);
    } finally {
      stop();
    }
  });

  it('passes the demo back end’s refusal on to the caller and is not left starting', async () => {
    const started = useServingStore.getState().start('models:/churn/1');
    expect(useServingStore.getState().starting).toEqual(['models:/churn/1']);
    await expect(started).rejects.toThrow(ApiError);
    await expect(started).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(useServingStore.getState().starting).toEqual([]);
    expect(useServingStore.getState().servers).toEqual([]);
  });

  it('picks the servers of one model, whichever of its URIs started them', () => {
    const servers = [server('a', 'models:/churn@champion', 1, { name: 'churn', version: 2 }), server('b', 'models:/churner/1', 2), server('c', 'runs:/abc/model', 3), server('d', 'models:/churn/4', 4)];
    expect(serversOf(servers, 'churn').map((entry) => entry.id)).toEqual(['a', 'd']);
  });
});
