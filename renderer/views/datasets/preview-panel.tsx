import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type ReactElement } from 'react';
import type { ColumnSchema, DatasetVersion } from '../../../shared/datasets';
import { EmptyState } from '../../components/empty-state';
import { usePreviewPages } from './use-preview-pages';
import './preview.css';

const rowHeight = 26;
const numberWidth = 64;

function widthOf(column: ColumnSchema): number {
  switch (column.kind) {
    case 'integer':
    case 'float':
      return 112;
    case 'boolean':
      return 84;
    case 'date':
      return 112;
    case 'timestamp':
      return 176;
    default:
      return 168;
  }
}

/** Every row of the version, virtualized: pages of rows are fetched as they scroll into view. */
export function PreviewPanel({ version }: { version: DatasetVersion }): ReactElement {
  const preview = usePreviewPages(version);
  const scrollRef = useRef<HTMLDivElement>(null);
  const columns = preview.columns ?? version.schema;
  const total = preview.total ?? version.rowCount;
  const template = useMemo(() => [`${numberWidth}px`, ...columns.map((column) => `minmax(${widthOf(column)}px, 1fr)`)].join(' '), [columns]);
  const minWidth = numberWidth + columns.reduce((sum, column) => sum + widthOf(column), 0);
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 20 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const visible = virtualizer.range;
  const { ensure } = preview;
  useEffect(() => {
    ensure(first, last);
  }, [first, last, ensure]);

  if (preview.error && preview.total === null) {
    return (
      <EmptyState title="The rows could not be read" testId="preview-error">
        <p>{preview.error}</p>
        <button type="button" className="button" onClick={preview.retry}>Try again</button>
      </EmptyState>
    );
  }
  if (total === 0) return <EmptyState title="No rows" testId="preview-empty">This version has a header but no data rows.</EmptyState>;

  return (
    <div className="preview" data-testid="preview-panel" data-total={total}>
      <div className="preview-meta faint numeric">
        {total.toLocaleString('en-US')} rows · {columns.length} columns
        {visible ? ` · rows ${(visible.startIndex + 1).toLocaleString('en-US')}–${(visible.endIndex + 1).toLocaleString('en-US')} in view` : ''}
        {preview.error ? (
          <span className="inline-error">
            {' '}· some rows failed to load: {preview.error}{' '}
            <button type="button" className="button" onClick={preview.retry}>Retry</button>
          </span>
        ) : null}
      </div>
      <div className="preview-scroll" ref={scrollRef} role="table" aria-label="Rows" aria-rowcount={total} data-testid="preview-table" style={{ ['--preview-columns' as string]: template }}>
        <div className="preview-header" role="row" style={{ minWidth }}>
          <div className="preview-cell index" role="columnheader">#</div>
          {columns.map((column) => (
            <div key={column.name} className={`preview-cell${isNumber(column) ? ' right' : ''}`} role="columnheader" title={`${column.name} · ${column.type}`}>
              <span className="preview-column-name">{column.name}</span>
              <span className="preview-column-type">{column.type.toLowerCase()}</span>
            </div>
          ))}
        </div>
        <div className="preview-body" style={{ height: virtualizer.getTotalSize(), minWidth }}>
          {items.map((item) => {
            const row = preview.row(item.index);
            return (
              <div key={item.key} className="preview-row" role="row" style={{ transform: `translateY(${item.start}px)` }} data-testid="preview-row" data-index={item.index}>
                <div className="preview-cell index numeric" role="cell">{(item.index + 1).toLocaleString('en-US')}</div>
                {row
                  ? columns.map((column, index) => {
                      const value = row[index] ?? null;
                      return (
                        <div key={column.name} className={`preview-cell${isNumber(column) ? ' right numeric' : ''}${value === null ? ' null' : ''}`} role="cell" title={value ?? 'null'}>
                          {value ?? 'null'}
                        </div>
                      );
                    })
                  : <div className="preview-cell loading faint" role="cell">…</div>}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

const isNumber = (column: ColumnSchema): boolean => column.kind === 'integer' || column.kind === 'float';
