import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFauxqsServer } from '../core/sync/testing/fauxqs-server';
import { createBucket, testS3Client, type S3TestServer } from '../core/sync/testing/s3-client';
import { tempHome } from '../core/testing/temp-home';

const exec = promisify(execFile);
const cli = join(process.cwd(), 'dist', 'cli', 'trainyard.js');
let server: S3TestServer;
const homes: Array<{ path: string; remove(): void }> = [];
beforeAll(async () => {
  server = await startFauxqsServer();
  const client = testS3Client(server);
  await createBucket(client, 'team-bucket');
  client.destroy();
});
afterAll(() => server?.stop());
beforeEach(() => {
  homes.push(tempHome(), tempHome());
});
afterEach(() => {
  for (const home of homes.splice(0)) home.remove();
});

async function trainyard(home: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [cli, ...args, '--home', home], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('trainyard remote / sync', () => {
  it('adds a remote with keys from the environment, pushes from one home and pulls into another', async () => {
    const [alice, bob] = homes.map((home) => home.path) as [string, string];
    const keys = { AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey };
    for (const home of [alice, bob]) {
      const added = await trainyard(home, ['remote', 'add', 'team', '--bucket', 'team-bucket', '--endpoint', server.endpoint, '--prefix', 'cli-test'], keys);
      expect(added.stderr).toBe('');
      expect(added.stdout).toContain('Added remote team: s3://team-bucket/cli-test');
      expect(added.stdout).toContain('lists the bucket');
      // The secret is kept in a file only the user can read, and never printed.
      expect(statSync(join(home, 'credentials.json')).mode & 0o777).toBe(0o600);
      expect(added.stdout).not.toContain(server.secretAccessKey);
    }
    const runId = (await trainyard(alice, ['runs', 'create', '--name', 'shared-run', '--param', 'lr=0.1'])).stdout.trim();
    await trainyard(alice, ['runs', 'log', runId, '--metric', 'loss=0.5@1']);
    const dry = await trainyard(alice, ['sync', '--push', '--dry-run']);
    expect(dry.stdout).toMatch(/^Dry run: would push \d+ objects/);
    const pushed = JSON.parse((await trainyard(alice, ['sync', '--push', '--json'])).stdout) as { pushed: { events: number } };
    expect(pushed.pushed.events).toBeGreaterThan(0);

    const pulled = await trainyard(bob, ['sync', '--pull']);
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toMatch(/pulled \d+ objects .* \d+ events: .*run/);
    const shown = JSON.parse((await trainyard(bob, ['runs', 'show', runId, '--json'])).stdout) as { name: string; params: Record<string, string> };
    expect(shown).toMatchObject({ name: 'shared-run', params: { lr: '0.1' } });
    const listed = JSON.parse((await trainyard(bob, ['remote', 'list', '--json'])).stdout) as Array<{ name: string; lastPullAt: number | null; hasCredentials: boolean }>;
    expect(listed).toMatchObject([{ name: 'team', hasCredentials: true }]);
    expect(listed[0]!.lastPullAt).not.toBeNull();
  }, 60_000);

  it('says clearly what is wrong: no keys, a missing bucket, both --push and --pull', async () => {
    const [home] = homes.map((entry) => entry.path) as [string];
    const noKeys = await trainyard(home, ['remote', 'add', 'team', '--bucket', 'team-bucket', '--endpoint', server.endpoint], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });
    expect(noKeys.code).not.toBe(0);
    expect(noKeys.stderr).toContain('credentials: enter the access key id');
    const keys = { AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey };
    const missing = await trainyard(home, ['remote', 'add', 'team', '--bucket', 'no-such-bucket', '--endpoint', server.endpoint], keys);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('no-such-bucket');
    const both = await trainyard(home, ['sync', '--push', '--pull']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('--push and --pull');
  }, 60_000);
});
