import { create } from 'zustand';
import type { RunsSearchInput } from '../../shared/api';
import type { Run } from '../../shared/tracking';
import { describeError, isInvalidArgument } from '../api/api-error';
import { getApi } from '../api/connection';
import { browserStorage, loadColumns, saveColumns } from '../lib/column-prefs';
import { buildOrderBy, type ColumnId, type SortState } from '../lib/columns';
import type { ChildrenState } from '../lib/run-tree';
import { reportError } from './toasts';

/** The runs table: what is asked for (experiment, filter, sort), what came back, and the tree. */
export interface RunsState {
  /** null: every experiment. */
  readonly experimentId: string | null;
  /** The filter last applied (not what is being typed). Empty: top-level runs as a tree. */
  readonly filter: string;
  readonly sort: SortState | null;
  /** The param/metric columns picked for this experiment. */
  readonly columns: readonly ColumnId[];
  /** Top-level runs (no filter) or every matching run (filter), in server order. */
  readonly roots: readonly Run[];
  readonly nextPageToken: string | null;
  readonly total: number | null;
  readonly loading: boolean;
  readonly loadingMore: boolean;
  /** Why the list could not be loaded (network, server), shown in place of the table. */
  readonly loadError: string | null;
  /** The server's INVALID_ARGUMENT message for the filter, shown under the filter box. */
  readonly filterError: string | null;
  readonly children: Readonly<Record<string, ChildrenState>>;
  readonly expanded: ReadonlySet<string>;
  readonly selectedId: string | null;

  selectExperiment(id: string | null): void;
  applyFilter(filter: string): void;
  setSort(sort: SortState | null): void;
  setColumns(columns: readonly ColumnId[]): void;
  /** Re-runs the search. `quiet` keeps the rows on screen and re-reads as many as are loaded. */
  reload(options?: { quiet?: boolean }): Promise<void>;
  loadMore(): Promise<void>;
  toggleExpanded(runId: string, expand?: boolean): void;
  loadChildren(runId: string): Promise<void>;
  select(runId: string | null): void;
}

export const pageSize = 100;
const childrenLimit = 1000;
const experimentKey = 'trainyard.runs.experiment';

function storedExperiment(): string | null {
  try {
    return browserStorage()?.getItem(experimentKey) ?? null;
  } catch {
    return null;
  }
}

/** The `runs.search` input for the table as it stands. */
export function searchInputOf(state: Pick<RunsState, 'experimentId' | 'filter' | 'sort'>): RunsSearchInput {
  const filter = state.filter.trim();
  return {
    experimentIds: state.experimentId === null ? undefined : [state.experimentId],
    filter: filter === '' ? undefined : filter,
    orderBy: buildOrderBy(state.sort),
    // Unfiltered: top-level runs, children load on expand. Filtered: every match, flat.
    parentRunId: filter === '' ? null : undefined,
    view: 'active',
  };
}

export const isTreeMode = (state: Pick<RunsState, 'filter'>): boolean => state.filter.trim() === '';

// Bumped by every new search; an answer to an older one is dropped, so a slow reply to a filter
// the user has already replaced can never overwrite the newer list.
let generation = 0;

const initialExperiment = storedExperiment();

export const useRunsStore = create<RunsState>()((set, get) => ({
  experimentId: initialExperiment,
  filter: '',
  sort: null,
  columns: loadColumns(browserStorage(), initialExperiment),
  roots: [],
  nextPageToken: null,
  total: null,
  loading: false,
  loadingMore: false,
  loadError: null,
  filterError: null,
  children: {},
  expanded: new Set(),
  selectedId: null,

  selectExperiment(id) {
    if (id === get().experimentId) return;
    try {
      if (id === null) browserStorage()?.setItem(experimentKey, '');
      else browserStorage()?.setItem(experimentKey, id);
    } catch {
      // Remembering the selection is a convenience only.
    }
    set({ experimentId: id, columns: loadColumns(browserStorage(), id), roots: [], total: null, children: {}, expanded: new Set(), selectedId: null });
    void get().reload();
  },

  applyFilter(filter) {
    if (filter.trim() === get().filter.trim() && get().filterError === null) return;
    set({ filter: filter.trim() });
    void get().reload();
  },

  setSort(sort) {
    set({ sort, children: {} });
    void get().reload();
  },

  setColumns(columns) {
    saveColumns(browserStorage(), get().experimentId, columns);
    set({ columns: [...columns] });
  },

  async reload(options = {}) {
    const current = ++generation;
    const state = get();
    const size = options.quiet ? Math.min(1000, Math.max(pageSize, state.roots.length)) : pageSize;
    set(options.quiet ? {} : { loading: true, loadError: null });
    try {
      const result = await getApi()['runs.search']({ ...searchInputOf(state), maxResults: size });
      if (current !== generation) return;
      set({ roots: result.runs, nextPageToken: result.nextPageToken, total: result.total, loading: false, loadError: null, filterError: null });
      if (isTreeMode(get())) for (const runId of get().expanded) void get().loadChildren(runId);
    } catch (error) {
      if (current !== generation) return;
      if (isInvalidArgument(error) && state.filter !== '') {
        // Keep the last good rows: the message under the box says what to fix.
        set({ loading: false, filterError: error.message });
        return;
      }
      set({ loading: false, loadError: describeError(error) });
      if (!options.quiet) reportError('Loading runs failed', error);
    }
  },

  async loadMore() {
    const state = get();
    if (!state.nextPageToken || state.loadingMore || state.loading) return;
    const current = generation;
    set({ loadingMore: true });
    try {
      const result = await getApi()['runs.search']({ ...searchInputOf(state), maxResults: pageSize, pageToken: state.nextPageToken });
      if (current !== generation) return;
      // Runs created since the first page shift offsets; never show one twice.
      const seen = new Set(get().roots.map((run) => run.id));
      set({ roots: [...get().roots, ...result.runs.filter((run) => !seen.has(run.id))], nextPageToken: result.nextPageToken, total: result.total, loadingMore: false });
    } catch (error) {
      if (current !== generation) return;
      set({ loadingMore: false });
      // A page token outlives its query when the list changes under it: start over quietly.
      if (isInvalidArgument(error)) void get().reload({ quiet: true });
      else reportError('Loading more runs failed', error);
    }
  },

  toggleExpanded(runId, expand) {
    const expanded = new Set(get().expanded);
    const open = expand ?? !expanded.has(runId);
    if (open) expanded.add(runId);
    else expanded.delete(runId);
    set({ expanded });
    if (open && !get().children[runId]) void get().loadChildren(runId);
  },

  async loadChildren(runId) {
    const previous = get().children[runId];
    set((state) => ({ children: { ...state.children, [runId]: { runs: previous?.runs ?? [], loading: true, error: null, more: previous?.more ?? 0 } } }));
    try {
      const result = await getApi()['runs.search']({ parentRunId: runId, orderBy: buildOrderBy(get().sort), maxResults: childrenLimit, view: 'active' });
      set((state) => ({ children: { ...state.children, [runId]: { runs: result.runs, loading: false, error: null, more: Math.max(0, result.total - result.runs.length) } } }));
    } catch (error) {
      set((state) => ({ children: { ...state.children, [runId]: { runs: [], loading: false, error: describeError(error), more: 0 } } }));
    }
  },

  select(runId) {
    set({ selectedId: runId });
  },
}));

/** Every run the table holds, top-level and loaded children, for key discovery and lookups. */
export function loadedRuns(state: Pick<RunsState, 'roots' | 'children'>): Run[] {
  const all = [...state.roots];
  for (const child of Object.values(state.children)) all.push(...child.runs);
  return all;
}
