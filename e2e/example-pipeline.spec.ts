import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { PipelinesPage } from './pages/pipelines-page';

// The README's first demo, from the browser: the bundled seven-step Iris pipeline triggered from
// the UI; every task turns green on the graph, a task's log opens, and its output links to the
// model version it registered.

test('the example pipeline runs from the browser UI to green and registers its model', async ({ api, server, page }) => {
  test.setTimeout(150_000);
  const folder = join(server.home, 'iris-example');
  await cp(join(process.cwd(), 'resources', 'examples', 'iris'), folder, { recursive: true });
  await api.call('pipelines.register', { path: join(folder, 'pipeline.yaml') });

  const pipelines = new PipelinesPage(page, server.url);
  await pipelines.open('#/pipelines/iris-example');
  await expect(pipelines.nodes).toHaveCount(7);
  await pipelines.triggerButton.click();
  await page.getByTestId('trigger-submit').click();

  for (const task of ['ingest', 'validate', 'preprocess', 'features', 'train', 'evaluate', 'register']) {
    await expect(pipelines.node(task)).toHaveAttribute('data-state', 'success', { timeout: 90_000 });
  }
  await expect(page.getByTestId('graph-run-state')).toHaveAttribute('data-state', 'success');

  await pipelines.node('evaluate').click();
  await expect(pipelines.log).toContainText('accuracy=');
  await pipelines.node('register').click();
  await expect(pipelines.taskPanel.getByTestId('task-outputs')).toContainText('models:/iris-classifier/1');
});
