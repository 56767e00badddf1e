import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { startS3, type S3Endpoint } from './support/s3';

/**
 * Team sync in browser mode: the UI under test is home A; a teammate's home B is driven through
 * the CLI, as a second computer would be. Both sync with an in-process S3 (fauxqs).
 */

const exec = promisify(execFile);
const cliPath = resolve('dist/cli/trainyard.js');
const teamBucket = 'team-bucket';
const dryBucket = 'dry-bucket';

let s3: S3Endpoint;
test.beforeAll(async () => {
  s3 = await startS3();
  await s3.createBucket(teamBucket);
  await s3.createBucket(dryBucket);
});
test.afterAll(async () => {
  await s3?.stop();
});

/** `trainyard <args> --home <home>` with the bucket's keys in the environment; throws on a non-zero exit. */
async function trainyard(home: string, args: readonly string[]): Promise<string> {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey };
  try {
    const { stdout } = await exec(process.execPath, [cliPath, ...args, '--home', home], { env });
    return stdout;
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    throw new Error(`trainyard ${args.join(' ')} exited with ${failed.code}:\n${failed.stdout}\n${failed.stderr}`);
  }
}

interface RemoteForm {
  readonly name: string;
  readonly bucket: string;
  readonly prefix: string;
}

/** Sync section → Add a remote → the form filled in with keys; the dialog stays open. */
async function fillRemoteForm(page: Page, remote: RemoteForm): Promise<void> {
  await page.getByTestId('nav-sync').click();
  await expect(page.getByTestId('sync-empty')).toBeVisible();
  await page.getByTestId('sync-add-remote').click();
  await expect(page.getByTestId('remote-form')).toBeVisible();
  await page.getByTestId('remote-name').fill(remote.name);
  await page.getByTestId('remote-endpoint').fill(s3.endpoint);
  // Path-style follows the endpoint: on for self-hosted servers.
  await expect(page.getByTestId('remote-path-style')).toBeChecked();
  await expect(page.getByTestId('remote-region')).toHaveValue('us-east-1');
  await page.getByTestId('remote-bucket').fill(remote.bucket);
  await page.getByTestId('remote-prefix').fill(remote.prefix);
  await expect(page.getByTestId('remote-auth')).toHaveValue('keys');
  await page.getByTestId('remote-access-key').fill(s3.accessKeyId);
  await page.getByTestId('remote-secret').fill(s3.secretAccessKey);
}

async function saveRemoteForm(page: Page, name: string): Promise<void> {
  await page.getByTestId('remote-save').click();
  await expect(page.getByTestId('remote-form')).toBeHidden();
  await expect(page.locator(`[data-testid="remote-card"][data-remote="${name}"]`)).toBeVisible();
}

