import { expect, test } from './fixtures';
import { PipelinesPage } from './pages/pipelines-page';
import type { TestApi } from './support/rpc';

// Nested runs in the comparison: a sweep → 2 trials → 3 folds each, selected from the sweep's run
// page ("Compare all descendants") and from the runs table (alt-click, Shift+A), shown as a tree,
// grouped by parent run into one band per trial; and a DAG run's tracking runs compared from its page.

const points = 300;

/** sweep → trial-0, trial-1 (param lr) → fold-<t>-0…2 (param fold, a `loss` curve each). */
async function createSweep(api: TestApi): Promise<{ sweep: string; trials: string[]; folds: string[] }> {
  const experiment = await api.call('experiments.create', { name: 'nested' });
  const sweep = await api.call('runs.create', { experimentId: experiment.id, name: 'sweep' });
  const trials: string[] = [];
  const folds: string[] = [];
  for (const [index, lr] of ['0.1', '0.01'].entries()) {
    const trial = await api.call('runs.create', { experimentId: experiment.id, name: `trial-${index}`, parentRunId: sweep.id });
    // Trials log params only: their own curves would be a band of their own.
    await api.call('runs.logBatch', { runId: trial.id, params: [{ key: 'lr', value: lr }] });
    trials.push(trial.id);
    for (let fold = 0; fold < 3; fold++) {
      const run = await api.call('runs.create', { experimentId: experiment.id, name: `fold-${index}-${fold}`, parentRunId: trial.id });
      const metrics = Array.from({ length: points }, (_, step) => ({ key: 'loss', step, value: (index + 1) / (1 + step / 10) + fold * 0.01 }));
      await api.call('runs.logBatch', { runId: run.id, params: [{ key: 'fold', value: String(fold) }], metrics });
      folds.push(run.id);
    }
  }
  return { sweep: sweep.id, trials, folds };
}

test('a sweep’s descendants are compared as a tree and grouped by parent run, one band per trial', async ({ api, runsPage, page }) => {
  const { sweep, trials } = await createSweep(api);

  await runsPage.open();
  await expect(runsPage.rows).toHaveCount(1);
  await runsPage.openRun(sweep);
  await expect(page.getByTestId('run-title')).toHaveText('sweep');
  // The sweep's children have children: both actions are offered.
  await expect(page.getByTestId('compare-children')).toBeVisible();
  await page.getByTestId('compare-descendants').click();

  // 2 trials + 6 folds, not the sweep itself; each fold indented under its trial.
  await expect(page).toHaveURL(/#\/compare\?runs=/);
  const listed = page.getByTestId('compare-run');
  await expect(listed).toHaveCount(8);
  await expect(page.getByRole('heading', { name: 'Compare 8 runs' })).toBeVisible();
  await expect(listed.nth(0)).toHaveAttribute('data-run-id', trials[0]!);
  await expect.poll(async () => listed.evaluateAll((items) => items.map((item) => `${item.getAttribute('data-depth')}:${item.textContent}`))).toEqual([
    '0:trial-0', '1:└fold-0-0', '1:└fold-0-1', '1:└fold-0-2',
    '0:trial-1', '1:└fold-1-0', '1:└fold-1-1', '1:└fold-1-2',
  ]);

  const chart = page.locator('[data-testid="compare-chart"][data-metric-key="loss"]');
  await expect(chart).toHaveAttribute('data-loading', 'false');
  await expect(chart).toHaveAttribute('data-series-count', '6');

  // By parent run: the three folds of each trial become one band, labelled with the trial's name.
  // The trials form a third group ("sweep") with no loss curve, so the chart draws two bands.
  await page.getByTestId('group-by').selectOption('parent:run');
  await expect(chart).toHaveAttribute('data-group-count', '2');
  for (const trial of ['trial-0', 'trial-1']) {
    await expect(chart.locator(`[data-testid="compare-group"][data-group-value="${trial}"]`)).toHaveAttribute('data-run-count', '3');
  }
  await expect(page.getByTestId('legend-entry')).toHaveCount(3);
  await expect(page.locator('[data-testid="legend-entry"][data-value="sweep"]')).toContainText('2 runs');
});

test('alt-click and Shift+A select a run with every run below it', async ({ api, runsPage, page }) => {
  const { sweep } = await createSweep(api);
  await runsPage.open();
  const check = runsPage.row(sweep).getByTestId('run-check');
  await expect(check).toHaveAttribute('title', /alt-click or Shift\+A: with all its descendant runs/);

  await check.click({ modifiers: ['Alt'] });
  await expect(page.getByTestId('selection-count')).toHaveText('9 selected');
  // The same gesture on a selected run takes it out with its descendants.
  await check.click({ modifiers: ['Alt'] });
  await expect(page.getByTestId('selection-bar')).toBeHidden();

  // From the keyboard: focus the row, then Shift+A.
  await runsPage.row(sweep).click();
  await expect(runsPage.row(sweep)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Shift+A');
  await expect(page.getByTestId('selection-count')).toHaveText('9 selected');
  await expect(runsPage.row(sweep)).toHaveAttribute('data-checked', 'true');
});

/** A command step running a line of JavaScript in this Node, whatever is on the PATH. */
const node = (code: string): string => JSON.stringify([process.execPath, '-e', code]);

test('a DAG run’s tracking runs open side by side from its page', async ({ api, server, page }) => {
  test.setTimeout(60_000);
  // Each command step's attempt gets its own tracking run (the MLflow server is up in `trainyard ui`).
  await api.call('pipelines.register', {
    text: `name: two-steps
steps:
  first:
    kind: command
    params:
      command: ${node("console.log('first')")}
  second:
    kind: command
    depends_on: [first]
    params:
      command: ${node("console.log('second')")}
`,
  });
  await api.call('pipelines.register', {
    text: `name: one-step
steps:
  only:
    kind: command
    params:
      command: ${node("console.log('only')")}
`,
  });
  const pipelines = new PipelinesPage(page, server.url);
  const two = await api.call('pipelines.trigger', { name: 'two-steps' });
  const one = await api.call('pipelines.trigger', { name: 'one-step' });
  for (const id of [two.id, one.id]) {
    await expect.poll(async () => (await api.call('pipelines.run', { id })).state, { timeout: 30_000 }).toBe('success');
  }

  // One run made: nothing to compare, and the button says why.
  await pipelines.open(`#/pipelines/one-step/runs/${encodeURIComponent(one.runId)}`);
  const button = page.getByTestId('compare-dag-runs');
  await expect(button).toBeDisabled();
  await expect(button).toHaveAttribute('title', /at least 2 tracking runs.*only 1/);

  await pipelines.open(`#/pipelines/two-steps/runs/${encodeURIComponent(two.runId)}`);
  await expect(button).toBeEnabled();
  await button.click();
  await expect(page).toHaveURL(/#\/compare\?runs=/);
  await expect(page.getByTestId('compare-run')).toHaveCount(2);
  await expect(page.getByTestId('compare-run')).toHaveText(['two-steps.first', 'two-steps.second']);
});
