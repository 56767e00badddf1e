import { create } from 'zustand';
import type { RemoteSummary, SyncDirection, SyncHistoryEntry, SyncProgress, SyncStatus } from '../../shared/sync';
import { describeError } from '../api/api-error';
import { getApi } from '../api/connection';
import { syncHref } from '../lib/hash-route';
import { throttle } from '../lib/timing';
import { navigate } from '../lib/use-route';
import { reportError } from './toasts';

/** What "Sync now", Push only, Pull only, Dry run and Retry ask for. */
export interface SyncRequest {
  readonly remote: string;
  readonly direction: SyncDirection;
  readonly dryRun: boolean;
}

interface SyncState {
  /** The configured team buckets, by name. */
  readonly remotes: readonly RemoteSummary[];
  /** The running sync, recent syncs (newest first), conflicts and who this home is. */
  readonly status: SyncStatus | null;
  /** The latest `sync.progress` of the running sync; null when none runs. */
  readonly progress: SyncProgress | null;
  readonly loaded: boolean;
  readonly error: string | null;
  /** A start or cancel call is in flight (the buttons wait for it). */
  readonly busy: boolean;
  load(): Promise<void>;
  /** From `sync.progress`. */
  onProgress(progress: SyncProgress): void;
  /** From `sync.changed`: a sync started or ended, a remote or a conflict changed. */
  onChanged(): void;
  start(request: SyncRequest): Promise<void>;
  cancel(): Promise<void>;
  dismissConflict(id: number): Promise<void>;
}

const newestFirst = (history: readonly SyncHistoryEntry[]): SyncHistoryEntry[] => [...history].sort((a, b) => b.startedAt - a.startedAt || b.id - a.id);

/** Team sync: remotes and status from main, progress as it streams in. */
export const useSyncStore = create<SyncState>()((set, get) => ({
  remotes: [],
  status: null,
  progress: null,
  loaded: false,
  error: null,
  busy: false,
  async load() {
    try {
      const api = getApi();
      const [remotes, status] = await Promise.all([api['sync.remotes']({}), api['sync.status']({})]);
      set((state) => ({
        remotes,
        status: { ...status, history: newestFirst(status.history) },
        // A progress event may have overtaken this read: the live one is newer than the snapshot.
        progress: status.running === null ? null : (state.progress ?? status.running.progress),
        loaded: true,
        error: null,
      }));
    } catch (error) {
      set({ loaded: true, error: describeError(error) });
    }
  },
  onProgress(progress) {
    set({ progress });
    // Progress for a sync this window has not heard start of (opened mid-sync): read the rest.
    if (get().status?.running == null) scheduleRefresh();
  },
  onChanged() {
    scheduleRefresh();
  },
  async start(request) {
    set({ busy: true });
    try {
      await getApi()['sync.start'](request);
      // The sync.changed event refreshes too; reading now shows "running" without waiting for it.
      await get().load();
    } catch (error) {
      reportError(`Starting the sync with '${request.remote}' failed`, error);
    } finally {
      set({ busy: false });
    }
  },
  async cancel() {
    const remote = runningEntry(get().status)?.remote;
    set({ busy: true });
    try {
      await getApi()['sync.cancel'](remote === undefined ? {} : { remote });
      await get().load();
    } catch (error) {
      reportError('Cancelling the sync failed', error);
    } finally {
      set({ busy: false });
    }
  },
  async dismissConflict(id) {
    try {
      await getApi()['sync.dismissConflict']({ id });
      set((state) => (state.status ? { status: { ...state.status, conflicts: state.status.conflicts.filter((conflict) => conflict.id !== id) } } : {}));
    } catch (error) {
      reportError('Dismissing the conflict failed', error);
    }
  },
}));

/** A sync announces a change at its start, its end and per conflict: one re-read per burst. */
const scheduleRefresh = throttle(() => void useSyncStore.getState().load(), 300);

/** The history entry of the sync in progress, if any. */
export function runningEntry(status: SyncStatus | null): SyncHistoryEntry | null {
  const running = status?.running;
  if (!running) return null;
  return status.history.find((entry) => entry.id === running.historyId) ?? null;
}

/** The remote whose sync is running: from the history entry, or the live progress before that is read. */
export function runningRemote(state: { status: SyncStatus | null; progress: SyncProgress | null }): string | null {
  if (!state.status?.running && state.progress === null) return null;
  return runningEntry(state.status)?.remote ?? state.progress?.remote ?? state.status?.running?.progress?.remote ?? null;
}

/** The newest finished sync (of one remote, if named): the status bar's error dot reads it. */
export function lastFinished(status: SyncStatus | null, remote: string | null = null): SyncHistoryEntry | null {
  return status?.history.find((entry) => entry.status !== 'running' && (remote === null || entry.remote === remote)) ?? null;
}

/** The same sync again (the Retry button of a failed one). */
export function retryRequest(entry: SyncHistoryEntry): SyncRequest {
  return { remote: entry.remote, direction: entry.direction, dryRun: entry.dryRun };
}

/**
 * "Sync now" from the status bar or its shortcut: both ways with the first remote. Returns false
 * when there is no remote to sync with (the caller opens the Sync section instead).
 */
export function syncNow(): boolean {
  const state = useSyncStore.getState();
  const remote = state.remotes[0];
  if (!remote) return false;
  if (runningRemote(state) === null && !state.busy) void state.start({ remote: remote.name, direction: 'both', dryRun: false });
  return true;
}

/** The status bar's click, its shortcut and the palette's "Sync now": with no remote, or while one runs, the Sync section shows what to do. */
export function syncNowOrOpen(): void {
  if (runningRemote(useSyncStore.getState()) !== null || !syncNow()) navigate(syncHref);
}
