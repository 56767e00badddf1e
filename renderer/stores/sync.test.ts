import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RemoteConfig } from '../../shared/sync';
import { setConnection } from '../api/connection';
import { createFakeConnection } from '../api/fake-api';
import { installEventListeners } from '../app-events';
import { lastFinished, retryRequest, runningRemote, syncNow, useSyncStore } from './sync';

let fake: ReturnType<typeof createFakeConnection>;
let uninstall: () => void;
const initial = useSyncStore.getState();
const config: RemoteConfig = {
  name: 'team', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', bucket: 'ml-bucket', prefix: '', pathStyle: true, auth: 'keys', profile: null,
  scope: { experiments: 'all', datasets: 'all', models: 'all', pipelines: true },
};

beforeEach(() => {
  fake = createFakeConnection();
  setConnection(fake);
  uninstall = installEventListeners(fake);
  useSyncStore.setState(initial, true);
});
afterEach(() => uninstall());

const addRemote = async (): Promise<void> => {
  await fake.api['sync.saveRemote']({ config, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'secret' } });
  await useSyncStore.getState().load();
};

describe('sync store', () => {
  it('has nothing to sync with before a remote is added', async () => {
    await useSyncStore.getState().load();
    expect(useSyncStore.getState()).toMatchObject({ loaded: true, remotes: [] });
    expect(syncNow()).toBe(false);
    expect(fake.backend.calls.some((call) => call.operation === 'sync.start')).toBe(false);
  });

  it('follows a sync from progress events to its report, and the remote records when it synced', async () => {
    await addRemote();
    const phases: string[] = [];
    const unsubscribe = useSyncStore.subscribe((state) => {
      if (state.progress && phases.at(-1) !== state.progress.phase) phases.push(state.progress.phase);
    });
    expect(syncNow()).toBe(true);
    await vi.waitFor(() => expect(lastFinished(useSyncStore.getState().status)?.status).toBe('succeeded'));
    unsubscribe();
    expect(phases).toEqual(['listing', 'pushing', 'writing-events', 'reading-events', 'pulling', 'applying']);
    const state = useSyncStore.getState();
    expect(runningRemote(state)).toBeNull();
    expect(state.progress).toBeNull();
    expect(state.status?.history[0]?.report?.pushed.objects).toBe(4);
    expect(state.remotes[0]?.lastPushAt).not.toBeNull();
    expect(fake.backend.calls.find((call) => call.operation === 'sync.start')?.input).toEqual({ remote: 'team', direction: 'both', dryRun: false });
  });

  it('keeps the newest progress when a status read overtaken by an event comes back', async () => {
    await addRemote();
    fake.backend.sync.stepMs = 10_000;
    await useSyncStore.getState().start({ remote: 'team', direction: 'push', dryRun: false });
    await vi.waitFor(() => expect(useSyncStore.getState().progress?.phase).toBe('listing'));
    expect(runningRemote(useSyncStore.getState())).toBe('team');
    useSyncStore.getState().onProgress({ ...useSyncStore.getState().progress!, phase: 'pushing', objectsDone: 3 });
    await useSyncStore.getState().load();
    expect(useSyncStore.getState().progress).toMatchObject({ phase: 'pushing', objectsDone: 3 });
    await useSyncStore.getState().cancel();
    expect(useSyncStore.getState().status?.history[0]?.status).toBe('cancelled');
    expect(useSyncStore.getState().progress).toBeNull();
  });

  it('records a failed sync with its error, and Retry asks for the same sync again', async () => {
    await addRemote();
    fake.backend.sync.script = () => ({ fail: 'Access Denied: check the keys' });
    await useSyncStore.getState().start({ remote: 'team', direction: 'pull', dryRun: true });
    await vi.waitFor(() => expect(lastFinished(useSyncStore.getState().status)?.status).toBe('failed'));
    const failed = lastFinished(useSyncStore.getState().status)!;
    expect(failed.error).toBe('Access Denied: check the keys');
    expect(retryRequest(failed)).toEqual({ remote: 'team', direction: 'pull', dryRun: true });
    expect(useSyncStore.getState().remotes[0]?.lastPullAt).toBeNull();
  });

  it('shows conflicts until dismissed', async () => {
    await addRemote();
    fake.backend.sync.script = () => ({ conflicts: [{ kind: 'model-version', entity: 'churn', message: 'Two homes registered churn v3; theirs became v4.' }] });
    await useSyncStore.getState().start({ remote: 'team', direction: 'both', dryRun: false });
    await vi.waitFor(() => expect(useSyncStore.getState().status?.conflicts).toHaveLength(1));
    await useSyncStore.getState().dismissConflict(useSyncStore.getState().status!.conflicts[0]!.id);
    expect(useSyncStore.getState().status?.conflicts).toEqual([]);
    expect(fake.backend.sync.conflicts).toEqual([]);
  });
});
