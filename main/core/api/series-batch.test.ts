import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromColumns, type SeriesColumns } from '../../../shared/series-columns';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

let workbench: Workbench;
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(() => workbench.dispose());

/** A run with `steps` loss points and one spike, logged in batches the API accepts. */
function runWithLoss(steps: number, spikeAt: number): string {
  const runId = workbench.tracking.createRun({}).id;
  for (let first = 0; first < steps; first += 1000) {
    const metrics = Array.from({ length: Math.min(1000, steps - first) }, (_, index) => ({ key: 'loss', step: first + index, value: first + index === spikeAt ? 1000 : 1 / (1 + first + index) }));
    workbench.tracking.logBatch({ runId, metrics });
  }
  return runId;
}

describe('metrics.seriesBatch', () => {
  it('answers one series per run, in the order asked, each as metrics.series gives it', async () => {
    const a = runWithLoss(5000, 1234);
    const b = runWithLoss(300, 100);
    const c = workbench.tracking.createRun({}).id; // never logged loss
    const result = await workbench.dispatch('metrics.seriesBatch', { runIds: [b, c, a], key: 'loss', maxPoints: 100 });
    if (!result.ok) throw new Error(result.error.message);
    const batch = (result.result as SeriesColumns[]).map(fromColumns);
    expect(batch.map((series) => series.runId)).toEqual([b, c, a]);
    for (const [index, runId] of [b, c, a].entries()) {
      const single = await workbench.dispatch('metrics.series', { runId, key: 'loss', maxPoints: 100 });
      expect(single.ok && single.result).toEqual(batch[index]);
    }
    expect(batch[1]!.points).toEqual([]);
    // Down-sampled to the budget, and the spike survives in a bucket's max.
    expect(batch[2]!.points.length).toBeLessThanOrEqual(100);
    expect(Math.max(...batch[2]!.points.map((point) => point.max ?? -Infinity))).toBe(1000);
  });

  it('reads the same step window of every run', async () => {
    const a = runWithLoss(5000, 2500);
    const b = runWithLoss(5000, 4000);
    const result = await workbench.dispatch('metrics.seriesBatch', { runIds: [a, b], key: 'loss', maxPoints: 1000, minStep: 2400, maxStep: 2600 });
    if (!result.ok) throw new Error(result.error.message);
    const [first, second] = (result.result as SeriesColumns[]).map(fromColumns);
    for (const series of [first!, second!]) {
      expect(series.bucketWidth).toBe(1);
      expect(series.points[0]!.step).toBe(2400);
      expect(series.points.at(-1)!.step).toBe(2600);
    }
    expect(first!.points.find((point) => point.step === 2500)!.value).toBe(1000);
    expect(second!.points.some((point) => point.value === 1000)).toBe(false);
  });

  it('refuses an unknown run, an empty list and more than 1,000 runs', async () => {
    const a = runWithLoss(10, 5);
    expect(await workbench.dispatch('metrics.seriesBatch', { runIds: [a, 'f'.repeat(32)], key: 'loss', maxPoints: 100 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await workbench.dispatch('metrics.seriesBatch', { runIds: [], key: 'loss', maxPoints: 100 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const many = Array.from({ length: 1001 }, () => a);
    expect(await workbench.dispatch('metrics.seriesBatch', { runIds: many, key: 'loss', maxPoints: 100 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });
});
