import { useEffect, type ReactElement, type ReactNode } from 'react';
import type { Run } from '../../../shared/tracking';
import { CopyId } from '../../components/copy-id';
import { BackIcon } from '../../components/icons';
import { StatusBadge } from '../../components/status-badge';
import { formatDuration, formatTimestamp, runDuration, shortId } from '../../lib/format';
import { runHref, runsHref } from '../../lib/hash-route';
import { seriesColor } from '../../lib/series-color';
import { useNow } from '../../lib/use-now';
import { selectExperimentName, useExperimentsStore } from '../../stores/experiments';
import { useRunDetailsStore } from '../../stores/run-details';

/** Name, status, id, timing, experiment and parent of a run. */
export function RunHeader({ run, deleted }: { run: Run; deleted: boolean }): ReactElement {
  const now = useNow(run.status === 'RUNNING' && run.endTime === null);
  const experimentName = useExperimentsStore(selectExperimentName(run.experimentId));
  return (
    <header className="run-header">
      <div className="run-header-top">
        <a className="icon-button back-button" href={runsHref} title="Back to runs (Esc)" aria-label="Back to runs" data-testid="run-back">
          <BackIcon size={16} />
        </a>
        <span className="series-swatch large" style={{ background: seriesColor(run.id) }} aria-hidden="true" />
        <h1 className="run-title" data-testid="run-title" title={run.name}>{run.name}</h1>
        <StatusBadge status={run.status} />
        <CopyId id={run.id} label="run id" />
        {deleted ? <span className="run-banner-inline">In the trash</span> : null}
      </div>
      <dl className="run-facts">
        <Fact label="Experiment">{experimentName ?? run.experimentId}</Fact>
        <Fact label="Started"><span className="numeric">{formatTimestamp(run.startTime)}</span></Fact>
        <Fact label="Ended"><span className="numeric">{run.endTime === null ? (run.status === 'RUNNING' ? 'still running' : '—') : formatTimestamp(run.endTime)}</span></Fact>
        <Fact label="Duration"><span className="numeric" data-testid="run-duration">{formatDuration(runDuration(run, now || Date.now()))}</span></Fact>
        {run.parentRunId ? <Fact label="Parent"><ParentLink parentId={run.parentRunId} /></Fact> : null}
        {run.childCount > 0 ? <Fact label="Children"><span className="numeric">{run.childCount}</span></Fact> : null}
      </dl>
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
