import type { OperationInput, OperationName } from './api';
import type { ApiErrorShape } from './errors';
import type { WorkbenchEvent } from './events';

/** What every transport returns for a call: a result, or the normalized error. */
export type RpcResult<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiErrorShape };

/**
 * The object the Electron preload exposes on `window.trainyard` through contextBridge: one
 * function per operation (never a generic invoke), plus one event subscription. Browser mode
 * implements the same shape over HTTP, so the renderer cannot tell the transports apart.
 */
export interface DesktopBridge {
  readonly operations: { readonly [K in OperationName]: (input: OperationInput<K>) => Promise<RpcResult> };
  /** Subscribe to every push event; returns the unsubscribe function. */
  onEvent(listener: (event: WorkbenchEvent) => void): () => void;
  /**
   * The file-system path of a file dropped on the window (Electron's webUtils), so a dataset
   * drag-in passes a path to main instead of copying bytes through the renderer. Typed loosely:
   * shared/ has no DOM types; the argument is a DOM `File`.
   */
  pathForFile(file: object): string;
}

/** The global name the preload uses. */
export const bridgeGlobalName = 'trainyard';

/** IPC channel names: one per operation, plus the event channel. */
export const ipcChannelOf = (operation: OperationName): string => `trainyard:op:${operation}`;
export const ipcEventChannel = 'trainyard:event';

/** HTTP paths of browser mode. */
export const httpPaths = {
  /** POST creates an upload; PUT `<uploads>/<id>/<relative path>` streams one file into it. */
  uploads: '/api/uploads',
  rpc: (operation: OperationName): string => `/api/rpc/${operation}`,
  events: '/api/events',
  artifact: (runId: string, path: string): string => `/api/artifacts/${encodeURIComponent(runId)}/${path.split('/').map(encodeURIComponent).join('/')}`,
  tokenHeader: 'x-trainyard-token',
} as const;
