import { create } from 'zustand';
import type { Series } from '../../shared/tracking';
import { describeError } from '../api/api-error';
import { getApi } from '../api/connection';

export interface SeriesEntry {
  readonly series: Series | null;
  readonly error: string | null;
  readonly loading: boolean;
  /** The point budget `series` was fetched with. */
  readonly maxPoints: number;
  /** The `version` the data reflects; below `version` means newer points exist. */
  readonly fetchedVersion: number;
  /** Bumped by every `metrics.logged` naming this series. */
  readonly version: number;
}

interface MetricsState {
  readonly entries: Readonly<Record<string, SeriesEntry>>;
  /** Makes sure the series is (or soon will be) fresh at this point budget. */
  ensureSeries(runId: string, key: string, maxPoints: number): void;
  /** From `metrics.logged` (already batched per frame): which series grew. */
  onMetricsLogged(updates: readonly { runId: string; key: string }[]): void;
}

export const seriesId = (runId: string, key: string): string => `${runId}\u0000${key}`;

/** A chart re-reads its series at most this often, however fast points arrive. */
export const refetchIntervalMs = 200;

// Request bookkeeping that never needs to re-render anything stays out of the store.
const inFlight = new Set<string>();
const lastFetchAt = new Map<string, number>();
const timers = new Map<string, ReturnType<typeof setTimeout>>();
const wantedPoints = new Map<string, number>();

const emptyEntry = (maxPoints: number): SeriesEntry => ({ series: null, error: null, loading: false, maxPoints, fetchedVersion: -1, version: 0 });

/**
 * Chart series, down-sampled by the server to about two points per pixel. A live chart asks for
 * its series again when points are logged, with at most one request in flight and one every
 * `refetchIntervalMs`; what arrives meanwhile is folded into the next request.
 */
export const useMetricsStore = create<MetricsState>()((set, get) => {
  const patch = (id: string, change: Partial<SeriesEntry>, maxPoints: number): void =>
    set((state) => ({ entries: { ...state.entries, [id]: { ...(state.entries[id] ?? emptyEntry(maxPoints)), ...change } } }));

  const fetchSeries = async (runId: string, key: string, maxPoints: number): Promise<void> => {
    const id = seriesId(runId, key);
    const version = get().entries[id]?.version ?? 0;
    inFlight.add(id);
    lastFetchAt.set(id, Date.now());
    patch(id, { loading: true }, maxPoints);
    try {
      const series = await getApi()['metrics.series']({ runId, key, maxPoints });
      patch(id, { series, error: null, loading: false, maxPoints, fetchedVersion: version }, maxPoints);
    } catch (error) {
      patch(id, { error: describeError(error), loading: false, maxPoints, fetchedVersion: version }, maxPoints);
    } finally {
      inFlight.delete(id);
    }
    // Points logged (or the chart resized) while this request was out: go again.
    get().ensureSeries(runId, key, wantedPoints.get(id) ?? maxPoints);
  };

  return {
    entries: {},
    ensureSeries(runId, key, maxPoints) {
      const id = seriesId(runId, key);
      wantedPoints.set(id, maxPoints);
      const entry = get().entries[id];
      if (entry && entry.fetchedVersion === entry.version && entry.maxPoints === maxPoints) return;
      if (inFlight.has(id) || timers.has(id)) return;
      const wait = (lastFetchAt.get(id) ?? Number.NEGATIVE_INFINITY) + refetchIntervalMs - Date.now();
      if (wait > 0) {
        timers.set(id, setTimeout(() => {
          timers.delete(id);
          get().ensureSeries(runId, key, wantedPoints.get(id) ?? maxPoints);
        }, wait));
        return;
      }
      void fetchSeries(runId, key, maxPoints);
    },
    onMetricsLogged(updates) {
      const entries = { ...get().entries };
      let changed = false;
      for (const { runId, key } of updates) {
        const id = seriesId(runId, key);
        const entry = entries[id];
        // Series no chart has asked for are not tracked: their first read will be fresh anyway.
        if (!entry) continue;
        entries[id] = { ...entry, version: entry.version + 1 };
        changed = true;
      }
      if (changed) set({ entries });
    },
  };
});
