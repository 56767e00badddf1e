import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { PipelinesPage } from './pages/pipelines-page';

// Browser mode against the real orchestrator: a pipeline.yaml of three `command` steps (one
// printing lines, one failing its first try then succeeding on its retry, one after both),
// registered by path, triggered from the UI and followed on the graph to green; a task's page
// with its tries and logs; the grid; and a long run cancelled from the Runs tab.

/** A command step running a line of JavaScript in this Node, whatever is on the PATH. */
const node = (code: string): string => JSON.stringify([process.execPath, '-e', code]);

const flowSpec = `name: e2e-flow
description: Three command steps, one of them flaky.
params:
  count: 3
steps:
  hello:
    kind: command
    params:
      command: ${node("const n = Number(process.env.PARAM_COUNT); for (let i = 1; i <= n; i++) console.log('line ' + i + ' of ' + n)")}
  flaky:
    kind: command
    depends_on: []
    retries: 1
    retry_delay: 0
    params:
      command: ${node("const t = process.env.TRAINYARD_TRY_NUMBER; if (t === '1') { console.log('flaky fails on try 1'); process.exit(1) } console.log('flaky succeeds on try ' + t)")}
  report:
    kind: command
    depends_on: [hello, flaky]
    params:
      command: ${node("console.log('report: both upstream tasks are done')")}
`;

const slowSpec = `name: e2e-slow
steps:
  hold:
    kind: command
    cache: false
    params:
      command: ${node("console.log('holding'); setTimeout(() => {}, 120000)")}
`;

test('a pipeline runs from Trigger… to green, with its tries, logs and grid', async ({ api, server, page }) => {
  test.setTimeout(90_000);
  const pipelines = new PipelinesPage(page, server.url);

  // Nothing yet: the list says how to add one.
  await pipelines.open();
  await expect(pipelines.empty).toContainText('Add pipeline…');
  await expect(pipelines.empty).toContainText('trainyard run pipeline.yaml');

  const folder = join(server.home, 'flow');
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'pipeline.yaml'), flowSpec);
  await api.call('pipelines.register', { path: join(folder, 'pipeline.yaml') });

  // Through the nav rail, the list shows it.
  await page.getByTestId('nav-runs').click();
  await page.getByTestId('nav-pipelines').click();
  await expect(pipelines.row('e2e-flow')).toBeVisible();
  await expect(pipelines.row('e2e-flow').getByTestId('pipeline-steps')).toHaveText('3');
  await expect(pipelines.row('e2e-flow').getByTestId('pipeline-schedule')).toHaveText('manual');
  await expect(pipelines.row('e2e-flow').getByTestId('pipeline-last-run')).toHaveText('never run');
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');

  // Its page: the graph of its three steps, no run yet.
  await expect(pipelines.title).toHaveText('e2e-flow');
  await expect(pipelines.nodes).toHaveCount(3);
  await expect(pipelines.node('report')).toHaveAttribute('data-state', '');

  // Trigger…: the param with its default, changed to 4.
  await pipelines.triggerButton.click();
  await expect(pipelines.triggerDialog).toBeVisible();
  await expect(pipelines.param('count')).toHaveValue('3');
  await pipelines.param('count').fill('4');
  await page.getByTestId('trigger-submit').click();
  await expect(pipelines.triggerDialog).toBeHidden();

  // Every step turns green on the graph; the flaky one on its second try.
  for (const task of ['hello', 'flaky', 'report']) await expect(pipelines.node(task)).toHaveAttribute('data-state', 'success', { timeout: 30_000 });
  await expect(pipelines.node('flaky')).toHaveAttribute('data-try', '2');
  await expect(pipelines.node('flaky').getByTestId('dag-node-facts')).toContainText('try 2/2');
  await expect(page.getByTestId('graph-run-state')).toHaveAttribute('data-state', 'success');

  // A task's page: its log, with the param it ran with.
  await pipelines.node('hello').click();
  await expect(page).toHaveURL(/#\/pipelines\/e2e-flow\/runs\/manual__[^/]+\/hello$/);
  await expect(pipelines.taskPanel).toHaveAttribute('data-state', 'success');
  await expect(pipelines.log).toContainText('line 4 of 4');
  await expect(pipelines.log).toContainText('Starting attempt 1 of 1');

  // j goes to the next task: the flaky one, with two tries.
  await page.keyboard.press('j');
  await expect(page).toHaveURL(/\/flaky$/);
  await expect(pipelines.attemptTabs).toHaveCount(2);
  await expect(pipelines.attempt(1)).toHaveAttribute('data-state', 'failed');
  await expect(pipelines.attempt(2)).toHaveAttribute('data-state', 'success');
  await expect(pipelines.attempt(2)).toHaveAttribute('aria-selected', 'true');
  await expect(pipelines.log).toHaveAttribute('data-try', '2');
  await expect(pipelines.log).toContainText('flaky succeeds on try 2');
  await pipelines.attempt(1).click();
  await expect(pipelines.log).toHaveAttribute('data-try', '1');
  await expect(pipelines.log).toContainText('flaky fails on try 1');
  await expect(pipelines.log).toContainText('Failed: The command exited with code 1.');

  // The search box highlights matches and jumps between them.
  await page.keyboard.press('/');
  await expect(pipelines.logSearch).toBeFocused();
  await pipelines.logSearch.fill('try 1');
  await expect(page.getByTestId('log-match')).not.toHaveCount(0);
  await pipelines.logSearch.press('Enter');
  await expect(page.getByTestId('log-match-current')).toHaveText('try 1');
  await expect(page.getByTestId('log-match-count')).toContainText('1 /');

  // The grid: one DAG run, drawn.
  await pipelines.open('#/pipelines/e2e-flow/grid');
  await expect(pipelines.grid).toHaveAttribute('data-columns', '1');
  await expect(pipelines.grid).toHaveAttribute('data-rows', '3');
  await expect(pipelines.gridCanvas).toHaveAttribute('data-drawn-columns', '1');

  // And the list has its last run.
  await pipelines.open();
  await expect(pipelines.row('e2e-flow').getByTestId('state-chip')).toHaveAttribute('data-state', 'success');
  await expect(pipelines.row('e2e-flow').getByTestId('pipeline-run-count')).toHaveText('1');
});

test('a long-running DAG run is cancelled from the Runs tab', async ({ api, server, page }) => {
  const pipelines = new PipelinesPage(page, server.url);
  await api.call('pipelines.register', { text: slowSpec });
  const run = await api.call('pipelines.trigger', { name: 'e2e-slow' });

  await pipelines.open('#/pipelines/e2e-slow/runs');
  await expect(pipelines.runRow(run.runId)).toHaveAttribute('data-state', 'running', { timeout: 15_000 });
  await pipelines.runRow(run.runId).getByTestId('dag-run-cancel').click();
  await expect(page.getByTestId('cancel-run-dialog')).toContainText('hold is stopped');
  await page.getByTestId('cancel-run-confirm').click();
  await expect(page.getByTestId('cancel-run-dialog')).toBeHidden();
  await expect(pipelines.runRow(run.runId)).toHaveAttribute('data-state', 'failed', { timeout: 15_000 });
  await expect(pipelines.runRow(run.runId).getByTestId('dag-run-cancel')).toHaveCount(0);

  // Its task says why.
  await pipelines.runRow(run.runId).getByTestId('dag-run-link').click();
  await expect(page.getByTestId('task-row')).toHaveAttribute('data-state', 'failed');
  await page.getByTestId('task-row').click();
  await expect(page.getByTestId('task-message')).toContainText('cancelled by the user');
  await expect(pipelines.log).toContainText('holding');
});
