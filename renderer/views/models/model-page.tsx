import { useEffect, useRef, type ReactElement } from 'react';
import { CloseIcon } from '../../components/icons';
import { EmptyState } from '../../components/empty-state';
import { modelCompareHref, modelHref, modelsHref, modelTabs, type ModelTab } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { useModelsStore, type ModelEntry } from '../../stores/models';
import { serversOf, useServingStore } from '../../stores/serving';
import { useUiStore } from '../../stores/ui';
import { isTyping } from '../runs/use-table-keyboard';
import { CompareView } from './compare-view';
import { HistoryPanel } from './history-panel';
import { ModelHeader } from './model-header';
import { ModelLineage } from './model-lineage';
import { ServingPanel } from './serving-panel';
import { VersionsPanel } from './versions-panel';

const tabLabels: Record<ModelTab, string> = { versions: 'Versions', history: 'History', lineage: 'Lineage', serving: 'Serving' };

/**
 * One registered model: its header, then its versions, history, lineage and servers as tabs, or
 * two of its versions compared (`compare`).
 */
export function ModelPage({ name, tab, compare = null }: { name: string; tab: ModelTab; compare?: readonly [number, number] | null }): ReactElement {
  const entry = useModelsStore((state) => state.entries[name]);
  const loadModel = useModelsStore((state) => state.loadModel);
  const serving = useServingStore((state) => serversOf(state.servers, name).length);
  const comparing = useRef(compare !== null);
  comparing.current = compare !== null;

  useEffect(() => {
    void loadModel(name);
  }, [name, loadModel]);

  // Esc goes back to the list (dialogs and the palette take their Esc first).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented || isTyping(event.target) || useUiStore.getState().paletteOpen) return;
      if (document.querySelector('[role="dialog"]')) return;
      // From a comparison, back to the versions; from a tab, back to the list.
      navigate(comparing.current ? modelHref(name) : modelsHref);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [name]);

  const model = entry?.model ?? null;
  const versions = entry?.versions ?? null;
  if (!entry || !model || !versions || entry.missing) {
    return (
      <div className="page" data-testid="model-page">
        <PageState name={name} entry={entry} />
      </div>
    );
  }

  return (
    <div className="page" data-testid="model-page" data-model={name}>
      <ModelHeader model={model} />
      {entry.error ? <div className="page-banner error">Refreshing this model failed: {entry.error}</div> : null}
      <nav className="page-tabs" role="tablist" aria-label="Model sections">
        {modelTabs.map((section) => (
          <a key={section} role="tab" aria-selected={compare === null && tab === section} className="page-tab" href={modelHref(name, section)} data-testid={`model-tab-${section}`}>
            {tabLabels[section]}
            {section === 'versions' ? <span className="tab-count numeric">{versions.length}</span> : null}
            {section === 'history' && entry.history ? <span className="tab-count numeric">{entry.history.length}</span> : null}
            {section === 'serving' && serving > 0 ? <span className="tab-count numeric" data-testid="serving-count">{serving}</span> : null}
          </a>
        ))}
        {compare ? (
          <span className="page-tab compare-tab" role="tab" aria-selected="true" data-testid="model-tab-compare">
            <a href={modelCompareHref(name, compare[0], compare[1])}>Compare v{compare[0]} · v{compare[1]}</a>
            <a className="icon-button" href={modelHref(name)} aria-label="Close the comparison" title="Close (Esc)">
              <CloseIcon size={11} />
            </a>
          </span>
        ) : null}
      </nav>
      <div className="page-tab-body" role="tabpanel" data-tab={compare ? 'compare' : tab}>
        {compare ? <CompareView model={model} versions={versions} a={compare[0]} b={compare[1]} /> : null}
        {!compare && tab === 'versions' ? <VersionsPanel model={model} versions={versions} /> : null}
        {!compare && tab === 'history' ? <HistoryPanel events={entry.history ?? []} /> : null}
        {!compare && tab === 'lineage' ? <ModelLineage model={model} versions={versions} /> : null}
        {!compare && tab === 'serving' ? <ServingPanel model={model} versions={versions} /> : null}
      </div>
    </div>
  );
}

function PageState({ name, entry }: { name: string; entry: ModelEntry | undefined }): ReactElement {
  const loadModel = useModelsStore((state) => state.loadModel);
  if (entry?.missing) {
    return (
      <EmptyState title={`No registered model named “${name}”`} testId="model-missing">
        <p>It may have been renamed or deleted. Register a model from a training run’s page (Register model…).</p>
        <a className="button" href={modelsHref}>All models</a>
      </EmptyState>
    );
  }
  if (entry?.error) {
    return (
      <EmptyState title="This model could not be opened" testId="model-error">
        <p>{entry.error}</p>
        <button type="button" className="button" onClick={() => void loadModel(name)}>Try again</button>
      </EmptyState>
    );
  }
  return <EmptyState title="Loading model…" testId="model-loading" />;
}
