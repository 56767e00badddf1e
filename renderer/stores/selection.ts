import { create } from 'zustand';
import { getApi } from '../api/connection';
import { parentRunKey, type BandMode } from '../lib/run-groups';
import { reportError } from './toasts';
import { searchInputOf, useRunsStore } from './runs';

/** "Select all matching" stops here: more runs than this make an unreadable overlay anyway. */
export const selectAllCap = 200;
const storageKey = 'trainyard.runs.selection';
const groupingKey = 'trainyard.compare.grouping';

/** How the compare charts group and colour the selected runs; kept beside the selection. */
export interface CompareGrouping {
  /** A `param:…` / `tag:…` key, `parent:run`, or null for one line per run. */
  readonly groupBy: string | null;
  readonly band: BandMode;
  /** A `param:…` key, or null for each run's own colour. */
  readonly colorBy: string | null;
  /** Draw the member runs faintly behind the group bands. */
  readonly showRuns: boolean;
}

export const defaultGrouping: CompareGrouping = { groupBy: null, band: 'std', colorBy: null, showRuns: false };

/** How a run's checkbox was used: plain, shift (a range) or alt (the run and all its descendants). */
export type CheckGesture = 'one' | 'range' | 'descendants';

/** The runs picked for comparison, in the order they were picked; kept for the browser session. */
export interface SelectionState {
  readonly ids: readonly string[];
  /** Where a shift-click range starts: the last run toggled by itself. */
  readonly anchor: string | null;
  /** Said once after "select all" hit the cap, until the selection changes again. */
  readonly notice: string | null;
  readonly selectingAll: boolean;
  readonly grouping: CompareGrouping;

  setGrouping(change: Partial<CompareGrouping>): void;

  toggle(runId: string): void;
  /** Shift-click: every run of `order` between the anchor and `runId` joins the selection. */
  extendTo(runId: string, order: readonly string[]): void;
  /** Replaces the selection (a compare link being opened, "Compare children"). */
  replace(ids: readonly string[]): void;
  remove(runIds: readonly string[]): void;
  clear(): void;
  /** Every run matching the table's current search, up to `selectAllCap`. */
  selectAllMatching(): Promise<void>;
  /**
   * Alt-click / Shift+A: the run and every run below it join the selection (up to the cap); when
   * the run is already selected, it and its descendants leave it instead, so the gesture toggles.
   */
  toggleWithDescendants(runId: string): Promise<void>;
}

/**
 * Every run below `runId` at any depth, parents before children, at most `selectAllCap`; `total`
 * says how many there are, so callers can tell the user when the cap cut the list.
 */
export async function loadDescendants(runId: string): Promise<{ ids: string[]; total: number }> {
  const result = await getApi()['runs.search']({ ancestorRunId: runId, maxResults: selectAllCap, view: 'active', orderBy: ['attributes.start_time ASC'] });
  return { ids: result.runs.map((run) => run.id), total: result.total };
}

/** The notice for a capped descendant list, or null when all of them fit. */
export function descendantsNotice(selected: number, total: number): string | null {
  return total > selected ? `Selected the first ${selected.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} descendant runs — the comparison holds at most ${selectAllCap}.` : null;
}

/** sessionStorage where there is one: the selection survives navigation and reloads, not the session. */
function sessionStore(): Pick<Storage, 'getItem' | 'setItem'> | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** The stored selection, or none when storage is missing, blocked or corrupt. */
export function loadSelection(): string[] {
  try {
    const parsed: unknown = JSON.parse(sessionStore()?.getItem(storageKey) ?? '[]');
    return Array.isArray(parsed) ? [...new Set(parsed.filter((id): id is string => typeof id === 'string' && id !== ''))] : [];
  } catch {
    return [];
  }
}

/** The stored grouping, field by field, falling back to the defaults for anything missing or malformed. */
export function loadGrouping(): CompareGrouping {
  try {
    const parsed: unknown = JSON.parse(sessionStore()?.getItem(groupingKey) ?? '{}');
    const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    const keyOrNull = (value: unknown): string | null => (typeof value === 'string' && /^(param|tag):./.test(value) ? value : null);
    return {
      groupBy: record.groupBy === parentRunKey ? parentRunKey : keyOrNull(record.groupBy),
      band: record.band === 'minmax' ? 'minmax' : 'std',
      colorBy: keyOrNull(record.colorBy),
      showRuns: record.showRuns === true,
    };
  } catch {
    return defaultGrouping;
  }
}

function saveSelection(ids: readonly string[]): void {
  try {
    sessionStore()?.setItem(storageKey, JSON.stringify(ids));
  } catch {
    // Quota or privacy mode: the selection then lasts until the page reloads.
  }
}

export const useSelectionStore = create<SelectionState>()((set, get) => {
  const commit = (ids: readonly string[], change: Partial<SelectionState> = {}): void => {
    saveSelection(ids);
    set({ ids, notice: null, ...change });
  };
  return {
    ids: loadSelection(),
    anchor: null,
    notice: null,
    selectingAll: false,
    grouping: loadGrouping(),

    setGrouping(change) {
      const grouping = { ...get().grouping, ...change };
      try {
        sessionStore()?.setItem(groupingKey, JSON.stringify(grouping));
      } catch {
        // As for the selection: it then lasts until the page reloads.
      }
      set({ grouping });
    },

    toggle(runId) {
      const ids = get().ids;
      commit(ids.includes(runId) ? ids.filter((id) => id !== runId) : [...ids, runId], { anchor: runId });
    },

    extendTo(runId, order) {
      const { anchor, ids } = get();
      const from = anchor === null ? -1 : order.indexOf(anchor);
      const to = order.indexOf(runId);
      if (from < 0 || to < 0) {
        if (!ids.includes(runId)) get().toggle(runId);
        else set({ anchor: runId });
        return;
      }
      const range = order.slice(Math.min(from, to), Math.max(from, to) + 1);
      const have = new Set(ids);
      commit([...ids, ...range.filter((id) => !have.has(id))], { anchor: runId });
    },

    replace(ids) {
      commit([...new Set(ids)], { anchor: null });
    },

    remove(runIds) {
      const gone = new Set(runIds);
      commit(get().ids.filter((id) => !gone.has(id)));
    },

    clear() {
      commit([], { anchor: null });
    },

    async selectAllMatching() {
      if (get().selectingAll) return;
      set({ selectingAll: true });
      try {
        const result = await getApi()['runs.search']({ ...searchInputOf(useRunsStore.getState()), maxResults: selectAllCap });
        const have = new Set(get().ids);
        const added = result.runs.map((run) => run.id).filter((id) => !have.has(id));
        const notice = result.total > result.runs.length ? `Selected the first ${result.runs.length.toLocaleString('en-US')} of ${result.total.toLocaleString('en-US')} matching runs — narrow the filter to pick the rest.` : null;
        commit([...get().ids, ...added], { notice, selectingAll: false });
      } catch (error) {
        set({ selectingAll: false });
        reportError('Selecting the matching runs failed', error);
      }
    },

    async toggleWithDescendants(runId) {
      try {
        const { ids: below, total } = await loadDescendants(runId);
        const ids = get().ids;
        if (ids.includes(runId)) {
          get().remove([runId, ...below]);
          return;
        }
        const have = new Set(ids);
        const added = [runId, ...below].filter((id) => !have.has(id));
        commit([...ids, ...added], { anchor: runId, notice: descendantsNotice(below.length, total) });
      } catch (error) {
        reportError('Selecting the descendant runs failed', error);
      }
    },
  };
});
