import { lazy, Suspense, type ReactElement } from 'react';
import { EmptyState } from '../../components/empty-state';
import type { ModelsRoute } from '../../lib/hash-route';
import { ModelsList } from './models-list';
import './models.css';

// The model page and its dialogs load when first opened; the list does not wait for them.
const ModelPage = lazy(() => import('./model-page').then((module) => ({ default: module.ModelPage })));

/** The registered models, or one model's page at a tab. */
export function ModelsSection({ route }: { route: ModelsRoute }): ReactElement {
  return (
    <section className="models-section" aria-label={route.model ? 'Model' : 'Models'}>
      {route.model ? (
        <Suspense fallback={<EmptyState title="Loading model…" testId="model-loading" />}>
          <ModelPage key={route.model} name={route.model} tab={route.tab} compare={route.compare} />
        </Suspense>
      ) : (
        <ModelsList />
      )}
    </section>
  );
}
