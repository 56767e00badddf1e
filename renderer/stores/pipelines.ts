import { create } from 'zustand';
import type { WorkbenchEvent } from '../../shared/events';
import type { DagRun, PipelineSummary } from '../../shared/pipelines';
import { ApiError, describeError } from '../api/api-error';
import { getApi } from '../api/connection';
import { throttle } from '../lib/timing';
import { reportError } from './toasts';

export type PipelineDetail = PipelineSummary & { readonly spec: string };
type ChangedEvent = Extract<WorkbenchEvent, { name: 'pipeline.changed' }>['payload'];

export interface PipelineEntry {
  readonly detail: PipelineDetail | null;
  readonly error: string | null;
  /** The pipeline does not exist (any more): the page says so. */
  readonly missing: boolean;
}

export interface RunsEntry {
  /** Newest first, at most `limit`. */
  readonly list: readonly DagRun[] | null;
  readonly limit: number;
  readonly loading: boolean;
  readonly error: string | null;
}

export interface DagRunEntry {
  readonly run: DagRun | null;
  readonly error: string | null;
  readonly missing: boolean;
}

interface PipelinesState {
  readonly summaries: readonly PipelineSummary[];
  readonly loaded: boolean;
  readonly error: string | null;
  /** Pipelines whose page is (or was) open, with their spec. */
  readonly pipelines: Readonly<Record<string, PipelineEntry>>;
  /** DAG runs of the pipelines whose page is open (the grid, runs table and graph read these). */
  readonly runs: Readonly<Record<string, RunsEntry>>;
  /** DAG runs whose page is open, by `<pipeline>/<run id>`. */
  readonly dagRuns: Readonly<Record<string, DagRunEntry>>;
  load(): Promise<void>;
  loadPipeline(name: string): Promise<void>;
  loadRuns(pipeline: string, limit?: number): Promise<void>;
  loadDagRun(id: string): Promise<void>;
  /** From `pipeline.changed`: the list, and what open pages show of that pipeline and DAG run. */
  onChanged(event: ChangedEvent): void;
  /** From `pipeline.updated`: a pipeline was registered, replaced, paused or resumed. */
  onUpdated(name: string): void;
  /** A DAG run as the server just returned it (after a write, or a re-read): merged wherever it is shown. */
  applyRun(run: DagRun): void;
  /** After a reconnect: re-read everything on screen, since events may have been missed. */
  reloadAll(): void;
}

/** The grid and the runs table show this many DAG runs (Airflow's grid offers up to 365; ours stays fast past 1,000). */
export const runsShown = 1000;

const emptyPipeline: PipelineEntry = { detail: null, error: null, missing: false };
const emptyRuns: RunsEntry = { list: null, limit: runsShown, loading: false, error: null };

/** The list with `run` put in place (or on top, when it is new), newest first, cut at `limit`. */
export function mergeRun(list: readonly DagRun[], run: DagRun, limit: number): DagRun[] {
  const index = list.findIndex((entry) => entry.id === run.id);
  if (index >= 0) return list.map((entry, at) => (at === index ? run : entry));
  const next = [run, ...list].sort((a, b) => b.createdAt - a.createdAt);
  return next.length > limit ? next.slice(0, limit) : next;
}

