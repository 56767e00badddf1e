import { useEffect, useRef, useState, type ReactElement } from 'react';
import { EmptyState } from '../../components/empty-state';
import { pipelineHref, pipelinesHref, pipelineTabs, type PipelineTab } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { usePipelinesStore, type PipelineEntry } from '../../stores/pipelines';
import { useUiStore } from '../../stores/ui';
import { isTyping } from '../runs/use-table-keyboard';
import { GraphPanel } from './graph-panel';
import { GridPanel } from './grid-panel';
import { PipelineHeader } from './pipeline-header';
import { RunsPanel } from './runs-panel';
import { SpecPanel } from './spec-panel';
import { TriggerDialog } from './trigger-dialog';

const tabLabels: Record<PipelineTab, string> = { graph: 'Graph', grid: 'Grid', runs: 'Runs', spec: 'Spec' };

/** One pipeline: its header, then its DAG (Graph), its runs as Airflow's grid (Grid), as a table (Runs), and its YAML (Spec). */
export function PipelinePage({ name, tab }: { name: string; tab: PipelineTab }): ReactElement {
  const entry = usePipelinesStore((state) => state.pipelines[name]);
  const runs = usePipelinesStore((state) => state.runs[name]);
  const loadPipeline = usePipelinesStore((state) => state.loadPipeline);
  const loadRuns = usePipelinesStore((state) => state.loadRuns);
  const [triggering, setTriggering] = useState(false);
  const shown = useRef(false);

  useEffect(() => {
    void loadPipeline(name);
    void loadRuns(name);
  }, [name, loadPipeline, loadRuns]);

  // Esc goes back to the list, `t` opens Trigger… (dialogs and the palette take their keys first).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || isTyping(event.target) || useUiStore.getState().paletteOpen) return;
      if (document.querySelector('[role="dialog"]')) return;
      if (event.key === 'Escape') navigate(pipelinesHref);
      else if (event.key === 't' && !event.altKey && !event.ctrlKey && !event.metaKey && shown.current) {
        event.preventDefault();
        setTriggering(true);
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  const detail = entry?.detail ?? null;
  useEffect(() => {
    shown.current = detail !== null;
  });
  if (!entry || !detail || entry.missing) {
    return (
      <div className="page" data-testid="pipeline-page">
        <PageState name={name} entry={entry} />
      </div>
    );
  }

  const list = runs?.list ?? null;
  return (
    <div className="page" data-testid="pipeline-page" data-pipeline={name}>
      <PipelineHeader pipeline={detail} onTrigger={() => setTriggering(true)} />
      {entry.error ? <div className="page-banner error">Refreshing this pipeline failed: {entry.error}</div> : null}
      {runs?.error ? <div className="page-banner error">Loading its DAG runs failed: {runs.error}</div> : null}
      <nav className="page-tabs" role="tablist" aria-label="Pipeline sections">
        {pipelineTabs.map((section) => (
          <a key={section} role="tab" aria-selected={tab === section} className="page-tab" href={pipelineHref(name, section)} data-testid={`pipeline-tab-${section}`}>
            {tabLabels[section]}
            {section === 'graph' ? <span className="tab-count numeric">{detail.steps.length}</span> : null}
            {section === 'runs' ? <span className="tab-count numeric" data-testid="pipeline-runs-count">{detail.runCount.toLocaleString('en-US')}</span> : null}
          </a>
        ))}
      </nav>
      <div className={`page-tab-body pipeline-tab-${tab}`} role="tabpanel" data-tab={tab}>
        {tab === 'graph' ? <GraphPanel pipeline={detail} runs={list} /> : null}
        {tab === 'grid' ? <GridPanel pipeline={detail} runs={list} /> : null}
        {tab === 'runs' ? <RunsPanel pipeline={detail} runs={list} /> : null}
        {tab === 'spec' ? <SpecPanel spec={detail.spec} path={detail.path} /> : null}
      </div>
      {triggering ? <TriggerDialog pipeline={detail} onClose={() => setTriggering(false)} /> : null}
    </div>
  );
}

function PageState({ name, entry }: { name: string; entry: PipelineEntry | undefined }): ReactElement {
  const loadPipeline = usePipelinesStore((state) => state.loadPipeline);
  if (entry?.missing) {
    return (
      <EmptyState title={`No pipeline named “${name}”`} testId="pipeline-missing">
        <p>It may have been renamed. Add it again from its pipeline.yaml (Add pipeline…), or run <code>trainyard run pipeline.yaml</code>.</p>
        <a className="button" href={pipelinesHref}>All pipelines</a>
      </EmptyState>
    );
  }
  if (entry?.error) {
    return (
      <EmptyState title="This pipeline could not be opened" testId="pipeline-error">
        <p>{entry.error}</p>
        <button type="button" className="button" onClick={() => void loadPipeline(name)}>Try again</button>
      </EmptyState>
    );
  }
  return <EmptyState title="Loading pipeline…" testId="pipeline-loading" />;
}
