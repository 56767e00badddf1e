/**
 * Homes that sync through one in-memory bucket, for the event-log tests. The content objects
 * stand in for the transfer layer: a shared folder plays the bucket's `files/md5/`, objects are
 * copied into it before events are written and out of it before events are applied — the same
 * order the sync service keeps.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncScopeSchema, type SyncScope } from '../../../../shared/sync';
import { ObjectStore } from '../../objects/object-store';
import { openTestWorkbench, tempHome } from '../../testing/temp-home';
import type { Workbench } from '../../workbench';
import { applyEvents, eagerObjects, type ApplyResult } from './apply';
import { collectRecords, type CollectedBatch } from './collect';
import { readEvents, settlePending, writeEvents, type WriteResult } from './event-log';
import { Hlc, type ClockWarning } from './hlc';
import type { MemoryBucket } from './memory-bucket';
import { mergeRegistry, type MergeResult } from './registry-reconcile';

export const remote = 'team';

export interface TestHome {
  readonly workbench: Workbench & { home: string };
  readonly clock: Hlc;
  readonly author: string;
  push(scope?: Partial<SyncScope>): Promise<{ batch: CollectedBatch; written: WriteResult }>;
  pull(): Promise<{ applied: ApplyResult; merged: MergeResult; warnings: ClockWarning[] }>;
  dispose(): Promise<void>;
}

/** A bucket's content side: one object store shared by the homes of a test. */
export function sharedObjects(): { store: ObjectStore; remove(): void } {
  const home = tempHome('trainyard-bucket-');
  return { store: new ObjectStore(home.path, 0), remove: home.remove };
}

async function copyObject(from: ObjectStore, to: ObjectStore, oid: string): Promise<void> {
  if ((await to.has(oid)) || !(await from.has(oid))) return;
  const target = to.pathOf(oid);
  await mkdir(dirname(target), { recursive: true });
  await copyFile(from.pathOf(oid), target);
}

export async function openHome(bucket: MemoryBucket, files: ObjectStore, author: string, options: { wallClock?: () => number; clientId?: string } = {}): Promise<TestHome> {
  const workbench = await openTestWorkbench();
  const { db, objects } = workbench;
  // A home folder copied from another keeps its client id: the test gives both the same one.
  if (options.clientId) db.prepare('INSERT INTO sync_clock (id, client_id, hlc_ms, hlc_counter) VALUES (1, ?, 0, 0) ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id').run(options.clientId);
  db.prepare("INSERT OR IGNORE INTO sync_remotes (name, endpoint, region, bucket, auth, created_at) VALUES (?, NULL, 'us-east-1', 'team', 'keys', 0)").run(remote);
  const clock = new Hlc(db, options.wallClock);
  const now = options.wallClock ?? Date.now;
  return {
    workbench,
    clock,
    author,
    async push(scope = {}) {
      await settlePending(db, bucket, { remote, now });
      const batch = await collectRecords(db, objects, { remote, scope: syncScopeSchema.parse(scope) });
      for (const oid of [...batch.objects.eager, ...batch.objects.lazy]) await copyObject(objects, files, oid);
      const written = await writeEvents(db, bucket, { remote, clock, author, wallClock: now }, batch.records, batch.marks);
      return { batch, written };
    },
    async pull() {
      const read = await readEvents(db, bucket, { remote, clock });
      for (const oid of eagerObjects(read.events)) await copyObject(files, objects, oid);
      const applied = await applyEvents(db, objects, read.events, { remote, now });
      const merged = mergeRegistry(db, { remote, clientId: clock.clientId, now });
      return { applied, merged, warnings: read.warnings };
    },
    dispose: () => workbench.dispose(),
  };
}
