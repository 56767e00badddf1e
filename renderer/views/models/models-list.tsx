import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { RegisteredModel } from '../../../shared/registry';
import { EmptyState } from '../../components/empty-state';
import { CloseIcon, ModelIcon, SearchIcon } from '../../components/icons';
import { formatTimestamp } from '../../lib/format';
import { SortHeader, useStoredSort } from '../../lib/use-stored-sort';
import { modelHref } from '../../lib/hash-route';
import { newestVersion } from '../../lib/model-names';
import { navigate } from '../../lib/use-route';
import { useModelsStore } from '../../stores/models';
import { useListKeyboard } from '../datasets/use-list-keyboard';
import { AliasChip, StageBadge } from './registry-badges';

type SortKey = 'name' | 'latestVersion' | 'versionCount' | 'updatedAt';

const sortStorageKey = 'trainyard.models.sort';
const sortable: readonly SortKey[] = ['name', 'latestVersion', 'versionCount', 'updatedAt'];

function sortValue(model: RegisteredModel, key: SortKey): number | string {
  if (key === 'latestVersion') return newestVersion(model) ?? 0;
  return model[key];
}

/** A model matches when its name, description or one of its aliases contains the text. */
function matches(model: RegisteredModel, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  return [model.name, model.description, ...model.aliases.map((entry) => `@${entry.alias}`)].some((field) => field.toLowerCase().includes(needle));
}

/** Every registered model: filterable, sortable, keyboard-navigable, Enter opens. */
export function ModelsList(): ReactElement {
  const summaries = useModelsStore((state) => state.summaries);
  const loaded = useModelsStore((state) => state.loaded);
  const error = useModelsStore((state) => state.error);
  const load = useModelsStore((state) => state.load);
  const { sort, sortBy } = useStoredSort<SortKey>(sortStorageKey, sortable, { key: 'updatedAt', descending: true }, ['name']);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const body = useRef<HTMLTableSectionElement>(null);

  // The list is kept live by `model.changed`; coming back to it re-reads it anyway, in case the
  // event stream was down meanwhile.
  useEffect(() => {
    void load();
  }, [load]);

  const rows = useMemo(() => {
    const shown = summaries.filter((model) => matches(model, filter));
    const sorted = shown.sort((a, b) => {
      const left = sortValue(a, sort.key);
      const right = sortValue(b, sort.key);
      const order = typeof left === 'number' && typeof right === 'number' ? left - right : String(left).localeCompare(String(right), undefined, { numeric: true });
      return order || a.name.localeCompare(b.name);
    });
    return sort.descending ? sorted.reverse() : sorted;
  }, [summaries, sort, filter]);
  const names = useMemo(() => rows.map((row) => row.name), [rows]);
  const open = (name: string): void => navigate(modelHref(name));
  useListKeyboard(names, selected, { select: setSelected, open });

  useEffect(() => {
    body.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const header = (key: SortKey, label: string, right = false): ReactElement => <SortHeader column={key} label={label} sort={sort} onSort={sortBy} right={right} />;

  return (
    <div className="section-frame models-list-view">
      <div className="section-toolbar models-toolbar">
        <h1 className="section-title models-title">Models</h1>
        <span className="models-count numeric" data-testid="models-count">
          {loaded ? `${summaries.length} ${summaries.length === 1 ? 'model' : 'models'}` : ''}
        </span>
        {summaries.length > 0 ? (
          <div className="filter-field models-filter">
            <SearchIcon size={14} className="filter-icon" />
            <input
              className="input filter-input"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape' && filter !== '') {
                  event.stopPropagation();
                  setFilter('');
                }
              }}
              placeholder="Filter by name, description or @alias"
              spellCheck={false}
              autoComplete="off"
              aria-label="Filter models"
              data-testid="models-filter"
            />
            {filter !== '' ? (
              <button type="button" className="icon-button filter-clear" onClick={() => setFilter('')} aria-label="Clear filter">
                <CloseIcon size={12} />
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
      {error && summaries.length === 0 ? (
        <EmptyState title="Registered models could not be loaded" testId="models-error">
          <p>{error}</p>
          <button type="button" className="button" onClick={() => void load()}>Try again</button>
        </EmptyState>
      ) : loaded && summaries.length === 0 ? (
        <EmptyState title="No registered models yet" testId="models-empty">
          <p>
            Register a model from a training run’s page (<strong>Register model…</strong>), or drop an <code>.onnx</code> file on the window.
          </p>
        </EmptyState>
      ) : loaded && rows.length === 0 ? (
        <EmptyState title={`No model matches “${filter}”`} testId="models-no-match">
          <button type="button" className="button" onClick={() => setFilter('')}>Clear the filter</button>
        </EmptyState>
      ) : (
        <div className="models-table-scroll">
          <table className="data-table models-table" data-testid="models-table" aria-label="Registered models">
            <thead>
              <tr>
                {header('name', 'Name')}
                {header('latestVersion', 'Latest', true)}
                <th>Aliases</th>
                <th>Stages</th>
                {header('versionCount', 'Versions', true)}
                {header('updatedAt', 'Updated')}
                <th>Description</th>
              </tr>
            </thead>
            <tbody ref={body}>
              {rows.map((row) => {
                const latest = newestVersion(row);
                const staged = row.latestVersions.filter((version) => version.stage !== 'None');
                return (
                  <tr key={row.name} aria-selected={row.name === selected} onClick={() => setSelected(row.name)} onDoubleClick={() => open(row.name)} data-testid="model-row" data-model={row.name}>
                    <td>
                      <span className="name-cell">
                        <ModelIcon size={13} className="row-icon" />
                        <a href={modelHref(row.name)} onClick={(event) => event.stopPropagation()} data-testid="model-name">{row.name}</a>
                      </span>
                    </td>
                    <td className="right numeric" data-testid="model-latest">{latest === null ? '—' : `v${latest}`}</td>
                    <td>
                      <span className="chip-list">
                        {row.aliases.length === 0 ? <span className="faint">—</span> : row.aliases.map((entry) => <AliasChip key={entry.alias} alias={entry.alias} version={entry.version} />)}
                      </span>
                    </td>
                    <td>
                      <span className="chip-list">
                        {staged.length === 0 ? <span className="faint">—</span> : staged.map((version) => <StageBadge key={version.stage} stage={version.stage} version={version.version} />)}
                      </span>
                    </td>
                    <td className="right numeric">{row.versionCount}</td>
                    <td className="numeric muted">{formatTimestamp(row.updatedAt)}</td>
                    <td className="muted models-description" title={row.description || undefined}>{row.description || <span className="faint">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="models-hint faint">
            Register a model from a training run’s page (<strong>Register model…</strong>). <span className="kbd">j</span> <span className="kbd">k</span> move,{' '}
            <span className="kbd">Enter</span> opens.
          </p>
        </div>
      )}
    </div>
  );
}
