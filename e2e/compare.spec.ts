import { expect, test } from './fixtures';
import type { TestApi } from './support/rpc';

const steps = 10_000;
const spikeStep = 5_000;
const spikeValue = 100;

/** 10,000 loss points, optionally with one planted spike, logged in batches the API accepts. */
async function logLoss(api: TestApi, runId: string, scale: number, spike: boolean): Promise<void> {
  const batch = 1000;
  for (let first = 0; first < steps; first += batch) {
    const metrics = Array.from({ length: batch }, (_, index) => {
      const step = first + index;
      return { key: 'loss', step, value: spike && step === spikeStep ? spikeValue : scale / (1 + step / 100) };
    });
    await api.call('runs.logBatch', { runId, metrics });
  }
}

test('selected runs overlay in one chart per metric, and zooming re-reads a planted spike', async ({ api, runsPage, page }) => {
  const experiment = await api.call('experiments.create', { name: 'compare' });
  const runs = [];
  for (const [index, name] of ['alpha', 'beta', 'gamma'].entries()) {
    const run = await api.call('runs.create', { experimentId: experiment.id, name });
    await logLoss(api, run.id, 1 + index, name === 'beta');
    runs.push(run);
  }

  await runsPage.open();
  await expect(runsPage.rows).toHaveCount(3);
  // Check the first row, shift-click the last: all three are selected.
  const rows = runsPage.rows;
  await rows.nth(0).getByTestId('run-check').click();
  await rows.nth(2).getByTestId('run-check').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('selection-count')).toHaveText('3 selected');

  await page.getByTestId('compare-selected').click();
  await expect(page).toHaveURL(/#\/compare\?runs=/);
  await expect(page.getByTestId('compare-run')).toHaveCount(3);

  const chart = page.locator('[data-testid="compare-chart"][data-metric-key="loss"]');
  await expect(chart).toHaveAttribute('data-loading', 'false');
  await expect(chart).toHaveAttribute('data-series-count', '3');
  for (const run of runs) await expect(chart.locator(`[data-testid="compare-series"][data-run-id="${run.id}"]`)).toHaveCount(1);
  // Overview: down-sampled, yet the min/max envelope keeps the spike.
  await expect(chart).toHaveAttribute('data-visible-max', String(spikeValue));
  const beta = chart.locator(`[data-testid="compare-series"][data-run-id="${runs[1]!.id}"]`);
  expect(Number(await beta.getAttribute('data-bucket-width'))).toBeGreaterThan(1);

  // Drag across the middle tenth of the plot (steps ≈ 4,500–5,500): a full-resolution re-read.
  const plot = chart.getByTestId('compare-plot');
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect(chart).toHaveAttribute('data-zoomed', 'true');
  await expect(chart).toHaveAttribute('data-loading', 'false');
  await expect(beta).toHaveAttribute('data-bucket-width', '1');
  await expect(beta).toHaveAttribute('data-visible-max', String(spikeValue));
  await expect(chart).toHaveAttribute('data-visible-max', String(spikeValue));

  // The hover table lists every run's value at the cursor.
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await expect(chart.getByTestId('hover-row')).toHaveCount(3);

  // Shift+drag pans the zoomed window to later steps; the new window is re-read at full resolution.
  const before = (await chart.getAttribute('data-zoom'))!.split(':').map(Number);
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(chart).not.toHaveAttribute('data-zoom', before.join(':'));
  const after = (await chart.getAttribute('data-zoom'))!.split(':').map(Number);
  expect(after[0]!).toBeGreaterThan(before[0]!);
  expect(after[1]! - after[0]!).toBeCloseTo(before[1]! - before[0]!, -1);
  await expect(chart).toHaveAttribute('data-loading', 'false');
  await expect(beta).toHaveAttribute('data-bucket-width', '1');

  await chart.getByTestId('reset-zoom').click();
  await expect(chart).toHaveAttribute('data-zoomed', 'false');

  // The link restores the selection after a reload elsewhere.
  await page.getByTestId('nav-runs').click();
  await expect(page.getByTestId('selection-count')).toHaveText('3 selected');
});

test('grouping by a config param draws one mean ± std band per config', async ({ api, runsPage, page }) => {
  const experiment = await api.call('experiments.create', { name: 'seeds' });
  const ids: string[] = [];
  for (const config of ['small', 'large']) {
    for (const seed of [1, 2]) {
      const run = await api.call('runs.create', { experimentId: experiment.id, name: `${config}-${seed}` });
      const metrics = Array.from({ length: 50 }, (_, step) => ({ key: 'loss', step, value: (config === 'small' ? 2 : 1) / (1 + step) + seed * 0.01 }));
      await api.call('runs.logBatch', { runId: run.id, params: [{ key: 'config', value: config }, { key: 'seed', value: String(seed) }], metrics });
      ids.push(run.id);
    }
  }

  await runsPage.open(`#/compare?runs=${ids.join(',')}`);
  const chart = page.locator('[data-testid="compare-chart"][data-metric-key="loss"]');
  await expect(chart).toHaveAttribute('data-series-count', '4');
  await expect(chart.getByTestId('compare-series')).toHaveCount(4);

  // Both params vary; grouping by config folds the four runs into two bands.
  await page.getByTestId('group-by').selectOption('param:config');
  await expect(chart).toHaveAttribute('data-group-count', '2');
  await expect(chart.getByTestId('compare-group')).toHaveCount(2);
  await expect(chart.locator('[data-testid="compare-group"][data-group-value="small"]')).toHaveAttribute('data-run-count', '2');
  await expect(chart.getByTestId('compare-series')).toHaveCount(0);
  await expect(page.getByTestId('legend-entry')).toHaveCount(2);

  // The hover table lists the groups, each the mean of two runs.
  const box = (await chart.getByTestId('compare-plot').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  await expect(chart.getByTestId('hover-group-row')).toHaveCount(2);

  // "Show runs" draws the members faintly behind the bands; "None" goes back to a line per run.
  await page.getByTestId('show-runs').check();
  await expect(chart.getByTestId('compare-series')).toHaveCount(4);
  await page.getByTestId('group-by').selectOption('');
  await expect(chart).toHaveAttribute('data-group-count', '');
  await expect(chart.getByTestId('compare-group')).toHaveCount(0);
});

test('the diff tab shows only the params that differ until asked for all', async ({ api, runsPage, page }) => {
  const experiment = await api.call('experiments.create', { name: 'diff' });
  const ids: string[] = [];
  for (const lr of ['0.1', '0.01']) {
    const run = await api.call('runs.create', { experimentId: experiment.id, name: `lr-${lr}` });
    await api.call('runs.logBatch', { runId: run.id, params: [{ key: 'lr', value: lr }, { key: 'batch_size', value: '64' }], metrics: [{ key: 'loss', step: 0, value: Number(lr) }] });
    ids.push(run.id);
  }

  await runsPage.open(`#/compare?runs=${ids.join(',')}`);
  await page.getByTestId('compare-tab-diff').click();
  const grid = page.getByTestId('diff-grid');
  await expect(page.getByTestId('diff-only-differences')).toBeChecked();
  await expect(grid.locator('[data-testid="diff-row"][data-key="params:lr"]')).toHaveCount(1);
  // batch_size is the same in both runs: hidden while "only differences" is on.
  await expect(grid.locator('[data-testid="diff-row"][data-key="params:batch_size"]')).toHaveCount(0);
  await page.getByTestId('diff-only-differences').uncheck();
  await expect(grid.locator('[data-testid="diff-row"][data-key="params:batch_size"]')).toHaveCount(1);
});
