import type { WorkbenchApi } from '../../shared/api';
import type { WorkbenchEvent } from '../../shared/events';
import type { RemoteCapabilities, RemoteCredentials, RemoteSummary, SyncConflict, SyncDirection, SyncHistoryEntry, SyncProgress, SyncReport, SyncStatus } from '../../shared/sync';
import { remoteConfigSchema } from '../../shared/sync';
import { ApiError } from './api-error';

/** What a simulated sync does: fail with a message, or move this much each way. */
export interface FakeSyncScript {
  readonly fail?: string;
  readonly objects?: number;
  readonly bytes?: number;
  readonly conflicts?: SyncReport['conflicts'];
  readonly refused?: SyncReport['refusedObjects'];
}

/** The sync half of the fake back end, exposed so tests and the demo can look inside. */
export interface FakeSync {
  readonly remotes: Map<string, RemoteSummary>;
  /** Keys as entered; the real app keeps them in main's secret store and never returns them. */
  readonly credentials: Map<string, RemoteCredentials>;
  /** Oldest first. */
  readonly history: SyncHistoryEntry[];
  readonly conflicts: SyncConflict[];
  unsupportedEvents: number;
  running: SyncStatus['running'];
  /** How long each simulated progress step takes (0 in tests: steps run on the next timer tick). */
  stepMs: number;
  /** What the next sync of a remote does; by default it moves 4 objects of 1 MB each way. */
  script: (remote: string, direction: SyncDirection) => FakeSyncScript;
  /** What a connection test finds; by default everything works. */
  capabilities: (remote: string) => RemoteCapabilities;
}

type SyncOperation = Extract<keyof WorkbenchApi, `sync.${string}`>;

const phasesOf: Record<SyncDirection, SyncProgress['phase'][]> = {
  both: ['listing', 'pushing', 'writing-events', 'reading-events', 'pulling', 'applying'],
  push: ['listing', 'pushing', 'writing-events'],
  pull: ['reading-events', 'pulling', 'applying'],
};

const emptyTransfer = (): SyncReport['pushed'] => ({ objects: 0, bytes: 0, events: 0, records: {} });

/**
 * An in-memory sync service with the app's observable behaviour: one sync at a time, progress as
 * `sync.progress` events through the phases of its direction, a history entry per sync with its
 * report (or error), conflicts kept until dismissed, and `sync.changed` after every change.
 * Nothing is transferred anywhere.
 */
