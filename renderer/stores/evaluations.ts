import { create } from 'zustand';
import type { ArtifactContent } from '../../shared/tracking';
import { ApiError, describeError } from '../api/api-error';
import { getApi } from '../api/connection';
import { isPlotName, parsePlot, parseSummary, type EvaluationPlots, type EvaluationReport } from '../lib/evaluation-data';

export interface EvaluationEntry {
  readonly report: EvaluationReport | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** The run holds no eval/summary.json: it failed before scoring, or is not an evaluation. */
  readonly missing: boolean;
}

/** An evaluation started from this window, until the version's `trainyard.last_evaluation` moves. */
export interface PendingEvaluation {
  readonly runId: string;
  /** The version's last evaluation when this one started: while the tag still says so, this is the newer one. */
  readonly previous: string | null;
}

interface EvaluationsState {
  /** By run id: an evaluate run's results, read from its eval/*.json artifacts. */
  readonly entries: Readonly<Record<string, EvaluationEntry>>;
  /** By `name/version`. */
  readonly pending: Readonly<Record<string, PendingEvaluation>>;
  /** Reads a finished evaluate run's results (once; they never change after the run ends). */
  load(runId: string): Promise<void>;
  started(name: string, version: number, pending: PendingEvaluation): void;
}

/** Plot JSON is small (≤ 2,000 scatter points, ≤ 200 points per curve); this is only a guard. */
const maxBytes = 8_000_000;

const textOf = (content: ArtifactContent, path: string): string => {
  if (content.truncated) throw new Error(`${path} is larger than ${maxBytes / 1_000_000} MB.`);
  return content.encoding === 'base64' ? new TextDecoder().decode(Uint8Array.from(atob(content.content), (char) => char.charCodeAt(0))) : content.content;
};

export const useEvaluationsStore = create<EvaluationsState>()((set, get) => ({
  entries: {},
  pending: {},
  async load(runId) {
    const current = get().entries[runId];
    if (current?.loading || current?.report) return;
    const patch = (entry: EvaluationEntry): void => set((state) => ({ entries: { ...state.entries, [runId]: entry } }));
    patch({ report: null, loading: true, error: null, missing: false });
    const api = getApi();
    try {
      const summaryPath = 'eval/summary.json';
      const summary = parseSummary(textOf(await api['artifacts.read']({ runId, path: summaryPath, maxBytes }), summaryPath));
      const plots: EvaluationPlots = {};
      const plotErrors: Record<string, string> = {};
      await Promise.all(
        summary.plots.filter(isPlotName).map(async (name) => {
          const path = `eval/${name}.json`;
          try {
            // Each plot's own type: the map is keyed by the same name that picked the parser.
            (plots as Record<string, unknown>)[name] = parsePlot(name, textOf(await api['artifacts.read']({ runId, path, maxBytes }), path));
          } catch (error) {
            plotErrors[name] = describeError(error);
          }
        }),
      );
      patch({ report: { summary, plots, plotErrors }, loading: false, error: null, missing: false });
    } catch (error) {
      const missing = error instanceof ApiError && error.code === 'NOT_FOUND';
      patch({ report: null, loading: false, error: missing ? null : describeError(error), missing });
    }
  },
  started(name, version, pending) {
    set((state) => ({ pending: { ...state.pending, [`${name}/${version}`]: pending } }));
  },
}));

/**
 * The evaluate run a version's page shows: one started here that the tag has not caught up with
 * (still running, or failed before it could record itself), else the version's last evaluation.
 */
export function shownEvaluation(pending: PendingEvaluation | undefined, last: string | null): string | null {
  if (pending && (last === pending.previous || last === pending.runId)) return pending.runId;
  return last;
}
