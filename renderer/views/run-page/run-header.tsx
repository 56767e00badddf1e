import { useEffect, useState, type ReactElement, type ReactNode } from 'react';
import type { Run } from '../../../shared/tracking';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { CopyId } from '../../components/copy-id';
import { Dialog } from '../../components/dialog';
import { BackIcon } from '../../components/icons';
import { StatusBadge } from '../../components/status-badge';
import { formatDuration, formatTimestamp, runDuration, shortId } from '../../lib/format';
import { modelHref, runHref, runsHref } from '../../lib/hash-route';
import { seriesColor } from '../../lib/series-color';
import { providerLabel } from '../../lib/train-form';
import { useNow } from '../../lib/use-now';
import { selectExperimentName, useExperimentsStore } from '../../stores/experiments';
import { useRunDetailsStore } from '../../stores/run-details';
import { CompareChildrenButtons } from './compare-children';
import { RegisteredVersions, RegisterModelButton, useRunHasModel, useVersionsFromRun } from './run-model';
import './run-header.css';

/**
 * Name, status, id, timing, experiment and parent of a run; for a training run also the execution
 * provider that ran it, what its exported model takes, why it failed, and a Stop button; for a run
 * holding a model, Register model… and the registered versions that came from it.
 */
export function RunHeader({ run, deleted }: { run: Run; deleted: boolean }): ReactElement {
  const now = useNow(run.status === 'RUNNING' && run.endTime === null);
  const experimentName = useExperimentsStore(selectExperimentName(run.experimentId));
  const provider = run.params['execution_provider'];
  const kind = run.tags['trainyard.kind'];
  const failure = run.status === 'FAILED' ? run.tags['trainyard.error'] : undefined;
  const modelInputs = run.tags['trainyard.export_inputs'];
  // An evaluate run names the version it measured as `name/3`.
  const evaluated = kind === 'evaluate' ? /^(.+)\/(\d+)$/.exec(run.tags['trainyard.model_version'] ?? '') : null;
  const hasModel = useRunHasModel(run);
  const registered = useVersionsFromRun(run.id, hasModel);
  return (
    <header className="run-header">
      <div className="run-header-top">
        <a className="icon-button back-button" href={runsHref} title="Back to runs (Esc)" aria-label="Back to runs" data-testid="run-back">
          <BackIcon size={16} />
        </a>
        <span className="series-swatch large" style={{ background: seriesColor(run.id) }} aria-hidden="true" />
        <h1 className="run-title" data-testid="run-title" title={run.name}>{run.name}</h1>
        <StatusBadge status={run.status} />
        {provider ? (
          <span className="provider-badge" data-testid="run-provider" data-provider={provider} title={`Execution provider that ran this training: ${providerLabel(provider)} (onnxruntime “${provider}”), the first in the preference list that loaded`}>
            {providerLabel(provider)}
          </span>
        ) : null}
        {run.syncedBy ? <span className="synced-by" data-testid="run-synced-by" title="Pulled from the team bucket">by {run.syncedBy}</span> : null}
        <CopyId id={run.id} label="run id" />
        {deleted ? <span className="run-banner-inline">In the trash</span> : null}
        <span className="run-header-actions">
          {run.status === 'RUNNING' && !deleted && (kind === 'train' || kind === 'sweep') ? <StopButton runId={run.id} sweep={kind === 'sweep'} /> : null}
          {hasModel && !deleted ? <RegisterModelButton run={run} /> : null}
          {run.childCount > 0 ? <CompareChildrenButtons run={run} /> : null}
        </span>
      </div>
      <dl className="run-facts">
        <Fact label="Experiment">{experimentName ?? run.experimentId}</Fact>
        <Fact label="Started"><span className="numeric">{formatTimestamp(run.startTime)}</span></Fact>
        <Fact label="Ended"><span className="numeric">{run.endTime === null ? (run.status === 'RUNNING' ? 'still running' : '—') : formatTimestamp(run.endTime)}</span></Fact>
        <Fact label="Duration"><span className="numeric" data-testid="run-duration">{formatDuration(runDuration(run, now || Date.now()))}</span></Fact>
        {run.parentRunId ? <Fact label="Parent"><ParentLink parentId={run.parentRunId} /></Fact> : null}
        {run.childCount > 0 ? <Fact label="Children"><span className="numeric">{run.childCount}</span></Fact> : null}
        {registered.length > 0 ? <Fact label="Registered"><RegisteredVersions versions={registered} /></Fact> : null}
        {evaluated ? (
          <Fact label="Evaluates">
            <a href={modelHref(evaluated[1]!)} data-testid="run-evaluated-version">{evaluated[1]} v{evaluated[2]}</a>
            {run.params['dataset'] ? <span className="muted"> on {run.params['dataset']}</span> : null}
          </Fact>
        ) : null}
        {modelInputs ? <Fact label="Model inputs"><span className="run-fact-text" title={modelInputs} data-testid="run-model-inputs">{modelInputs}</span></Fact> : null}
      </dl>
      {failure ? <div className="run-failure" role="alert" data-testid="run-failure">{failure}</div> : null}
    </header>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <div className="run-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Links to the parent by name once known (loaded lazily), by short id until then. */
function ParentLink({ parentId }: { parentId: string }): ReactElement {
  const parent = useRunDetailsStore((state) => state.details[parentId]);
  const load = useRunDetailsStore((state) => state.load);
  useEffect(() => {
    if (!parent) void load(parentId);
  }, [parent, parentId, load]);
  return (
    <a href={runHref(parentId)} data-testid="run-parent-link" title={parentId}>
      {parent?.run?.name ?? shortId(parentId)}
    </a>
  );
}

/** Stops a training run (or a whole sweep) after a confirmation; the run then ends KILLED. */
function StopButton({ runId, sweep }: { runId: string; sweep: boolean }): ReactElement {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = (): void => {
    setConfirming(false);
    setError(null);
  };
  const stop = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await getApi()['training.cancel']({ runId });
      setConfirming(false);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="button run-stop" onClick={() => setConfirming(true)} data-testid="run-stop" title={sweep ? 'Stop this sweep and every trial still running' : 'Stop this training run'}>
        Stop
      </button>
      {confirming ? (
        <Dialog
          title={sweep ? 'Stop this sweep?' : 'Stop this training run?'}
          onClose={close}
          testId="run-stop-dialog"
          footer={
            <>
              {error ? <span className="inline-error spacer" role="alert">{error}</span> : null}
              <button type="button" className="button" onClick={close}>Keep training</button>
              <button type="button" className="button primary" onClick={() => void stop()} disabled={busy} data-testid="run-stop-confirm">
                {busy ? 'Stopping…' : 'Stop'}
              </button>
            </>
          }
        >
          <p className="run-stop-text">
            {sweep
              ? 'Its running trials end KILLED and no new ones start. Finished trials and their models stay.'
              : 'The trainer stops and the run ends KILLED. Its metrics so far stay; no model is exported.'}
          </p>
        </Dialog>
      ) : null}
    </>
  );
}
