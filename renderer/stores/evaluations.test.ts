import { beforeEach, describe, expect, it } from 'vitest';
import { setConnection } from '../api/connection';
import { createFakeConnection } from '../api/fake-api';
import { shownEvaluation, useEvaluationsStore } from './evaluations';

let fake: ReturnType<typeof createFakeConnection>;
beforeEach(() => {
  fake = createFakeConnection();
  setConnection(fake);
  useEvaluationsStore.setState({ entries: {}, pending: {} });
});

const summary = { task: 'regression', rows: 3, skippedRows: 0, classes: null, metrics: { rmse: 0.5, mae: 0.4, r2: 0.9, max_error: 1 }, notes: [], plots: ['residuals', 'predicted_vs_actual'] };

describe('evaluations store', () => {
  it("reads an evaluate run's summary and plots, and says which plot it could not read", async () => {
    const run = await fake.api['runs.create']({ name: 'evaluate churn v1' });
    await fake.api['artifacts.write']({ runId: run.id, path: 'eval/summary.json', content: JSON.stringify(summary) });
    await fake.api['artifacts.write']({ runId: run.id, path: 'eval/residuals.json', content: JSON.stringify({ predicted: [1, 2, 3], residual: [0.1, -0.2, 0] }) });
    await fake.api['artifacts.write']({ runId: run.id, path: 'eval/predicted_vs_actual.json', content: JSON.stringify({ actual: [1, 2] }) });
    await useEvaluationsStore.getState().load(run.id);
    const entry = useEvaluationsStore.getState().entries[run.id];
    expect(entry?.report?.summary.metrics.rmse).toBe(0.5);
    expect(entry?.report?.plots.residuals?.residual).toEqual([0.1, -0.2, 0]);
    expect(entry?.report?.plots.predicted_vs_actual).toBeUndefined();
    expect(entry?.report?.plotErrors['predicted_vs_actual']).toMatch(/^eval\/predicted_vs_actual\.json does not have the shape/);
  });

  it('says a run without results holds none, rather than failing', async () => {
    const run = await fake.api['runs.create']({ name: 'evaluate churn v1' });
    await useEvaluationsStore.getState().load(run.id);
    expect(useEvaluationsStore.getState().entries[run.id]).toEqual({ report: null, loading: false, error: null, missing: true });
  });

  it('shows an evaluation started here until the version’s tag moves past it', () => {
    const pending = { runId: 'new', previous: 'old' };
    expect(shownEvaluation(pending, 'old')).toBe('new'); // still running, or failed before recording itself
    expect(shownEvaluation(pending, 'new')).toBe('new');
    expect(shownEvaluation(pending, 'later')).toBe('later'); // evaluated again elsewhere since
    expect(shownEvaluation(undefined, 'old')).toBe('old');
    expect(shownEvaluation({ runId: 'first', previous: null }, null)).toBe('first');
    expect(shownEvaluation(undefined, null)).toBeNull();
  });
});
