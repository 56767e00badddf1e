import { memo, type ReactElement } from 'react';
import type { Run } from '../../../shared/tracking';
import { ChevronIcon } from '../../components/icons';
import { StatusBadge } from '../../components/status-badge';
import { parseKeyedColumn, type ColumnId } from '../../lib/columns';
import { formatDuration, formatMetric, formatTimestamp, runDuration } from '../../lib/format';
import { runHref } from '../../lib/hash-route';
import type { TreeRow } from '../../lib/run-tree';
import { seriesColor } from '../../lib/series-color';
import { useNow } from '../../lib/use-now';
import type { CheckGesture } from '../../stores/selection';

interface RunRowProps {
  readonly row: Extract<TreeRow, { kind: 'run' }>;
  readonly columns: readonly ColumnId[];
  readonly selected: boolean;
  /** In the comparison selection (the checkbox), as opposed to `selected`, the focused row. */
  readonly checked: boolean;
  readonly top: number;
  readonly onSelect: (runId: string) => void;
  /** `range`: shift-click, from the last run checked to this one; `descendants`: alt-click. */
  readonly onCheck: (runId: string, gesture: CheckGesture) => void;
  readonly onOpen: (runId: string) => void;
  readonly onToggle: (runId: string) => void;
}

/** One run in the table. Memoized: a live update re-renders the rows that changed, not all. */
export const RunRow = memo(function RunRow({ row, columns, selected, checked, top, onSelect, onCheck, onOpen, onToggle }: RunRowProps): ReactElement {
  const { run } = row;
  return (
    <div
      className="runs-row"
      role="row"
      aria-selected={selected}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onSelect(run.id)}
      onDoubleClick={() => onOpen(run.id)}
      data-testid="run-row"
      data-run-id={run.id}
      data-depth={row.depth}
      data-checked={checked}
    >
      <div className="cell cell-check" role="cell">
        <input
          type="checkbox"
          checked={checked}
          // Handled on click, which carries shiftKey for ranges; onChange only keeps React's
          // controlled-input contract.
          onChange={() => undefined}
          onClick={(event) => {
            event.stopPropagation();
            onCheck(run.id, event.altKey ? 'descendants' : event.shiftKey ? 'range' : 'one');
          }}
          aria-label={`Select ${run.name} for comparison`}
          title={run.childCount > 0 ? 'Select for comparison (shift-click: a range; alt-click or Shift+A: with all its descendant runs)' : 'Select for comparison (shift-click: a range)'}
          data-testid="run-check"
        />
      </div>
      <div className="cell cell-name" role="cell" style={{ paddingLeft: 8 + row.depth * 18 }}>
        {row.expandable ? (
          <button
            type="button"
            className="tree-toggle"
            aria-expanded={row.expanded}
            aria-label={row.expanded ? `Collapse ${run.name}` : `Expand ${run.name} (${run.childCount} child runs)`}
            onClick={(event) => {
              event.stopPropagation();
              onToggle(run.id);
            }}
            data-testid="expand-toggle"
          >
            <ChevronIcon size={12} />
          </button>
        ) : (
          <span className="tree-spacer" />
        )}
        <span className="series-swatch" style={{ background: seriesColor(run.id) }} aria-hidden="true" />
        <a className="run-name" href={runHref(run.id)} onClick={(event) => event.stopPropagation()} data-testid="run-name" title={run.name}>
          {run.name}
        </a>
        {run.syncedBy ? <span className="synced-by" data-testid="run-synced-by" title={`Pulled from the team bucket; made by ${run.syncedBy}`}>{run.syncedBy}</span> : null}
        {row.expandable ? <span className="child-count numeric" title={`${run.childCount} child runs`}>{run.childCount}</span> : null}
      </div>
      <div className="cell" role="cell">
        <StatusBadge status={run.status} compact />
      </div>
      <div className="cell numeric muted" role="cell" title={new Date(run.startTime).toISOString()}>
        {formatTimestamp(run.startTime)}
      </div>
      <div className="cell numeric muted cell-right" role="cell">
        <Duration run={run} />
      </div>
      {columns.map((column) => (
        <KeyedCell key={column} run={run} column={column} />
      ))}
    </div>
  );
});

function Duration({ run }: { run: Run }): ReactElement {
  const now = useNow(run.status === 'RUNNING' && run.endTime === null);
  return <>{formatDuration(runDuration(run, now || Date.now()))}</>;
}

function KeyedCell({ run, column }: { run: Run; column: ColumnId }): ReactElement {
  const keyed = parseKeyedColumn(column);
  if (!keyed) return <div className="cell" role="cell" />;
  if (keyed.kind === 'param') {
    const value = run.params[keyed.key];
    return (
      <div className="cell numeric" role="cell" title={value}>
        {value ?? <span className="faint">—</span>}
      </div>
    );
  }
  const metric = run.metrics[keyed.key];
  return (
    <div className="cell numeric cell-right" role="cell" title={metric ? `${metric.value} at step ${metric.step}` : undefined} data-column={column}>
      {metric ? formatMetric(metric.value) : <span className="faint">—</span>}
    </div>
  );
}

/** A note under an expanded parent: loading, failed, or "N more". */
export function NoteRow({ row, top }: { row: Extract<TreeRow, { kind: 'note' }>; top: number }): ReactElement {
  return (
    <div className={`runs-row note ${row.tone}`} role="row" style={{ transform: `translateY(${top}px)` }}>
      <div className="cell" role="cell" style={{ paddingLeft: 8 + row.depth * 18 + 22 }}>
        {row.text}
      </div>
    </div>
  );
}

