import { useMemo, useState, type ReactElement } from 'react';
import type { ColumnSchema, DatasetVersion } from '../../../shared/datasets';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { Dialog } from '../../components/dialog';
import { CloseIcon, PlusIcon } from '../../components/icons';
import { datasetNamePattern } from '../../lib/dropped-files';
import { datasetHref } from '../../lib/hash-route';
import { buildSteps, columnsAfter, newDraft, stepLabels, stepOps, type StepDraft } from '../../lib/transform-drafts';
import { navigate } from '../../lib/use-route';
import { useDatasetsStore } from '../../stores/datasets';
import { StepFields } from './transform-step-fields';
import './transform.css';

/** Builds a list of declarative steps and derives a new version from this one. */
export function TransformDialog({ version, onClose }: { version: DatasetVersion; onClose: () => void }): ReactElement {
  const [drafts, setDrafts] = useState<StepDraft[]>([]);
  const [outputName, setOutputName] = useState(version.dataset);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const { steps, errors } = useMemo(() => buildSteps(version.schema, drafts), [version.schema, drafts]);
  const name = outputName.trim();
  const nameError = datasetNamePattern.test(name) ? null : 'Use letters, digits, ".", "_" or "-", starting with a letter or digit.';
  const target = useDatasetsStore((state) => state.summaries.find((summary) => summary.name === name));

  const change = (index: number, draft: StepDraft): void => setDrafts(drafts.map((existing, position) => (position === index ? draft : existing)));
  const remove = (index: number): void => setDrafts(drafts.filter((_, position) => position !== index));
  const move = (index: number, by: -1 | 1): void => {
    const next = [...drafts];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved!);
    setDrafts(next);
  };

  const submit = async (): Promise<void> => {
    setTried(true);
    if (!steps || nameError) return;
    setBusy(true);
    setError(null);
    try {
      const result = await getApi()['datasets.transform']({ dataset: version.dataset, version: version.version, steps, ...(name !== version.dataset ? { outputName: name } : {}) });
      void useDatasetsStore.getState().load();
      onClose();
      navigate(datasetHref(result.dataset, result.version));
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Transform ${version.dataset} v${version.version}`}
      onClose={onClose}
      wide
      testId="transform-dialog"
      footer={
        <>
          {error ? <span className="inline-error spacer" role="alert" data-testid="transform-error">{error}</span> : <span className="field-hint spacer">Steps run in order in DuckDB; fitted statistics are kept with the new version.</span>}
          <button type="button" className="button" onClick={onClose}>Cancel</button>
          <button type="button" className="button primary" onClick={() => void submit()} disabled={busy || drafts.length === 0} data-testid="transform-submit">
            {busy ? 'Deriving…' : 'Derive version'}
          </button>
        </>
      }
    >
      {drafts.length === 0 ? <p className="faint transform-empty">No steps yet: add the first one below. Each runs on the output of the one before.</p> : null}
      <ol className="transform-steps">
        {drafts.map((draft, index) => (
          <li key={index} className="transform-step" data-testid="transform-step" data-op={draft.op}>
            <div className="transform-step-header">
              <span className="transform-step-number numeric">{index + 1}</span>
              <span className="transform-step-title">{stepLabels[draft.op]}</span>
              <span className="spacer" />
              <button type="button" className="icon-button" onClick={() => move(index, -1)} disabled={index === 0} aria-label="Move up" title="Move up">↑</button>
              <button type="button" className="icon-button" onClick={() => move(index, 1)} disabled={index === drafts.length - 1} aria-label="Move down" title="Move down">↓</button>
              <button type="button" className="icon-button" onClick={() => remove(index)} aria-label={`Remove step ${index + 1}`} title="Remove">
                <CloseIcon size={12} />
              </button>
            </div>
            <StepFields draft={draft} columns={columnsAfter(version.schema, drafts.slice(0, index))} onChange={(next) => change(index, next)} />
            {tried && errors[index] ? <div className="inline-error" data-testid="transform-step-error">{errors[index]}</div> : null}
          </li>
        ))}
      </ol>
      <div className="transform-add" role="group" aria-label="Add a step">
        <span className="field-label">Add a step</span>
        {stepOps.map((op) => (
          <button key={op} type="button" className="button" onClick={() => setDrafts([...drafts, newDraft(op)])} data-testid={`add-step-${op}`}>
            <PlusIcon size={12} />
            {stepLabels[op]}
          </button>
        ))}
      </div>
      <label className="field transform-output">
        <span className="field-label">Write to dataset</span>
        <input className="input" value={outputName} onChange={(event) => setOutputName(event.target.value)} aria-invalid={nameError !== null} data-testid="transform-output" spellCheck={false} />
        <span className={nameError ? 'inline-error' : 'field-hint'}>
          {nameError ?? (target ? `Adds a version to “${target.name}” (now at v${target.latestVersion}), with v${version.version} of ${version.dataset} as its parent.` : `Creates the dataset “${name}”, with ${version.dataset} v${version.version} as its parent.`)}
        </span>
      </label>
      <ColumnsPreview columns={columnsAfter(version.schema, drafts)} />
    </Dialog>
  );
}

function ColumnsPreview({ columns }: { columns: readonly ColumnSchema[] }): ReactElement {
  return (
    <div className="transform-result faint">
      Columns after these steps ({columns.length}): <span className="mono">{columns.map((column) => column.name).join(', ') || 'none'}</span>
    </div>
  );
}
