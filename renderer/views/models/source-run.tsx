import { useEffect, type ReactElement } from 'react';
import { formatMetric, shortId } from '../../lib/format';
import { runHref } from '../../lib/hash-route';
import { keyMetrics } from '../../lib/model-names';
import { useRunDetailsStore } from '../../stores/run-details';

/**
 * The run a version came from, by name once loaded (runs.get, kept in the run-details cache and
 * refreshed by its live events), by short id until then or once the run is purged.
 */
export function useSourceRun(runId: string | null): { name: string; metrics: { key: string; value: number }[]; missing: boolean } {
  const detail = useRunDetailsStore((state) => (runId ? state.details[runId] : undefined));
  const load = useRunDetailsStore((state) => state.load);
  useEffect(() => {
    if (runId && !detail) void load(runId);
  }, [runId, detail, load]);
  const run = detail?.run ?? null;
  return { name: run?.name ?? (runId ? shortId(runId) : '—'), metrics: run ? keyMetrics(run.metrics) : [], missing: runId === null || (detail?.error ?? null) !== null };
}

export function SourceRunLink({ runId }: { runId: string | null }): ReactElement {
  const { name, missing } = useSourceRun(runId);
  if (runId === null) return <span className="faint" title="The run was purged or the version was registered from elsewhere">—</span>;
  return (
    <a href={runHref(runId)} title={missing ? `${runId} (could not be read)` : runId} className={missing ? 'faint' : undefined} onClick={(event) => event.stopPropagation()} data-testid="version-run">
      {name}
    </a>
  );
}

/** val_accuracy / val_loss / val_rmse of the source run, when it logged them. */
export function KeyMetrics({ runId }: { runId: string | null }): ReactElement {
  const { metrics } = useSourceRun(runId);
  if (metrics.length === 0) return <span className="faint">—</span>;
  return (
    <span className="key-metrics" data-testid="version-metrics">
      {metrics.map((metric) => (
        <span key={metric.key} className="key-metric" data-metric={metric.key}>
          <span className="faint">{metric.key}</span> <span className="numeric">{formatMetric(metric.value)}</span>
        </span>
      ))}
    </span>
  );
}
