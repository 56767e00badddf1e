import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, type ReactElement } from 'react';
import { EmptyState } from '../../components/empty-state';
import { columnLabel, fixedColumns, nextSort, sortDirectionOf, sortFieldOf, type ColumnId } from '../../lib/columns';
import { runHref } from '../../lib/hash-route';
import { buildFlatRows, buildTreeRows, type TreeRow } from '../../lib/run-tree';
import { navigate } from '../../lib/use-route';
import { isTreeMode, useRunsStore } from '../../stores/runs';
import { useSelectionStore, type CheckGesture } from '../../stores/selection';
import { NoteRow, RunRow } from './run-row';
import { useTableKeyboard } from './use-table-keyboard';
import './runs-table.css';

const rowHeight = 28;
const fixedWidths = ['30px', 'minmax(240px, 2.2fr)', '104px', '148px', '86px'];
const keyedWidth = 'minmax(104px, 1fr)';

// The table unmounts while a run page is open; its scroll position comes back with it.
let savedScrollOffset = 0;

/**
 * The runs table: virtualized rows (a few dozen DOM nodes for any number of runs), server-side
 * sort from the headers, the next page loaded as the end scrolls into view.
 */
export function RunsTable(): ReactElement {
  const roots = useRunsStore((state) => state.roots);
  const children = useRunsStore((state) => state.children);
  const expanded = useRunsStore((state) => state.expanded);
  const treeMode = useRunsStore(isTreeMode);
  const columns = useRunsStore((state) => state.columns);
  const selectedId = useRunsStore((state) => state.selectedId);
  const nextPageToken = useRunsStore((state) => state.nextPageToken);
  const loadingMore = useRunsStore((state) => state.loadingMore);
  const stale = useRunsStore((state) => state.filterError !== null);
  const { select, toggleExpanded, loadMore } = useRunsStore.getState();

  const rows = useMemo((): TreeRow[] => (treeMode ? buildTreeRows(roots, children, expanded) : buildFlatRows(roots)), [treeMode, roots, children, expanded]);
  const checkedIds = useSelectionStore((state) => state.ids);
  const checked = useMemo(() => new Set(checkedIds), [checkedIds]);
  // Shift-click ranges follow the rows as shown (tree order, loaded children included).
  const order = useMemo(() => rows.flatMap((row) => (row.kind === 'run' ? [row.run.id] : [])), [rows]);
  const orderRef = useRef(order);
  orderRef.current = order;
  const check = useCallback((runId: string, gesture: CheckGesture) => {
    const selection = useSelectionStore.getState();
    if (gesture === 'range') selection.extendTo(runId, orderRef.current);
    else if (gesture === 'descendants') void selection.toggleWithDescendants(runId);
    else selection.toggle(runId);
  }, []);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length + (nextPageToken ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 16,
    initialOffset: savedScrollOffset,
    getItemKey: (index) => rows[index]?.key ?? '__more__',
  });
  const items = virtualizer.getVirtualItems();

  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (nextPageToken && lastIndex >= rows.length - 20) void loadMore();
  }, [lastIndex, rows.length, nextPageToken, loadMore]);

  const open = useCallback((runId: string) => {
    select(runId);
    navigate(runHref(runId));
  }, [select]);
  const scrollToIndex = useCallback((index: number) => virtualizer.scrollToIndex(index, { align: 'auto' }), [virtualizer]);
  useTableKeyboard(rows, selectedId, { select, open, toggle: toggleExpanded, scrollToIndex, check });

  // Coming back from a run page: keep the run that was opened in view.
  useEffect(() => {
    const index = rows.findIndex((row) => row.kind === 'run' && row.run.id === selectedId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
    // Only on mount (empty deps on purpose): later moves scroll from the keyboard handler.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const template = [...fixedWidths, ...columns.map(() => keyedWidth)].join(' ');
  const minWidth = 30 + 240 + 104 + 148 + 86 + columns.length * 104;

  return (
    <div
      className={`runs-table${stale ? ' stale' : ''}`}
      ref={scrollRef}
      role="table"
      aria-label="Runs"
      aria-rowcount={rows.length}
      data-testid="runs-table"
      onScroll={(event) => (savedScrollOffset = event.currentTarget.scrollTop)}
      style={{ ['--runs-columns' as string]: template }}
    >
      <HeaderRow columns={columns} minWidth={minWidth} loadedIds={order} />
      <div className="runs-body" style={{ height: virtualizer.getTotalSize(), minWidth }}>
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) {
            return (
              <div key={item.key} className="runs-row note muted" style={{ transform: `translateY(${item.start}px)` }}>
                <div className="cell">{loadingMore ? 'Loading more runs…' : ' '}</div>
              </div>
            );
          }
          if (row.kind === 'note') return <NoteRow key={item.key} row={row} top={item.start} />;
          return (
            <RunRow
              key={item.key}
              row={row}
              columns={columns}
              selected={row.run.id === selectedId}
              checked={checked.has(row.run.id)}
              onCheck={check}
              top={item.start}
              onSelect={select}
              onOpen={open}
              onToggle={toggleExpanded}
            />
          );
        })}
      </div>
      <TableEmptyState hasRows={rows.length > 0} />
    </div>
  );
}

