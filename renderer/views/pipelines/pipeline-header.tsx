import { useState, type ReactElement, type ReactNode } from 'react';
import { getApi } from '../../api/connection';
import { BackIcon, PipelineIcon, PlayIcon } from '../../components/icons';
import { formatTimestamp } from '../../lib/format';
import { dagRunIdHref, pipelinesHref } from '../../lib/hash-route';
import { refreshPipeline, type PipelineDetail } from '../../stores/pipelines';
import { reportError } from '../../stores/toasts';
import { StateChip } from './state-chip';

/** Name, schedule, the pause switch and Trigger…, then the facts: steps, runs, last run, where the spec came from. */
export function PipelineHeader({ pipeline, onTrigger }: { pipeline: PipelineDetail; onTrigger: () => void }): ReactElement {
  const lastHref = pipeline.lastRun ? dagRunIdHref(pipeline.lastRun.id) : null;
  return (
    <header className="page-header">
      <div className="page-header-top">
        <a className="icon-button back-button" href={pipelinesHref} title="Back to pipelines (Esc)" aria-label="Back to pipelines" data-testid="pipeline-back">
          <BackIcon size={16} />
        </a>
        <PipelineIcon size={16} className="row-icon" />
        <h1 className="page-title" data-testid="pipeline-title" title={pipeline.name}>{pipeline.name}</h1>
        <span className="schedule-chip mono" data-testid="pipeline-schedule" title={pipeline.schedule ? 'Cron schedule (time zone)' : 'Runs only when triggered'}>
          {pipeline.schedule ?? 'manual'}
        </span>
        <span className="pipeline-header-actions">
          <PauseSwitch pipeline={pipeline} />
          <button type="button" className="button primary" onClick={onTrigger} data-testid="trigger-button" title="Start a DAG run, choosing its params (t)">
            <PlayIcon size={12} />
            Trigger…
          </button>
        </span>
      </div>
      <dl className="page-facts">
        <Fact label="Steps"><span className="numeric">{pipeline.steps.length}</span></Fact>
        <Fact label="Runs"><span className="numeric">{pipeline.runCount.toLocaleString('en-US')}</span></Fact>
        <Fact label="Last run">
          {pipeline.lastRun ? (
            <span className="last-run" data-testid="pipeline-last-run">
              <StateChip state={pipeline.lastRun.state} run />
              {lastHref ? <a className="numeric" href={lastHref}>{formatTimestamp(pipeline.lastRun.createdAt)}</a> : <span className="numeric">{formatTimestamp(pipeline.lastRun.createdAt)}</span>}
            </span>
          ) : (
            <span className="faint">never run</span>
          )}
        </Fact>
        {pipeline.tags.length > 0 ? <Fact label="Tags"><span className="chip-list">{pipeline.tags.map((tag) => <span key={tag} className="format-badge">{tag}</span>)}</span></Fact> : null}
        <Fact label="From">{pipeline.path ? <code title={pipeline.path}>{pipeline.path}</code> : <span className="faint">pasted YAML</span>}</Fact>
      </dl>
      {pipeline.description ? <p className="pipeline-description" data-testid="pipeline-description">{pipeline.description}</p> : null}
    </header>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <div className="page-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Paused pipelines keep their manual runs; the schedule and dataset triggers wait. */
function PauseSwitch({ pipeline }: { pipeline: PipelineDetail }): ReactElement {
  const [busy, setBusy] = useState(false);
  const toggle = (): void => {
    setBusy(true);
    getApi()['pipelines.pause']({ name: pipeline.name, paused: !pipeline.paused }).then(
      () => {
        refreshPipeline(pipeline.name);
        setBusy(false);
      },
      (failure: unknown) => {
        reportError(pipeline.paused ? `Resuming ${pipeline.name} failed` : `Pausing ${pipeline.name} failed`, failure);
        setBusy(false);
      },
    );
  };
  return (
    <button
      type="button"
      className="pause-switch"
      role="switch"
      aria-checked={!pipeline.paused}
      onClick={toggle}
      disabled={busy}
      title={pipeline.paused ? 'Paused: the schedule and dataset triggers wait. Click to resume.' : 'Active: runs on its schedule and dataset triggers. Click to pause.'}
      data-testid="pause-toggle"
    >
      <span className="pause-track" aria-hidden="true">
        <span className="pause-knob" />
      </span>
      {pipeline.paused ? 'Paused' : 'Active'}
    </button>
  );
}
