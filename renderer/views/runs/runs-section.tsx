import { lazy, Suspense, type ReactElement } from 'react';
import { EmptyState } from '../../components/empty-state';
import type { RunsRoute } from '../../lib/hash-route';
import { ExperimentsList } from './experiments-list';
import { RunsTable } from './runs-table';
import { RunsToolbar } from './runs-toolbar';
import './runs.css';

// The run page carries the charting library; the table does not wait for it to download.
const RunPage = lazy(() => import('../run-page/run-page').then((module) => ({ default: module.RunPage })));

/** Experiments on the left; the runs table, or one run's page, on the right. */
export function RunsSection({ route }: { route: RunsRoute }): ReactElement {
  return (
    <div className="runs-section">
      <ExperimentsList />
      <section className="runs-main" aria-label={route.runId ? 'Run' : 'Runs'}>
        {route.runId ? (
          <Suspense fallback={<EmptyState title="Loading run…" testId="run-loading" />}>
            <RunPage key={route.runId} runId={route.runId} tab={route.tab} />
          </Suspense>
        ) : (
          <>
            <RunsToolbar />
            <RunsTable />
          </>
        )}
      </section>
    </div>
  );
}
