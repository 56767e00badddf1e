import { create } from 'zustand';
import type { DatasetSummary, DatasetVersion } from '../../shared/datasets';
import { ApiError, describeError } from '../api/api-error';
import { getApi } from '../api/connection';
import { throttle } from '../lib/timing';
import { reportError } from './toasts';

export interface VersionsEntry {
  /** Newest first, each with its schema and profile. */
  readonly list: readonly DatasetVersion[] | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** The dataset does not exist (any more): the page says so. */
  readonly missing: boolean;
}

interface DatasetsState {
  readonly summaries: readonly DatasetSummary[];
  readonly loaded: boolean;
  readonly error: string | null;
  readonly versions: Readonly<Record<string, VersionsEntry>>;
  load(): Promise<void>;
  loadVersions(dataset: string): Promise<void>;
  /** From `dataset.changed`: the list and, if a page shows it, that dataset's versions. */
  onChanged(dataset: string): void;
}

const emptyEntry: VersionsEntry = { list: null, loading: false, error: null, missing: false };

/** Datasets (the list) and the versions of the datasets a page has opened. */
export const useDatasetsStore = create<DatasetsState>()((set, get) => ({
  summaries: [],
  loaded: false,
  error: null,
  versions: {},
  async load() {
    try {
      const summaries = await getApi()['datasets.list']({});
      set({ summaries, loaded: true, error: null });
    } catch (error) {
      set({ loaded: true, error: describeError(error) });
      reportError('Loading datasets failed', error);
    }
  },
  async loadVersions(dataset) {
    const patch = (change: Partial<VersionsEntry>): void =>
      set((state) => ({ versions: { ...state.versions, [dataset]: { ...(state.versions[dataset] ?? emptyEntry), ...change } } }));
    patch({ loading: true });
    try {
      const list = await getApi()['datasets.versions']({ dataset });
      patch({ list, loading: false, error: null, missing: list.length === 0 });
    } catch (error) {
      patch({ loading: false, error: describeError(error), missing: error instanceof ApiError && error.code === 'NOT_FOUND' });
    }
  },
  onChanged(dataset) {
    scheduleListRefresh();
    if (get().versions[dataset]) versionRefresher(dataset)();
  },
}));

/** An import of a folder of 10,000 files announces one version, but be safe against bursts. */
const scheduleListRefresh = throttle(() => void useDatasetsStore.getState().load(), 500);
const refreshers = new Map<string, () => void>();
function versionRefresher(dataset: string): () => void {
  let refresh = refreshers.get(dataset);
  if (!refresh) {
    refresh = throttle(() => void useDatasetsStore.getState().loadVersions(dataset), 500);
    refreshers.set(dataset, refresh);
  }
  return refresh;
}

/** The version a route names: that number, or the newest when the route names none. */
export function pickVersion(list: readonly DatasetVersion[] | null, version: number | null): DatasetVersion | null {
  if (!list || list.length === 0) return null;
  if (version === null) return list[0] ?? null;
  return list.find((entry) => entry.version === version) ?? null;
}
