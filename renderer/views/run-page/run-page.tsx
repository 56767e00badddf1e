import { useEffect, type ReactElement } from 'react';
import { EmptyState } from '../../components/empty-state';
import { runHref, runsHref, runTabs, type RunTab } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { useRunDetailsStore } from '../../stores/run-details';
import { useRunsStore } from '../../stores/runs';
import { useUiStore } from '../../stores/ui';
import { isTyping } from '../runs/use-table-keyboard';
import { EvaluationPanel } from '../evaluation/evaluation-panel';
import { ArtifactsPanel } from './artifacts-panel';
import { EnvironmentPanel } from './environment-panel';
import { KeyValueTable } from './key-value-table';
import { MetricsPanel } from './metrics-panel';
import { RunHeader } from './run-header';
import './run-page.css';

const tabLabels: Record<RunTab, string> = { metrics: 'Metrics', params: 'Params', tags: 'Tags', environment: 'Environment', artifacts: 'Artifacts', evaluation: 'Evaluation' };

/**
 * One run: header, then metrics, params, tags, environment and artifacts as tabs; an evaluate run
 * also has its results drawn under Evaluation.
 */
export function RunPage({ runId, tab }: { runId: string; tab: RunTab }): ReactElement {
  const detail = useRunDetailsStore((state) => state.details[runId]);
  const load = useRunDetailsStore((state) => state.load);

  useEffect(() => {
    void load(runId);
    useRunsStore.getState().select(runId);
  }, [runId, load]);

  // Esc closes the page (back to the table, which keeps its place).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented || isTyping(event.target) || useUiStore.getState().paletteOpen) return;
      // An open dialog (Stop's confirmation) takes Esc for itself.
      if (document.querySelector('[role="dialog"]')) return;
      navigate(runsHref);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  const run = detail?.run ?? null;
  const evaluation = run?.tags['trainyard.kind'] === 'evaluate';
  // Only evaluate runs have the tab; `#/runs/<id>/evaluation` of another run shows its metrics.
  const shown: RunTab = tab === 'evaluation' && !evaluation ? 'metrics' : tab;
  if (!run) {
    return (
      <div className="run-page" data-testid="run-page">
        {detail?.error ? (
          <EmptyState title="This run could not be opened" testId="run-error">
            <p>{detail.error}</p>
            <p>
              <button type="button" className="button" onClick={() => void load(runId)}>Try again</button>{' '}
              <a className="button" href={runsHref}>Back to runs</a>
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="Loading run…" testId="run-loading" />
        )}
      </div>
    );
  }

  return (
    <div className="run-page" data-testid="run-page" data-run-id={run.id}>
      <RunHeader run={run} deleted={detail?.deleted ?? false} />
      {detail?.error ? <div className="run-banner error">Refreshing this run failed: {detail.error}</div> : null}
      <nav className="page-tabs" role="tablist" aria-label="Run sections">
        {runTabs.filter((name) => name !== 'evaluation' || evaluation).map((name) => (
          <a key={name} role="tab" aria-selected={shown === name} className="page-tab" href={runHref(run.id, name)} data-testid={`run-tab-${name}`}>
            {tabLabels[name]}
            <TabCount tab={name} run={run} />
          </a>
        ))}
      </nav>
      <div className="run-tab-body" role="tabpanel">
        {shown === 'metrics' ? <MetricsPanel run={run} /> : null}
        {shown === 'params' ? (
          <KeyValueTable entries={run.params} kind="params" emptyHint="No params logged. Params are write-once inputs such as lr or batch_size: log them with runs.logBatch or mlflow.log_param." />
        ) : null}
        {shown === 'tags' ? <KeyValueTable entries={run.tags} kind="tags" emptyHint="No tags. Set one with runs.setTag or mlflow.set_tag." /> : null}
        {shown === 'environment' ? <EnvironmentPanel run={run} /> : null}
        {shown === 'artifacts' ? <ArtifactsPanel runId={run.id} /> : null}
        {shown === 'evaluation' ? <EvaluationPanel runId={run.id} /> : null}
      </div>
    </div>
  );
}

function TabCount({ tab, run }: { tab: RunTab; run: { params: object; tags: object; metrics: object } }): ReactElement | null {
  const count = tab === 'metrics' ? Object.keys(run.metrics).length : tab === 'params' ? Object.keys(run.params).length : tab === 'tags' ? Object.keys(run.tags).length : null;
  return count === null ? null : <span className="tab-count numeric">{count}</span>;
}
