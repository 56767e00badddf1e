import { useEffect, useState, type ReactElement } from 'react';
import type { ModelVersion } from '../../../shared/registry';
import { ApiError, describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { Dialog } from '../../components/dialog';
import { defaultEvaluationDataset, evaluateRequest, evaluationPart, type EvaluateDraft } from '../../lib/evaluate-form';
import { useDatasetsStore } from '../../stores/datasets';
import { useEvaluationsStore } from '../../stores/evaluations';
import './register-model.css';

/**
 * Evaluate…: a dataset version to score the version on (held-out rows when it is split), the
 * column with the true values, and an optional gate; submitting starts an evaluate run, whose
 * progress shows in the status bar and, with its results, in the version's Evaluation section.
 */
export function EvaluateDialog({ version, onClose, onStarted }: { version: ModelVersion; onClose: () => void; onStarted: (runId: string) => void }): ReactElement {
  const summaries = useDatasetsStore((state) => state.summaries);
  const loaded = useDatasetsStore((state) => state.loaded);
  const names = summaries.map((summary) => summary.name);
  const [draft, setDraft] = useState<EvaluateDraft>(() => ({ dataset: defaultEvaluationDataset(version, names), version: '', target: '', failIf: '' }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dataset = draft.dataset || defaultEvaluationDataset(version, names);
  const entry = useDatasetsStore((state) => (dataset ? state.versions[dataset] : undefined));
  const loadVersions = useDatasetsStore((state) => state.loadVersions);

  useEffect(() => {
    if (!loaded) void useDatasetsStore.getState().load();
  }, [loaded]);
  useEffect(() => {
    if (dataset) void loadVersions(dataset);
  }, [dataset, loadVersions]);

  const list = entry?.list ?? [];
  const chosen = draft.version === '' ? list[0] : list.find((candidate) => String(candidate.version) === draft.version);
  const part = chosen ? evaluationPart(chosen.readOptions.tabular) : null;
  const edit = (change: Partial<EvaluateDraft>): void => setDraft((current) => ({ ...current, dataset, ...change }));

  const submit = async (): Promise<void> => {
    if (!dataset) return;
    setBusy(true);
    setError(null);
    try {
      const previous = version.tags['trainyard.last_evaluation'] ?? null;
      const { runId } = await getApi()['models.evaluate'](evaluateRequest(version, { ...draft, dataset }));
      useEvaluationsStore.getState().started(version.name, version.version, { runId, previous });
      onStarted(runId);
    } catch (failure) {
      setError(failure instanceof ApiError && failure.code === 'UNAVAILABLE' ? `Evaluation is not available here: ${failure.message}` : describeError(failure));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Evaluate ${version.name} v${version.version}`}
      onClose={onClose}
      testId="evaluate-dialog"
      footer={
        <>
          {error ? (
            <span className="inline-error spacer" role="alert" data-testid="evaluate-error">{error}</span>
          ) : (
            <span className="field-hint spacer">Runs in its own worker as an evaluate run; the status bar shows its progress.</span>
          )}
          <button type="button" className="button" onClick={onClose}>Cancel</button>
          <button type="button" className="button primary" onClick={() => void submit()} disabled={busy || !dataset} data-testid="evaluate-submit">
            {busy ? 'Starting…' : 'Evaluate'}
          </button>
        </>
      }
    >
      <form onSubmit={(event) => { event.preventDefault(); void submit(); }}>
        {loaded && names.length === 0 ? (
          <p className="dialog-text inline-error" data-testid="evaluate-no-datasets">No datasets yet: import the data to evaluate on first (Datasets, or drop a file on the window).</p>
        ) : null}
        <div className="register-row">
          <label className="field">
            <span className="field-label">Dataset</span>
            <select className="select" value={dataset} onChange={(event) => setDraft({ ...draft, dataset: event.target.value, version: '', target: '' })} autoFocus aria-label="Dataset" data-testid="evaluate-dataset">
              {names.map((name) => (
                <option key={name} value={name}>{name}</option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Version</span>
            <select className="select" value={draft.version} onChange={(event) => edit({ version: event.target.value })} aria-label="Dataset version" data-testid="evaluate-version">
              <option value="">latest{list[0] ? ` (v${list[0].version})` : ''}</option>
              {list.map((candidate) => (
                <option key={candidate.version} value={String(candidate.version)}>
                  v{candidate.version} · {candidate.rowCount.toLocaleString()} rows{evaluationPart(candidate.readOptions.tabular) ? ` · split` : ''}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="field-hint register-note" data-testid="evaluate-part">
          {entry?.error
            ? `The versions of ${dataset} could not be read: ${entry.error}`
            : chosen
              ? part
                ? `v${chosen.version} is split: the model is scored on its ${part} part, never on the rows it trained on.`
                : `Scores all ${chosen.rowCount.toLocaleString()} rows of v${chosen.version}.`
              : ' '}
        </p>
        <label className="field">
          <span className="field-label">Target</span>
          <input
            className="input mono"
            value={draft.target}
            onChange={(event) => edit({ target: event.target.value })}
            placeholder="the training run's target"
            list="evaluate-columns"
            spellCheck={false}
            autoComplete="off"
            aria-label="Target"
            data-testid="evaluate-target"
          />
          <datalist id="evaluate-columns">
            {(chosen?.schema ?? []).map((column) => <option key={column.name} value={column.name} />)}
          </datalist>
          <span className="field-hint">The column with the true values; empty: the column the model was trained to predict.</span>
        </label>
        <label className="field">
          <span className="field-label">Gate (fail_if)</span>
          <input className="input mono" value={draft.failIf} onChange={(event) => edit({ failIf: event.target.value })} placeholder="metrics.accuracy < 0.9" spellCheck={false} autoComplete="off" aria-label="Gate" data-testid="evaluate-gate" />
          <span className="field-hint">Optional. When it holds the run ends FAILED, with the metrics still recorded — e.g. metrics.accuracy &lt; 0.9 or metrics.rmse &gt; 3.</span>
        </label>
      </form>
    </Dialog>
  );
}
