import { create } from 'zustand';
import type { ServedModelInfo } from '../../shared/serving';
import { describeError } from '../api/api-error';
import { getApi } from '../api/connection';

interface ServingState {
  /** Every model server running in the app, oldest first. */
  readonly servers: readonly ServedModelInfo[];
  readonly loaded: boolean;
  readonly error: string | null;
  /** URIs being started right now (the button says Starting…). */
  readonly starting: readonly string[];
  load(): Promise<void>;
  /** From `serving.changed`: the whole list. */
  onChanged(servers: readonly ServedModelInfo[]): void;
  /** Starts a server for a model URI; throws the server's reason (the caller shows it). */
  start(uri: string): Promise<ServedModelInfo>;
  /** Stops one, after the requests in flight; throws the reason. */
  stop(id: string): Promise<void>;
}

const byStart = (servers: readonly ServedModelInfo[]): ServedModelInfo[] => [...servers].sort((a, b) => a.startedAt - b.startedAt);

/** The model servers (serving.list, kept current by serving.changed). They live as long as the app. */
export const useServingStore = create<ServingState>()((set, get) => ({
  servers: [],
  loaded: false,
  error: null,
  starting: [],
  async load() {
    try {
      const servers = await getApi()['serving.list']({});
      set({ servers: byStart(servers), loaded: true, error: null });
    } catch (error) {
      set({ loaded: true, error: describeError(error) });
    }
  },
  onChanged(servers) {
    set({ servers: byStart(servers), loaded: true, error: null });
  },
  async start(uri) {
    set((state) => ({ starting: [...state.starting, uri] }));
    try {
      const server = await getApi()['serving.start']({ uri });
      // The event may come first or later; either way the list holds it once.
      set((state) => ({ servers: byStart([...state.servers.filter((existing) => existing.id !== server.id), server]) }));
      return server;
    } finally {
      set((state) => ({ starting: state.starting.filter((entry) => entry !== uri) }));
    }
  },
  async stop(id) {
    await getApi()['serving.stop']({ id });
    set({ servers: get().servers.filter((server) => server.id !== id) });
  },
}));

/** Servers of one registered model (started from any of its URIs). */
export function serversOf(servers: readonly ServedModelInfo[], model: string): ServedModelInfo[] {
  return servers.filter((server) => server.model?.name === model || server.uri.startsWith(`models:/${model}/`) || server.uri.startsWith(`models:/${model}@`));
}
