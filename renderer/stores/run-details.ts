import { create } from 'zustand';
import type { Run, RunInfo } from '../../shared/tracking';
import { ApiError, describeError } from '../api/api-error';
import { getApi } from '../api/connection';
import { throttle } from '../lib/timing';

export interface RunDetail {
  readonly run: Run | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** Deleted while open: the page says so instead of going blank. */
  readonly deleted: boolean;
}

interface RunDetailsState {
  readonly details: Readonly<Record<string, RunDetail>>;
  load(runId: string): Promise<void>;
  /** Many runs in a few searches (a comparison of 100 runs is 1 request, not 100); misses fall back to `load`. */
  loadMany(runIds: readonly string[]): Promise<void>;
  onUpdated(info: RunInfo): void;
  onDeleted(runId: string): void;
  /** Params, tags or metrics changed: re-read the run (throttled) if a page shows it. */
  onContentChanged(runId: string): void;
}

const refreshers = new Map<string, () => void>();

/** The runs that have a run page open (or recently had): full `Run` objects from `runs.get`. */
export const useRunDetailsStore = create<RunDetailsState>()((set, get) => ({
  details: {},
  async load(runId) {
    const previous = get().details[runId];
    set((state) => ({ details: { ...state.details, [runId]: { run: previous?.run ?? null, loading: true, error: null, deleted: false } } }));
    try {
      const run = await getApi()['runs.get']({ id: runId });
      set((state) => ({ details: { ...state.details, [runId]: { run, loading: false, error: null, deleted: run.deleted } } }));
    } catch (error) {
      const missing = error instanceof ApiError && error.code === 'NOT_FOUND';
      set((state) => ({
        details: {
          ...state.details,
          [runId]: { run: previous?.run ?? null, loading: false, error: missing ? `No run with id ${runId} — it may have been purged.` : describeError(error), deleted: false },
        },
      }));
    }
  },
  async loadMany(runIds) {
    const wanted = [...new Set(runIds)].filter((id) => !get().details[id]);
    if (wanted.length === 0) return;
    // The filter grammar's `in`, 200 ids a search (the filter text has a length limit).
    for (let start = 0; start < wanted.length; start += 200) {
      const chunk = wanted.slice(start, start + 200);
      set((state) => ({ details: { ...state.details, ...Object.fromEntries(chunk.map((id) => [id, { run: null, loading: true, error: null, deleted: false }])) } }));
      let found: readonly Run[] = [];
      try {
        const filter = `attributes.run_id in (${chunk.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ')})`;
        found = (await getApi()['runs.search']({ filter, maxResults: chunk.length, view: 'all' })).runs;
      } catch {
        // A failed search: each run says for itself why (below).
      }
      set((state) => ({ details: { ...state.details, ...Object.fromEntries(found.map((run) => [run.id, { run, loading: false, error: null, deleted: run.deleted }])) } }));
      const got = new Set(found.map((run) => run.id));
      await Promise.all(chunk.filter((id) => !got.has(id)).map((id) => get().load(id)));
    }
  },
  onUpdated(info) {
    const detail = get().details[info.id];
    if (!detail?.run) return;
    set((state) => ({ details: { ...state.details, [info.id]: { ...detail, run: { ...detail.run!, ...info } } } }));
  },
  onDeleted(runId) {
    const detail = get().details[runId];
    if (!detail) return;
    set((state) => ({ details: { ...state.details, [runId]: { ...detail, deleted: true } } }));
  },
  onContentChanged(runId) {
    if (!get().details[runId]) return;
    let refresh = refreshers.get(runId);
    if (!refresh) {
      refresh = throttle(() => void get().load(runId), 1000);
      refreshers.set(runId, refresh);
    }
    refresh();
  },
}));
