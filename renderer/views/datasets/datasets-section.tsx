import { lazy, Suspense, type ReactElement } from 'react';
import { EmptyState } from '../../components/empty-state';
import type { DatasetsRoute } from '../../lib/hash-route';
import { DatasetsList } from './datasets-list';
import './datasets.css';

// The dataset page carries the charting library; the list does not wait for it to download.
const DatasetPage = lazy(() => import('./dataset-page').then((module) => ({ default: module.DatasetPage })));

/** The datasets list, or one dataset's page at a version and tab. */
export function DatasetsSection({ route }: { route: DatasetsRoute }): ReactElement {
  return (
    <section className="datasets-section" aria-label={route.dataset ? 'Dataset' : 'Datasets'}>
      {route.dataset ? (
        <Suspense fallback={<EmptyState title="Loading dataset…" testId="dataset-loading" />}>
          <DatasetPage key={route.dataset} dataset={route.dataset} version={route.version} tab={route.tab} />
        </Suspense>
      ) : (
        <DatasetsList />
      )}
    </section>
  );
}
