import { useEffect, useLayoutEffect, useMemo, useRef, useState, type MouseEvent, type ReactElement } from 'react';
import type { DagRun, TaskState } from '../../../shared/pipelines';
import { EmptyState } from '../../components/empty-state';
import { formatDuration, formatTimestamp } from '../../lib/format';
import { dagRunHref } from '../../lib/hash-route';
import { gridGeometry, gridSize, hitTest, moveCursor, shapeGrid, type GridHit, type GridModel } from '../../lib/pipeline-grid';
import { isDagRunActive, stateLabel } from '../../lib/pipeline-states';
import { navigate } from '../../lib/use-route';
import { useNow } from '../../lib/use-now';
import type { PipelineDetail } from '../../stores/pipelines';
import { effectiveTheme, useUiStore } from '../../stores/ui';
import { isTyping } from '../runs/use-table-keyboard';
import { paintGrid } from './grid-paint';
import { StateSwatch } from './state-chip';
import './grid.css';

const legend: readonly TaskState[] = ['success', 'running', 'failed', 'up_for_retry', 'upstream_failed', 'skipped', 'queued', 'none'];

/** What the pointer is over, and where on the screen (the tooltip is placed there). */
type Hover = GridHit & { readonly clientX: number; readonly clientY: number };

interface Cursor {
  readonly column: number;
  /** −1: the run's bar. */
  readonly row: number;
}

/**
 * The Grid tab, after Airflow's: DAG runs as columns (newest on the right) under a bar chart of
 * their durations, tasks as rows, each cell a task instance in its state's colour. Painted on one
 * canvas the size of the viewport — only the columns in view are drawn, so 1,000 runs cost what
 * 80 do — inside a scroller as wide as every column. Hover for details, click (or the keyboard
 * cursor and Enter) to open a DAG run or a task instance.
 */
export function GridPanel({ pipeline, runs }: { pipeline: PipelineDetail; runs: readonly DagRun[] | null }): ReactElement {
  const active = runs?.some(isDagRunActive) ?? false;
  const now = useNow(active);
  const steps = useMemo(() => pipeline.steps.map((step) => step.id), [pipeline.steps]);
  // `now` only matters while a run is going on (its bar grows); otherwise it stays 0 and shaping runs once.
  const model = useMemo(() => (runs ? shapeGrid(runs, steps, now || Date.now()) : null), [runs, steps, now]);
  if (!model) return <EmptyState title="Loading DAG runs…" testId="grid-loading" />;
  if (model.columns.length === 0) {
    return (
      <EmptyState title="No DAG runs yet" testId="grid-empty">
        <p>Trigger… starts one; each run becomes a column here, each task a cell in its state’s colour.</p>
      </EmptyState>
    );
  }
  return <GridView pipeline={pipeline.name} model={model} />;
}

