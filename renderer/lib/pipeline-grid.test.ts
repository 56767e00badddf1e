import { describe, expect, it } from 'vitest';
import type { DagRun, TaskInstance, TaskState } from '../../shared/pipelines';
import { barColor, barHeightOf, cellColor, gridGeometry, gridSize, hitTest, moveCursor, shapeGrid, visibleColumns } from './pipeline-grid';

const task = (taskId: string, state: TaskState): TaskInstance => ({
  taskId, kind: 'command', state, tryNumber: 1, maxTries: 1, startedAt: null, endedAt: null, nextRetryAt: null, outputs: {}, cachedFrom: null, message: null, attempts: [],
});

function run(index: number, state: DagRun['state'], startedAt: number | null, endedAt: number | null, tasks: TaskInstance[]): DagRun {
  const runId = `manual__${index}`;
  return { id: `p/${runId}`, pipeline: 'p', runId, kind: 'manual', state, logicalDate: index, createdAt: index, startedAt, endedAt, params: {}, rerunOf: null, codeVersion: null, inputs: [], tasks };
}

describe('shapeGrid', () => {
  const now = 10_000;
  // Newest first, as pipelines.runs answers.
  const runs = [
    run(3, 'running', 7_000, null, [task('a', 'success'), task('b', 'running')]),
    run(2, 'failed', 1_000, 5_000, [task('a', 'success'), task('b', 'failed'), task('old', 'success')]),
    run(1, 'success', 0, 1_000, [task('a', 'success'), task('b', 'success')]),
    run(0, 'queued', null, null, [task('a', 'none'), task('b', 'none')]),
  ];
  const model = shapeGrid(runs, ['a', 'b'], now);

  it('puts the oldest run on the left and the newest on the right', () => {
    expect(model.columns.map((column) => column.runId)).toEqual(['manual__0', 'manual__1', 'manual__2', 'manual__3']);
  });

  it('scales bars to the longest duration, counting a running run up to now', () => {
    // Durations: queued none, 1 s, 4 s, running 3 s so far.
    expect(model.maxDurationMs).toBe(4_000);
    expect(model.columns.map((column) => column.durationMs)).toEqual([null, 1_000, 4_000, 3_000]);
    expect(model.columns.map((column) => column.barHeight)).toEqual([gridGeometry.minBarHeight, 16, 64, 48]);
    expect(barHeightOf(1, 1_000_000)).toBe(gridGeometry.minBarHeight);
    expect(barHeightOf(500, 0)).toBe(gridGeometry.minBarHeight);
  });

  it('lays rows out in step order, then tasks only older runs had, with blanks where a run lacks one', () => {
    expect(model.tasks).toEqual(['a', 'b', 'old']);
    expect(model.columns.map((column) => column.cells)).toEqual([
      ['none', 'none', null],
      ['success', 'success', null],
      ['success', 'failed', 'success'],
      ['success', 'running', null],
    ]);
  });

  it("colours cells and bars with Airflow's state colours", () => {
    expect(cellColor('success')).toBe('green');
    expect(cellColor('failed')).toBe('red');
    expect(cellColor('up_for_retry')).toBe('gold');
    expect(cellColor('upstream_failed')).toBe('orange');
    expect(cellColor('skipped')).toBe('hotpink');
    expect(cellColor('running')).toBe('lime');
    expect(cellColor('none')).toBe('lightblue');
    expect(cellColor(null)).toBeNull();
    expect(model.columns.map((column) => barColor(column.state))).toEqual(['gray', 'green', 'red', 'lime']);
  });

  it('shapes 1,000 runs × 10 tasks quickly', () => {
    const steps = Array.from({ length: 10 }, (_, index) => `t${index}`);
    const many = Array.from({ length: 1000 }, (_, index) => run(index, 'success', index, index + 100 + (index % 7), steps.map((id) => task(id, 'success'))));
    const started = performance.now();
    const shaped = shapeGrid(many, steps, now);
    expect(performance.now() - started).toBeLessThan(100);
    expect(gridSize(shaped)).toEqual({ width: 14_000, height: 64 + 8 + 10 * 20 });
  });
});

describe('grid geometry', () => {
  const model = { columns: new Array(5).fill(null), tasks: ['a', 'b'] } as unknown as Parameters<typeof hitTest>[0];

  it('hits a bar anywhere in its bar area, a cell by row, and nothing in gaps or past the end', () => {
    expect(hitTest(model, 15, 3)).toEqual({ kind: 'bar', column: 1 });
    expect(hitTest(model, 15, 64 + 8 + 25)).toEqual({ kind: 'cell', column: 1, row: 1 });
    expect(hitTest(model, 13, 100)).toBeNull(); // the gap between columns 0 and 1
    expect(hitTest(model, 15, 66)).toBeNull(); // between the bars and the first row
    expect(hitTest(model, 5 * 14 + 2, 10)).toBeNull();
    expect(hitTest(model, 2, 64 + 8 + 2 * 20 + 1)).toBeNull();
    expect(hitTest(model, -1, 10)).toBeNull();
  });

  it('finds the columns a scrolled viewport shows', () => {
    expect(visibleColumns(0, 140, 1000)).toEqual({ first: 0, last: 9 });
    expect(visibleColumns(7, 140, 1000)).toEqual({ first: 0, last: 10 });
    expect(visibleColumns(13_900, 500, 1000)).toEqual({ first: 992, last: 999 });
    expect(visibleColumns(0, 140, 0)).toEqual({ first: 0, last: -1 });
  });

  it('moves the keyboard cursor within bounds, the bars being row −1', () => {
    expect(moveCursor({ column: 4, row: 0 }, 'l', 5, 2)).toEqual({ column: 4, row: 0 });
    expect(moveCursor({ column: 4, row: 0 }, 'ArrowLeft', 5, 2)).toEqual({ column: 3, row: 0 });
    expect(moveCursor({ column: 4, row: 0 }, 'k', 5, 2)).toEqual({ column: 4, row: -1 });
    expect(moveCursor({ column: 4, row: -1 }, 'k', 5, 2)).toEqual({ column: 4, row: -1 });
    expect(moveCursor({ column: 4, row: 1 }, 'j', 5, 2)).toEqual({ column: 4, row: 1 });
    expect(moveCursor({ column: 2, row: 1 }, 'Home', 5, 2)).toEqual({ column: 0, row: 1 });
    expect(moveCursor({ column: 2, row: 1 }, 'x', 5, 2)).toBeNull();
  });
});
