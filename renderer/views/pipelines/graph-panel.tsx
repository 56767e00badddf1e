import { useState, type ReactElement } from 'react';
import type { DagRun, TaskState } from '../../../shared/pipelines';
import { formatTimestamp } from '../../lib/format';
import { dagRunHref } from '../../lib/hash-route';
import { stateLabel } from '../../lib/pipeline-states';
import { navigate } from '../../lib/use-route';
import type { PipelineDetail } from '../../stores/pipelines';
import { DagGraph } from './dag-graph';
import { StateChip, StateSwatch } from './state-chip';

const legend: readonly TaskState[] = ['none', 'queued', 'running', 'success', 'failed', 'up_for_retry', 'upstream_failed', 'skipped'];
/** The run picker lists this many recent runs (older ones are a click away in Runs or Grid). */
const pickable = 50;

/** The Graph tab: the DAG with the states of one DAG run — the newest unless another is picked. */
export function GraphPanel({ pipeline, runs }: { pipeline: PipelineDetail; runs: readonly DagRun[] | null }): ReactElement {
  // null follows the newest run, so a run just triggered shows at once.
  const [picked, setPicked] = useState<string | null>(null);
  const run = (picked === null ? runs?.[0] : runs?.find((entry) => entry.id === picked)) ?? runs?.[0] ?? null;
  const choices = runs ? runs.slice(0, pickable) : [];
  if (run && !choices.includes(run)) choices.push(run);
  return (
    <div className="graph-panel" data-testid="graph-panel">
      <div className="graph-toolbar">
        {run ? (
          <>
            <label className="graph-run-picker">
              <span className="field-label">DAG run</span>
              <select className="select mono" value={picked ?? ''} onChange={(event) => setPicked(event.target.value === '' ? null : event.target.value)} aria-label="DAG run shown" data-testid="graph-run-select">
                <option value="">newest ({run === runs?.[0] ? run.runId : (runs?.[0]?.runId ?? '')})</option>
                {choices.map((choice) => (
                  <option key={choice.id} value={choice.id}>{`${choice.runId} · ${stateLabel(choice.state)}`}</option>
                ))}
              </select>
            </label>
            <StateChip state={run.state} run testId="graph-run-state" />
            <span className="faint numeric">{formatTimestamp(run.startedAt ?? run.createdAt)}</span>
            <a href={dagRunHref(pipeline.name, run.runId)} data-testid="graph-open-run">Open this run</a>
          </>
        ) : (
          <span className="faint">{runs === null ? 'Loading DAG runs…' : 'Not run yet: Trigger… starts a run, and its tasks light up here.'}</span>
        )}
        <span className="spacer" />
        <span className="state-legend faint">
          {legend.map((state) => (
            <span key={state}>
              <StateSwatch state={state} /> {stateLabel(state)}
            </span>
          ))}
        </span>
      </div>
      <DagGraph steps={pipeline.steps} run={run} onOpen={run ? (taskId) => navigate(dagRunHref(pipeline.name, run.runId, taskId)) : undefined} />
      <p className="pipelines-hint faint">Click a step to open its task instance: state, tries, log and outputs.</p>
    </div>
  );
}
