import { readFile } from 'node:fs/promises';
import type { Download } from '@playwright/test';
import { expect, test } from './fixtures';

async function contents(download: Download): Promise<Buffer> {
  return await readFile(await download.path());
}

test('a chart exports as SVG and PNG, and the comparison as a self-contained HTML report', async ({ api, runsPage, page }) => {
  const experiment = await api.call('experiments.create', { name: 'export' });
  const runs = [];
  for (const [index, name] of ['alpha-run', 'beta-run'].entries()) {
    const run = await api.call('runs.create', { experimentId: experiment.id, name });
    // 50 points: one bucket per step, so each run draws exactly one line and no min/max band.
    const metrics = Array.from({ length: 50 }, (_, step) => ({ key: 'val/loss', step, value: (1 + index) / (1 + step) }));
    await api.call('runs.logBatch', { runId: run.id, params: [{ key: 'lr', value: String(0.1 * (index + 1)) }], metrics });
    runs.push(run);
  }

  await runsPage.open(`#/compare?runs=${runs.map((run) => run.id).join(',')}`);
  const chart = page.locator('[data-testid="compare-chart"][data-metric-key="val/loss"]');
  await expect(chart).toHaveAttribute('data-loading', 'false');
  await expect(chart).toHaveAttribute('data-series-count', '2');
  // The runs are drawn on a canvas; their colours are the legend's swatches.
  const strokes: string[] = [];
  for (const run of runs) {
    const swatch = page.locator(`[data-testid="compare-run"][data-run-id="${run.id}"] .series-swatch`);
    strokes.push(await swatch.evaluate((element) => getComputedStyle(element).backgroundColor));
  }
  expect(strokes[0]).toMatch(/^rgb\(/);

  // SVG: a standalone file, one line per run in its series colour, no interaction overlay.
  await chart.getByTestId('chart-export').click();
  let [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  expect(download.suggestedFilename()).toBe('val-loss.svg');
  const svg = (await contents(download)).toString('utf8');
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="220" viewBox=/);
  expect(svg).toContain('<title>val/loss</title>');
  expect(svg.match(/<path /g)).toHaveLength(runs.length);
  for (const stroke of strokes) expect(svg).toContain(`stroke:${stroke}`);
  expect(svg).not.toMatch(/data-testid|class=|var\(--/);

  // Escape closes the menu and stays on the comparison page.
  await chart.getByTestId('chart-export').click();
  await expect(page.getByTestId('export-png')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('export-png')).toHaveCount(0);
  await expect(page).toHaveURL(/#\/compare\?runs=/);

  // PNG: rendered from the same SVG.
  await chart.getByTestId('chart-export').click();
  [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  expect(download.suggestedFilename()).toBe('val-loss.png');
  const png = await contents(download);
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.length).toBeGreaterThan(1000);

  // Report: both runs, the chart inline, the differing param, nothing to fetch.
  [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('compare-report').click()]);
  expect(download.suggestedFilename()).toMatch(/^trainyard-comparison-\d{4}-\d{2}-\d{2}\.html$/);
  const html = (await contents(download)).toString('utf8');
  for (const run of runs) {
    expect(html).toContain(run.name);
    expect(html).toContain(run.id);
  }
  expect(html).toContain('<figcaption class="mono">val/loss</figcaption><svg');
  // The report's chart is vector too: one line per run, not the canvas.
  expect(html.match(/<path /g)).toHaveLength(runs.length);
  expect(html).toContain('<td>params</td><td>lr</td>');
  expect(html).toContain("default-src 'none'");
  expect(html).not.toMatch(/<script/i);
  expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
  await expect(page.getByTestId('compare-report')).toBeEnabled();
});
