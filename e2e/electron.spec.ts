import { _electron as electron, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { OperationInput, OperationName, OperationOutput } from '../shared/api';
import type { RpcResult } from '../shared/bridge';
import { chartGrowsWhileLogging, filterNarrowsTable, runsAppearInTable } from './flows';
import { RunPage } from './pages/run-page';
import { RunsPage } from './pages/runs-page';
import type { TestApi } from './support/rpc';

/** The Electron binary npm's `electron` package downloaded, or null where it could not (offline). */
function electronBinary(): string | null {
  const packageDir = resolve('node_modules/electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
base.skip(binary === null, 'Electron runtime is not installed here (offline install); desktop specs skipped');

/** In the desktop app, tests set up data through the same preload bridge the renderer uses. */
function bridgeTestApi(page: Page): TestApi {
  return {
    async call<K extends OperationName>(operation: K, input: OperationInput<K>): Promise<OperationOutput<K>> {
      const result = (await page.evaluate(
        ([name, value]) => (window as unknown as { trainyard: { operations: Record<string, (input: unknown) => Promise<unknown>> } }).trainyard.operations[name]!(value),
        [operation, input] as const,
      )) as RpcResult;
      if (!result.ok) throw new Error(`${operation} failed: ${result.error.code} ${result.error.message}`);
      return result.result as OperationOutput<K>;
    },
  };
}

const test = base.extend<{ app: ElectronApplication; page: Page; api: TestApi; runsPage: RunsPage; runPage: RunPage }>({
  app: async ({}, use, testInfo) => {
    const home = await mkdtemp(join(tmpdir(), `trainyard-electron-${testInfo.testId.slice(0, 12)}-`));
    const app = await electron.launch({
      executablePath: binary!,
      args: ['--no-sandbox', resolve('dist/electron/main.js')],
      env: { ...process.env, TRAINYARD_HOME: home },
    });
    try {
      await use(app);
    } finally {
      await app.close();
      await rm(home, { recursive: true, force: true });
    }
  },
  page: async ({ app }, use) => {
    const page = await app.firstWindow();
    await page.waitForFunction(() => 'trainyard' in window);
    await use(page);
  },
  api: async ({ page }, use) => use(bridgeTestApi(page)),
  runsPage: async ({ page }, use) => use(new RunsPage(page, null)),
  runPage: async ({ page }, use) => use(new RunPage(page)),
});

test('desktop: runs created through the API appear in the table', async ({ api, runsPage, runPage }) => {
  await runsAppearInTable({ api, runsPage, runPage });
});

test('desktop: a filter narrows the table, and a malformed one shows the inline error', async ({ api, runsPage, runPage }) => {
  await filterNarrowsTable({ api, runsPage, runPage });
});

test("desktop: a run page's loss chart grows while points are logged", async ({ api, runsPage, runPage }) => {
  await chartGrowsWhileLogging({ api, runsPage, runPage });
});
