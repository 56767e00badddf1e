import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db/database';
import { homeLayout } from './home';
import { openTestWorkbench, tempHome, testWorkersDir } from './testing/temp-home';
import { openWorkbench } from './workbench';

const homes: Array<{ remove(): void }> = [];
afterEach(() => homes.splice(0).forEach((home) => home.remove()));

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('start-up after a crash', () => {
  it('marks the crashed session\'s RUNNING runs KILLED, keeps detached ones, removes temp files and opens cleanly', async () => {
    const home = tempHome();
    homes.push(home);
    const first = await openWorkbench({ home: home.path, shell: 'browser', workersDir: testWorkersDir });
    const owned = first.tracking.createRun({ name: 'owned' });
    first.tracking.logBatch({ runId: owned.id, metrics: [{ key: 'loss', value: 1, step: 1 }] });
    // Simulate the crash: the process dies without disposing; its lock names a dead pid and a
    // half-written object sits in the temp folder.
    first.db.close();
    const layout = homeLayout(home.path);
    writeFileSync(layout.lock, String(deadPid()));
    mkdirSync(join(layout.objects, 'tmp'), { recursive: true });
    writeFileSync(join(layout.objects, 'tmp', 'half-written.tmp'), 'partial');

    const detachedCli = await openWorkbench({ home: home.path, shell: 'browser', workersDir: testWorkersDir, detachedRuns: true });
    expect(detachedCli.recovered).toEqual({ killedRuns: 1, tempFilesRemoved: 1 });
    const detached = detachedCli.tracking.createRun({ name: 'from the CLI' });
    await detachedCli.dispose();

    const second = await openWorkbench({ home: home.path, shell: 'browser', workersDir: testWorkersDir });
    expect(second.tracking.getRun(owned.id)).toMatchObject({ status: 'KILLED' });
    expect(second.tracking.getRun(owned.id).endTime).not.toBeNull();
    expect(second.tracking.getRun(owned.id).metrics.loss?.value).toBe(1);
    expect(second.tracking.getRun(detached.id).status).toBe('RUNNING');
    expect(readdirSync(join(layout.objects, 'tmp'))).toEqual([]);
    expect(second.db.pragma('integrity_check', { simple: true })).toBe('ok');
    await second.dispose();
  });

  it('refuses a second writer on the same home with a clear message', async () => {
    const workbench = await openTestWorkbench();
    await expect(openWorkbench({ home: workbench.home, shell: 'browser', workersDir: testWorkersDir })).rejects.toThrow(/already running on .* \(process \d+\)/);
    await workbench.dispose();
  });
});

describe('database', () => {
  it('runs in WAL mode with foreign keys and a versioned schema', async () => {
    const workbench = await openTestWorkbench();
    expect(workbench.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(workbench.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(workbench.db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    await workbench.dispose();
  });

  it('refuses a database from a newer Trainyard instead of corrupting it', () => {
    const home = tempHome();
    homes.push(home);
    const file = join(home.path, 'future.db');
    openDatabase(file).pragma('user_version = 999');
    expect(() => openDatabase(file)).toThrow(/newer than this Trainyard/);
  });
});
