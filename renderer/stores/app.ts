import { create } from 'zustand';
import type { AppInfo } from '../../shared/api';
import { describeError } from '../api/api-error';
import { getApi, type ConnectionState } from '../api/connection';
import { throttle } from '../lib/timing';

interface AppState {
  readonly info: AppInfo | null;
  readonly infoError: string | null;
  readonly connection: ConnectionState;
  /** RUNNING runs across every experiment, for the status bar; null until known. */
  readonly runningCount: number | null;
  /** Why the count is unknown, for the status bar's tooltip. */
  readonly runningError: string | null;
  loadInfo(): Promise<void>;
  setConnection(state: ConnectionState): void;
  refreshRunningCount(): Promise<void>;
}

export const useAppStore = create<AppState>()((set) => ({
  info: null,
  infoError: null,
  connection: 'connecting',
  runningCount: null,
  runningError: null,
  async loadInfo() {
    try {
      set({ info: await getApi()['app.info']({}), infoError: null });
    } catch (error) {
      set({ infoError: describeError(error) });
    }
  },
  setConnection(state) {
    set({ connection: state });
  },
  async refreshRunningCount() {
    try {
      // `total` counts every match; one row is the least a page can carry.
      const result = await getApi()['runs.search']({ filter: "attributes.status = 'RUNNING'", maxResults: 1, view: 'active' });
      set({ runningCount: result.total, runningError: null });
    } catch (error) {
      // Not worth a toast: the status bar shows "—" and says why on hover.
      set({ runningCount: null, runningError: describeError(error) });
    }
  },
}));

/** Run lifecycle events change the count; bursts (a sweep starting) cost one query per second. */
export const scheduleRunningCount = throttle(() => void useAppStore.getState().refreshRunningCount(), 1000);
