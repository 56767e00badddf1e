import { lazy, Suspense, type ReactElement } from 'react';
import { EmptyState } from '../../components/empty-state';
import type { PipelinesRoute } from '../../lib/hash-route';
import { PipelinesList } from './pipelines-list';
import './pipelines.css';

// A pipeline's page (graph, grid, logs) loads when first opened; the list does not wait for it.
const PipelinePage = lazy(() => import('./pipeline-page').then((module) => ({ default: module.PipelinePage })));
const DagRunPage = lazy(() => import('./dag-run-page').then((module) => ({ default: module.DagRunPage })));

/** The pipelines list, a pipeline's page at a tab, or one DAG run (at one of its tasks). */
export function PipelinesSection({ route }: { route: PipelinesRoute }): ReactElement {
  const { pipeline, dagRun } = route;
  return (
    <section className="pipelines-section" aria-label={dagRun ? 'DAG run' : pipeline ? 'Pipeline' : 'Pipelines'}>
      {pipeline ? (
        <Suspense fallback={<EmptyState title="Loading pipeline…" testId="pipeline-loading" />}>
          {dagRun ? (
            <DagRunPage key={`${pipeline}/${dagRun}`} pipeline={pipeline} runId={dagRun} task={route.task} />
          ) : (
            <PipelinePage key={pipeline} name={pipeline} tab={route.tab} />
          )}
        </Suspense>
      ) : (
        <PipelinesList />
      )}
    </section>
  );
}
