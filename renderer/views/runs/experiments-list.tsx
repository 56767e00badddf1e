import { useState, type FormEvent, type ReactElement } from 'react';
import { describeError } from '../../api/api-error';
import { EmptyState } from '../../components/empty-state';
import { ExperimentIcon, PlusIcon } from '../../components/icons';
import { runsHref } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { useExperimentsStore } from '../../stores/experiments';
import { useRunsStore } from '../../stores/runs';

/** Experiments with their run counts; selecting one scopes the runs table. */
export function ExperimentsList(): ReactElement {
  const experiments = useExperimentsStore((state) => state.experiments);
  const loaded = useExperimentsStore((state) => state.loaded);
  const error = useExperimentsStore((state) => state.error);
  const selected = useRunsStore((state) => state.experimentId);
  const selectExperiment = useRunsStore((state) => state.selectExperiment);
  const [creating, setCreating] = useState(false);
  const total = experiments.reduce((sum, experiment) => sum + experiment.runCount, 0);

  const pick = (id: string | null): void => {
    selectExperiment(id);
    navigate(runsHref);
  };

  return (
    <aside className="experiments" data-testid="experiments-list" aria-label="Experiments">
      <div className="experiments-header">
        <span>Experiments</span>
        <button type="button" className="icon-button" onClick={() => setCreating(true)} aria-label="New experiment" title="New experiment" data-testid="new-experiment-button">
          <PlusIcon size={14} />
        </button>
      </div>
      {creating ? <NewExperimentInput onDone={(id) => { setCreating(false); if (id) pick(id); }} /> : null}
      <div className="experiments-items" role="listbox" aria-label="Experiments">
        <button type="button" role="option" aria-selected={selected === null} className="experiment-item all" onClick={() => pick(null)} data-testid="experiment-item" data-experiment-id="">
          <span className="experiment-name">All experiments</span>
          <span className="experiment-count numeric">{total}</span>
        </button>
        {experiments.map((experiment) => (
          <button
            type="button"
            role="option"
            key={experiment.id}
            aria-selected={selected === experiment.id}
            className="experiment-item"
            onClick={() => pick(experiment.id)}
            title={`${experiment.name} (id ${experiment.id})`}
            data-testid="experiment-item"
            data-experiment-id={experiment.id}
          >
            <ExperimentIcon size={13} className="experiment-icon" />
            <span className="experiment-name">{experiment.name}</span>
            <span className="experiment-count numeric">{experiment.runCount}</span>
          </button>
        ))}
        {loaded && experiments.length === 0 && !error ? (
          <EmptyState title="No experiments yet">Create one with + above; runs logged without one go to “Default”.</EmptyState>
        ) : null}
        {error ? <div className="inline-error experiments-error">Could not load experiments: {error}</div> : null}
      </div>
    </aside>
  );
}

/** Inline name input: Enter creates, Esc cancels, the server's refusal shows right under it. */
function NewExperimentInput({ onDone }: { onDone: (createdId: string | null) => void }): ReactElement {
  const create = useExperimentsStore((state) => state.create);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (name.trim() === '') {
      setError('Give the experiment a name.');
      return;
    }
    setBusy(true);
    try {
      const experiment = await create(name.trim());
      onDone(experiment.id);
    } catch (failure) {
      setError(`Could not create “${name.trim()}”: ${describeError(failure)}`);
      setBusy(false);
    }
  };
  return (
    <form className="new-experiment" onSubmit={(event) => void submit(event)}>
      <input
        className="input"
        autoFocus
        value={name}
        disabled={busy}
        placeholder="Experiment name, then Enter"
        aria-label="New experiment name"
        aria-invalid={error !== null}
        onChange={(event) => { setName(event.target.value); setError(null); }}
        onKeyDown={(event) => event.key === 'Escape' && onDone(null)}
        onBlur={() => name.trim() === '' && onDone(null)}
        data-testid="new-experiment-input"
      />
      {error ? <div className="inline-error" data-testid="new-experiment-error">{error}</div> : null}
    </form>
  );
}