test('a teammate’s run arrives with one click', async ({ api, runsPage, page }) => {
  // A prefix of its own: a repeated or retried test starts from an empty store.
  const prefix = `team-${randomUUID().slice(0, 8)}`;
  const artifact = `epoch,loss\n1,0.5\n2,0.25\n${prefix}\n`;
  const run = await api.call('runs.create', { name: 'from-alice', params: [{ key: 'lr', value: '0.01' }, { key: 'optimizer', value: 'adam' }] });
  await api.call('runs.logBatch', { runId: run.id, metrics: [{ key: 'loss', value: 0.25, step: 2 }] });
  await api.call('artifacts.write', { runId: run.id, path: 'history.csv', content: artifact });

  await runsPage.open();
  await expect(runsPage.row(run.id)).toBeVisible();
  await expect(page.getByTestId('status-sync')).toHaveAttribute('data-state', 'none');
  await fillRemoteForm(page, { name: 'team', bucket: teamBucket, prefix });

  // Test connection saves, then probes: listing and writes work against fauxqs.
  await page.getByTestId('remote-test').click();
  const result = page.getByTestId('test-result');
  await expect(result).toBeVisible();
  await expect(result.getByTestId('test-check')).toHaveCount(4);
  await expect(result.locator('[data-testid="test-check"][data-check="listing"]')).toHaveAttribute('data-ok', 'true');
  await expect(result.locator('[data-testid="test-check"][data-check="write"]')).toHaveAttribute('data-ok', 'true');
  // The keys were stored by the test's save; the fields are cleared, and Save keeps the stored keys.
  await expect(page.getByTestId('remote-secret')).toHaveValue('');
  await saveRemoteForm(page, 'team');
  await expect(page.getByTestId('sync-history-empty')).toBeVisible();
  // Saving what was just tested keeps the test's findings (fauxqs honours neither If-None-Match nor Content-MD5).
  await expect(page.getByTestId('remote-tested')).toHaveText('2 of 4 checks failed (Edit → Test connection)');

  await page.getByTestId('sync-now').click();
  const history = page.getByTestId('sync-history-entry');
  await expect(history).toHaveCount(1);
  await expect(history.first()).toHaveAttribute('data-status', 'succeeded');
  await expect(history.first().getByTestId('sync-report-pushed')).toContainText('1 run');
  await expect(page.getByTestId('status-sync')).toHaveText(/synced just now/);
  await expect(page.getByTestId('status-sync')).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('remote-last-push')).toHaveText('just now');
  // The artifact's content is in the bucket where DVC would look for it.
  const md5 = createHash('md5').update(artifact).digest('hex');
  expect(await s3.listKeys(teamBucket, `${prefix}/files/md5/`)).toContain(`${prefix}/files/md5/${md5.slice(0, 2)}/${md5.slice(2)}`);

  // Bob, on another computer: the same bucket and prefix, through the CLI.
  const bob = await mkdtemp(join(tmpdir(), 'trainyard-e2e-bob-'));
  try {
    await test.step('Bob adds the remote and syncs: Alice’s run is there', async () => {
      expect(await trainyard(bob, ['remote', 'add', 'team', '--bucket', teamBucket, '--endpoint', s3.endpoint, '--prefix', prefix])).toContain('Added remote team');
      expect(await trainyard(bob, ['sync'])).toMatch(/pulled \d+ objects .*: .*1 run/);
      const shown = JSON.parse(await trainyard(bob, ['runs', 'show', run.id, '--json'])) as { name: string; params: Record<string, string>; metrics: Record<string, { value: number }> };
      expect(shown).toMatchObject({ name: 'from-alice', params: { lr: '0.01', optimizer: 'adam' }, metrics: { loss: { value: 0.25 } } });
    });
    const bobsRun = await test.step('Bob creates a run and syncs', async () => {
      const id = (await trainyard(bob, ['runs', 'create', '--name', 'from-bob', '--param', 'x=1'])).trim();
      expect(await trainyard(bob, ['sync'])).toMatch(/pushed \d+ objects .*: .*1 run/);
      return id;
    });

    // Back in the UI: one more click pulls Bob's run, and the lists reload by themselves.
    await page.getByTestId('sync-now').click();
    await expect(history).toHaveCount(2);
    await expect(history.first()).toHaveAttribute('data-status', 'succeeded');
    await expect(history.first().getByTestId('sync-report-pulled')).toContainText('1 run');
    await expect(page.getByTestId('remote-last-pull')).toHaveText('just now');
    await page.getByTestId('nav-runs').click();
    await expect(runsPage.row(bobsRun)).toBeVisible();
    await expect(runsPage.row(bobsRun)).toContainText('from-bob');
    // Bob's run says who made it; Alice's own run does not.
    await expect(runsPage.row(bobsRun).getByTestId('run-synced-by')).toBeVisible();
    await expect(runsPage.row(run.id)).toBeVisible();
    await expect(runsPage.row(run.id).getByTestId('run-synced-by')).toHaveCount(0);
  } finally {
    await rm(bob, { recursive: true, force: true });
  }
});

test('a failed sync says why and retries', async ({ runsPage, page }) => {
  await runsPage.open();
  await fillRemoteForm(page, { name: 'typo', bucket: 'no-such-bucket', prefix: 'team' });
  await saveRemoteForm(page, 'typo');

  await page.getByTestId('sync-now').click();
  const history = page.getByTestId('sync-history-entry');
  await expect(history).toHaveCount(1);
  await expect(history.first()).toHaveAttribute('data-status', 'failed');
  await expect(history.first().getByTestId('sync-error')).toContainText('no-such-bucket');
  await expect(page.getByTestId('status-sync')).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('status-sync-error')).toBeVisible();

  // Retry runs the same sync again: it fails the same way, as a new entry on top.
  const retry = history.first().getByTestId('sync-retry');
  await expect(retry).toHaveText('Retry');
  await retry.click();
  await expect(history).toHaveCount(2);
  await expect(history.nth(0)).toHaveAttribute('data-status', 'failed');
  await expect(history.nth(0).getByTestId('sync-error')).toContainText('no-such-bucket');
  await expect(history.nth(1)).toHaveAttribute('data-status', 'failed');
});

test('a dry run says what it would move and leaves the bucket empty', async ({ api, runsPage, page }) => {
  const run = await api.call('runs.create', { name: 'not-yet', params: [{ key: 'lr', value: '0.1' }] });
  await api.call('artifacts.write', { runId: run.id, path: 'notes.txt', content: 'stays here' });
  await runsPage.open();
  await fillRemoteForm(page, { name: 'careful', bucket: dryBucket, prefix: 'team' });
  await saveRemoteForm(page, 'careful');

  await page.getByTestId('sync-dry-run').click();
  const entry = page.getByTestId('sync-history-entry');
  await expect(entry).toHaveCount(1);
  await expect(entry.first()).toHaveAttribute('data-status', 'succeeded');
  await expect(entry.first()).toContainText('Dry run');
  await expect(entry.first()).toContainText('Push and pull (dry run)');
  await expect(entry.first()).toContainText('Would push');
  await expect(entry.first().getByTestId('sync-report-pushed')).toContainText('1 run');
  await expect(page.getByTestId('remote-last-push')).toHaveText('never');
  expect(await s3.listKeys(dryBucket)).toEqual([]);
});
