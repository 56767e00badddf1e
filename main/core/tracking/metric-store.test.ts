import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

let workbench: Workbench;
let runId: string;

beforeEach(async () => {
  workbench = await openTestWorkbench();
  runId = workbench.tracking.createRun({ name: 'metrics' }).id;
});
afterEach(() => workbench.dispose());

function logRange(key: string, from: number, to: number, value: (step: number) => number, batch = 1000): void {
  for (let start = from; start < to; start += batch) {
    const metrics = [];
    for (let step = start; step < Math.min(to, start + batch); step++) metrics.push({ key, value: value(step), step, timestamp: 1_000_000 + step });
    workbench.tracking.logBatch({ runId, metrics });
  }
}

describe('level of detail', () => {
  it('shows a single spike at step 777,777 of 1,000,000 in a 1,000-point chart', () => {
    logRange('loss', 0, 1_000_000, (step) => (step === 777_777 ? 1000 : 1 / (1 + step / 1000)), 10_000);
    const series = workbench.tracking.series({ runId, key: 'loss', maxPoints: 1000 });
    expect(series.totalCount).toBe(1_000_000);
    expect(series.points.length).toBeLessThanOrEqual(1000);
    expect(series.points.length).toBeGreaterThan(250);
    const spiky = series.points.filter((point) => point.max === 1000);
    expect(spiky).toHaveLength(1);
    expect(spiky[0]!.firstStep).toBeLessThanOrEqual(777_777);
    expect(spiky[0]!.step).toBeGreaterThanOrEqual(777_777);
    expect(series.points.reduce((sum, point) => sum + point.count, 0)).toBe(1_000_000);

    // Zooming in re-reads the range at full resolution and finds the exact point.
    const zoomed = workbench.tracking.series({ runId, key: 'loss', maxPoints: 1000, minStep: 777_500, maxStep: 778_000 });
    expect(zoomed.bucketWidth).toBe(1);
    expect(zoomed.points.find((point) => point.step === 777_777)?.value).toBe(1000);
  }, 120_000);

  it('returns every point when they fit the budget, even when steps are sparse', () => {
    logRange('val', 0, 300, (step) => step, 1000);
    expect(workbench.tracking.series({ runId, key: 'val', maxPoints: 1000 }).points).toHaveLength(300);
    const sparse = Array.from({ length: 500 }, (_, index) => ({ key: 'sparse', value: index, step: index * 10_000 }));
    workbench.tracking.logBatch({ runId, metrics: sparse });
    const series = workbench.tracking.series({ runId, key: 'sparse', maxPoints: 1000 });
    expect(series.bucketWidth).toBe(1);
    expect(series.points.map((point) => point.step)).toEqual(sparse.map((point) => point.step));
  });

  it('keeps min, max, first and last per bucket across batches that split a bucket', () => {
    // Steps 0..99 logged in batches of 7 so buckets straddle batches.
    logRange('x', 0, 100, (step) => (step === 40 ? -5 : step), 7);
    const series = workbench.tracking.series({ runId, key: 'x', maxPoints: 10, minStep: 0, maxStep: 99 });
    expect(series.bucketWidth).toBe(16);
    const bucket = series.points.find((point) => point.firstStep === 32)!;
    expect(bucket).toMatchObject({ firstStep: 32, step: 47, value: 47, min: -5, max: 47, count: 16 });
  });

  it('stores NaN and infinities and leaves NaN out of min/max', () => {
    workbench.tracking.logBatch({
      runId,
      metrics: [
        { key: 'loss', value: 1, step: 0 },
        { key: 'loss', value: Number.NaN, step: 1 },
        { key: 'loss', value: Number.POSITIVE_INFINITY, step: 2 },
        { key: 'loss', value: Number.NEGATIVE_INFINITY, step: 3 },
      ],
    });
    const values = workbench.tracking.series({ runId, key: 'loss', maxPoints: 100 }).points.map((point) => point.value);
    expect(values[0]).toBe(1);
    expect(values[1]).toBeNaN();
    expect(values.slice(2)).toEqual([Infinity, -Infinity]);
    const latest = workbench.tracking.getRun(runId).metrics.loss!;
    expect(latest).toMatchObject({ value: -Infinity, step: 3, count: 4, min: -Infinity, max: Infinity });
  });
});

describe('latest value (MLflow rule: step, then timestamp, then value)', () => {
  it('keeps the largest step even when a smaller one is logged later', () => {
    workbench.tracking.logBatch({ runId, metrics: [{ key: 'acc', value: 0.7, step: 7, timestamp: 10 }] });
    workbench.tracking.logBatch({ runId, metrics: [{ key: 'acc', value: 0.5, step: 5, timestamp: 20 }] });
    expect(workbench.tracking.getRun(runId).metrics.acc).toMatchObject({ value: 0.7, step: 7, count: 2 });
  });

  it('breaks step ties by timestamp, then by value', () => {
    workbench.tracking.logBatch({ runId, metrics: [{ key: 'a', value: 3, step: 1, timestamp: 20 }, { key: 'a', value: 9, step: 1, timestamp: 10 }] });
    expect(workbench.tracking.getRun(runId).metrics.a!.value).toBe(3);
    workbench.tracking.logBatch({ runId, metrics: [{ key: 'b', value: 2, step: 1, timestamp: 10 }, { key: 'b', value: 8, step: 1, timestamp: 10 }, { key: 'b', value: 5, step: 1, timestamp: 10 }] });
    expect(workbench.tracking.getRun(runId).metrics.b!.value).toBe(8);
  });
});
