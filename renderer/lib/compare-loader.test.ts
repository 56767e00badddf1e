import { describe, expect, it } from 'vitest';
import type { Run, Series } from '../../shared/tracking';
import { createFakeConnection } from '../api/fake-api';
import { loadSeriesBatch, stepWindowOf } from './compare-loader';

/** A fake back end with `count` runs, each `steps` points of `loss` (run i spikes at step 10·i). */
async function seeded(count: number, steps: number): Promise<{ connection: ReturnType<typeof createFakeConnection>; runIds: string[] }> {
  const connection = createFakeConnection();
  const runIds: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const run = await connection.api['runs.create']({ experimentId: '0', name: `r${index}` });
    connection.backend.points.set(`${run.id}\u0000loss`, Array.from({ length: steps }, (_, step) => ({ step, value: step === 10 * index ? 99 : 1, timestamp: 1000 + step })));
    runIds.push(run.id);
  }
  return { connection, runIds };
}

describe('loadSeriesBatch', () => {
  it('reads every run of a chart in one request, keyed by run', async () => {
    const { connection, runIds } = await seeded(5, 1000);
    connection.backend.calls.length = 0;
    const byRun = await loadSeriesBatch(connection.api, { runIds, key: 'loss', maxPoints: 100, stepWindow: null });
    expect(connection.backend.calls.map((call) => call.operation)).toEqual(['metrics.seriesBatch']);
    expect([...byRun.keys()]).toEqual(runIds);
    runIds.forEach((runId, index) => {
      const series = byRun.get(runId)!;
      expect(series.runId).toBe(runId);
      expect(series.points.length).toBeLessThanOrEqual(100);
      // The spike survives down-sampling as its bucket's max.
      expect(series.points.some((point) => point.max === 99 && point.firstStep <= 10 * index && point.step >= 10 * index)).toBe(true);
    });
  });

  it('passes the zoom window, and splits past the 1,000-run cap keeping each series with its run', async () => {
    const { connection, runIds } = await seeded(3, 100);
    const many = Array.from({ length: 2100 }, (_, index) => runIds[index % 3]!);
    connection.backend.calls.length = 0;
    const byRun = await loadSeriesBatch(connection.api, { runIds: many, key: 'loss', maxPoints: 10, stepWindow: [10, 20] });
    const inputs = connection.backend.calls.map((call) => call.input as { runIds: string[]; minStep: number; maxStep: number });
    expect(inputs.map((input) => input.runIds.length)).toEqual([1000, 1000, 100]);
    expect(inputs.every((input) => input.minStep === 10 && input.maxStep === 20)).toBe(true);
    for (const runId of runIds) {
      const series = byRun.get(runId)!;
      expect(series.runId).toBe(runId);
      expect(series.points[0]!.firstStep).toBe(10);
      expect(series.points.at(-1)!.step).toBe(20);
    }
  });
});

describe('stepWindowOf', () => {
  const point = (step: number, timestamp: number) => ({ step, firstStep: step, value: 1, count: 1, nanCount: 0, min: 1, max: 1, timestamp });
  const entry = (id: string, startTime: number, points: ReturnType<typeof point>[]) => ({ run: { id, startTime } as Run, series: { runId: id, key: 'loss', bucketWidth: 1, totalCount: points.length, points } as Series });

  it('is the window itself on the step axis', () => {
    expect(stepWindowOf([entry('a', 0, [point(0, 0), point(100, 1)])], 'step', [10.4, 20.6])).toEqual([10, 21]);
  });

  it('is the union of each run\'s steps on a time axis', () => {
    // Run a logs fast (a step per ms), run b slowly (a step per 10 ms): 50–60 ms is different steps.
    const a = entry('a', 0, Array.from({ length: 100 }, (_, step) => point(step, step)));
    const b = entry('b', 0, Array.from({ length: 100 }, (_, step) => point(step, step * 10)));
    expect(stepWindowOf([a, b], 'relative', [0.05, 0.06])).toEqual([5, 60]);
  });
});
