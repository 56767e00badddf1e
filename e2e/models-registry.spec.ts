import { writeFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { ModelsPage } from './pages/models-page';
import type { TestApi } from './support/rpc';

// Browser mode: a run's model registered from its page, then given an alias and a stage on the
// model's page (each with its confirmation), the history saying so in words, and a second run's
// version taking the alias over.

/** Two numeric features and a class that is `high` exactly when x1 > 5. */
function pointsCsv(rows: number): string {
  const lines = Array.from({ length: rows }, (_, index) => {
    const x1 = ((index * 37) % 100) / 10;
    const x2 = ((index * 13) % 60) / 6;
    return `${x1},${x2.toFixed(2)},${x1 > 5 ? 'high' : 'low'}`;
  });
  return `${['x1,x2,label', ...lines].join('\n')}\n`;
}

/** A small training run on the `points` dataset; returns its id at once (it trains in a worker). */
async function startTraining(api: TestApi, name: string): Promise<string> {
  const { runId } = await api.call('training.start', { dataset: 'points', name, config: { target: 'label', model: { hidden: [8] }, epochs: 8, optimizer: { kind: 'adam', lr: 0.02 } } });
  return runId;
}

test('a trained model is registered, aliased, promoted, and its alias moves to a newer version', async ({ api, server, runPage, page }) => {
  test.setTimeout(150_000);
  const models = new ModelsPage(page, server.url);
  const csv = test.info().outputPath('points.csv');
  await writeFile(csv, pointsCsv(80));
  await api.call('datasets.import', { source: { kind: 'path', path: csv }, name: 'points' });
  // Both runs train meanwhile, in their own workers.
  const firstRun = await startTraining(api, 'points-a');
  const secondRun = await startTraining(api, 'points-b');

  // No model yet: the list says how to get one.
  await models.open();
  await expect(models.empty).toContainText('Register model…');
  await expect(models.empty).toContainText('.onnx');

  // The run page offers Register model… once the run has stored its model.
  await models.open(`#/runs/${firstRun}`);
  await expect(runPage.status).toHaveAttribute('data-status', 'FINISHED', { timeout: 60_000 });
  await models.registerButton.click();
  await expect(models.registerDialog).toBeVisible();
  await expect(models.registerField('name')).toHaveValue('points'); // the dataset it trained on
  await models.registerField('name').fill('churn');
  await expect(models.registerField('name-hint')).toHaveText('Creates the model churn, with this as v1.');
  await models.registerField('alias').fill('latest');
  await expect(models.registerField('alias-problem')).toContainText("'latest' is a reserved alias");
  await models.registerField('alias').fill('');
  await models.registerField('description').fill('first try');
  await models.registerField('submit').click();

  // The model's page: v1, no stage yet.
  await expect(page).toHaveURL(/#\/models\/churn$/);
  await expect(models.title).toHaveText('churn');
  await expect(models.versionRows).toHaveCount(1);
  await expect(models.stageOf(1)).toHaveText('None');
  await expect(models.version(1).getByTestId('version-run')).toHaveText('points-a');
  await expect(models.version(1).getByTestId('version-metrics')).toContainText('val_accuracy');
  await expect(models.version(1).getByTestId('copy-uri')).toHaveAttribute('data-uri', 'models:/churn/1');

  // The signature is one click away.
  await models.version(1).getByTestId('version-expand').click();
  await expect(page.getByTestId('signature-inputs').getByTestId('signature-field')).toHaveCount(2);
  await expect(page.getByTestId('signature-outputs')).toContainText('label');

  // Set alias…: checked as typed, as the server checks it; set on confirm.
  await models.typeAlias(1, 'v2');
  await expect(page.getByTestId('alias-problem')).toHaveText("'v2' is a reserved alias: v<number> names version 2 itself.");
  await page.getByTestId('alias-input').fill('champion');
  await expect(page.getByTestId('alias-problem')).toHaveCount(0);
  await page.getByTestId('alias-confirm').click();
  await expect(models.aliasDialog).toBeHidden();
  await expect(models.aliasesOf(1)).toHaveText(['@champion']);

  // `s` opens Move to stage… for the selected version; Production, archiving what is there.
  await page.keyboard.press('s');
  await expect(models.stageDialog).toBeVisible();
  await page.getByTestId('stage-select').selectOption('Production');
  await page.getByTestId('stage-archive').check();
  await page.getByTestId('stage-confirm').click();
  await expect(models.stageDialog).toBeHidden();
  await expect(models.stageOf(1)).toHaveText('Production');

  await models.tab('history').click();
  await expect(models.historyTexts).toHaveText([
    'v1 moved None → Production',
    // The archive flag is kept as its own row, so a teammate's sync replays the move exactly.
    'Other versions in Production archived as v1 moved there',
    '@champion set on v1',
    /^v1 registered from run [0-9a-f]{8} · open the run$/,
    'Model created',
  ]);

  // A second run becomes v2; the register form says @champion would move.
  await models.open(`#/runs/${secondRun}`);
  await expect(runPage.status).toHaveAttribute('data-status', 'FINISHED', { timeout: 60_000 });
  await models.registerButton.click();
  await models.registerField('name').fill('churn');
  await expect(models.registerField('name-hint')).toHaveText('Adds a new version to churn (1 version now).');
  await models.registerField('alias').fill('champion');
  await expect(models.registerField('alias-notice')).toHaveText('@champion moves from v1 to the new version.');
  await models.registerField('alias').fill('');
  await models.registerField('submit').click();
  await expect(models.versionRows).toHaveCount(2);
  await expect(models.versionRows.first()).toHaveAttribute('data-version', '2');

  // Moving @champion to v2 says so first.
  await models.typeAlias(2, 'champion');
  await expect(page.getByTestId('alias-notice')).toContainText('@champion moves from v1 to v2');
  await expect(page.getByTestId('alias-confirm')).toHaveText('Move @champion');
  await page.getByTestId('alias-confirm').click();
  await expect(models.aliasesOf(2)).toHaveText(['@champion']);
  await expect(models.aliasesOf(1)).toHaveCount(0);
  await expect(models.stageOf(1)).toHaveText('Production');

  await models.tab('history').click();
  await expect(models.historyTexts.first()).toHaveText('@champion moved from v1 to v2');

  // Lineage: the dataset version → the run → the model version.
  await models.tab('lineage').click();
  const v2 = page.locator('[data-testid="model-lineage-row"][data-version="2"]');
  await expect(v2.getByTestId('lineage-dataset')).toContainText('points v1');
  await expect(v2.getByTestId('lineage-run')).toContainText('points-b');
  await expect(v2.getByTestId('lineage-version')).toContainText('churn v2');

  // Esc goes back to the list, which shows the latest version, the alias and the stages.
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/#\/models$/);
  await expect(models.row('churn').getByTestId('model-latest')).toHaveText('v2');
  await expect(models.row('churn').getByTestId('alias-chip')).toHaveText(['@champion v2']);
  await expect(models.row('churn').getByTestId('stage-badge')).toHaveText(['Production v1']);

  // The first run's page names the version it became.
  await models.open(`#/runs/${firstRun}`);
  await expect(page.getByTestId('run-registered')).toHaveText('churn v1 · Production');
});

test('removing an alias and deleting a version ask first', async ({ api, server, page }) => {
  test.setTimeout(90_000);
  const models = new ModelsPage(page, server.url);
  const csv = test.info().outputPath('points.csv');
  await writeFile(csv, pointsCsv(60));
  await api.call('datasets.import', { source: { kind: 'path', path: csv }, name: 'points' });
  const runId = await startTraining(api, 'points-a');
  await expect.poll(async () => (await api.call('runs.get', { id: runId })).status, { timeout: 60_000 }).toBe('FINISHED');

  // Registered elsewhere (another window, a script): the open list and page follow live.
  await models.open();
  await expect(models.empty).toBeVisible();
  await api.call('models.register', { name: 'churn', runId, alias: 'champion' });
  await expect(models.row('churn')).toBeVisible();
  await models.row('churn').getByTestId('model-name').click();
  await expect(models.versionRows).toHaveCount(1);
  await api.call('models.register', { name: 'churn', runId });
  await expect(models.versionRows).toHaveCount(2);
  await models.aliasesOf(1).getByTestId('alias-remove').click();
  const unalias = page.getByTestId('unalias-dialog');
  await expect(unalias).toContainText('@champion points at v1 now');
  // Esc closes the question, not the page.
  await page.keyboard.press('Escape');
  await expect(unalias).toBeHidden();
  await expect(models.root).toBeVisible();
  await models.aliasesOf(1).getByTestId('alias-remove').click();
  await page.getByTestId('unalias-confirm').click();
  await expect(models.aliasesOf(1)).toHaveCount(0);

  await models.version(2).getByTestId('version-delete').click();
  await expect(page.getByTestId('delete-version-dialog')).toContainText('is never reused');
  await page.getByTestId('delete-version-confirm').click();
  await expect(models.versionRows).toHaveCount(1);
  await models.tab('history').click();
  await expect(models.historyTexts.first()).toHaveText('v2 deleted');
  await expect(models.historyTexts.nth(1)).toHaveText('@champion removed from v1');

  // The palette reaches the model by name.
  await page.keyboard.press('Control+k');
  await page.getByTestId('palette-input').fill('chur');
  await expect(page.getByTestId('palette-item').first()).toContainText('churn');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/models\/churn$/);
});
