import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { DatasetSummary } from '../../../shared/datasets';
import { EmptyState } from '../../components/empty-state';
import { DatasetIcon } from '../../components/icons';
import { formatBytes, formatTimestamp } from '../../lib/format';
import { datasetHref } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { useDatasetsStore } from '../../stores/datasets';
import { ImportButton } from './import-button';
import { useListKeyboard } from './use-list-keyboard';
import { SortHeader, useStoredSort } from '../../lib/use-stored-sort';

type SortKey = 'name' | 'latestVersion' | 'latestRowCount' | 'latestSizeBytes' | 'latestFormat' | 'versionCount' | 'updatedAt';

const columns: readonly { key: SortKey; label: string; right?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'latestVersion', label: 'Latest', right: true },
  { key: 'latestRowCount', label: 'Rows', right: true },
  { key: 'latestSizeBytes', label: 'Size', right: true },
  { key: 'latestFormat', label: 'Format' },
  { key: 'versionCount', label: 'Versions', right: true },
  { key: 'updatedAt', label: 'Updated' },
];

const sortStorageKey = 'trainyard.datasets.sort';

const sortable = columns.map((column) => column.key);

function compare(a: DatasetSummary, b: DatasetSummary, key: SortKey): number {
  const left = a[key];
  const right = b[key];
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  return String(left).localeCompare(String(right), undefined, { numeric: true });
}

/** Every dataset with its latest version: sortable, keyboard-navigable, Enter opens. */
export function DatasetsList(): ReactElement {
  const summaries = useDatasetsStore((state) => state.summaries);
  const loaded = useDatasetsStore((state) => state.loaded);
  const error = useDatasetsStore((state) => state.error);
  const load = useDatasetsStore((state) => state.load);
  const { sort, sortBy } = useStoredSort<SortKey>(sortStorageKey, sortable, { key: 'updatedAt', descending: true }, ['name', 'latestFormat']);
  const [selected, setSelected] = useState<string | null>(null);
  const body = useRef<HTMLTableSectionElement>(null);

  const rows = useMemo(() => {
    const sorted = [...summaries].sort((a, b) => compare(a, b, sort.key) || a.name.localeCompare(b.name));
    return sort.descending ? sorted.reverse() : sorted;
  }, [summaries, sort]);
  const names = useMemo(() => rows.map((row) => row.name), [rows]);
  const open = (name: string): void => navigate(datasetHref(name));
  useListKeyboard(names, selected, { select: setSelected, open });

  useEffect(() => {
    body.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  return (
    <div className="section-frame datasets-list-view">
      <div className="section-toolbar datasets-toolbar">
        <h1 className="section-title datasets-title">Datasets</h1>
        <span className="datasets-count numeric" data-testid="datasets-count">
          {loaded ? `${summaries.length} ${summaries.length === 1 ? 'dataset' : 'datasets'}` : ''}
        </span>
        <span className="spacer" />
        <ImportButton />
      </div>
      {error && summaries.length === 0 ? (
        <EmptyState title="Datasets could not be loaded" testId="datasets-error">
          <p>{error}</p>
          <button type="button" className="button" onClick={() => void load()}>Try again</button>
        </EmptyState>
      ) : loaded && summaries.length === 0 ? (
        <EmptyState title="No datasets yet" testId="datasets-empty">
          <p>
            Drop a CSV, Parquet or JSON-lines file — or a folder — anywhere on this window, or run <code>trainyard data add &lt;path&gt;</code>.
          </p>
        </EmptyState>
      ) : (
        <div className="datasets-table-scroll">
          <table className="data-table datasets-table" data-testid="datasets-table" aria-label="Datasets">
            <thead>
              <tr>
                {columns.map((column) => (
                  <SortHeader key={column.key} column={column.key} label={column.label} sort={sort} onSort={sortBy} right={column.right ?? false} />
                ))}
              </tr>
            </thead>
            <tbody ref={body}>
              {rows.map((row) => (
                <tr
                  key={row.name}
                  aria-selected={row.name === selected}
                  onClick={() => setSelected(row.name)}
                  onDoubleClick={() => open(row.name)}
                  data-testid="dataset-row"
                  data-dataset={row.name}
                >
                  <td>
                    <span className="name-cell">
                      <DatasetIcon size={13} className="row-icon" />
                      <a href={datasetHref(row.name)} onClick={(event) => event.stopPropagation()} data-testid="dataset-name">{row.name}</a>
                    </span>
                  </td>
                  <td className="right numeric">v{row.latestVersion}</td>
                  <td className="right numeric" data-testid="dataset-rows">{row.latestRowCount.toLocaleString('en-US')}</td>
                  <td className="right numeric">{formatBytes(row.latestSizeBytes)}</td>
                  <td><span className="format-badge">{row.latestFormat}</span></td>
                  <td className="right numeric">{row.versionCount}</td>
                  <td className="numeric muted">{formatTimestamp(row.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="datasets-hint faint">
            Drop a CSV, Parquet or JSON-lines file — or a folder — anywhere on this window to add a dataset, or a new version of one. <span className="kbd">j</span>{' '}
            <span className="kbd">k</span> move, <span className="kbd">Enter</span> opens.
          </p>
        </div>
      )}
    </div>
  );
}
