import { test as base } from '@playwright/test';
import { DatasetsPage } from './pages/datasets-page';
import { RunPage } from './pages/run-page';
import { RunsPage } from './pages/runs-page';
import { httpTestApi, type TestApi } from './support/rpc';
import { startUiServer, type UiServerHandle } from './support/server';

interface Fixtures {
  /** A `trainyard ui` of this test's own, on its own home folder. */
  server: UiServerHandle;
  /** The contract over HTTP, to create experiments, runs and metrics. */
  api: TestApi;
  runsPage: RunsPage;
  runPage: RunPage;
  datasetsPage: DatasetsPage;
}

export const test = base.extend<Fixtures>({
  // Playwright requires the destructuring pattern even when no fixture is used.
  server: async ({}, use, testInfo) => {
    const server = await startUiServer(testInfo.testId);
    try {
      await use(server);
    } finally {
      await server.stop();
    }
  },
  api: async ({ server }, use) => {
    await use(httpTestApi(server.origin, server.token));
  },
  runsPage: async ({ page, server }, use) => {
    await use(new RunsPage(page, server.url));
  },
  runPage: async ({ page }, use) => {
    await use(new RunPage(page));
  },
  datasetsPage: async ({ page, server }, use) => {
    await use(new DatasetsPage(page, server.url));
  },
});

export { expect } from '@playwright/test';
