import { useEffect, useMemo, useRef, useState } from 'react';
import type { WorkbenchApi } from '../../shared/api';
import { fromColumns } from '../../shared/series-columns';
import { limits, type Run, type Series } from '../../shared/tracking';
import { describeError } from '../api/api-error';
import { getApi } from '../api/connection';
import { stepRangeOf, toPlotSeries, type XAxisMode } from './compare-series';
import { nextFrame } from './timing';

/** A compare chart re-reads its runs at most this often while they log points. */
export const compareRefetchMs = 200;

/** One chart's read: one metric of many runs, one point budget, one step window. */
export interface BatchRequest {
  readonly runIds: readonly string[];
  readonly key: string;
  readonly maxPoints: number;
  readonly stepWindow: readonly [number, number] | null;
}

/**
 * Every run's series in one `metrics.seriesBatch` request (several only past the contract's
 * 1,000-run cap), keyed by run id.
 */
export async function loadSeriesBatch(api: Pick<WorkbenchApi, 'metrics.seriesBatch'>, request: BatchRequest): Promise<Map<string, Series>> {
  const window = request.stepWindow ? { minStep: request.stepWindow[0], maxStep: request.stepWindow[1] } : {};
  const chunks: string[][] = [];
  for (let start = 0; start < request.runIds.length; start += limits.seriesBatchRuns) chunks.push(request.runIds.slice(start, start + limits.seriesBatchRuns));
  const answers = await Promise.all(chunks.map((runIds) => api['metrics.seriesBatch']({ runIds, key: request.key, maxPoints: request.maxPoints, ...window })));
  const byRun = new Map<string, Series>();
  answers.flat().forEach((columns, index) => byRun.set(chunks.flat()[index]!, fromColumns(columns)));
  return byRun;
}

/**
 * The steps a zoom window covers for every run at once. On the step axis that is the window
 * itself; on a time axis each run maps the window to its own steps and the batch reads their
 * union (a run outside it is clipped by the chart).
 */
export function stepWindowOf(overview: readonly { run: Run; series: Series }[], axis: XAxisMode, zoom: readonly [number, number]): [number, number] | null {
  let low = Infinity;
  let high = -Infinity;
  for (const { run, series } of overview) {
    const shaped = toPlotSeries(run.id, series.points, { axis, startTime: run.startTime, log: false, smoothing: 0 });
    const range = stepRangeOf(series.points, shaped.xs, axis, zoom);
    if (!range) continue;
    low = Math.min(low, range[0]);
    high = Math.max(high, range[1]);
  }
  return low <= high ? [low, high] : null;
}

type LoggedListener = (updates: readonly { runId: string; key: string }[]) => void;
const loggedListeners = new Set<LoggedListener>();

/** From app-events (already batched per frame): which series grew, for the compare charts on screen. */
export function onCompareMetricsLogged(updates: readonly { runId: string; key: string }[]): void {
  for (const listener of loggedListeners) listener(updates);
}

interface BatchState {
  /** What `byRun` answers: key, budget, window and live version, without the run list. */
  readonly signature: string;
  readonly byRun: ReadonlyMap<string, Series>;
  readonly error: string | null;
}

/**
 * Keeps one batch read current. A changed signature re-reads every run (the old answer stays
 * on screen meanwhile); runs added under the same signature (details arriving one by one) are
 * read on their own, gathered per frame, so opening 100 runs costs a few requests, not 100.
 */
