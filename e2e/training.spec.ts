import { expect, test } from './fixtures';
import { TrainDialog } from './pages/train-dialog';

// Browser mode: drop a CSV, fill in the training form, and follow the run it starts to the end:
// live metrics, the execution provider that ran, and the exported model among the artifacts.

/** `rows` rows: two numeric features, a text column, and a class that is `high` exactly when x1 > 5. */
function points(rows: number): string {
  const lines = Array.from({ length: rows }, (_, index) => {
    const x1 = ((index * 37) % 100) / 10;
    const x2 = ((index * 13) % 60) / 6;
    return `${x1},${x2.toFixed(2)},row-${index % 5},${x1 > 5 ? 'high' : 'low'}`;
  });
  return ['x1,x2,note,label', ...lines].join('\n');
}
const pointsCsv = points(60);

test('the training form starts a run that streams metrics and stores its model', async ({ datasetsPage, runPage, page }) => {
  test.setTimeout(120_000);
  const form = new TrainDialog(page);
  await datasetsPage.open();
  await datasetsPage.dropFile('points.csv', `${pointsCsv}\n`);
  await datasetsPage.importSubmit.click();
  await expect(datasetsPage.title).toHaveText('points');
  await expect(datasetsPage.rowCount).toHaveText('60');

  // `t` opens the form; it guesses the label, takes the numeric columns and says why text is out.
  await expect(form.open).toHaveAttribute('title', /\(t\)/);
  await page.keyboard.press('t');
  await expect(form.root).toBeVisible();
  await expect(form.target).toHaveValue('label');
  await expect(form.feature('x1')).toBeChecked();
  await expect(form.feature('x2')).toBeChecked();
  await expect(form.feature('note')).toBeDisabled();
  await expect(form.featureLabel('note')).toContainText('encode it first (Transform…)');
  await expect(form.hidden).toHaveValue('64, 64');

  // Invalid values are named inline and keep the form open.
  await form.epochs.fill('0');
  await expect(form.fieldError('Epochs')).toHaveText('Epochs must be a whole number at least 1 and at most 100000; “0” is not.');
  await form.hidden.fill('64, wide');
  await expect(form.fieldError('Hidden layers')).toContainText('“wide”');
  await form.submit.click();
  await expect(form.root).toBeVisible();

  await form.target.selectOption('label');
  await form.hidden.fill('16');
  await form.epochs.fill('15');
  await form.learningRate.fill('0.01');
  await expect(form.root.getByTestId('train-field-error')).toHaveCount(0);
  await form.name.fill('points-mlp');
  await form.submit.click();

  // The run page: live status, the provider that ran, the metrics, the model.
  await expect(page).toHaveURL(/#\/runs\/[^/]+$/);
  await expect(runPage.title).toHaveText('points-mlp');
  await expect(runPage.status).toHaveAttribute('data-status', 'FINISHED', { timeout: 60_000 });
  await expect(runPage.provider).toHaveText('CPU');
  await expect(runPage.provider).toHaveAttribute('title', /execution provider/i);
  await expect(runPage.stop).toHaveCount(0);
  await expect(runPage.failure).toHaveCount(0);
  await expect(runPage.modelInputs).toContainText('x1, x2');
  await expect(runPage.chart('val_accuracy')).toBeVisible();
  await expect(runPage.chart('train_loss')).toBeVisible();

  await runPage.tab('artifacts').click();
  await runPage.artifact('model').click();
  await expect(runPage.artifact('model/model.onnx')).toBeVisible();
  await expect(runPage.artifact('model/MLmodel')).toBeVisible();

  // Train… again starts from the config just used.
  await datasetsPage.open('#/datasets/points');
  await form.open.click();
  await expect(form.epochs).toHaveValue('15');
  await expect(form.hidden).toHaveValue('16');
  await expect(form.learningRate).toHaveValue('0.01');
  await expect(form.name).toHaveValue('');
});

test('Stop asks first, then ends a training run KILLED', async ({ datasetsPage, runPage, page }) => {
  const form = new TrainDialog(page);
  // Enough rows that an epoch takes a while: the run is still going when Stop is pressed, without
  // a flood of per-epoch metrics.
  await datasetsPage.open();
  await datasetsPage.dropFile('points.csv', `${points(20_000)}\n`);
  await datasetsPage.importSubmit.click();
  await expect(datasetsPage.title).toHaveText('points');
  await form.open.click();
  await form.epochs.fill('100000');
  await form.submit.click();

  await expect(runPage.status).toHaveAttribute('data-status', 'RUNNING');
  await runPage.stop.click();
  const confirm = page.getByTestId('run-stop-dialog');
  await expect(confirm).toContainText('ends KILLED');
  // Esc closes the question, not the run page.
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(runPage.root).toBeVisible();
  await expect(runPage.status).toHaveAttribute('data-status', 'RUNNING');

  await runPage.stop.click();
  await page.getByTestId('run-stop-confirm').click();
  await expect(runPage.status).toHaveAttribute('data-status', 'KILLED', { timeout: 30_000 });
  await expect(runPage.stop).toHaveCount(0);
  await expect(runPage.failure).toHaveCount(0);
});

test('a run the trainer refuses ends FAILED and says why', async ({ datasetsPage, runPage, page }) => {
  const form = new TrainDialog(page);
  const gappy = pointsCsv.replace(/\n(\d+(?:\.\d+)?),[\d.]+,/, '\n$1,,');
  await datasetsPage.open();
  await datasetsPage.dropFile('gappy.csv', `${gappy}\n`);
  await datasetsPage.importSubmit.click();
  await expect(datasetsPage.title).toHaveText('gappy');
  await form.open.click();
  await form.submit.click();

  await expect(runPage.status).toHaveAttribute('data-status', 'FAILED', { timeout: 30_000 });
  await expect(runPage.failure).toContainText("Feature 'x2' has 1 missing");
  await expect(runPage.failure).toContainText('impute');
});
