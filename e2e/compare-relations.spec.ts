import { expect, test } from './fixtures';

test('brushing a parallel-coordinates axis narrows the selection', async ({ api, runsPage, page }) => {
  const experiment = await api.call('experiments.create', { name: 'sweep' });
  const ids: string[] = [];
  // lr 0.1 … 0.6 spread evenly up the lr axis; the optimizer makes a categorical axis beside it.
  for (const [index, lr] of ['0.1', '0.2', '0.3', '0.4', '0.5', '0.6'].entries()) {
    const run = await api.call('runs.create', { experimentId: experiment.id, name: `lr-${lr}` });
    const params = [
      { key: 'lr', value: lr },
      { key: 'optimizer', value: index % 2 === 0 ? 'adam' : 'sgd' },
    ];
    await api.call('runs.logBatch', { runId: run.id, params, metrics: [{ key: 'loss', step: 0, value: 1 - Number(lr) }] });
    ids.push(run.id);
  }

  await runsPage.open(`#/compare?runs=${ids.join(',')}`);
  await expect(page.getByTestId('compare-run')).toHaveCount(6);
  await page.getByTestId('compare-tab-relations').click();

  const chart = page.getByTestId('parallel-coords');
  await expect(chart.getByTestId('pc-axis')).toHaveCount(3);
  await expect(chart.getByTestId('pc-axis').first()).toHaveAttribute('data-axis-key', 'param:lr');
  await expect(chart.getByTestId('pc-line')).toHaveCount(6);
  await expect(page.getByTestId('scatter-point')).toHaveCount(6);

  // Drag from the middle of the lr axis up past its top: the brush covers lr 0.35 … 0.6.
  const lrAxis = chart.locator('[data-testid="pc-axis"][data-axis-key="param:lr"]');
  /** A vertical drag on the lr axis between fractions of its height from the top (past 1 leaves it). */
  const brush = async (from: number, to: number): Promise<void> => {
    const area = (await lrAxis.getByTestId('pc-brush-area').boundingBox())!;
    const x = area.x + area.width / 2;
    await page.mouse.move(x, area.y + area.height * from);
    await page.mouse.down();
    await page.mouse.move(x, area.y + area.height * ((from + to) / 2), { steps: 4 });
    await page.mouse.move(x, area.y + area.height * to, { steps: 4 });
    await page.mouse.up();
  };
  await brush(0.5, -0.1);

  await expect(lrAxis.getByTestId('pc-brush')).toHaveCount(1);
  await expect(page.getByTestId('brushed-count')).toHaveText('3 of 6 runs within the brushes');
  await expect(chart.locator('[data-testid="pc-line"][data-brushed="true"]')).toHaveCount(3);
  for (const id of ids.slice(3)) await expect(chart.locator(`[data-testid="pc-line"][data-run-id="${id}"]`)).toHaveAttribute('data-brushed', 'true');
  // The scatter shows the same runs highlighted.
  await expect(page.locator('[data-testid="scatter-point"][data-brushed="true"]')).toHaveCount(3);

  await page.getByTestId('keep-brushed').click();
  await expect(page.locator('.page-title')).toHaveText('Compare 3 runs');
  await expect(page.getByTestId('compare-run')).toHaveCount(3);
  await expect(page).toHaveURL(new RegExp(`runs=${ids.slice(3).join(',')}`));
  await expect(chart.getByTestId('pc-line')).toHaveCount(3);
  await expect(page.getByTestId('scatter-point')).toHaveCount(3);
  await expect(page.getByTestId('brushed-count')).toHaveCount(0);

  // One undo brings the six back.
  await page.getByTestId('undo-narrowing').click();
  await expect(page.getByTestId('compare-run')).toHaveCount(6);

  // Brushing the bottom half of lr and pressing Enter keeps the other three.
  await brush(0.5, 1.2);
  await expect(page.getByTestId('brushed-count')).toHaveText('3 of 6 runs within the brushes');
  await page.keyboard.press('Enter');
  await expect(page.locator('.page-title')).toHaveText('Compare 3 runs');
  await expect(page).toHaveURL(new RegExp(`runs=${ids.slice(0, 3).join(',')}`));

  // Dragging the lr header past the optimizer axis moves lr to second place.
  const optimizerBox = (await chart.locator('[data-testid="pc-axis"][data-axis-key="param:optimizer"]').getByTestId('pc-axis-header').boundingBox())!;
  const header = (await lrAxis.getByTestId('pc-axis-header').boundingBox())!;
  await page.mouse.move(header.x + header.width / 2, header.y + header.height / 2);
  await page.mouse.down();
  await page.mouse.move(optimizerBox.x + optimizerBox.width / 2 + 10, header.y + header.height / 2, { steps: 6 });
  await page.mouse.up();
  await expect(chart.getByTestId('pc-axis').nth(1)).toHaveAttribute('data-axis-key', 'param:lr');
});
