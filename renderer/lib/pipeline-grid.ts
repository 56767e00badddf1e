import type { DagRun, DagRunState, TaskState } from '../../shared/pipelines';
import { dagRunDurationMs, dagRunStateColors, taskStateColors } from './pipeline-states';

/**
 * Airflow's grid view as data: one column per DAG run, oldest on the left and newest on the
 * right as Airflow draws them; a bar per column whose height is the run's duration against the
 * longest shown and whose colour is the run's state; one row per task whose cells are the task
 * instance's state colour. Shaping, geometry and hit-testing live here so they are tested; the
 * view only paints what this computes.
 */

export interface GridColumn {
  /** The DAG run's public id, `<pipeline>/<run id>`. */
  readonly id: string;
  readonly runId: string;
  readonly kind: DagRun['kind'];
  readonly state: DagRunState;
  readonly startedAt: number | null;
  readonly durationMs: number | null;
  /** Bar height in pixels, 0 to `barAreaHeight`. */
  readonly barHeight: number;
  /** One state per row (`GridModel.tasks`); null where the run has no such task. */
  readonly cells: readonly (TaskState | null)[];
}

export interface GridModel {
  /** Oldest first (left), newest last (right). */
  readonly columns: readonly GridColumn[];
  /** Row labels: the pipeline's steps in order, then tasks only older runs had. */
  readonly tasks: readonly string[];
  readonly maxDurationMs: number;
}

export const gridGeometry = {
  /** Column pitch: a 10-px cell and a 4-px gap. */
  columnWidth: 14,
  cellWidth: 10,
  rowHeight: 20,
  cellHeight: 14,
  barAreaHeight: 64,
  /** Space between the bars and the first row. */
  barGap: 8,
  /** The shortest visible bar, so a run that took no time is still there to click. */
  minBarHeight: 2,
} as const;

/** The bars' height against the longest duration shown; runs without a duration get the minimum. */
export function barHeightOf(durationMs: number | null, maxDurationMs: number, area: number = gridGeometry.barAreaHeight): number {
  if (durationMs === null || maxDurationMs <= 0) return gridGeometry.minBarHeight;
  return Math.max(gridGeometry.minBarHeight, Math.round((durationMs / maxDurationMs) * area));
}

/** `runs` newest first (as `pipelines.runs` returns them); `steps` the pipeline's step ids in order. */
export function shapeGrid(runs: readonly DagRun[], steps: readonly string[], now: number): GridModel {
  const tasks = [...steps];
  const rowOf = new Map(tasks.map((task, index) => [task, index]));
  for (const run of runs) {
    for (const task of run.tasks) {
      if (rowOf.has(task.taskId)) continue;
      rowOf.set(task.taskId, tasks.length);
      tasks.push(task.taskId);
    }
  }
  const durations = runs.map((run) => dagRunDurationMs(run, now));
  const maxDurationMs = durations.reduce<number>((max, value) => (value !== null && value > max ? value : max), 0);
  const columns: GridColumn[] = new Array<GridColumn>(runs.length);
  for (let index = 0; index < runs.length; index += 1) {
    const run = runs[index]!;
    const cells = new Array<TaskState | null>(tasks.length).fill(null);
    for (const task of run.tasks) cells[rowOf.get(task.taskId)!] = task.state;
    const durationMs = durations[index]!;
    columns[runs.length - 1 - index] = {
      id: run.id,
      runId: run.runId,
      kind: run.kind,
      state: run.state,
      startedAt: run.startedAt,
      durationMs,
      barHeight: barHeightOf(durationMs, maxDurationMs),
      cells,
    };
  }
  return { columns, tasks, maxDurationMs };
}

/** A cell's fill: its state's colour; null (the run has no such task) draws nothing. */
export function cellColor(state: TaskState | null): string | null {
  return state === null ? null : taskStateColors[state];
}

export function barColor(state: DagRunState): string {
  return dagRunStateColors[state];
}

/** The canvas's full size for a model (the scroll area's content). */
export function gridSize(model: Pick<GridModel, 'columns' | 'tasks'>): { width: number; height: number } {
  const { columnWidth, rowHeight, barAreaHeight, barGap } = gridGeometry;
  return { width: model.columns.length * columnWidth, height: barAreaHeight + barGap + model.tasks.length * rowHeight };
}

/** The first and last column index (inclusive) with any pixel inside a viewport scrolled to `scrollLeft`. */
export function visibleColumns(scrollLeft: number, viewportWidth: number, count: number): { first: number; last: number } {
  if (count === 0 || viewportWidth <= 0) return { first: 0, last: -1 };
  const first = Math.max(0, Math.floor(scrollLeft / gridGeometry.columnWidth));
  const last = Math.min(count - 1, Math.floor((scrollLeft + viewportWidth - 1) / gridGeometry.columnWidth));
  return { first, last };
}

export type GridHit = { readonly kind: 'bar'; readonly column: number } | { readonly kind: 'cell'; readonly column: number; readonly row: number };

/**
 * What is under a point of the grid's content (x from the left of the first column, y from the
 * top of the bar area): a column's bar (anywhere in its bar area, so short bars are easy to hit),
 * a cell, or nothing (gaps between rows count as their row, gaps between columns as nothing).
 */
export function hitTest(model: Pick<GridModel, 'columns' | 'tasks'>, x: number, y: number): GridHit | null {
  const { columnWidth, cellWidth, rowHeight, barAreaHeight, barGap } = gridGeometry;
  if (x < 0 || y < 0) return null;
  const column = Math.floor(x / columnWidth);
  if (column >= model.columns.length || x - column * columnWidth >= cellWidth + 1) return null;
  if (y < barAreaHeight) return { kind: 'bar', column };
  const rowTop = barAreaHeight + barGap;
  if (y < rowTop) return null;
  const row = Math.floor((y - rowTop) / rowHeight);
  if (row >= model.tasks.length) return null;
  return { kind: 'cell', column, row };
}

/** Where the keyboard cursor goes: ←/→ (h/l) across runs, ↑/↓ (k/j) across tasks, row −1 being the bars. */
export function moveCursor(cursor: { column: number; row: number }, key: string, columns: number, rows: number): { column: number; row: number } | null {
  if (columns === 0) return null;
  switch (key) {
    case 'ArrowLeft':
    case 'h':
      return { ...cursor, column: Math.max(0, cursor.column - 1) };
    case 'ArrowRight':
    case 'l':
      return { ...cursor, column: Math.min(columns - 1, cursor.column + 1) };
    case 'ArrowUp':
    case 'k':
      return { ...cursor, row: Math.max(-1, cursor.row - 1) };
    case 'ArrowDown':
    case 'j':
      return { ...cursor, row: Math.min(rows - 1, cursor.row + 1) };
    case 'Home':
      return { ...cursor, column: 0 };
    case 'End':
      return { ...cursor, column: columns - 1 };
    default:
      return null;
  }
}
