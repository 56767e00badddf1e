import { useMemo, useState, type ReactElement } from 'react';
import { EmptyState } from '../../components/empty-state';

/** Params or tags: a sorted two-column table with a quick key filter for long lists. */
export function KeyValueTable({ entries, kind, emptyHint, sorted = true }: { entries: Readonly<Record<string, string>>; kind: string; emptyHint: string; sorted?: boolean }): ReactElement {
  const [query, setQuery] = useState('');
  // Params and tags read best alphabetically; fixed records (environment) keep their own order.
  const rows = useMemo(
    () => (sorted ? Object.entries(entries).sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })) : Object.entries(entries)),
    [entries, sorted],
  );
  if (rows.length === 0) return <EmptyState title={`No ${kind}`}>{emptyHint}</EmptyState>;
  const needle = query.trim().toLowerCase();
  const shown = needle === '' ? rows : rows.filter(([key, value]) => key.toLowerCase().includes(needle) || value.toLowerCase().includes(needle));
  return (
    <div className="kv" data-testid={`${kind}-table`}>
      {rows.length > 8 ? (
        <input className="input kv-filter" placeholder={`Find in ${rows.length} ${kind}…`} value={query} onChange={(event) => setQuery(event.target.value)} aria-label={`Find ${kind}`} />
      ) : null}
      <table className="kv-table">
        <tbody>
          {shown.map(([key, value]) => (
            <tr key={key} data-testid="kv-row" data-key={key}>
              <th scope="row" className="mono">{key}</th>
              <td className="mono">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 ? <div className="muted kv-none">Nothing matches “{query}”.</div> : null}
    </div>
  );
}
