import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeConnection } from '../api/fake-api';
import { setConnection } from '../api/connection';
import { refetchIntervalMs, seriesId, useMetricsStore } from './metrics';

let fake: ReturnType<typeof createFakeConnection>;
beforeEach(() => {
  fake = createFakeConnection();
  setConnection(fake);
  useMetricsStore.setState({ entries: {} });
});

const seriesCalls = (): number => fake.backend.calls.filter((call) => call.operation === 'metrics.series').length;

describe('metrics store', () => {
  it('fetches a series once at the chart point budget', async () => {
    const run = await fake.api['runs.create']({});
    await fake.api['runs.logBatch']({ runId: run.id, metrics: Array.from({ length: 50 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), step })) });
    useMetricsStore.getState().ensureSeries(run.id, 'loss', 20);
    useMetricsStore.getState().ensureSeries(run.id, 'loss', 20);
    await vi.waitFor(() => expect(useMetricsStore.getState().entries[seriesId(run.id, 'loss')]?.series?.points.length).toBe(17));
    expect(seriesCalls()).toBe(1);
    expect(fake.backend.calls.find((call) => call.operation === 'metrics.series')?.input).toMatchObject({ maxPoints: 20 });
  });

  it('re-fetches on new points, at most once per interval however many events arrive', async () => {
    const run = await fake.api['runs.create']({});
    await fake.api['runs.logBatch']({ runId: run.id, metrics: [{ key: 'loss', value: 1, step: 0 }] });
    const ensure = (): void => useMetricsStore.getState().ensureSeries(run.id, 'loss', 100);
    ensure();
    await vi.waitFor(() => expect(useMetricsStore.getState().entries[seriesId(run.id, 'loss')]?.series?.totalCount).toBe(1));
    const started = Date.now();
    for (let step = 1; step <= 30; step += 1) {
      await fake.api['runs.logBatch']({ runId: run.id, metrics: [{ key: 'loss', value: 1 / step, step }] });
      useMetricsStore.getState().onMetricsLogged([{ runId: run.id, key: 'loss' }]);
      ensure();
    }
    await vi.waitFor(() => expect(useMetricsStore.getState().entries[seriesId(run.id, 'loss')]?.series?.totalCount).toBe(31));
    const elapsed = Date.now() - started;
    // One initial read plus at most one per interval elapsed (and one trailing).
    expect(seriesCalls()).toBeLessThanOrEqual(2 + Math.ceil(elapsed / refetchIntervalMs));
    expect(seriesCalls()).toBeLessThan(10);
  });

  it('keeps the error for a chart to show', async () => {
    useMetricsStore.getState().ensureSeries('missing', 'loss', 100);
    fake.api['metrics.series'] = async () => {
      throw new Error('boom');
    };
    useMetricsStore.getState().ensureSeries('other', 'loss', 100);
    await vi.waitFor(() => expect(useMetricsStore.getState().entries[seriesId('other', 'loss')]?.error).toBe('boom'));
  });
});