function useBatch(request: BatchRequest, enabled: boolean, live: number): BatchState | null {
  const signature = `${request.key}|${request.maxPoints}|${request.stepWindow?.join(':') ?? '*'}|${live}`;
  const [state, setState] = useState<BatchState | null>(null);
  const current = useRef({ signature, runIds: request.runIds, state });
  current.current = { signature, runIds: request.runIds, state };
  const asked = useRef<{ signature: string; runIds: Set<string> }>({ signature: '', runIds: new Set() });
  const runKey = request.runIds.join(',');

  useEffect(() => {
    if (!enabled || request.runIds.length === 0) return;
    if (asked.current.signature !== signature) asked.current = { signature, runIds: new Set() };
    const pending = asked.current;
    let cancelled = false;
    nextFrame(() => {
      if (cancelled || current.current.signature !== signature) return;
      const missing = current.current.runIds.filter((id) => !pending.runIds.has(id));
      if (missing.length === 0) return;
      for (const id of missing) pending.runIds.add(id);
      performance.mark(`compare-request:${request.key}`);
      loadSeriesBatch(getApi(), { ...request, runIds: missing }).then(
        (byRun) => {
          if (current.current.signature !== signature) return;
          performance.mark(`compare-loaded:${request.key}`);
          setState((previous) => ({ signature, byRun: previous?.signature === signature ? new Map([...previous.byRun, ...byRun]) : byRun, error: null }));
        },
        (error: unknown) => {
          if (current.current.signature !== signature) return;
          for (const id of missing) pending.runIds.delete(id);
          setState((previous) => ({ signature, byRun: previous?.signature === signature ? previous.byRun : new Map(), error: describeError(error) }));
        },
      );
    });
    return () => {
      cancelled = true;
    };
    // runKey stands for request.runIds; the signature for the rest of the request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signature, runKey, enabled]);
  return state;
}

/** What a compare chart draws from: the overview (live) and, when zoomed, the re-read window. */
export interface CompareSeries {
  readonly overview: readonly { run: Run; series: Series }[];
  /** The zoom window's series by run id, once they match the current window. */
  readonly zoomed: { readonly series: Readonly<Record<string, Series>>; readonly error: string | null } | null;
  /** True until every run's overview is in and, when zoomed, until the window's read is in. */
  readonly loading: boolean;
  readonly error: string | null;
}

/**
 * A compare chart's data: one `metrics.seriesBatch` per chart for the overview (again, at most
 * every `compareRefetchMs`, when its runs log this metric) and one per zoom window.
 */
export function useCompareSeries(options: { runs: readonly Run[]; metricKey: string; maxPoints: number; enabled: boolean; axis: XAxisMode; zoom: readonly [number, number] | null }): CompareSeries {
  const { runs, metricKey, maxPoints, enabled, axis, zoom } = options;
  const runIds = useMemo(() => runs.map((run) => run.id), [runs]);
  const live = useLiveVersion(runIds, metricKey);

  const overviewState = useBatch({ runIds, key: metricKey, maxPoints, stepWindow: null }, enabled, live);
  const overview = useMemo(
    () => runs.flatMap((run) => {
      const series = overviewState?.byRun.get(run.id);
      return series ? [{ run, series }] : [];
    }),
    [runs, overviewState],
  );
  const stepWindow = useMemo(() => (zoom ? stepWindowOf(overview, axis, zoom) : null), [overview, axis, zoom]);
  const windowKey = stepWindow?.join(':') ?? '';
  // eslint-disable-next-line react-hooks/exhaustive-deps -- windowKey stands for stepWindow's numbers.
  const stableWindow = useMemo(() => stepWindow, [windowKey]);
  const zoomState = useBatch({ runIds, key: metricKey, maxPoints, stepWindow: stableWindow ?? [0, 0] }, enabled && zoom !== null && stableWindow !== null, 0);

  const zoomSignature = `${metricKey}|${maxPoints}|${windowKey}|0`;
  const zoomMatches = zoom !== null && stableWindow !== null && zoomState?.signature === zoomSignature && runIds.every((id) => zoomState.byRun.has(id) || zoomState.error !== null);
  const zoomed = useMemo(() => (zoomMatches && zoomState ? { series: Object.fromEntries(zoomState.byRun), error: zoomState.error } : null), [zoomMatches, zoomState]);
  return {
    overview,
    zoomed,
    loading: overview.length < runs.length || (zoom !== null && stableWindow !== null && zoomed === null),
    error: overviewState?.error ?? zoomed?.error ?? null,
  };
}

/** Bumps when one of these runs logs this metric, at most every `compareRefetchMs`. */
function useLiveVersion(runIds: readonly string[], key: string): number {
  const [version, setVersion] = useState(0);
  const runKey = runIds.join(',');
  useEffect(() => {
    const watched = new Set(runIds);
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const listener: LoggedListener = (updates) => {
      if (timer || !updates.some((update) => update.key === key && watched.has(update.runId))) return;
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        setVersion((value) => value + 1);
      }, Math.max(0, last + compareRefetchMs - Date.now()));
    };
    loggedListeners.add(listener);
    return () => {
      loggedListeners.delete(listener);
      if (timer) clearTimeout(timer);
    };
    // runKey stands for runIds.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runKey, key]);
  return version;
}
