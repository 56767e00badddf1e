import { useEffect, useState, type ReactElement } from 'react';
import type { ModelStage, ModelVersion } from '../../../shared/registry';
import { modelStages } from '../../../shared/registry';
import type { Run } from '../../../shared/tracking';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { Dialog } from '../../components/dialog';
import { modelHref } from '../../lib/hash-route';
import { aliasMovesFrom, aliasProblem, archivesOthers, modelNameProblem, suggestedModelName } from '../../lib/model-names';
import { navigate } from '../../lib/use-route';
import { refreshModel, useModelsStore } from '../../stores/models';
import './register-model.css';

/**
 * Register model…: the run's `model/` becomes the next version of a registered model (created on
 * first use), optionally with an alias and a stage; then the model's page opens.
 */
export function RegisterModelDialog({ run, onClose }: { run: Run; onClose: () => void }): ReactElement {
  const models = useModelsStore((state) => state.summaries);
  const [name, setName] = useState(() => suggestedModelName(run));
  const [description, setDescription] = useState('');
  const [alias, setAlias] = useState('');
  const [stage, setStage] = useState<ModelStage>('None');
  const [archive, setArchive] = useState(false);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const trimmedName = name.trim();
  const trimmedAlias = alias.trim();
  const existing = models.find((model) => model.name === trimmedName) ?? null;
  const nameProblem = modelNameProblem(trimmedName);
  const aliasIssue = trimmedAlias === '' ? null : aliasProblem(trimmedAlias);
  const movesFrom = existing && trimmedAlias !== '' && !aliasIssue ? aliasMovesFrom(existing.aliases, trimmedAlias, null) : null;
  const archivable = archivesOthers(stage);
  const occupants = useVersionsOf(archivable ? existing?.name ?? null : null)
    .filter((version) => version.stage === stage)
    .map((version) => `v${version.version}`);

  const submit = async (): Promise<void> => {
    setTried(true);
    if (nameProblem || aliasIssue) return;
    setBusy(true);
    setError(null);
    try {
      await getApi()['models.register']({
        name: trimmedName,
        runId: run.id,
        artifactPath: 'model',
        archiveExisting: archivable && archive,
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(trimmedAlias ? { alias: trimmedAlias } : {}),
        ...(stage !== 'None' ? { stage } : {}),
      });
      refreshModel(trimmedName);
      onClose();
      navigate(modelHref(trimmedName));
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Register model"
      onClose={onClose}
      testId="register-dialog"
      footer={
        <>
          {error ? (
            <span className="inline-error spacer" role="alert" data-testid="register-error">{error}</span>
          ) : (
            <span className="field-hint spacer">From {run.name}’s model/ artifacts.</span>
          )}
          <button type="button" className="button" onClick={onClose}>Cancel</button>
          <button type="button" className="button primary" onClick={() => void submit()} disabled={busy} data-testid="register-submit">
            {busy ? 'Registering…' : 'Register'}
          </button>
        </>
      }
    >
      <form onSubmit={(event) => { event.preventDefault(); void submit(); }}>
        <label className="field">
          <span className="field-label">Model name</span>
          <input
            className="input"
            value={name}
            onChange={(event) => setName(event.target.value)}
            autoFocus
            spellCheck={false}
            autoComplete="off"
            list="registered-model-names"
            maxLength={256}
            aria-invalid={tried && nameProblem !== null}
            data-testid="register-name"
          />
          <datalist id="registered-model-names">
            {models.map((model) => <option key={model.name} value={model.name} />)}
          </datalist>
          {(tried || trimmedName !== '') && nameProblem ? (
            <span className="inline-error" data-testid="register-name-problem">{nameProblem}</span>
          ) : (
            <span className="field-hint" data-testid="register-name-hint">
              {existing ? `Adds a new version to ${existing.name} (${existing.versionCount} ${existing.versionCount === 1 ? 'version' : 'versions'} now).` : `Creates the model ${trimmedName || '…'}, with this as v1.`}
            </span>
          )}
        </label>
        <label className="field">
          <span className="field-label">Description</span>
          <textarea className="textarea register-description" value={description} onChange={(event) => setDescription(event.target.value)} rows={2} maxLength={5000} placeholder="optional: what changed in this version" data-testid="register-description" />
        </label>
        <div className="register-row">
          <label className="field">
            <span className="field-label">Alias</span>
            <input
              className="input mono"
              value={alias}
              onChange={(event) => setAlias(event.target.value)}
              placeholder="optional, e.g. challenger"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={aliasIssue !== null}
              data-testid="register-alias"
            />
          </label>
          <label className="field">
            <span className="field-label">Stage</span>
            <select className="select" value={stage} onChange={(event) => setStage(event.target.value as ModelStage)} aria-label="Stage" data-testid="register-stage">
              {modelStages.map((candidate) => (
                <option key={candidate} value={candidate}>{candidate}</option>
              ))}
            </select>
          </label>
        </div>
        {aliasIssue ? <p className="inline-error register-note" data-testid="register-alias-problem">{aliasIssue}</p> : null}
        {movesFrom !== null ? <p className="alias-move register-note" data-testid="register-alias-notice">@{trimmedAlias} moves from v{movesFrom} to the new version.</p> : null}
        {archivable ? (
          <label className="check">
            <input type="checkbox" checked={archive} onChange={(event) => setArchive(event.target.checked)} data-testid="register-archive" />
            <span>
              Archive the versions now in {stage}
              <span className="field-hint"> — {occupants.length > 0 ? occupants.join(', ') : `none of ${trimmedName || 'this model'}’s versions is in ${stage} now`}</span>
            </span>
          </label>
        ) : null}
      </form>
    </Dialog>
  );
}

/** The versions of `name` (none while null), to say which ones "archive the others" would move. */
function useVersionsOf(name: string | null): readonly ModelVersion[] {
  const [versions, setVersions] = useState<{ name: string; list: readonly ModelVersion[] } | null>(null);
  useEffect(() => {
    if (name === null) return;
    let current = true;
    getApi()['models.versions']({ name }).then(
      (list) => current && setVersions({ name, list }),
      // Only the hint is missing then; registering still works.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [name]);
  return name !== null && versions?.name === name ? versions.list : [];
}
