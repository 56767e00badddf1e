import { create } from 'zustand';
import type { Experiment } from '../../shared/tracking';
import { describeError } from '../api/api-error';
import { getApi } from '../api/connection';
import { throttle } from '../lib/timing';
import { reportError } from './toasts';

interface ExperimentsState {
  readonly experiments: readonly Experiment[];
  readonly loaded: boolean;
  readonly error: string | null;
  load(): Promise<void>;
  /** Creates one; throws so the inline name input can show why (e.g. the name is taken). */
  create(name: string): Promise<Experiment>;
  /** From `experiment.changed`: insert, replace, or drop a deleted one. */
  apply(experiment: Experiment): void;
}

const byName = (a: Experiment, b: Experiment): number => a.name.localeCompare(b.name, undefined, { numeric: true });

export const useExperimentsStore = create<ExperimentsState>()((set, get) => ({
  experiments: [],
  loaded: false,
  error: null,
  async load() {
    try {
      const experiments = await getApi()['experiments.list']({ view: 'active' });
      set({ experiments: [...experiments].sort(byName), loaded: true, error: null });
    } catch (error) {
      set({ loaded: true, error: describeError(error) });
      reportError('Loading experiments failed', error);
    }
  },
  async create(name) {
    const experiment = await getApi()['experiments.create']({ name });
    get().apply(experiment);
    return experiment;
  },
  apply(experiment) {
    set((state) => {
      const others = state.experiments.filter((existing) => existing.id !== experiment.id);
      if (experiment.lifecycleStage === 'deleted') return { experiments: others };
      return { experiments: [...others, experiment].sort(byName) };
    });
  },
}));

/**
 * Run counts change with every run created or deleted; whether main also sends
 * `experiment.changed` for that is not promised, so the list is re-read (at most once a second).
 */
export const scheduleExperimentsRefresh = throttle(() => void useExperimentsStore.getState().load(), 1000);

export const selectExperimentName = (id: string | null) => (state: ExperimentsState): string | null =>
  id === null ? null : state.experiments.find((experiment) => experiment.id === id)?.name ?? null;
