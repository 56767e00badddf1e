import { expect } from '@playwright/test';
import type { RunPage } from './pages/run-page';
import type { RunsPage } from './pages/runs-page';
import { lossPoints, type TestApi } from './support/rpc';

/**
 * The user flows, written once and run against both shells: browser mode (runs.spec.ts) and the
 * Electron app where its runtime is installed (electron.spec.ts).
 */
export interface FlowContext {
  readonly api: TestApi;
  readonly runsPage: RunsPage;
  readonly runPage: RunPage;
}

/** Runs created through the API appear in the table, and keep up with later changes. */
export async function runsAppearInTable({ api, runsPage }: FlowContext): Promise<void> {
  const experiment = await api.call('experiments.create', { name: 'vision' });
  const alpha = await api.call('runs.create', { experimentId: experiment.id, name: 'alpha' });
  const beta = await api.call('runs.create', { experimentId: experiment.id, name: 'beta' });

  await runsPage.open();
  await expect(runsPage.rows).toHaveCount(2);
  await expect(runsPage.row(alpha.id)).toContainText('alpha');
  await expect(runsPage.row(beta.id).getByTestId('run-status')).toHaveAttribute('data-status', 'RUNNING');

  // Live: a run created and a run ended while the table is open.
  const gamma = await api.call('runs.create', { experimentId: experiment.id, name: 'gamma' });
  await expect(runsPage.row(gamma.id)).toContainText('gamma');
  await expect(runsPage.rows).toHaveCount(3);
  await api.call('runs.end', { id: alpha.id, status: 'FAILED' });
  await expect(runsPage.row(alpha.id).getByTestId('run-status')).toHaveAttribute('data-status', 'FAILED');
  await expect(runsPage.experiment('vision')).toContainText('3');

  // Scoping to an experiment hides the others' runs.
  const other = await api.call('experiments.create', { name: 'tabular' });
  await api.call('runs.create', { experimentId: other.id, name: 'delta' });
  await runsPage.experiment('tabular').click();
  await expect(runsPage.rows).toHaveCount(1);
  await expect(runsPage.rows.first()).toContainText('delta');
}

/** A filter narrows the table; a malformed one shows the server's message under the box. */
export async function filterNarrowsTable({ api, runsPage }: FlowContext): Promise<void> {
  const good = await api.call('runs.create', { name: 'good', params: [{ key: 'lr', value: '0.01' }] });
  const fine = await api.call('runs.create', { name: 'fine', params: [{ key: 'lr', value: '0.1' }] });
  const poor = await api.call('runs.create', { name: 'poor', params: [{ key: 'lr', value: '0.01' }] });
  await api.call('runs.logBatch', { runId: good.id, metrics: [{ key: 'acc', value: 0.95, step: 1 }] });
  await api.call('runs.logBatch', { runId: fine.id, metrics: [{ key: 'acc', value: 0.92, step: 1 }] });
  await api.call('runs.logBatch', { runId: poor.id, metrics: [{ key: 'acc', value: 0.4, step: 1 }] });

  await runsPage.open();
  await expect(runsPage.rows).toHaveCount(3);

  await runsPage.filter('metrics.acc > 0.9');
  await expect(runsPage.rows).toHaveCount(2);
  await expect(runsPage.row(poor.id)).toHaveCount(0);

  await runsPage.filter("metrics.acc > 0.9 and params.lr = '0.01'");
  await expect(runsPage.rows).toHaveCount(1);
  await expect(runsPage.row(good.id)).toBeVisible();
  await expect(runsPage.filterError).toHaveCount(0);

  await runsPage.filter('metrics.acc > > 0.9');
  await expect(runsPage.filterError).toContainText(/Invalid filter at column \d+/);
  await expect(runsPage.filterInput).toHaveAttribute('aria-invalid', 'true');

  await runsPage.filter('');
  await expect(runsPage.filterError).toHaveCount(0);
  await expect(runsPage.rows).toHaveCount(3);
}

/** A running run's loss chart grows as points are logged through the API. */
export async function chartGrowsWhileLogging({ api, runsPage, runPage }: FlowContext): Promise<void> {
  const run = await api.call('runs.create', { name: 'live-training' });
  await api.call('runs.logBatch', { runId: run.id, metrics: lossPoints(0, 5) });

  await runsPage.open(`#/runs/${run.id}`);
  await expect(runPage.title).toHaveText('live-training');
  await expect(runPage.status).toHaveAttribute('data-status', 'RUNNING');
  const chart = runPage.chart('loss');
  await expect(chart).toHaveAttribute('data-point-count', '5');

  await api.call('runs.logBatch', { runId: run.id, metrics: lossPoints(5, 10) });
  await expect(chart).toHaveAttribute('data-point-count', '15');
  await api.call('runs.logBatch', { runId: run.id, metrics: [...lossPoints(15, 25), { key: 'acc', value: 0.5, step: 39 }] });
  await expect(chart).toHaveAttribute('data-point-count', '40');
  // A key logged for the first time gets its own chart.
  await expect(runPage.chart('acc')).toHaveAttribute('data-point-count', '1');

  await api.call('runs.end', { id: run.id });
  await expect(runPage.status).toHaveAttribute('data-status', 'FINISHED');
}
