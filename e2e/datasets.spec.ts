import { expect, test } from './fixtures';

// Browser mode: drop a CSV on the window, read its profile, validate it, page through its rows,
// derive a version and follow the lineage.

/** 12 flowers: petal_length 1..12 (mean 6.5), species 4 of each. */
const flowersCsv = [
  'id,species,petal_length',
  ...Array.from({ length: 12 }, (_, index) => `${index + 1},${['setosa', 'versicolor', 'virginica'][index % 3]},${index + 1}`),
].join('\n');

test('a CSV dropped on the window becomes a dataset with a profile, and validates against suites', async ({ datasetsPage, page }) => {
  await datasetsPage.open();
  await expect(datasetsPage.empty).toContainText('trainyard data add');

  await datasetsPage.dropFile('flowers.csv', `${flowersCsv}\n`);
  await expect(datasetsPage.importDialog).toBeVisible();
  await expect(datasetsPage.importName).toHaveValue('flowers');
  await datasetsPage.importSubmit.click();

  // The import lands on the new version's profile, and the status bar links to it.
  await expect(datasetsPage.title).toHaveText('flowers');
  await expect(datasetsPage.version).toHaveText('v1');
  await expect(datasetsPage.rowCount).toHaveText('12');
  await expect(datasetsPage.jobLink).toContainText('flowers v1');
  await expect(datasetsPage.columnStat('petal_length', 'mean')).toHaveText('6.5');
  await expect(datasetsPage.columnStat('petal_length', 'min')).toHaveText('1');
  await expect(datasetsPage.columnStat('petal_length', 'max')).toHaveText('12');
  await expect(datasetsPage.columnStat('petal_length', 'nulls')).toHaveText('0');
  await expect(datasetsPage.columnCard('petal_length').getByTestId('histogram')).toBeVisible();
  await expect(datasetsPage.columnCard('species').getByTestId('top-values')).toContainText('virginica');

  // Suggest a suite from the profile, run it: everything holds on the data it came from.
  await datasetsPage.tab('validation').click();
  await page.getByTestId('suggest-suite').click();
  await expect(datasetsPage.suiteEditor).toHaveValue(/expect_table_row_count_to_be_between/);
  const suggested = JSON.parse(await datasetsPage.suiteEditor.inputValue()) as { expectations: unknown[] };
  await page.getByTestId('run-validation').click();
  await expect(datasetsPage.report).toHaveAttribute('data-success', 'true');
  await expect(datasetsPage.reportStat('evaluated')).toHaveText(String(suggested.expectations.length));
  await expect(datasetsPage.reportStat('successful')).toHaveText(String(suggested.expectations.length));
  await expect(datasetsPage.reportStat('unsuccessful')).toHaveText('0');
  await expect(datasetsPage.reportStat('percent')).toHaveText('100%');
  await expect(datasetsPage.report.getByTestId('report-section').first()).toContainText('Table-level expectations');

  // A suite that fails on purpose: the failing row shows its observed value and the unexpected values.
  await datasetsPage.runSuite({
    name: 'flowers.strict',
    expectations: [
      { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 10, max_value: 20 } },
      { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'species', value_set: ['setosa', 'versicolor'] } },
    ],
  });
  await expect(datasetsPage.report).toHaveAttribute('data-success', 'false');
  await expect(datasetsPage.reportStat('evaluated')).toHaveText('2');
  await expect(datasetsPage.reportStat('unsuccessful')).toHaveText('1');
  await expect(datasetsPage.reportStat('percent')).toHaveText('50%');
  const failing = datasetsPage.report.locator('[data-testid="report-row"][data-success="false"]');
  await expect(failing).toHaveCount(1);
  await expect(failing).toContainText('values must belong to this set: setosa versicolor.');
  await expect(failing.getByTestId('report-observed')).toContainText('33.33');
  await expect(failing.getByTestId('unexpected-table')).toContainText('virginica');
  await expect(failing.getByTestId('unexpected-table').locator('tbody tr')).toHaveText([/virginica\s*4/]);
  await expect(page.getByTestId('report-item')).toHaveCount(2);

  // Back on the list, the dataset is there with its latest version.
  await page.getByTestId('nav-datasets').click();
  await expect(datasetsPage.row('flowers')).toContainText('v1');
  await expect(datasetsPage.row('flowers').getByTestId('dataset-rows')).toHaveText('12');
});

test('the Import… button picks a file; the preview pages through every row', async ({ datasetsPage, page }) => {
  const rows = Array.from({ length: 1000 }, (_, index) => `${index},${index % 7 === 0 ? '' : (index * 0.5).toFixed(1)},label-${index % 4}`);
  await datasetsPage.open();
  await datasetsPage.pickFile('measurements.csv', `key,value,label\n${rows.join('\n')}\n`);
  await expect(datasetsPage.importName).toHaveValue('measurements');
  await datasetsPage.importName.fill('readings');
  await datasetsPage.importSubmit.click();
  await expect(datasetsPage.title).toHaveText('readings');
  await expect(datasetsPage.rowCount).toHaveText('1,000');

  await datasetsPage.tab('preview').click();
  const table = page.getByTestId('preview-table');
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-total', '1000');
  await expect(page.locator('[data-testid="preview-row"][data-index="0"]')).toContainText('label-0');
  // Far past the first page: the rows there are fetched as they scroll into view.
  await table.evaluate((element) => (element.scrollTop = element.scrollHeight));
  const last = page.locator('[data-testid="preview-row"][data-index="999"]');
  await expect(last).toContainText('999');
  await expect(last).toContainText('499.5');
  await expect(last).toContainText('label-3');

  // The palette jumps to a dataset by name.
  await page.getByTestId('nav-datasets').click();
  await page.keyboard.press('Control+k');
  await page.getByTestId('palette-input').fill('readi');
  await expect(page.getByTestId('palette-item').first()).toContainText('readings');
  await page.keyboard.press('Enter');
  await expect(datasetsPage.title).toHaveText('readings');
});

test('a transform derives a new version whose lineage leads back to its parent', async ({ datasetsPage, page }) => {
  await datasetsPage.open();
  await datasetsPage.dropFile('flowers.csv', `${flowersCsv}\n`);
  await datasetsPage.importSubmit.click();
  await expect(datasetsPage.rowCount).toHaveText('12');

  await page.getByTestId('transform-button').click();
  const dialog = page.getByTestId('transform-dialog');
  await dialog.getByTestId('add-step-drop').click();
  await dialog.locator('[data-testid="column-chip"][data-column="id"]').click();
  await dialog.getByTestId('add-step-filter').click();
  await dialog.getByTestId('filter-where').fill('petal_length > 3');
  await dialog.getByTestId('transform-output').fill('flowers-large');
  await dialog.getByTestId('transform-submit').click();

  await expect(datasetsPage.title).toHaveText('flowers-large');
  await expect(datasetsPage.rowCount).toHaveText('9');
  await expect(page.getByTestId('schema-row')).toHaveCount(2);
  await expect(page.getByTestId('version-row').first()).toContainText('flowers v1');

  await datasetsPage.tab('lineage').click();
  await expect(page.getByTestId('lineage-node')).toHaveCount(2);
  await page.locator('[data-testid="lineage-node"]').filter({ hasText: 'flowers v1' }).click();
  await expect(datasetsPage.title).toHaveText('flowers');
  await expect(page.getByTestId('lineage-node')).toHaveCount(2);
});
