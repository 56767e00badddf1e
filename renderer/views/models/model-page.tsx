import { useEffect, type ReactElement } from 'react';
import { EmptyState } from '../../components/empty-state';
import { modelHref, modelsHref, modelTabs, type ModelTab } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { useModelsStore, type ModelEntry } from '../../stores/models';
import { useUiStore } from '../../stores/ui';
import { isTyping } from '../runs/use-table-keyboard';
import { HistoryPanel } from './history-panel';
import { ModelHeader } from './model-header';
import { ModelLineage } from './model-lineage';
import { VersionsPanel } from './versions-panel';

const tabLabels: Record<ModelTab, string> = { versions: 'Versions', history: 'History', lineage: 'Lineage' };

/** One registered model: its header, then its versions, history and lineage as tabs. */
export function ModelPage({ name, tab }: { name: string; tab: ModelTab }): ReactElement {
  const entry = useModelsStore((state) => state.entries[name]);
  const loadModel = useModelsStore((state) => state.loadModel);

  useEffect(() => {
    void loadModel(name);
  }, [name, loadModel]);

  // Esc goes back to the list (dialogs and the palette take their Esc first).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented || isTyping(event.target) || useUiStore.getState().paletteOpen) return;
      if (document.querySelector('[role="dialog"]')) return;
      navigate(modelsHref);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

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
          <a key={section} role="tab" aria-selected={tab === section} className="page-tab" href={modelHref(name, section)} data-testid={`model-tab-${section}`}>
            {tabLabels[section]}
            {section === 'versions' ? <span className="tab-count numeric">{versions.length}</span> : null}
            {section === 'history' && entry.history ? <span className="tab-count numeric">{entry.history.length}</span> : null}
          </a>
        ))}
      </nav>
      <div className="page-tab-body" role="tabpanel" data-tab={tab}>
        {tab === 'versions' ? <VersionsPanel model={model} versions={versions} /> : null}
        {tab === 'history' ? <HistoryPanel events={entry.history ?? []} /> : null}
        {tab === 'lineage' ? <ModelLineage model={model} versions={versions} /> : null}
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
