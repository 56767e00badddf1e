import { create } from 'zustand';
import type { ValidationReport } from '../../shared/expectations';
import { describeError } from '../api/api-error';
import { getApi } from '../api/connection';

/** The validation tab of one version: its reports, the suite being edited, the run in flight. */
export interface ValidationEntry {
  /** Newest first. */
  readonly reports: readonly ValidationReport[] | null;
  readonly loadError: string | null;
  /** The report shown; null shows the newest. */
  readonly selectedId: number | null;
  /** The suite JSON in the editor, kept while the user looks at other tabs. */
  readonly draft: string;
  readonly busy: 'suggesting' | 'running' | null;
  /** Why the last suggest or run failed (shown under the editor, where the fix is made). */
  readonly actionError: string | null;
}

interface ValidationState {
  readonly entries: Readonly<Record<string, ValidationEntry>>;
  loadReports(dataset: string, version: number): Promise<void>;
  setDraft(dataset: string, version: number, draft: string): void;
  select(dataset: string, version: number, reportId: number): void;
  suggest(dataset: string, version: number): Promise<void>;
  run(dataset: string, version: number): Promise<ValidationReport | null>;
}

export const versionKey = (dataset: string, version: number): string => `${dataset}@${version}`;
const emptyEntry: ValidationEntry = { reports: null, loadError: null, selectedId: null, draft: '', busy: null, actionError: null };

export const useValidationStore = create<ValidationState>()((set, get) => {
  const patch = (dataset: string, version: number, change: Partial<ValidationEntry>): void => {
    const key = versionKey(dataset, version);
    set((state) => ({ entries: { ...state.entries, [key]: { ...(state.entries[key] ?? emptyEntry), ...change } } }));
  };
  const entry = (dataset: string, version: number): ValidationEntry => get().entries[versionKey(dataset, version)] ?? emptyEntry;

  return {
    entries: {},
    async loadReports(dataset, version) {
      try {
        const reports = await getApi()['datasets.reports']({ dataset, version });
        patch(dataset, version, { reports, loadError: null });
      } catch (error) {
        patch(dataset, version, { loadError: describeError(error) });
      }
    },
    setDraft(dataset, version, draft) {
      patch(dataset, version, { draft, actionError: null });
    },
    select(dataset, version, reportId) {
      patch(dataset, version, { selectedId: reportId });
    },
    async suggest(dataset, version) {
      patch(dataset, version, { busy: 'suggesting', actionError: null });
      try {
        const suite = await getApi()['datasets.suggestSuite']({ dataset, version });
        patch(dataset, version, { draft: JSON.stringify(suite, null, 2), busy: null });
      } catch (error) {
        patch(dataset, version, { busy: null, actionError: `Suggesting a suite failed: ${describeError(error)}` });
      }
    },
    async run(dataset, version) {
      const draft = entry(dataset, version).draft;
      let suite: unknown;
      try {
        suite = JSON.parse(draft);
      } catch (error) {
        patch(dataset, version, { actionError: `The suite is not valid JSON: ${describeError(error)}` });
        return null;
      }
      patch(dataset, version, { busy: 'running', actionError: null });
      try {
        const report = await getApi()['datasets.validate']({ dataset, version, suite });
        const others = (entry(dataset, version).reports ?? []).filter((existing) => existing.id !== report.id);
        patch(dataset, version, { reports: [report, ...others], selectedId: report.id, busy: null });
        return report;
      } catch (error) {
        patch(dataset, version, { busy: null, actionError: `Validation did not run: ${describeError(error)}` });
        return null;
      }
    },
  };
});