/** Pipelines: the list, open pipelines' specs and DAG runs, and open DAG runs, kept live by `pipeline.changed`. */
export const usePipelinesStore = create<PipelinesState>()((set, get) => ({
  summaries: [],
  loaded: false,
  error: null,
  pipelines: {},
  runs: {},
  dagRuns: {},
  async load() {
    try {
      const summaries = await getApi()['pipelines.list']({});
      set({ summaries, loaded: true, error: null });
    } catch (error) {
      set({ loaded: true, error: describeError(error) });
      reportError('Loading pipelines failed', error);
    }
  },
  async loadPipeline(name) {
    const patch = (change: Partial<PipelineEntry>): void => set((state) => ({ pipelines: { ...state.pipelines, [name]: { ...(state.pipelines[name] ?? emptyPipeline), ...change } } }));
    try {
      const detail = await getApi()['pipelines.get']({ name });
      patch({ detail, error: null, missing: false });
      // The list's row follows what the page shows (pause, last run).
      set((state) => ({ summaries: state.summaries.map((summary) => (summary.name === name ? stripSpec(detail) : summary)) }));
    } catch (error) {
      const missing = error instanceof ApiError && error.code === 'NOT_FOUND';
      patch({ error: missing ? null : describeError(error), missing });
    }
  },
  async loadRuns(pipeline, limit = get().runs[pipeline]?.limit ?? runsShown) {
    const patch = (change: Partial<RunsEntry>): void => set((state) => ({ runs: { ...state.runs, [pipeline]: { ...(state.runs[pipeline] ?? emptyRuns), ...change } } }));
    patch({ loading: true, limit });
    try {
      const list = await getApi()['pipelines.runs']({ pipeline, limit });
      patch({ list, loading: false, error: null });
    } catch (error) {
      patch({ loading: false, error: describeError(error) });
    }
  },
  async loadDagRun(id) {
    const patch = (change: Partial<DagRunEntry>): void => set((state) => ({ dagRuns: { ...state.dagRuns, [id]: { ...(state.dagRuns[id] ?? { run: null, error: null, missing: false }), ...change } } }));
    try {
      const run = await getApi()['pipelines.run']({ id });
      patch({ run, error: null, missing: false });
      get().applyRun(run);
    } catch (error) {
      const missing = error instanceof ApiError && error.code === 'NOT_FOUND';
      patch({ error: missing ? null : describeError(error), missing });
    }
  },
  onUpdated(name) {
    scheduleListRefresh();
    if (get().pipelines[name]) refresher(pipelineRefreshers, name, () => void get().loadPipeline(name), 250)();
  },
  onChanged(event) {
    scheduleListRefresh();
    const state = get();
    if (state.pipelines[event.pipeline]) refresher(pipelineRefreshers, event.pipeline, () => void get().loadPipeline(event.pipeline), 500)();
    if (state.runs[event.pipeline] || state.dagRuns[event.dagRun]) refresher(runRefreshers, event.dagRun, () => void refreshRun(event.dagRun), 250)();
  },
  applyRun(run) {
    set((state) => {
      const runs = state.runs[run.pipeline];
      return {
        // Only a DAG run a page opened is kept on its own; the others live in their pipeline's list.
        ...(state.dagRuns[run.id] ? { dagRuns: { ...state.dagRuns, [run.id]: { run, error: null, missing: false } } } : {}),
        ...(runs?.list ? { runs: { ...state.runs, [run.pipeline]: { ...runs, list: mergeRun(runs.list, run, runs.limit) } } } : {}),
      };
    });
  },
  reloadAll() {
    const state = get();
    void state.load();
    for (const name of Object.keys(state.pipelines)) void state.loadPipeline(name);
    for (const name of Object.keys(state.runs)) void state.loadRuns(name);
    for (const id of Object.keys(state.dagRuns)) void state.loadDagRun(id);
  },
}));

/** A changed DAG run, re-read for wherever it is shown (an open page says itself when it is gone). */
async function refreshRun(id: string): Promise<void> {
  const store = usePipelinesStore.getState();
  if (store.dagRuns[id]) return store.loadDagRun(id);
  try {
    store.applyRun(await getApi()['pipelines.run']({ id }));
  } catch {
    // A list row that vanished is dropped at the list's next load; nothing to say meanwhile.
  }
}

function stripSpec({ spec: _spec, ...summary }: PipelineDetail): PipelineSummary {
  return summary;
}

/** Every task change of every DAG run announces itself: the list is re-read at most twice a second. */
const scheduleListRefresh = throttle(() => void usePipelinesStore.getState().load(), 500);
const pipelineRefreshers = new Map<string, () => void>();
const runRefreshers = new Map<string, () => void>();
function refresher(cache: Map<string, () => void>, key: string, task: () => void, intervalMs: number): () => void {
  let refresh = cache.get(key);
  if (!refresh) {
    refresh = throttle(task, intervalMs);
    cache.set(key, refresh);
  }
  return refresh;
}

/** Re-reads a pipeline's page right after the UI's own write (pause has no event). */
export function refreshPipeline(name: string): void {
  void usePipelinesStore.getState().loadPipeline(name);
  scheduleListRefresh();
}
