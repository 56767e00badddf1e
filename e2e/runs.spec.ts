import { test } from './fixtures';
import { chartGrowsWhileLogging, filterNarrowsTable, runsAppearInTable } from './flows';

// Browser mode: `trainyard ui` per test, driven in Chromium.
test('runs created through the API appear in the table', async ({ api, runsPage, runPage }) => {
  await runsAppearInTable({ api, runsPage, runPage });
});

test('typing a filter narrows the table, and a malformed filter shows the inline error', async ({ api, runsPage, runPage }) => {
  await filterNarrowsTable({ api, runsPage, runPage });
});

test("a run page's loss chart grows while points are logged", async ({ api, runsPage, runPage }) => {
  await chartGrowsWhileLogging({ api, runsPage, runPage });
});