function GridView({ pipeline, model }: { pipeline: string; model: GridModel }): ReactElement {
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [viewport, setViewport] = useState({ width: 0, scrollLeft: 0 });
  const [hover, setHover] = useState<Hover | null>(null);
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const theme = useUiStore(effectiveTheme);
  const size = gridSize(model);
  const atEnd = useRef(true);

  // Measured before the first paint, and again whenever the panel changes width; starts scrolled to the newest run.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = (): void => {
      if (atEnd.current) element.scrollLeft = element.scrollWidth;
      setViewport({ width: element.clientWidth, scrollLeft: element.scrollLeft });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  // New runs arrive on the right: a view that was at the newest stays there.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && atEnd.current && element.scrollLeft < element.scrollWidth - element.clientWidth) {
      element.scrollLeft = element.scrollWidth;
      setViewport({ width: element.clientWidth, scrollLeft: element.scrollLeft });
    }
  }, [size.width]);

  const paint = useRef(() => undefined as void);
  paint.current = () => {
    const element = canvas.current;
    if (!element || viewport.width === 0) return;
    const started = performance.now();
    paintGrid(element, model, { width: viewport.width, height: size.height, scrollLeft: viewport.scrollLeft, hover: hover?.column ?? null, cursor });
    // For the benchmark (bench/pipelines-grid.ts) and anyone profiling: when and how fast it drew.
    element.dataset.drawnColumns = String(model.columns.length);
    element.dataset.drawnAt = String(performance.now());
    element.dataset.paintMs = (performance.now() - started).toFixed(2);
  };
  // Drawn before the browser paints, so a scroll or a new run never shows a stale frame.
  useLayoutEffect(() => paint.current(), [model, viewport, hover?.column, cursor, size.height]);
  // The theme's colours reach the document in a passive effect (use-theme.ts): repaint on the next frame.
  useEffect(() => {
    const frame = requestAnimationFrame(() => paint.current());
    return () => cancelAnimationFrame(frame);
  }, [theme]);

  const open = (hit: GridHit): void => {
    const column = model.columns[hit.column];
    if (!column) return;
    navigate(hit.kind === 'bar' ? dagRunHref(pipeline, column.runId) : dagRunHref(pipeline, column.runId, model.tasks[hit.row] ?? null));
  };
  const pointAt = (event: MouseEvent<HTMLCanvasElement>): Hover | null => {
    const rect = event.currentTarget.getBoundingClientRect();
    const hit = hitTest(model, event.clientX - rect.left + viewport.scrollLeft, event.clientY - rect.top);
    return hit ? { ...hit, clientX: event.clientX, clientY: event.clientY } : null;
  };

  useGridKeys(model, cursor, {
    move: (next) => {
      setCursor(next);
      const element = scroller.current;
      if (!element) return;
      const left = next.column * gridGeometry.columnWidth;
      if (left < element.scrollLeft) element.scrollLeft = left;
      else if (left + gridGeometry.columnWidth > element.scrollLeft + element.clientWidth) element.scrollLeft = left + gridGeometry.columnWidth - element.clientWidth;
    },
    open: (at) => open(at.row < 0 ? { kind: 'bar', column: at.column } : { kind: 'cell', column: at.column, row: at.row }),
  });

  const maxLabel = formatDuration(model.maxDurationMs);
  return (
    <div className="grid-panel" data-testid="grid-panel" data-columns={model.columns.length} data-rows={model.tasks.length}>
      <div className="grid-toolbar">
        <span className="numeric" data-testid="grid-count">
          {model.columns.length.toLocaleString('en-US')} DAG {model.columns.length === 1 ? 'run' : 'runs'} · newest on the right
        </span>
        <span className="spacer" />
        <span className="state-legend faint">
          {legend.map((state) => (
            <span key={state}>
              <StateSwatch state={state} /> {stateLabel(state)}
            </span>
          ))}
        </span>
      </div>
      <div className="grid-frame">
        <div className="grid-labels">
          <span className="grid-axis numeric faint" style={{ height: gridGeometry.barAreaHeight, marginBottom: gridGeometry.barGap }} title="Bar height: the run's duration against the longest shown">
            <span>{maxLabel}</span>
            <span>duration</span>
          </span>
          {model.tasks.map((task) => (
            <span key={task} className="grid-task" style={{ height: gridGeometry.rowHeight }} title={task} data-testid="grid-task">{task}</span>
          ))}
        </div>
        <div
          className="grid-scroll"
          ref={scroller}
          onScroll={(event) => {
            const element = event.currentTarget;
            atEnd.current = element.scrollLeft >= element.scrollWidth - element.clientWidth - 2;
            setViewport({ width: element.clientWidth, scrollLeft: element.scrollLeft });
          }}
        >
          <div className="grid-content" style={{ width: size.width, minWidth: '100%', height: size.height }}>
            <canvas
              ref={canvas}
              className="grid-canvas"
              style={{ width: viewport.width, height: size.height }}
              onMouseMove={(event) => setHover(pointAt(event))}
              onMouseLeave={() => setHover(null)}
              onClick={(event) => {
                const hit = pointAt(event);
                if (hit) open(hit);
              }}
              role="img"
              aria-label={`Grid of ${model.columns.length} DAG runs by ${model.tasks.length} tasks`}
              data-testid="grid-canvas"
            />
          </div>
        </div>
        {hover ? <GridTooltip model={model} hit={hover} /> : null}
      </div>
      <p className="pipelines-hint faint">
        Bars are DAG runs (height: duration), cells are task instances. Click a bar for the run, a cell for the task and its logs. <span className="kbd">←</span>{' '}
        <span className="kbd">→</span> <span className="kbd">↑</span> <span className="kbd">↓</span> (or <span className="kbd">h</span> <span className="kbd">j</span> <span className="kbd">k</span>{' '}
        <span className="kbd">l</span>) move, <span className="kbd">Enter</span> opens.
      </p>
    </div>
  );
}

function GridTooltip({ model, hit }: { model: GridModel; hit: Hover }): ReactElement | null {
  const column = model.columns[hit.column];
  if (!column) return null;
  const state = hit.kind === 'cell' ? column.cells[hit.row] : null;
  return (
    <div className="grid-tooltip" style={{ left: hit.clientX + 14, top: hit.clientY + 14 }} role="tooltip" data-testid="grid-tooltip">
      {hit.kind === 'cell' ? (
        <>
          <strong>{model.tasks[hit.row]}</strong>
          <span>{state ? stateLabel(state) : 'not in this run'}</span>
        </>
      ) : (
        <>
          <strong>{stateLabel(column.state)}</strong>
          <span>{column.kind} run</span>
        </>
      )}
      <span className="mono faint">{column.runId}</span>
      <span className="numeric faint">
        {formatTimestamp(column.startedAt)} · {formatDuration(column.durationMs)}
      </span>
    </div>
  );
}

/** ←/→ (h/l) across runs, ↑/↓ (k/j) across tasks and up to the bars, Enter opens; bound on the document like the lists. */
function useGridKeys(model: GridModel, cursor: Cursor | null, actions: { move(next: Cursor): void; open(at: Cursor): void }): void {
  const latest = useRef({ model, cursor, actions });
  latest.current = { model, cursor, actions };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTyping(event.target) || useUiStore.getState().paletteOpen || document.querySelector('[role="dialog"]')) return;
      const { model: grid, cursor: at, actions: act } = latest.current;
      if (event.key === 'Enter') {
        if (!at || (event.target instanceof Element && event.target.closest('a, button'))) return;
        act.open(at);
      } else {
        // The first move shows the cursor on the newest run's bar; later ones move it.
        const start = at ?? { column: grid.columns.length - 1, row: -1 };
        const next = moveCursor(start, event.key, grid.columns.length, grid.tasks.length);
        if (!next) return;
        act.move(at ? next : start);
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
