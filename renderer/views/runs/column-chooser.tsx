import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { ColumnsIcon } from '../../components/icons';
import { keyedColumnId, parseKeyedColumn, type ColumnId } from '../../lib/columns';
import { loadedRuns, useRunsStore } from '../../stores/runs';

/** Param and metric keys seen in the loaded runs, plus any already chosen, for the chooser. */
function useKnownKeys(): { params: string[]; metrics: string[] } {
  const roots = useRunsStore((state) => state.roots);
  const children = useRunsStore((state) => state.children);
  const columns = useRunsStore((state) => state.columns);
  return useMemo(() => {
    const params = new Set<string>();
    const metrics = new Set<string>();
    for (const run of loadedRuns({ roots, children })) {
      for (const key of Object.keys(run.params)) params.add(key);
      for (const key of Object.keys(run.metrics)) metrics.add(key);
    }
    for (const column of columns) {
      const keyed = parseKeyedColumn(column);
      if (keyed) (keyed.kind === 'param' ? params : metrics).add(keyed.key);
    }
    const sort = (set: Set<string>): string[] => [...set].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    return { params: sort(params), metrics: sort(metrics) };
  }, [roots, children, columns]);
}

/** Picks which param and metric columns the table shows; remembered per experiment. */
export function ColumnChooser(): ReactElement {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const columns = useRunsStore((state) => state.columns);
  const setColumns = useRunsStore((state) => state.setColumns);
  const known = useKnownKeys();
  const popover = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent): void => {
      if (!popover.current?.parentElement?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const toggle = (column: ColumnId): void => {
    setColumns(columns.includes(column) ? columns.filter((existing) => existing !== column) : [...columns, column]);
  };
  const needle = query.trim().toLowerCase();
  const group = (kind: 'param' | 'metric', keys: string[]): ReactElement => {
    const shown = keys.filter((key) => key.toLowerCase().includes(needle));
    return (
      <div className="chooser-group">
        <div className="chooser-heading">{kind === 'param' ? 'Params' : 'Metrics'}</div>
        {shown.length === 0 ? <div className="chooser-empty">{keys.length === 0 ? `No ${kind}s in the loaded runs yet.` : 'No match.'}</div> : null}
        {shown.map((key) => {
          const column = keyedColumnId(kind, key);
          return (
            <label key={column} className="chooser-option" data-testid="column-option" data-column={column}>
              <input type="checkbox" checked={columns.includes(column)} onChange={() => toggle(column)} />
              <span className="mono">{key}</span>
            </label>
          );
        })}
      </div>
    );
  };

  return (
    <div className="column-chooser">
      <button type="button" className="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="column-chooser-button">
        <ColumnsIcon size={14} />
        Columns{columns.length > 0 ? <span className="chooser-count">{columns.length}</span> : null}
      </button>
      {open ? (
        <div className="chooser-popover" ref={popover} data-testid="column-chooser" onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}>
          <input className="input" autoFocus placeholder="Find a key…" value={query} onChange={(event) => setQuery(event.target.value)} aria-label="Find a column" />
          <div className="chooser-lists">
            {group('metric', known.metrics)}
            {group('param', known.params)}
          </div>
          {columns.length > 0 ? (
            <button type="button" className="button chooser-reset" onClick={() => setColumns([])}>
              Hide all param and metric columns
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
