import { useEffect, useRef, useState, type ReactElement, type ReactNode } from 'react';
import type { DatasetVersion } from '../../../shared/datasets';
import { CopyId } from '../../components/copy-id';
import { EmptyState } from '../../components/empty-state';
import { BackIcon, RunsIcon, WandIcon } from '../../components/icons';
import { formatBytes, formatTimestamp } from '../../lib/format';
import { datasetHref, datasetsHref, datasetTabs, type DatasetTab } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { pickVersion, useDatasetsStore } from '../../stores/datasets';
import { useUiStore } from '../../stores/ui';
import { versionKey, useValidationStore } from '../../stores/validation';
import { isTyping } from '../runs/use-table-keyboard';
import { LineagePanel } from './lineage-panel';
import { PreviewPanel } from './preview-panel';
import { ProfilePanel } from './profile-panel';
import { TrainDialog } from './train-dialog';
import { TransformDialog } from './transform-dialog';
import { ValidationPanel } from './validation-panel';
import { VersionHistory } from './version-history';

const tabLabels: Record<DatasetTab, string> = { profile: 'Profile', preview: 'Preview', validation: 'Validation', lineage: 'Lineage' };

/** One dataset: its version history, and the chosen version's profile, rows, validation and lineage. */
export function DatasetPage({ dataset, version, tab }: { dataset: string; version: number | null; tab: DatasetTab }): ReactElement {
  const entry = useDatasetsStore((state) => state.versions[dataset]);
  const loadVersions = useDatasetsStore((state) => state.loadVersions);
  const [transforming, setTransforming] = useState(false);
  const [training, setTraining] = useState(false);
  // Whether a version is on screen, for the `t` shortcut (installed once, so read through a ref).
  const shown = useRef(false);

  useEffect(() => {
    void loadVersions(dataset);
  }, [dataset, loadVersions]);

  // Esc goes back to the list, `t` opens the training form (dialogs and the palette take their keys first).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || isTyping(event.target) || useUiStore.getState().paletteOpen) return;
      if (document.querySelector('[role="dialog"]')) return;
      if (event.key === 'Escape') navigate(datasetsHref);
      else if (event.key === 't' && !event.altKey && !event.ctrlKey && !event.metaKey && shown.current) {
        event.preventDefault();
        setTraining(true);
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  const list = entry?.list ?? null;
  const selected = pickVersion(list, version);
  useEffect(() => {
    shown.current = selected !== null;
  });
  if (!list || list.length === 0 || !selected) {
    return (
      <div className="page" data-testid="dataset-page">
        <PageState dataset={dataset} version={version} />
      </div>
    );
  }

  return (
    <div className="page" data-testid="dataset-page" data-dataset={dataset} data-version={selected.version}>
      <DatasetHeader version={selected} latest={list[0]!.version} onTransform={() => setTransforming(true)} onTrain={() => setTraining(true)} />
      <VersionHistory versions={list} selected={selected.version} tab={tab} />
      {entry?.error ? <div className="page-banner error">Refreshing the versions failed: {entry.error}</div> : null}
      {selected.warnings.length > 0 ? (
        <div className="page-banner warning" data-testid="version-warnings">{selected.warnings.join(' · ')}</div>
      ) : null}
      <nav className="page-tabs" role="tablist" aria-label="Version sections">
        {datasetTabs.map((name) => (
          <a key={name} role="tab" aria-selected={tab === name} className="page-tab" href={datasetHref(dataset, selected.version, name)} data-testid={`dataset-tab-${name}`}>
            {tabLabels[name]}
            <TabCount tab={name} version={selected} />
          </a>
        ))}
      </nav>
      <div className="page-tab-body" role="tabpanel" data-tab={tab}>
        {tab === 'profile' ? <ProfilePanel version={selected} /> : null}
        {tab === 'preview' ? <PreviewPanel key={selected.id} version={selected} /> : null}
        {tab === 'validation' ? <ValidationPanel key={selected.id} version={selected} /> : null}
        {tab === 'lineage' ? <LineagePanel key={selected.id} version={selected} /> : null}
      </div>
      {transforming ? <TransformDialog version={selected} onClose={() => setTransforming(false)} /> : null}
      {training ? <TrainDialog key={selected.id} version={selected} onClose={() => setTraining(false)} /> : null}
    </div>
  );
}

function PageState({ dataset, version }: { dataset: string; version: number | null }): ReactElement {
  const entry = useDatasetsStore((state) => state.versions[dataset]);
  const loadVersions = useDatasetsStore((state) => state.loadVersions);
  if (entry?.missing) {
    return (
      <EmptyState title={`No dataset named “${dataset}”`} testId="dataset-missing">
        <p>It may have been renamed or never imported here. Drop its files on the window to import it.</p>
        <a className="button" href={datasetsHref}>All datasets</a>
      </EmptyState>
    );
  }
  if (entry?.error && !entry.list) {
    return (
      <EmptyState title="This dataset could not be opened" testId="dataset-error">
        <p>{entry.error}</p>
        <button type="button" className="button" onClick={() => void loadVersions(dataset)}>Try again</button>
      </EmptyState>
    );
  }
  if (entry?.list && version !== null) {
    return (
      <EmptyState title={`${dataset} has no version ${version}`} testId="dataset-missing">
        <p>Its versions go up to {entry.list[0]?.version ?? 0}.</p>
        <a className="button" href={datasetHref(dataset)}>Open the latest version</a>
      </EmptyState>
    );
  }
  return <EmptyState title="Loading dataset…" testId="dataset-loading" />;
}

function DatasetHeader({ version, latest, onTransform, onTrain }: { version: DatasetVersion; latest: number; onTransform: () => void; onTrain: () => void }): ReactElement {
  const columns = version.schema.length;
  return (
    <header className="page-header">
      <div className="page-header-top">
        <a className="icon-button back-button" href={datasetsHref} title="Back to datasets (Esc)" aria-label="Back to datasets" data-testid="dataset-back">
          <BackIcon size={16} />
        </a>
        <h1 className="page-title" data-testid="dataset-title" title={version.dataset}>{version.dataset}</h1>
        <span className="dataset-version-chip numeric" data-testid="dataset-version">v{version.version}</span>
        {version.version !== latest ? <a className="faint" href={datasetHref(version.dataset)}>latest is v{latest}</a> : null}
        <CopyId id={version.oid} label="object id" />
        <span className="dataset-header-actions">
          <button type="button" className="button" onClick={onTransform} data-testid="transform-button" title="Derive a new version: drop, filter, impute, scale, encode, split">
            <WandIcon size={14} />
            Transform…
          </button>
          <button type="button" className="button" onClick={onTrain} data-testid="train-button" title="Train a neural network on this version (t)">
            <RunsIcon size={14} />
            Train…
          </button>
        </span>
      </div>
      <dl className="page-facts">
        <Fact label="Rows"><span className="numeric" data-testid="dataset-row-count">{version.rowCount.toLocaleString('en-US')}</span></Fact>
        <Fact label="Columns"><span className="numeric">{columns}</span></Fact>
        <Fact label="Size"><span className="numeric">{formatBytes(version.sizeBytes)}</span></Fact>
        <Fact label="Format"><span className="format-badge">{version.format}</span></Fact>
        {version.fileCount > 1 ? <Fact label="Files"><span className="numeric">{version.fileCount.toLocaleString('en-US')}</span></Fact> : null}
        <Fact label="Created"><span className="numeric">{formatTimestamp(version.createdAt)}</span></Fact>
        {version.sourcePath ? <Fact label="From"><code title={version.sourcePath}>{version.sourcePath}</code></Fact> : null}
      </dl>
    </header>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <div className="page-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function TabCount({ tab, version }: { tab: DatasetTab; version: DatasetVersion }): ReactElement | null {
  const reports = useValidationStore((state) => state.entries[versionKey(version.dataset, version.version)]?.reports ?? null);
  if (tab === 'profile') return <span className="tab-count numeric">{version.schema.length}</span>;
  if (tab === 'validation' && reports && reports.length > 0) return <span className="tab-count numeric">{reports.length}</span>;
  return null;
}
