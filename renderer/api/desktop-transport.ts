import type { OperationName } from '../../shared/api';
import { httpPaths, type DesktopBridge, type RpcResult } from '../../shared/bridge';
import { createClient } from './client';
import type { Connection } from './connection';

/** Desktop: the preload's one-function-per-operation bridge; events over its single channel. */
export function createDesktopConnection(bridge: DesktopBridge): Connection {
  const call = async (operation: OperationName, input: unknown): Promise<RpcResult> => {
    const send = bridge.operations[operation] as ((value: unknown) => Promise<RpcResult>) | undefined;
    if (!send) return { ok: false, error: { code: 'INTERNAL', message: `The desktop bridge has no operation '${operation}'; the app and its preload are out of step.` } };
    try {
      return await send(input);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, error: { code: 'UNAVAILABLE', message: `The main process did not answer ${operation}: ${reason}` } };
    }
  };
  return {
    shell: 'desktop',
    api: createClient(call),
    onEvent: (listener) => bridge.onEvent(listener),
    // IPC has no separate stream that can drop: it is up for as long as the window exists.
    onState: () => () => undefined,
    getState: () => 'connected',
    // The app:// protocol streams artifacts at the same path as browser mode (main/electron/app-protocol.ts).
    artifactUrl: (runId, path) => httpPaths.artifact(runId, path),
    pathForFile: (file) => {
      // A preload older than the datasets contract has no pathForFile: say "no path", not crash.
      if (typeof bridge.pathForFile !== 'function') return null;
      try {
        return bridge.pathForFile(file) || null;
      } catch {
        return null;
      }
    },
    upload: null,
  };
}
