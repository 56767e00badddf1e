import { expect, test } from './fixtures';
import { lossPoints } from './support/rpc';

// Browser mode: the tree, the keyboard, the palette, columns, theme and artifacts.

test('nested runs expand into a tree and follow new children live', async ({ api, runsPage }) => {
  const sweep = await api.call('runs.create', { name: 'sweep' });
  const first = await api.call('runs.create', { name: 'trial-1', parentRunId: sweep.id });
  await api.call('runs.create', { name: 'trial-2', parentRunId: sweep.id });

  await runsPage.open();
  await expect(runsPage.rows).toHaveCount(1);
  await runsPage.row(sweep.id).getByTestId('expand-toggle').click();
  await expect(runsPage.rows).toHaveCount(3);
  await expect(runsPage.row(first.id)).toHaveAttribute('data-depth', '1');

  const third = await api.call('runs.create', { name: 'trial-3', parentRunId: sweep.id });
  await expect(runsPage.row(third.id)).toHaveAttribute('data-depth', '1');

  // With a filter the table is flat: every matching run, children included.
  await runsPage.filter("attributes.run_name LIKE 'trial-%'");
  await expect(runsPage.rows).toHaveCount(3);
  await expect(runsPage.row(first.id)).toHaveAttribute('data-depth', '0');
});

test('the keyboard moves, opens and closes runs', async ({ api, runsPage, runPage, page }) => {
  const older = await api.call('runs.create', { name: 'older', startTime: Date.now() - 60_000 });
  const newer = await api.call('runs.create', { name: 'newer' });
  await runsPage.open();
  await expect(runsPage.rows).toHaveCount(2);

  await page.keyboard.press('j');
  await expect(runsPage.row(newer.id)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(runsPage.row(older.id)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('k');
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(runPage.title).toHaveText('older');
  await page.keyboard.press('Escape');
  await expect(runsPage.table).toBeVisible();
  await expect(runsPage.row(older.id)).toHaveAttribute('aria-selected', 'true');
});

test('the command palette jumps to a run by name and toggles the theme', async ({ api, runsPage, runPage, page }) => {
  const target = await api.call('runs.create', { name: 'needle-in-haystack' });
  await api.call('runs.create', { name: 'hay' });
  await runsPage.open();
  await expect(runsPage.rows).toHaveCount(2);

  await page.keyboard.press('Control+k');
  await page.getByTestId('palette-input').fill('needle');
  await expect(page.getByTestId('palette-item').first()).toContainText('needle-in-haystack');
  await page.keyboard.press('Enter');
  await expect(runPage.title).toHaveText('needle-in-haystack');
  await expect(page).toHaveURL(new RegExp(`#/runs/${target.id}$`));

  const theme = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.keyboard.press('Control+k');
  await page.getByTestId('palette-input').fill('toggle theme');
  await page.keyboard.press('Enter');
  const flipped = theme === 'dark' ? 'light' : 'dark';
  await expect(page.locator('html')).toHaveAttribute('data-theme', flipped);
  // The token left the address bar; the session keeps working after a reload.
  expect(page.url()).not.toContain('token=');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', flipped);
  await expect(runPage.title).toHaveText('needle-in-haystack');
});

test('chosen metric columns show latest values, sort on the server and are remembered', async ({ api, runsPage, page }) => {
  const low = await api.call('runs.create', { name: 'low' });
  const high = await api.call('runs.create', { name: 'high' });
  await api.call('runs.logBatch', { runId: low.id, metrics: [{ key: 'acc', value: 0.25, step: 0 }] });
  await api.call('runs.logBatch', { runId: high.id, metrics: [{ key: 'acc', value: 0.75, step: 0 }] });
  await runsPage.open();
  await expect(runsPage.rows).toHaveCount(2);

  await page.getByTestId('column-chooser-button').click();
  await page.locator('[data-testid="column-option"][data-column="metrics.acc"]').click();
  await page.keyboard.press('Escape');
  const header = page.locator('[data-testid="column-header"][data-column="metrics.acc"]');
  await expect(header).toBeVisible();
  await expect(runsPage.row(high.id).locator('[data-column="metrics.acc"]')).toHaveText('0.75');

  await header.click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(runsPage.rows.first()).toHaveAttribute('data-run-id', high.id);
  await header.click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await expect(runsPage.rows.first()).toHaveAttribute('data-run-id', low.id);

  await page.reload();
  await expect(page.locator('[data-testid="column-header"][data-column="metrics.acc"]')).toBeVisible();
});

test('the artifacts browser previews JSON, CSV and SVG', async ({ api, runsPage, runPage, page }) => {
  const run = await api.call('runs.create', { name: 'with-files' });
  await api.call('runs.logBatch', { runId: run.id, metrics: lossPoints(0, 3) });
  await api.call('artifacts.write', { runId: run.id, path: 'config.json', content: '{"lr":0.01,"layers":[64,64]}' });
  await api.call('artifacts.write', { runId: run.id, path: 'reports/scores.csv', content: 'class,recall\ncat,0.9\ndog,0.8\n' });
  await api.call('artifacts.write', {
    runId: run.id,
    path: 'plots/curve.svg',
    content: '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="red"/></svg>',
  });

  await runsPage.open(`#/runs/${run.id}/artifacts`);
  await page.locator('[data-testid="artifact-entry"][data-path="config.json"]').click();
  await expect(page.getByTestId('artifact-json')).toContainText('"layers": [');

  await page.locator('[data-testid="artifact-entry"][data-path="reports"]').click();
  await page.locator('[data-testid="artifact-entry"][data-path="reports/scores.csv"]').click();
  await expect(page.getByTestId('artifact-csv').locator('tbody tr')).toHaveCount(2);

  await page.getByRole('button', { name: 'artifacts' }).click();
  await page.locator('[data-testid="artifact-entry"][data-path="plots"]').click();
  await page.locator('[data-testid="artifact-entry"][data-path="plots/curve.svg"]').click();
  const image = page.getByTestId('artifact-image');
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  await expect(runPage.tab('artifacts')).toHaveAttribute('aria-selected', 'true');
});
