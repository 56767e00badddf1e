import { create } from 'zustand';
import type { ModelVersion, RegisteredModel, RegistryEvent } from '../../shared/registry';
import { ApiError, describeError } from '../api/api-error';
import { getApi } from '../api/connection';
import { throttle } from '../lib/timing';
import { reportError } from './toasts';

export interface ModelEntry {
  readonly model: RegisteredModel | null;
  /** Newest first. */
  readonly versions: readonly ModelVersion[] | null;
  /** Newest first. */
  readonly history: readonly RegistryEvent[] | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** The model does not exist (any more): the page says so. */
  readonly missing: boolean;
}

interface ModelsState {
  /** Every registered model, most recently changed first. */
  readonly summaries: readonly RegisteredModel[];
  readonly loaded: boolean;
  readonly error: string | null;
  /** The models a page has opened, with their versions and history. */
  readonly entries: Readonly<Record<string, ModelEntry>>;
  load(): Promise<void>;
  loadModel(name: string): Promise<void>;
  /** From `model.changed` (and after the UI's own writes): the list and, if a page shows it, that model. */
  onChanged(name: string): void;
}

const emptyEntry: ModelEntry = { model: null, versions: null, history: null, loading: false, error: null, missing: false };

/** The model registry: the list, and the models whose pages are (or were) open. */
export const useModelsStore = create<ModelsState>()((set, get) => ({
  summaries: [],
  loaded: false,
  error: null,
  entries: {},
  async load() {
    try {
      const summaries = await getApi()['models.list']({});
      set({ summaries, loaded: true, error: null });
    } catch (error) {
      set({ loaded: true, error: describeError(error) });
      reportError('Loading registered models failed', error);
    }
  },
  async loadModel(name) {
    const patch = (change: Partial<ModelEntry>): void =>
      set((state) => ({ entries: { ...state.entries, [name]: { ...(state.entries[name] ?? emptyEntry), ...change } } }));
    patch({ loading: true });
    try {
      const api = getApi();
      const [model, versions, history] = await Promise.all([api['models.get']({ name }), api['models.versions']({ name }), api['models.history']({ name })]);
      patch({ model, versions, history, loading: false, error: null, missing: false });
    } catch (error) {
      const missing = error instanceof ApiError && error.code === 'NOT_FOUND';
      patch({ loading: false, error: missing ? null : describeError(error), missing });
    }
  },
  onChanged(name) {
    scheduleListRefresh();
    if (get().entries[name]) modelRefresher(name)();
  },
}));

/** A stage move with archiveExisting announces one change per archived version: one re-read. */
const scheduleListRefresh = throttle(() => void useModelsStore.getState().load(), 300);
const refreshers = new Map<string, () => void>();
function modelRefresher(name: string): () => void {
  let refresh = refreshers.get(name);
  if (!refresh) {
    refresh = throttle(() => void useModelsStore.getState().loadModel(name), 300);
    refreshers.set(name, refresh);
  }
  return refresh;
}

/** Re-reads what a page shows right after the UI's own write, without waiting for the event. */
export function refreshModel(name: string): void {
  useModelsStore.getState().onChanged(name);
}
