import { bridgeGlobalName, type DesktopBridge } from '../../shared/bridge';
import type { Connection } from './connection';
import { createDesktopConnection } from './desktop-transport';
import { createHttpConnection } from './http-transport';
import { takeSessionToken } from './session-token';

export type Startup = { readonly connection: Connection } | { readonly problem: 'no-token' };

/**
 * Picks the transport: the preload's bridge inside Electron, else HTTP to the server that served
 * this page, authenticated with the token from the URL `trainyard ui` printed.
 */
export function connect(): Startup {
  const bridge = (window as unknown as Record<string, DesktopBridge | undefined>)[bridgeGlobalName];
  if (bridge) return { connection: createDesktopConnection(bridge) };
  const token = takeSessionToken({ location: window.location, history: window.history, storage: window.sessionStorage });
  if (!token) return { problem: 'no-token' };
  return {
    connection: createHttpConnection({ baseUrl: '', token, fetch: window.fetch.bind(window), EventSource: window.EventSource }),
  };
}
