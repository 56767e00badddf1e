import { useCallback, useMemo, useState, type KeyboardEvent, type PointerEvent, type ReactElement } from 'react';
import type { Run } from '../../../shared/tracking';
import { EmptyState } from '../../components/empty-state';
import { compareHref } from '../../lib/hash-route';
import { axisCandidates, buildAxis, defaultAxes, moveAxis, runsPassingBrushes, type AxisBrush, type AxisKey } from '../../lib/parallel-axes';
import { seriesColor } from '../../lib/series-color';
import { navigate } from '../../lib/use-route';
import { useSelectionStore } from '../../stores/selection';
import { isTyping } from '../runs/use-table-keyboard';
import { AxisChooser, ParallelCoords } from './parallel-coords';
import { ScatterPlot } from './scatter-plot';
import './relations.css';

interface RelationsTabProps {
  readonly runs: readonly Run[];
  /** The page's colour-by map; null colours each run by its id, as the charts do. */
  readonly colors: ReadonlyMap<string, string> | null;
}

/**
 * How params relate to outcomes across the compared runs: parallel coordinates to brush a
 * region of the sweep, a scatter of any two keys, both showing the same brushed runs. Keeping
 * the brushed runs narrows the comparison itself (and can be undone once).
 */
export function RelationsTab({ runs, colors }: RelationsTabProps): ReactElement {
  const candidates = useMemo(() => axisCandidates(runs), [runs]);
  const [picked, setPicked] = useState<readonly AxisKey[] | null>(null);
  const [brushes, setBrushes] = useState<ReadonlyMap<AxisKey, AxisBrush>>(new Map());
  const [previous, setPrevious] = useState<readonly string[] | null>(null);
  // Axes the runs no longer have (after narrowing to runs without a param) drop out quietly.
  const shown = useMemo(() => (picked ?? defaultAxes(candidates)).filter((key) => candidates.some((one) => one.key === key)), [picked, candidates]);
  const axes = useMemo(() => shown.map((key) => buildAxis(runs, key)), [runs, shown]);
  const passing = useMemo(() => runsPassingBrushes(runs, axes, brushes), [runs, axes, brushes]);
  const passingIds = useMemo(() => new Set(passing.map((run) => run.id)), [passing]);
  const brushed = axes.some((axis) => brushes.has(axis.key));
  const colorOf = useCallback((runId: string): string => colors?.get(runId) ?? seriesColor(runId), [colors]);

  const setBrush = (key: AxisKey, brush: AxisBrush | null): void =>
    setBrushes((current) => {
      const next = new Map(current);
      if (brush) next.set(key, brush);
      else next.delete(key);
      return next;
    });
  const narrowTo = (ids: readonly string[]): void => {
    useSelectionStore.getState().replace(ids);
    navigate(compareHref(ids));
  };
  const canKeep = brushed && passing.length > 0 && passing.length < runs.length;
  const keep = (): void => {
    if (!canKeep) return;
    const before = useSelectionStore.getState().ids;
    setPrevious(before.length > 0 ? before : runs.map((run) => run.id));
    // Freeze the axes: the defaults recomputed over fewer runs would reshuffle what was just read.
    setPicked(shown);
    setBrushes(new Map());
    narrowTo(passing.map((run) => run.id));
  };
  const undo = (): void => {
    if (!previous) return;
    narrowTo(previous);
    setPrevious(null);
  };

  // Brushing with the mouse focuses the panel, so Enter right after a brush keeps it.
  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    if (event.target instanceof Element && !event.target.closest('button, a, select, input')) event.currentTarget.focus({ preventScroll: true });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    // Enter on a button or link already activates it; only the panel itself (or the charts) keeps.
    if (isTyping(event.target) || (event.target instanceof HTMLElement && event.target.closest('button, a'))) return;
    if (event.key === 'Enter' && canKeep) {
      event.preventDefault();
      keep();
    } else if (event.key === 'Escape' && brushed) {
      // Clears the brushes before the page's Escape (back to runs) gets its turn.
      event.preventDefault();
      setBrushes(new Map());
    }
  };

  if (runs.length === 0) return <EmptyState title="Loading runs…" />;
  if (runs.length < 2) {
    return (
      <EmptyState title="Relations need at least two runs" testId="relations-empty">
        <p>Add more runs to the comparison from the runs table: one run has nothing to relate.</p>
      </EmptyState>
    );
  }
  if (candidates.length === 0) {
    return (
      <EmptyState title="No params or metrics to relate" testId="relations-empty">
        <p>These runs logged no params and no metrics. Log params (the hyperparameters) and at least one metric, then come back.</p>
      </EmptyState>
    );
  }

  return (
    <div className="relations-tab" tabIndex={0} onKeyDown={onKeyDown} onPointerDownCapture={onPointerDown} data-testid="relations-tab" aria-label="Relations: drag along an axis to brush, Enter keeps the brushed runs">
      <div className="relations-bar">
        {brushed ? (
          <>
            <span data-testid="brushed-count">
              {passing.length} of {runs.length} runs within the brushes
            </span>
            {canKeep ? (
              <button type="button" className="button primary" onClick={keep} data-testid="keep-brushed" title="Narrow the comparison to these runs (Enter)">
                Keep these {passing.length}
              </button>
            ) : null}
            <button type="button" className="button" onClick={() => setBrushes(new Map())} data-testid="clear-brushes" title="Clear the brushes (Esc)">
              Clear brushes
            </button>
          </>
        ) : (
          <span className="faint">Drag along an axis to brush a range; drag a header to move its axis.</span>
        )}
        {previous ? (
          <button type="button" className="button" onClick={undo} data-testid="undo-narrowing" title="Go back to the runs compared before keeping">
            Undo: back to {previous.length} runs
          </button>
        ) : null}
      </div>
      <AxisChooser candidates={candidates} shown={shown} onChange={setPicked} />
      {axes.length === 0 ? (
        <p className="faint">Pick at least one param or metric above to draw an axis.</p>
      ) : (
        <ParallelCoords runs={runs} axes={axes} brushes={brushes} passing={passingIds} colorOf={colorOf} onReorder={(key, index) => setPicked(moveAxis(shown, key, index))} onBrush={setBrush} />
      )}
      <ScatterPlot runs={runs} candidates={candidates} highlighted={brushed ? passingIds : null} colorOf={colorOf} />
    </div>
  );
}
