import { useState, type ReactElement, type ReactNode } from 'react';
import { CopyButton } from '../../components/copy-text';
import { hoverRowsToTsv, sortHoverRows, type HoverRow } from '../../lib/compare-series';
import { formatMetric } from '../../lib/format';

const nextDirection = { none: 'desc', desc: 'asc', asc: 'none' } as const;

/** Every run's value at the hovered (or pinned, by a click) x: sortable by value, copyable as TSV. */
export function HoverTable({ rows, x, xLabel, xText, pinned, onUnpin }: { rows: readonly HoverRow[]; x: number; xLabel: string; xText: string; pinned: boolean; onUnpin: () => void }): ReactElement {
  const [direction, setDirection] = useState<'none' | 'asc' | 'desc'>('none');
  const sorted = sortHoverRows(rows, direction === 'none' ? null : direction);
  const smoothing = rows.some((row) => row.smoothed !== null);
  return (
    <div className="hover-table" data-testid="hover-table" data-pinned={pinned}>
      <HoverTableHead xLabel={xLabel} xText={xText} pinned={pinned} onUnpin={onUnpin}>
        <CopyButton text={hoverRowsToTsv(sorted, xLabel, x)} label="values as TSV" testId="hover-copy" />
      </HoverTableHead>
      <table className="data-table compact">
        <thead>
          <tr>
            <th>Run</th>
            <th className="numeric">Step</th>
            <th className="numeric sortable" aria-sort={direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none'}>
              <button type="button" className="link-button" onClick={() => setDirection(nextDirection[direction])} data-testid="hover-sort">
                Value{direction === 'asc' ? ' ▲' : direction === 'desc' ? ' ▼' : ''}
              </button>
            </th>
            {smoothing ? <th className="numeric">Smoothed</th> : null}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={row.runId} data-testid="hover-row" data-run-id={row.runId}>
              <td>
                <span className="series-swatch" style={{ background: row.color }} aria-hidden="true" /> {row.name}
              </td>
              <td className="numeric">{row.step}</td>
              <td className="numeric">{formatMetric(row.value)}</td>
              {smoothing ? <td className="numeric">{row.smoothed === null ? '—' : formatMetric(row.smoothed)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Where the table is (the x under the cursor), whether it is pinned, and its actions. */
export function HoverTableHead({ xLabel, xText, pinned, onUnpin, children = null }: { xLabel: string; xText: string; pinned: boolean; onUnpin: () => void; children?: ReactNode }): ReactElement {
  return (
    <div className="hover-table-head">
      <span className="numeric">{xLabel} <strong>{xText}</strong></span>
      <span className="faint">{pinned ? 'pinned' : 'click the chart to pin'}</span>
      <span className="spacer" />
      {children}
      {pinned ? <button type="button" className="button compact" onClick={onUnpin}>Unpin</button> : null}
    </div>
  );
}