function HeaderRow({ columns, minWidth, loadedIds }: { columns: readonly ColumnId[]; minWidth: number; loadedIds: readonly string[] }): ReactElement {
  const sort = useRunsStore((state) => state.sort);
  const setSort = useRunsStore((state) => state.setSort);
  return (
    <div className="runs-header" role="row" style={{ minWidth }}>
      <SelectAllCell loadedIds={loadedIds} />
      {[...fixedColumns, ...columns].map((column) => {
        const direction = sortDirectionOf(sort, column);
        const sortable = sortFieldOf(column) !== null;
        const keyed = column.startsWith('params.') || column.startsWith('metrics.');
        return (
          <div
            key={column}
            className={`header-cell${sortable ? ' sortable' : ''}${column === 'duration' || column.startsWith('metrics.') ? ' cell-right' : ''}`}
            role="columnheader"
            aria-sort={direction === 'ASC' ? 'ascending' : direction === 'DESC' ? 'descending' : 'none'}
            onClick={sortable ? () => setSort(nextSort(sort, column)) : undefined}
            title={sortable ? `Sort by ${sortFieldOf(column)}` : 'Not sortable'}
            data-testid="column-header"
            data-column={column}
          >
            {keyed ? <span className="header-kind">{column.startsWith('params.') ? 'P' : 'M'}</span> : null}
            <span className="header-label">{columnLabel(column)}</span>
            {direction ? <span className="sort-arrow" aria-hidden="true">{direction === 'ASC' ? '▲' : '▼'}</span> : null}
          </div>
        );
      })}
    </div>
  );
}

/**
 * The header checkbox: selects every run matching the filter (through the table's own search, up
 * to the cap), or, when every run shown is already selected, unselects them.
 */
function SelectAllCell({ loadedIds }: { loadedIds: readonly string[] }): ReactElement {
  const ids = useSelectionStore((state) => state.ids);
  const busy = useSelectionStore((state) => state.selectingAll);
  const chosen = new Set(ids);
  const shownChosen = loadedIds.filter((id) => chosen.has(id)).length;
  const all = loadedIds.length > 0 && shownChosen === loadedIds.length;
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = !all && shownChosen > 0;
  }, [all, shownChosen]);
  return (
    <div className="header-cell cell-check" role="columnheader">
      <input
        ref={ref}
        type="checkbox"
        checked={all}
        disabled={busy || loadedIds.length === 0}
        onChange={() => {
          const selection = useSelectionStore.getState();
          if (all) selection.remove(loadedIds);
          else void selection.selectAllMatching();
        }}
        aria-label={all ? 'Unselect the runs shown' : 'Select all runs matching the filter'}
        title={all ? 'Unselect the runs shown' : 'Select all runs matching the filter'}
        data-testid="select-all-runs"
      />
    </div>
  );
}

/** What an empty table says: loading, why it failed (and retry), or what to do next. */
function TableEmptyState({ hasRows }: { hasRows: boolean }): ReactElement | null {
  const loading = useRunsStore((state) => state.loading);
  const loadError = useRunsStore((state) => state.loadError);
  const filter = useRunsStore((state) => state.filter);
  const total = useRunsStore((state) => state.total);
  const reload = useRunsStore((state) => state.reload);
  if (hasRows) return null;
  if (loadError) {
    return (
      <EmptyState title="Runs could not be loaded" testId="runs-error">
        <p>{loadError}</p>
        <button type="button" className="button" onClick={() => void reload()}>Try again</button>
      </EmptyState>
    );
  }
  if (loading || total === null) return <EmptyState title="Loading runs…" testId="runs-loading" />;
  if (filter !== '') {
    return (
      <EmptyState title="No runs match this filter" testId="runs-empty">
        <p>
          Nothing matches <code>{filter}</code>. Check the field names (<code>metrics.</code>, <code>params.</code>, <code>tags.</code>,{' '}
          <code>attributes.</code>) and values, or press <span className="kbd">Esc</span> in the filter box to clear it.
        </p>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No runs yet" testId="runs-empty">
      <p>
        Log one with the API or <code>trainyard runs create</code>, or point an MLflow script at Trainyard with{' '}
        <code>MLFLOW_TRACKING_URI</code>. New runs appear here as they start.
      </p>
    </EmptyState>
  );
}
