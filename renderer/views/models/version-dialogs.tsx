import { useState, type ReactElement, type ReactNode } from 'react';
import type { ModelStage, ModelVersion, RegisteredModel } from '../../../shared/registry';
import { modelStages } from '../../../shared/registry';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { Dialog } from '../../components/dialog';
import { aliasMovesFrom, aliasProblem, archivesOthers } from '../../lib/model-names';
import { refreshModel } from '../../stores/models';
import { StageBadge } from './registry-badges';

/** The write a dialog confirms: busy while it runs, its error inline, closing on success. */
function useConfirmedWrite(name: string, onClose: () => void): { busy: boolean; error: string | null; run: (write: () => Promise<unknown>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (write: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await write();
      refreshModel(name);
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function Footer({ error, busy, label, busyLabel, disabled = false, onCancel, onConfirm, testId }: {
  error: string | null; busy: boolean; label: string; busyLabel: string; disabled?: boolean; onCancel: () => void; onConfirm: () => void; testId: string;
}): ReactElement {
  return (
    <>
      {error ? <span className="inline-error spacer" role="alert" data-testid={`${testId}-error`}>{error}</span> : <span className="spacer" />}
      <button type="button" className="button" onClick={onCancel}>Cancel</button>
      <button type="button" className="button primary" onClick={onConfirm} disabled={busy || disabled} data-testid={`${testId}-confirm`}>
        {busy ? busyLabel : label}
      </button>
    </>
  );
}

/** The stage a version most likely goes to next: None → Staging → Production. */
function nextStage(stage: ModelStage): ModelStage {
  if (stage === 'None') return 'Staging';
  if (stage === 'Staging') return 'Production';
  return stage;
}

/** Move to stage…: the stage, and for Staging / Production whether the versions now there are archived. */
export function StageDialog({ version, versions, onClose }: { version: ModelVersion; versions: readonly ModelVersion[]; onClose: () => void }): ReactElement {
  const [stage, setStage] = useState<ModelStage>(nextStage(version.stage));
  const [archive, setArchive] = useState(false);
  const { busy, error, run } = useConfirmedWrite(version.name, onClose);
  const occupants = versions.filter((other) => other.version !== version.version && other.stage === stage).map((other) => `v${other.version}`);
  const archivable = archivesOthers(stage);
  const submit = (): Promise<void> =>
    run(() => getApi()['models.transitionStage']({ name: version.name, version: version.version, stage, archiveExisting: archivable && archive }));
  return (
    <Dialog
      title={`Move ${version.name} v${version.version} to a stage`}
      onClose={onClose}
      testId="stage-dialog"
      footer={<Footer error={error} busy={busy} label="Move" busyLabel="Moving…" disabled={stage === version.stage && !(archivable && archive)} onCancel={onClose} onConfirm={() => void submit()} testId="stage" />}
    >
      <form onSubmit={(event) => { event.preventDefault(); void submit(); }}>
        <p className="dialog-text">
          v{version.version} is now <StageBadge stage={version.stage} />.
        </p>
        <label className="field">
          <span className="field-label">Stage</span>
          <select className="select" value={stage} onChange={(event) => setStage(event.target.value as ModelStage)} autoFocus aria-label="Stage" data-testid="stage-select">
            {modelStages.map((candidate) => (
              <option key={candidate} value={candidate}>{candidate}</option>
            ))}
          </select>
        </label>
        {archivable ? (
          <label className="check">
            <input type="checkbox" checked={archive} onChange={(event) => setArchive(event.target.checked)} data-testid="stage-archive" />
            <span>
              Archive the versions now in {stage}
              <span className="field-hint"> — {occupants.length > 0 ? `${occupants.join(', ')} ${occupants.length === 1 ? 'moves' : 'move'} to Archived` : `no other version is in ${stage} now`}</span>
            </span>
          </label>
        ) : null}
      </form>
    </Dialog>
  );
}

/** Set alias…: the alias typed, checked as the server checks it, saying when it moves from another version. */
export function AliasDialog({ model, version, onClose }: { model: RegisteredModel; version: ModelVersion; onClose: () => void }): ReactElement {
  const [alias, setAlias] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useConfirmedWrite(version.name, onClose);
  const trimmed = alias.trim();
  const problem = aliasProblem(trimmed);
  const movesFrom = problem ? null : aliasMovesFrom(model.aliases, trimmed, version.version);
  const already = !problem && version.aliases.includes(trimmed);
  const submit = async (): Promise<void> => {
    setTouched(true);
    if (problem || already) return;
    await run(() => getApi()['models.setAlias']({ name: version.name, version: version.version, alias: trimmed }));
  };
  const shownProblem = touched || trimmed !== '' ? problem : null;
  return (
    <Dialog
      title={`Set an alias on ${version.name} v${version.version}`}
      onClose={onClose}
      testId="alias-dialog"
      footer={<Footer error={error} busy={busy} label={movesFrom !== null ? `Move @${trimmed}` : 'Set alias'} busyLabel="Setting…" disabled={already} onCancel={onClose} onConfirm={() => void submit()} testId="alias" />}
    >
      <form onSubmit={(event) => { event.preventDefault(); void submit(); }}>
        <label className="field">
          <span className="field-label">Alias</span>
          <input
            className="input mono"
            value={alias}
            onChange={(event) => setAlias(event.target.value)}
            onBlur={() => setTouched(true)}
            placeholder="champion"
            autoFocus
            spellCheck={false}
            autoComplete="off"
            list="model-aliases"
            aria-invalid={shownProblem !== null}
            aria-label="Alias"
            data-testid="alias-input"
          />
          <datalist id="model-aliases">
            {model.aliases.map((entry) => <option key={entry.alias} value={entry.alias}>{`v${entry.version}`}</option>)}
          </datalist>
          {shownProblem ? (
            <span className="inline-error" data-testid="alias-problem">{shownProblem}</span>
          ) : already ? (
            <span className="field-hint" data-testid="alias-notice">v{version.version} already has @{trimmed}.</span>
          ) : movesFrom !== null ? (
            <span className="alias-move" data-testid="alias-notice">@{trimmed} moves from v{movesFrom} to v{version.version}: models:/{version.name}@{trimmed} will load v{version.version}.</span>
          ) : (
            <span className="field-hint">Letters, digits, _ and -. Load it as models:/{version.name}@{trimmed || 'alias'}; an alias names one version at a time.</span>
          )}
        </label>
      </form>
    </Dialog>
  );
}

/** A yes / no question before a write that cannot be undone by the same button. */
export function ConfirmDialog({ title, children, confirmLabel, busyLabel, name, write, onClose, testId }: {
  title: string; children: ReactNode; confirmLabel: string; busyLabel: string; name: string; write: () => Promise<unknown>; onClose: () => void; testId: string;
}): ReactElement {
  const { busy, error, run } = useConfirmedWrite(name, onClose);
  return (
    <Dialog title={title} onClose={onClose} testId={`${testId}-dialog`} footer={<Footer error={error} busy={busy} label={confirmLabel} busyLabel={busyLabel} onCancel={onClose} onConfirm={() => void run(write)} testId={testId} />}>
      <div className="dialog-text">{children}</div>
    </Dialog>
  );
}
