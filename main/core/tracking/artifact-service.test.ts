import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWorkbench, tempHome } from '../testing/temp-home';
import type { Workbench } from '../workbench';

let workbench: Workbench;
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(() => workbench.dispose());

describe('artifacts', () => {
  it('stores content-addressed at files/md5/<2>/<30> and previews text', async () => {
    const run = workbench.tracking.createRun({});
    const entry = await workbench.artifacts.writeBytes(run.id, 'notes/readme.txt', Buffer.from('hello'));
    expect(entry).toMatchObject({ md5: '5d41402abc4b2a76b9719d911017c592', size: 5, mediaType: 'text/plain' });
    expect(existsSync(join(workbench.layout.objects, 'files', 'md5', '5d', '41402abc4b2a76b9719d911017c592'))).toBe(true);
    expect(await workbench.artifacts.read(run.id, 'notes/readme.txt', 100)).toMatchObject({ content: 'hello', encoding: 'utf8', truncated: false });
    expect(workbench.artifacts.list(run.id, '')).toEqual([{ path: 'notes', isDir: true, size: 5, mediaType: null, md5: null }]);
  });

  it('logs a folder keeping its layout', async () => {
    const source = tempHome('trainyard-src-');
    mkdirSync(join(source.path, 'model', 'weights'), { recursive: true });
    writeFileSync(join(source.path, 'model', 'MLmodel'), 'flavors: {}\n');
    writeFileSync(join(source.path, 'model', 'weights', 'w.bin'), randomBytes(64));
    const run = workbench.tracking.createRun({});
    const entries = await workbench.artifacts.logDirectory(run.id, join(source.path, 'model'), 'model');
    expect(entries.map((e) => e.path)).toEqual(['model/MLmodel', 'model/weights/w.bin']);
    expect(workbench.artifacts.list(run.id, 'model').map((e) => [e.path, e.isDir])).toEqual([['model/weights', true], ['model/MLmodel', false]]);
    source.remove();
  });

  it.each(['/etc/passwd', '../escape.txt', 'a/../../b', 'C:\\windows\\x', 'a\\..\\..\\b'])('rejects the path %s', async (path) => {
    const run = workbench.tracking.createRun({});
    const result = await workbench.dispatch('artifacts.write', { runId: run.id, path, content: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });
});

describe('purge', () => {
  it('really frees the disk of trashed runs, and keeps objects another run still uses', async () => {
    const doomed = workbench.tracking.createRun({ name: 'doomed' });
    const kept = workbench.tracking.createRun({ name: 'kept' });
    const big = randomBytes(1_000_000);
    const shared = Buffer.from('shared bytes');
    const bigEntry = await workbench.artifacts.writeBytes(doomed.id, 'big.bin', big);
    const sharedEntry = await workbench.artifacts.writeBytes(doomed.id, 'shared.txt', shared);
    await workbench.artifacts.writeBytes(kept.id, 'same.txt', shared);
    workbench.tracking.logBatch({ runId: doomed.id, metrics: [{ key: 'loss', value: 1, step: 0 }] });

    const notTrashed = await workbench.dispatch('runs.purge', {});
    expect(notTrashed).toMatchObject({ ok: true, result: { runsPurged: 0, objectsDeleted: 0, bytesFreed: 0 } });

    await workbench.dispatch('runs.delete', { id: doomed.id });
    const purged = await workbench.dispatch('runs.purge', {});
    expect(purged).toMatchObject({ ok: true, result: { runsPurged: 1, objectsDeleted: 1, bytesFreed: 1_000_000 } });
    expect(existsSync(workbench.objects.pathOf(bigEntry.md5!))).toBe(false);
    expect(existsSync(workbench.objects.pathOf(sharedEntry.md5!))).toBe(true);
    expect(await workbench.dispatch('runs.get', { id: doomed.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const leftover = workbench.db.prepare('SELECT count(*) AS n FROM metric_points').get() as { n: number };
    expect(leftover.n).toBe(0);
  });
});
