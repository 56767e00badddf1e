import type { SyncService } from '../sync/sync-service';
import type { Handlers } from './dispatcher';

export interface SyncHandlerServices {
  readonly sync: SyncService;
}

const ok = { ok: true } as const;

/** Team sync: remotes, connection tests, syncs in the background, their status and conflicts. */
export function createSyncHandlers({ sync }: SyncHandlerServices): Pick<Handlers, `sync.${string}` & keyof Handlers> {
  return {
    'sync.remotes': () => sync.list(),
    'sync.saveRemote': ({ config, credentials }) => sync.saveRemote(config, credentials),
    'sync.removeRemote': ({ name }) => (sync.removeRemote(name), ok),
    'sync.testRemote': ({ name }) => sync.testRemote(name),
    'sync.start': ({ remote, direction, dryRun }) => ({ historyId: sync.start({ remote, direction, dryRun }).historyId }),
    'sync.cancel': ({ remote }) => (sync.cancel(remote), ok),
    'sync.status': ({ remote }) => sync.status(remote),
    'sync.dismissConflict': ({ id }) => (sync.dismissConflict(id), ok),
  };
}
