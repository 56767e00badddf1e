import { writeFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { ModelsPage } from './pages/models-page';
import type { TestApi } from './support/rpc';

// Browser mode with the real server: a classifier trained on the train part of a split CSV is
// registered as @champion, evaluated from its page (the results drawn from eval/*.json), served
// by alias and tried through the generated form, then stopped; and two evaluated versions are
// compared side by side.

/** Two numeric features and a class that is `high` exactly when x1 > 5. */
function pointsCsv(rows: number): string {
  const lines = Array.from({ length: rows }, (_, index) => {
    const x1 = ((index * 37) % 100) / 10;
    const x2 = ((index * 13) % 60) / 6;
    return `${x1},${x2.toFixed(2)},${x1 > 5 ? 'high' : 'low'}`;
  });
  return `${['x1,x2,label', ...lines].join('\n')}\n`;
}

/** `points` v1 as imported, v2 its train / test split; returns v2's number. */
async function importSplit(api: TestApi, csvPath: string): Promise<number> {
  await writeFile(csvPath, pointsCsv(120));
  await api.call('datasets.import', { source: { kind: 'path', path: csvPath }, name: 'points' });
  const split = await api.call('datasets.transform', { dataset: 'points', steps: [{ op: 'split', fractions: { train: 0.7, test: 0.3 }, seed: 7, stratify: 'label' }] });
  return split.version;
}

/** Trains on the split version (on its train part) and waits for the run to store its model. */
async function train(api: TestApi, version: number, name: string): Promise<string> {
  const { runId } = await api.call('training.start', { dataset: 'points', version, name, config: { target: 'label', model: { hidden: [8] }, epochs: 30, optimizer: { kind: 'adam', lr: 0.05 } } });
  await expect.poll(async () => (await api.call('runs.get', { id: runId })).status, { timeout: 60_000 }).toBe('FINISHED');
  return runId;
}

test('a registered classifier is evaluated, served by alias, tried and stopped from its page', async ({ api, server, page }) => {
  test.setTimeout(180_000);
  const models = new ModelsPage(page, server.url);
  const split = await importSplit(api, test.info().outputPath('points.csv'));
  const runId = await train(api, split, 'points-mlp');
  await api.call('models.register', { name: 'points-model', runId, alias: 'champion' });

  await models.open('#/models/points-model');
  await expect(models.versionRows).toHaveCount(1);
  await expect(models.version(1).getByTestId('version-evaluate')).toHaveAttribute('title', /\(e\)/);

  // `e` opens Evaluate… for the selected version: the dataset it trained on, its test part.
  await page.keyboard.press('e');
  const dialog = page.getByTestId('evaluate-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('evaluate-dataset')).toHaveValue('points');
  await expect(page.getByTestId('evaluate-part')).toHaveText(`v${split} is split: the model is scored on its test part, never on the rows it trained on.`);
  await expect(page.getByTestId('evaluate-target')).toHaveAttribute('placeholder', "the training run's target");
  await expect(page.getByTestId('evaluate-gate')).toHaveAttribute('placeholder', 'metrics.accuracy < 0.9');
  // A gate that does not parse is refused before anything is scored, inline.
  await page.getByTestId('evaluate-gate').fill('accuracy <');
  await page.getByTestId('evaluate-submit').click();
  await expect(page.getByTestId('evaluate-error')).toBeVisible();
  await page.getByTestId('evaluate-gate').fill('');
  await page.getByTestId('evaluate-submit').click();
  await expect(dialog).toBeHidden();

  // The row opens on its Evaluation section, which fills in once the run ends.
  const evaluation = models.detail(1).getByTestId('version-evaluation');
  await expect(evaluation).toBeVisible();
  await expect(evaluation.getByTestId('evaluation-panel')).toHaveAttribute('data-status', 'FINISHED', { timeout: 60_000 });
  const grid = evaluation.getByTestId('confusion-grid');
  await expect(grid).toHaveAttribute('data-classes', '2');
  await expect(grid.getByTestId('confusion-cell')).toHaveCount(4);
  await expect(evaluation.getByTestId('roc-chart')).toHaveAttribute('data-series', '2');
  await expect(evaluation.getByTestId('roc-chart').locator('.recharts-line')).toHaveCount(2);
  await expect(evaluation.getByTestId('pr-chart')).toBeVisible();
  await expect(evaluation.getByTestId('calibration-chart')).toBeVisible();
  await expect(evaluation.locator('[data-testid="eval-metric"][data-metric="accuracy"]')).toBeVisible();
  await expect(evaluation.getByTestId('eval-class-row')).toHaveCount(2);
  // 30% of 120 rows, stratified.
  await expect(evaluation.getByTestId('eval-rows')).toHaveText('36');

  // The matrix explains a cell on hover, and switches to row shares.
  await grid.locator('[data-testid="confusion-cell"][data-actual="high"][data-predicted="high"]').hover();
  await expect(evaluation.getByTestId('confusion-detail')).toContainText('True high, predicted high');
  await evaluation.getByTestId('confusion-normalized').click();
  await expect(evaluation.getByTestId('confusion-matrix')).toHaveAttribute('data-normalized', 'true');
  await expect(grid.getByTestId('confusion-cell').first()).toContainText('%');
  // Hovering the ROC chart shows each class's nearest point.
  await evaluation.getByTestId('roc-chart').locator('.eval-chart-frame').hover({ position: { x: 150, y: 100 } });
  await expect(evaluation.getByTestId('curve-tooltip')).toContainText('threshold');

  // The facts line sums it up and links to the run's Evaluation tab.
  await expect(models.detail(1).getByTestId('last-evaluation')).toContainText('accuracy');
  await expect(models.detail(1).getByTestId('last-evaluation-open')).toHaveAttribute('href', /#\/runs\/[0-9a-f]{32}\/evaluation$/);

  // Serving: nothing yet, and servers do not outlive the app.
  await models.tab('serving').click();
  await expect(page.getByTestId('serving-empty')).toContainText('only while the app runs');
  await expect(page.getByTestId('status-servers')).toHaveAttribute('data-count', '0');
  await page.getByTestId('serve-target').selectOption('models:/points-model@champion');
  await page.getByTestId('serve-submit').click();
  const card = models.server('models:/points-model@champion');
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('toast').filter({ hasText: 'Serving points-model @champion (v1)' })).toContainText('http://127.0.0.1:');
  await expect(card.getByTestId('server-url')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+$/);
  await expect(page.getByTestId('status-servers')).toHaveAttribute('data-count', '1');
  await expect(models.tab('serving').getByTestId('serving-count')).toHaveText('1');

  // Try it: one number field per input, prefilled from the training data; the answer and the curl.
  await expect(card.getByTestId('try-field')).toHaveCount(2);
  await expect(card.getByTestId('try-prefill')).toContainText(`first row of points v${split}`);
  await models.tryField(card, 'x1').fill('9.5');
  await models.tryField(card, 'x2').fill('1');
  await expect(card.getByTestId('try-curl')).toContainText(`-d '{"dataframe_records":[{"x1":9.5,"x2":1}]}'`);
  await card.getByTestId('try-submit').click();
  await expect(card.getByTestId('try-status')).toHaveAttribute('data-status', '200');
  await expect(card.getByTestId('try-label')).toHaveText(/^(high|low)$/);
  await expect(card.getByTestId('try-probability')).toHaveCount(2);

  // The status bar lists it too.
  await page.getByTestId('status-servers').click();
  await expect(page.getByTestId('servers-item')).toHaveCount(1);
  await expect(page.getByTestId('servers-item')).toContainText('points-model v1');
  // Esc closes the list, and only the list.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('servers-popover')).toBeHidden();
  await expect(models.root).toBeVisible();

  // Stop asks first; then the tab is empty again.
  await card.getByTestId('server-stop').click();
  await expect(page.getByTestId('stop-server-dialog')).toContainText('stops answering');
  await page.getByTestId('stop-server-confirm').click();
  await expect(page.getByTestId('serving-empty')).toBeVisible();
  await expect(page.getByTestId('status-servers')).toHaveAttribute('data-count', '0');
});

test('two evaluated versions compare side by side; one not evaluated says so', async ({ api, server, page }) => {
  test.setTimeout(180_000);
  const models = new ModelsPage(page, server.url);
  const split = await importSplit(api, test.info().outputPath('points.csv'));
  const first = await train(api, split, 'points-a');
  const second = await train(api, split, 'points-b');
  await api.call('models.register', { name: 'points-model', runId: first });
  await api.call('models.register', { name: 'points-model', runId: second });
  await api.call('models.register', { name: 'points-model', runId: second });
  for (const version of [1, 2]) {
    const { runId } = await api.call('models.evaluate', { uri: `models:/points-model/${version}`, dataset: 'points' });
    await expect.poll(async () => (await api.call('runs.get', { id: runId })).status, { timeout: 60_000 }).toBe('FINISHED');
  }

  await models.open('#/models/points-model');
  await expect(models.versionRows).toHaveCount(3);
  await models.version(2).getByTestId('version-compare-pick').check();
  await expect(page.getByTestId('compare-bar')).toContainText('tick one more version');
  await models.version(1).getByTestId('version-compare-pick').check();
  await page.getByTestId('compare-versions').click();
  await expect(page).toHaveURL(/#\/models\/points-model\/compare\/1\/2$/);

  const view = page.getByTestId('compare-view');
  await expect(view.locator('[data-testid="compare-row"][data-metric="accuracy"]')).toBeVisible({ timeout: 30_000 });
  await expect(view.locator('[data-testid="compare-row"][data-metric="log_loss"]')).toBeVisible();
  await expect(view.getByTestId('compare-metrics').locator('th').nth(3)).toHaveText('Δ v2 − v1');
  await expect(view.getByTestId('compare-confusion-a').getByTestId('confusion-cell')).toHaveCount(4);
  await expect(view.getByTestId('compare-confusion-b').getByTestId('confusion-cell')).toHaveCount(4);
  // One class at a time (the positive one first): a solid line for v1, a dashed one for v2.
  const positive = await view.getByTestId('compare-class').inputValue();
  expect(['high', 'low']).toContain(positive);
  await expect(view.getByTestId('compare-roc')).toHaveAttribute('data-series', '2');
  await expect(view.getByTestId('compare-roc').getByTestId('curve-legend-item')).toHaveText([new RegExp(`^v1 · ${positive}\\s*AUC`), new RegExp(`^v2 · ${positive}\\s*AUC`)]);
  await expect(view.getByTestId('compare-roc').locator('.recharts-line-curve[stroke-dasharray="6 4"]')).toHaveCount(1);
  await view.getByTestId('compare-class').selectOption('*');
  await expect(view.getByTestId('compare-roc')).toHaveAttribute('data-series', '4');

  // v3 was never evaluated: its side offers Evaluate….
  await view.getByTestId('compare-b').selectOption('3');
  await expect(page).toHaveURL(/compare\/1\/3$/);
  await expect(view.getByTestId('compare-side-b').getByTestId('compare-not-evaluated')).toContainText('not evaluated yet — Evaluate…');
  await view.getByTestId('compare-evaluate').click();
  await expect(page.getByTestId('evaluate-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('evaluate-dialog')).toBeHidden();

  // Esc leaves the comparison for the versions.
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/#\/models\/points-model$/);
  await expect(models.versionRows).toHaveCount(3);
});
