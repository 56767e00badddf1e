import { memo, useMemo, useState, type CSSProperties, type ReactElement } from 'react';
import { confusionGrid, type ConfusionData } from '../../lib/evaluation-data';

/** Past this many classes the cells are too small for numbers: hovering tells them. */
const labelledClasses = 16;

const percent = (share: number | null): string => (share === null ? '—' : `${(share * 100).toFixed(share >= 0.995 || share === 0 ? 0 : 1)}%`);

/** Counts / Row % switch, shared by side-by-side matrices. */
export function NormalizeToggle({ normalized, onChange }: { normalized: boolean; onChange: (normalized: boolean) => void }): ReactElement {
  return (
    <span className="button-group eval-toggle" role="group" aria-label="Cell values">
      <button type="button" className="button compact" aria-pressed={!normalized} onClick={() => onChange(false)} data-testid="confusion-counts">Counts</button>
      <button type="button" className="button compact" aria-pressed={normalized} onClick={() => onChange(true)} title="Each true class's row as shares of its rows (recall on the diagonal)" data-testid="confusion-normalized">Row %</button>
    </span>
  );
}

interface ConfusionMatrixProps {
  readonly data: ConfusionData;
  /** Shade and label cells by row share instead of count; the matrix keeps its own switch when not given. */
  readonly normalized?: boolean;
  readonly onNormalizedChange?: (normalized: boolean) => void;
  readonly title?: string;
  readonly testId?: string;
}

/**
 * The confusion matrix as a heat-map grid: a row per true class, a column per predicted class,
 * darker for more rows (or, normalized, a larger share of the true class). Hovering a cell says
 * what it counts in words.
 */
export const ConfusionMatrix = memo(function ConfusionMatrix({ data, normalized: controlled, onNormalizedChange, title = 'Confusion matrix', testId = 'confusion-matrix' }: ConfusionMatrixProps): ReactElement {
  const [own, setOwn] = useState(false);
  const normalized = controlled ?? own;
  const rows = useMemo(() => confusionGrid(data, normalized), [data, normalized]);
  const [hovered, setHovered] = useState<{ row: number; column: number } | null>(null);
  const total = rows.reduce((sum, row) => sum + row.total, 0);
  const correct = rows.reduce((sum, row, index) => sum + (row.cells[index]?.count ?? 0), 0);
  const labelled = data.classes.length <= labelledClasses;
  const cell = hovered ? rows[hovered.row]?.cells[hovered.column] : undefined;
  const actual = hovered ? rows[hovered.row] : undefined;
  const grid: CSSProperties = { gridTemplateColumns: `max-content repeat(${data.classes.length}, minmax(${labelled ? 34 : 12}px, 1fr))` };

  return (
    <figure className="metric-chart eval-plot" data-testid={testId} data-normalized={normalized}>
      <figcaption className="chart-caption">
        <span className="chart-key">{title}</span>
        <span className="chart-meta numeric">{correct.toLocaleString()} of {total.toLocaleString()} on the diagonal</span>
        {controlled === undefined ? <NormalizeToggle normalized={own} onChange={setOwn} /> : onNormalizedChange ? <NormalizeToggle normalized={normalized} onChange={onNormalizedChange} /> : null}
      </figcaption>
      <div className="confusion-scroll">
        <div className="confusion-axis-top faint">predicted →</div>
        <div className="confusion-grid" style={grid} role="grid" aria-label={title} onMouseLeave={() => setHovered(null)} data-testid="confusion-grid" data-classes={data.classes.length}>
          <div className="confusion-corner faint" role="presentation">true ↓</div>
          {data.classes.map((name) => (
            <div key={name} className="confusion-label column" role="columnheader" title={`predicted ${name}`}>{labelled ? name : ''}</div>
          ))}
          {rows.map((row, rowIndex) => (
            <div key={row.actual} className="confusion-row" role="row">
              <div className="confusion-label" role="rowheader" title={`true ${row.actual}: ${row.total.toLocaleString()} rows`}>{row.actual}</div>
              {row.cells.map((entry, column) => {
                const shade = Math.round(entry.shade * 100);
                return (
                  <div
                    key={entry.predicted}
                    role="gridcell"
                    className={`confusion-cell${rowIndex === column ? ' diagonal' : ''}${hovered?.row === rowIndex && hovered.column === column ? ' hovered' : ''}${entry.shade > 0.55 ? ' dark' : ''}`}
                    style={{ background: `color-mix(in srgb, var(--accent) ${shade}%, var(--bg))` }}
                    onMouseEnter={() => setHovered({ row: rowIndex, column })}
                    data-testid="confusion-cell"
                    data-actual={row.actual}
                    data-predicted={entry.predicted}
                    data-count={entry.count}
                    aria-label={`true ${row.actual}, predicted ${entry.predicted}: ${entry.count} (${percent(entry.rowShare)} of the row)`}
                  >
                    {labelled ? (normalized ? percent(entry.rowShare) : entry.count.toLocaleString()) : ''}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
      <div className="confusion-detail numeric" data-testid="confusion-detail" aria-live="polite">
        {cell && actual ? (
          <>
            True <strong>{actual.actual}</strong>, predicted <strong>{cell.predicted}</strong>: <strong>{cell.count.toLocaleString()}</strong> row{cell.count === 1 ? '' : 's'} —{' '}
            {percent(cell.rowShare)} of the {actual.total.toLocaleString()} {actual.actual} row{actual.total === 1 ? '' : 's'}
            {actual.actual === cell.predicted ? ' (recall)' : ''}
          </>
        ) : (
          <span className="faint">Hover a cell for its count and share of the row.</span>
        )}
      </div>
    </figure>
  );
});
