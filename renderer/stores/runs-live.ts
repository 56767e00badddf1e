import type { Run, RunInfo } from '../../shared/tracking';
import { ApiError } from '../api/api-error';
import { getApi } from '../api/connection';
import { throttle } from '../lib/timing';
import type { ChildrenState } from '../lib/run-tree';
import { isTreeMode, useRunsStore, type RunsState } from './runs';
import { reportError } from './toasts';

/**
 * Keeps the runs table live from push events. Events carry `RunInfo` (no params or metrics), so
 * status and timing changes patch rows in place, while params/metrics changes mark a run stale
 * and it is re-read with `runs.get`, a bounded batch at most once a second.
 */

const patchList = (runs: readonly Run[], runId: string, patch: (run: Run) => Run | null): Run[] | null => {
  const index = runs.findIndex((run) => run.id === runId);
  if (index < 0) return null;
  const next = [...runs];
  const patched = patch(runs[index]!);
  if (patched) next[index] = patched;
  else next.splice(index, 1);
  return next;
};

/** Applies `patch` to the run wherever the table holds it (roots and every children list). */
function patchEverywhere(runId: string, patch: (run: Run) => Run | null): boolean {
  const state = useRunsStore.getState();
  let found = false;
  const update: { -readonly [K in 'roots' | 'children' | 'total']?: RunsState[K] } = {};
  const roots = patchList(state.roots, runId, patch);
  if (roots) {
    found = true;
    update.roots = roots;
    if (roots.length < state.roots.length && state.total !== null) update.total = state.total - 1;
  }
  let children: Record<string, ChildrenState> | null = null;
  for (const [parentId, child] of Object.entries(state.children)) {
    const runs = patchList(child.runs, runId, patch);
    if (!runs) continue;
    found = true;
    children ??= { ...state.children };
    children[parentId] = { ...child, runs };
  }
  if (children) update.children = children;
  if (found) useRunsStore.setState(update);
  return found;
}

const refreshList = throttle(() => void useRunsStore.getState().reload({ quiet: true }), 500);
const pendingChildren = new Set<string>();
const refreshChildren = throttle(() => {
  const ids = [...pendingChildren];
  pendingChildren.clear();
  for (const id of ids) if (useRunsStore.getState().expanded.has(id)) void useRunsStore.getState().loadChildren(id);
}, 500);

const staleIds = new Set<string>();
const staleBatch = 50;
const flushStale = throttle(() => {
  const ids = [...staleIds].slice(0, staleBatch);
  for (const id of ids) staleIds.delete(id);
  if (staleIds.size > 0) flushStale();
  for (const id of ids) {
    getApi()['runs.get']({ id }).then(
      (run) => patchEverywhere(id, (existing) => ({ ...existing, ...run })),
      (error: unknown) => {
        // Gone since the event (purged): drop the row. Anything else: say so; the next event retries.
        if (error instanceof ApiError && error.code === 'NOT_FOUND') patchEverywhere(id, () => null);
        else reportError('Refreshing a run in the table failed', error);
      },
    );
  }
}, 1000);

const isLoaded = (runId: string): boolean => {
  const state = useRunsStore.getState();
  return state.roots.some((run) => run.id === runId) || Object.values(state.children).some((child) => child.runs.some((run) => run.id === runId));
};

/** Params, tags or latest metrics of a run changed: re-read it if the table shows it. */
export function onRunContentChanged(runId: string): void {
  if (!isLoaded(runId)) return;
  staleIds.add(runId);
  flushStale();
}

/**
 * Metrics were logged: only metric columns show them, so without one there is nothing to re-read
 * (a sweep logging from a hundred runs would otherwise cost a hundred reads a second).
 */
export function onRunMetricsLogged(runId: string): void {
  if (!useRunsStore.getState().columns.some((column) => column.startsWith('metrics.'))) return;
  onRunContentChanged(runId);
}

export function onRunCreated(info: RunInfo): void {
  const state = useRunsStore.getState();
  if (state.experimentId !== null && info.experimentId !== state.experimentId) return;
  const run: Run = { ...info, params: {}, tags: {}, metrics: {} };
  if (!isTreeMode(state)) {
    // Only the server can tell whether the new run matches the filter.
    refreshList();
    return;
  }
  if (info.parentRunId !== null) {
    const parentId = info.parentRunId;
    patchEverywhere(parentId, (parent) => ({ ...parent, childCount: parent.childCount + 1 }));
    // The local +1 is instant; the re-read makes it exact if main counted it already.
    onRunContentChanged(parentId);
    pendingChildren.add(parentId);
    refreshChildren();
    return;
  }
  if (state.sort === null && !state.roots.some((existing) => existing.id === run.id)) {
    // Default order is newest first, so a new top-level run goes on top without a round trip.
    useRunsStore.setState({ roots: [run, ...state.roots], total: (state.total ?? 0) + 1 });
    onRunContentChanged(run.id);
  } else {
    refreshList();
  }
}

export function onRunUpdated(info: RunInfo): void {
  patchEverywhere(info.id, (run) => ({ ...run, ...info }));
}

export function onRunDeleted(runId: string): void {
  const state = useRunsStore.getState();
  const parentId = [...state.roots, ...Object.values(state.children).flatMap((child) => child.runs)].find((run) => run.id === runId)?.parentRunId ?? null;
  patchEverywhere(runId, () => null);
  const { [runId]: _removed, ...children } = useRunsStore.getState().children;
  const expanded = new Set(useRunsStore.getState().expanded);
  expanded.delete(runId);
  useRunsStore.setState({ children, expanded, selectedId: state.selectedId === runId ? null : state.selectedId });
  if (parentId) onRunContentChanged(parentId);
}
