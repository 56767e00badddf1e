import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactElement } from 'react';
import type { Run } from '../../../shared/tracking';
import { runLabel, type DiffCell, type DiffRow } from '../../lib/run-diff';
import { seriesColor } from '../../lib/series-color';

const lineHeight = 28;
const headerWidth = 240;
const cellWidth = 150;
// Before the scroll element is measured (first paint, tests) render a screenful, not nothing.
const initialRect = { width: 1200, height: 720 };

function RunHeading({ run, baseline }: { run: Run; baseline: boolean }): ReactElement {
  const label = runLabel(run);
  return (
    <span className="diff-run" title={`${label} (${run.id})${baseline ? ' — baseline' : ''}`}>
      <span className="diff-swatch" style={{ background: seriesColor(run.id) }} aria-hidden="true" />
      <span className="diff-run-name">{label}</span>
      {baseline ? <span className="diff-baseline-badge">baseline</span> : null}
    </span>
  );
}

function KeyHeading({ row }: { row: DiffRow }): ReactElement {
  return (
    <span className="diff-key" title={`${row.section}: ${row.label}`}>
      <span className="diff-section">{row.section}</span>
      <span className="mono diff-key-name">{row.label}</span>
    </span>
  );
}

function Cell({ cell }: { cell: DiffCell | undefined }): ReactElement {
  return (
    <div className={`diff-cell mono mark-${cell?.mark ?? 'missing'}`} role="cell" data-mark={cell?.mark ?? 'missing'} title={cell?.exact}>
      {cell?.text ?? '—'}
    </div>
  );
}

/**
 * The diff as a grid with sticky headers; only the lines in view are rendered (100 runs × 200
 * keys is 20,000 cells). Keys down and runs across, or transposed: runs down and keys across.
 */
export function DiffGrid({ rows, runs, baselineIndex, transpose }: { rows: readonly DiffRow[]; runs: readonly Run[]; baselineIndex: number; transpose: boolean }): ReactElement {
  const scrollRef = useRef<HTMLDivElement>(null);
  const lineCount = transpose ? runs.length : rows.length;
  const columnCount = transpose ? rows.length : runs.length;
  const virtualizer = useVirtualizer({
    count: lineCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => lineHeight,
    overscan: 12,
    initialRect,
  });
  const template = `${headerWidth}px repeat(${columnCount}, ${cellWidth}px)`;
  const width = headerWidth + columnCount * cellWidth;
  const baselineRun = runs[baselineIndex];

  return (
    <div className="diff-grid" ref={scrollRef} role="table" aria-label="Run differences" aria-rowcount={lineCount + 1} data-testid="diff-grid" style={{ ['--diff-columns' as string]: template }}>
      <div className="diff-line diff-head" role="row" style={{ width }}>
        <div className="diff-corner" role="columnheader">{transpose ? 'run' : 'key'}</div>
        {transpose
          ? rows.map((row) => <div key={row.id} className="diff-heading" role="columnheader"><KeyHeading row={row} /></div>)
          : runs.map((run, index) => (
              <div key={run.id} className="diff-heading" role="columnheader" data-testid="diff-run-heading">
                <RunHeading run={run} baseline={index === baselineIndex} />
              </div>
            ))}
      </div>
      <div className="diff-body" style={{ height: virtualizer.getTotalSize(), width }}>
        {virtualizer.getVirtualItems().map((item) => {
          if (transpose) {
            const run = runs[item.index];
            if (!run) return null;
            return (
              <div key={run.id} className="diff-line" role="row" data-testid="diff-row" data-key={run.id} style={{ transform: `translateY(${item.start}px)`, width }}>
                <div className="diff-row-heading" role="rowheader"><RunHeading run={run} baseline={run === baselineRun} /></div>
                {rows.map((row) => <Cell key={row.id} cell={row.cells[item.index]} />)}
              </div>
            );
          }
          const row = rows[item.index];
          if (!row) return null;
          return (
            <div key={row.id} className="diff-line" role="row" data-testid="diff-row" data-key={row.id} style={{ transform: `translateY(${item.start}px)`, width }}>
              <div className="diff-row-heading" role="rowheader"><KeyHeading row={row} /></div>
              {runs.map((run, index) => <Cell key={run.id} cell={row.cells[index]} />)}
            </div>
          );
        })}
      </div>
    </div>
  );
}