export function createFakeSync(emit: (event: WorkbenchEvent) => void): { state: FakeSync; api: Pick<WorkbenchApi, SyncOperation> } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const state: FakeSync = {
    remotes: new Map(),
    credentials: new Map(),
    history: [],
    conflicts: [],
    unsupportedEvents: 0,
    running: null,
    stepMs: 0,
    script: () => ({}),
    capabilities: () => ({ testedAt: Date.now(), listing: true, write: true, conditionalCreate: true, contentMd5Checked: true, clockSkewMs: 0, notes: [] }),
  };
  const changed = (remote: string | null): void => emit({ name: 'sync.changed', payload: { remote } });
  const remoteNamed = (name: string | undefined): RemoteSummary => {
    if (name !== undefined) {
      const found = state.remotes.get(name);
      if (!found) throw new ApiError('NOT_FOUND', `No remote named '${name}'.`);
      return found;
    }
    const all = [...state.remotes.values()];
    if (all.length === 1) return all[0]!;
    if (all.length === 0) throw new ApiError('NOT_FOUND', 'No remote is configured. Add one in the Sync section.');
    throw new ApiError('INVALID_ARGUMENT', `Several remotes are configured (${all.map((remote) => remote.name).join(', ')}): name one.`);
  };
  const replaceEntry = (entry: SyncHistoryEntry): void => {
    const index = state.history.findIndex((existing) => existing.id === entry.id);
    state.history[index] = entry;
  };

  const finish = (entry: SyncHistoryEntry, script: FakeSyncScript, status: SyncHistoryEntry['status']): void => {
    timer = null;
    state.running = null;
    const endedAt = Date.now();
    const moved = (way: 'push' | 'pull'): SyncReport['pushed'] =>
      entry.direction === way || entry.direction === 'both'
        ? { objects: script.objects ?? 4, bytes: script.bytes ?? 4_194_304, events: 2, records: { run: 1, 'dataset-version': 1 } }
        : emptyTransfer();
    const conflicts = status === 'succeeded' ? (script.conflicts ?? []) : [];
    const report: SyncReport = {
      remote: entry.remote, dryRun: entry.dryRun, pushed: moved('push'), pulled: moved('pull'), skippedObjects: 0,
      refusedObjects: script.refused ?? [], conflicts, unsupportedEvents: state.unsupportedEvents, durationMs: endedAt - entry.startedAt,
    };
    for (const conflict of conflicts) state.conflicts.push({ id: state.conflicts.length + 1, remote: entry.remote, ...conflict, createdAt: endedAt });
    const failed = status === 'failed';
    replaceEntry({ ...entry, status, endedAt, report: failed ? null : report, error: failed ? (script.fail ?? 'failed') : status === 'cancelled' ? 'Cancelled.' : null });
    const remote = state.remotes.get(entry.remote);
    if (remote && status === 'succeeded' && !entry.dryRun) {
      state.remotes.set(remote.name, {
        ...remote,
        lastPushAt: entry.direction === 'pull' ? remote.lastPushAt : endedAt,
        lastPullAt: entry.direction === 'push' ? remote.lastPullAt : endedAt,
      });
    }
    changed(entry.remote);
  };

  const step = (entry: SyncHistoryEntry, script: FakeSyncScript, phases: readonly SyncProgress['phase'][], index: number): void => {
    const phase = phases[index];
    if (phase === undefined || (script.fail && index === 1)) {
      finish(entry, script, script.fail ? 'failed' : 'succeeded');
      return;
    }
    const objectsTotal = script.objects ?? 4;
    const bytesTotal = script.bytes ?? 4_194_304;
    const share = (index + 1) / phases.length;
    const progress: SyncProgress = {
      remote: entry.remote, phase, objectsDone: Math.round(objectsTotal * share), objectsTotal, bytesDone: Math.round(bytesTotal * share), bytesTotal,
      rate: state.stepMs > 0 ? bytesTotal / phases.length / (state.stepMs / 1000) : 0, etaSeconds: state.stepMs > 0 ? ((phases.length - index - 1) * state.stepMs) / 1000 : null,
    };
    state.running = { historyId: entry.id, progress };
    emit({ name: 'sync.progress', payload: progress });
    timer = setTimeout(() => step(entry, script, phases, index + 1), state.stepMs);
  };

  const api: Pick<WorkbenchApi, SyncOperation> = {
    'sync.remotes': async () => [...state.remotes.values()].sort((a, b) => a.name.localeCompare(b.name)),
    'sync.saveRemote': async ({ config, credentials }) => {
      const checked = remoteConfigSchema.safeParse(config);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new ApiError('INVALID_ARGUMENT', `config.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
      }
      if (credentials) state.credentials.set(config.name, credentials);
      const existing = state.remotes.get(config.name);
      const hasCredentials = state.credentials.has(config.name);
      if (config.auth === 'keys' && !hasCredentials) throw new ApiError('INVALID_ARGUMENT', 'credentials.accessKeyId: an access key and secret are needed for auth "keys"');
      const summary: RemoteSummary = {
        ...checked.data, capabilities: null, hasCredentials, credentialStore: 'memory (the demo back end keeps nothing)',
        lastPushAt: existing?.lastPushAt ?? null, lastPullAt: existing?.lastPullAt ?? null, createdAt: existing?.createdAt ?? Date.now(),
      };
      state.remotes.set(config.name, summary);
      changed(config.name);
      return summary;
    },
    'sync.removeRemote': async ({ name }) => {
      remoteNamed(name);
      state.remotes.delete(name);
      state.credentials.delete(name);
      changed(name);
      return { ok: true };
    },
    'sync.testRemote': async ({ name }) => {
      const remote = remoteNamed(name);
      const capabilities = state.capabilities(name);
      state.remotes.set(name, { ...remote, capabilities });
      changed(name);
      return capabilities;
    },
    'sync.start': async ({ remote: name, direction = 'both', dryRun = false }) => {
      const remote = remoteNamed(name);
      if (state.running) throw new ApiError('CONFLICT', 'A sync is already running; wait for it or cancel it.');
      const entry: SyncHistoryEntry = { id: state.history.length + 1, remote: remote.name, direction, dryRun, startedAt: Date.now(), endedAt: null, status: 'running', report: null, error: null };
      state.history.push(entry);
      state.running = { historyId: entry.id, progress: null };
      changed(remote.name);
      const script = state.script(remote.name, direction);
      // The listing starts at once, as it does in the app; each later phase takes stepMs.
      timer = setTimeout(() => step(entry, script, phasesOf[direction], 0), 0);
      return { historyId: entry.id };
    },
    'sync.cancel': async () => {
      const running = state.running;
      const entry = running ? state.history.find((candidate) => candidate.id === running.historyId) : undefined;
      if (!entry) return { ok: true };
      if (timer) clearTimeout(timer);
      finish(entry, {}, 'cancelled');
      return { ok: true };
    },
    'sync.status': async ({ remote }) => ({
      running: state.running,
      history: state.history.filter((entry) => remote === undefined || entry.remote === remote).reverse(),
      conflicts: state.conflicts.filter((conflict) => remote === undefined || conflict.remote === remote),
      unsupportedEvents: state.unsupportedEvents,
      author: 'demo@trainyard',
      clientId: '7f3c2a9e4b1d4c8e',
      credentialStore: 'the OS keychain (encrypted with Electron safeStorage)',
    }),
    'sync.dismissConflict': async ({ id }) => {
      const index = state.conflicts.findIndex((conflict) => conflict.id === id);
      if (index < 0) throw new ApiError('NOT_FOUND', `No conflict with id ${id}.`);
      const [removed] = state.conflicts.splice(index, 1);
      changed(removed?.remote ?? null);
      return { ok: true };
    },
  };
  return { state, api };
}
