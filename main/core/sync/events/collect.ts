/**
 * What this home has to push: every entity whose record changed since it was last pushed to this
 * remote (sync_pushed keeps a digest per entity), and every registry change after the last one
 * pushed. An entity that came from a teammate and is unchanged here has the digest apply stored,
 * so it is never sent back.
 */
import { createHash } from 'node:crypto';
import type { SyncScope } from '../../../../shared/sync';
import type { Database } from '../../db/database';
import type { ObjectStore } from '../../objects/object-store';
import { dagRunRecord, datasetVersionRecord, entityOf, experimentRecord, pipelineRecord, runRecord, type BuiltRecord, type EntityKind } from './entity-records';
import type { RecordObjects, SyncRecord } from './event-schema';
import { serializeMetrics } from './metrics-object';
import { applyKeyChanges, registryRecords, type KeyChange } from './registry-collect';

/** sync_pushed row holding the id of the last registry_events row pushed (its digest column). */
const registryCursorKind = 'registry-cursor';

/**
 * What keeping one record in the log records here, committed by writeEvents in the transaction
 * that keeps the event holding it (with that event's hlc): nothing is marked before its event is
 * in the bucket, and every event written is marked, whatever happens to the ones after it.
 */
export interface RecordMark {
  /** The entity's digest as sent. */
  readonly pushed?: { readonly kind: EntityKind; readonly entity: string; readonly digest: string };
  /** The last registry_events id this record covers (the registry cursor moves there). */
  readonly registryId?: number;
  /** sync_version_keys changes the record needs (new keys, a rename, a deleted model). */
  readonly keyChanges?: readonly KeyChange[];
}

export interface CollectOptions {
  readonly remote: string;
  readonly scope: SyncScope;
  /** A dry run: metrics objects are hashed, not stored (`unstored` has their sizes). */
  readonly dryRun?: boolean;
}

/**
 * What `collectRecords` found. Collecting writes nothing to the database (a dry run may call it);
 * what a record marks once its event is written is in `marks`.
 */
export interface CollectedBatch {
  readonly records: SyncRecord[];
  /** One per record, same index. */
  readonly marks: RecordMark[];
  /** Every object the records reference (upload all before writing the events). */
  readonly objects: RecordObjects;
  /** Per record type, how many (for the sync report). */
  readonly counts: Record<string, number>;
  /** The last registry_events id read, when past the cursor (the last event written moves the cursor there). */
  readonly registryLastId: number | null;
  /** Dry run only: objects the records reference that were hashed but not stored, with their sizes. */
  readonly unstored: Readonly<Record<string, number>>;
}

const inList = (list: 'all' | readonly string[]) => (name: string) => list === 'all' || list.includes(name);

export async function collectRecords(db: Database, objects: ObjectStore, options: CollectOptions): Promise<CollectedBatch> {
  const { remote, scope } = options;
  const digestOf = db.prepare('SELECT digest FROM sync_pushed WHERE remote = ? AND kind = ? AND entity = ?').pluck() as unknown as { get(...args: unknown[]): string | undefined };
  const records: SyncRecord[] = [];
  const marks: RecordMark[] = [];
  const metricsWanted: Array<{ record: SyncRecord & { type: 'run' }; pk: number }> = [];
  const take = <R extends SyncRecord & { type: EntityKind }>(kind: EntityKind, built: BuiltRecord<R> | null): R | null => {
    if (!built) return null;
    const entity = entityOf(built.record);
    if (digestOf.get(remote, kind, entity) === built.digest) return null;
    records.push(built.record);
    marks.push({ pushed: { kind, entity, digest: built.digest } });
    return built.record;
  };

  const experimentIn = inList(scope.experiments);
  const experiments = db.prepare('SELECT id, name FROM experiments ORDER BY id').all() as Array<{ id: number; name: string }>;
  for (const experiment of experiments) if (experimentIn(experiment.name)) take('experiment', experimentRecord(db, experiment.id));

  const datasetIn = inList(scope.datasets);
  // A version is immutable: one with a sync_pushed row is in the log (no need to rebuild and hash its files).
  const versions = db
    .prepare(
      `SELECT v.id, d.name FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id
       WHERE NOT EXISTS (SELECT 1 FROM sync_pushed p WHERE p.remote = ? AND p.kind = 'dataset-version' AND p.entity = d.name || '@' || v.oid) ORDER BY v.id`,
    )
    .all(remote) as Array<{ id: number; name: string }>;
  for (const version of versions) if (datasetIn(version.name)) take('dataset-version', datasetVersionRecord(db, version.id));

  // Parents before children, so a teammate applying in order always finds the parent run.
  const runs = db.prepare('SELECT r.pk, e.name FROM runs r JOIN experiments e ON e.id = r.experiment_id ORDER BY r.parent_pk IS NOT NULL, r.pk').all() as Array<{ pk: number; name: string }>;
  for (const run of runs) {
    if (!experimentIn(run.name)) continue;
    const built = runRecord(db, run.pk);
    const record = take('run', built);
    if (record && built?.metricsWanted) metricsWanted.push({ record, pk: run.pk });
  }

  if (scope.pipelines) {
    for (const { id } of db.prepare('SELECT id FROM pipelines ORDER BY id').all() as Array<{ id: number }>) take('pipeline', pipelineRecord(db, id));
    // Only finished DAG runs: a summary of a running one would be stale at once.
    const dagRuns = db.prepare("SELECT id FROM dag_runs WHERE state IN ('success', 'failed') ORDER BY id").all() as Array<{ id: number }>;
    for (const { id } of dagRuns) take('dag-run', dagRunRecord(db, id));
  }

  const afterId = Number(digestOf.get(remote, registryCursorKind, '') ?? 0);
  // One read transaction: a consistent view of registry_events and sync_version_keys. It writes nothing.
  const registry = db.transaction(() => registryRecords(db, afterId, inList(scope.models)))();
  registry.records.forEach((entry, index) => {
    // Rows that made no record (out of scope, folded into a change) are covered by the record before the next one.
    const next = registry.records[index + 1];
    records.push(entry.record);
    marks.push({ registryId: next ? next.rowId - 1 : registry.lastId, keyChanges: entry.keyChanges });
  });
  const registryLastId = registry.lastId > afterId ? registry.lastId : null;
  if (registryLastId !== null && registry.records.length === 0 && marks.length > 0) {
    // Only rows that made no record: the last event written (the last record) moves the cursor past them.
    marks[marks.length - 1] = { ...marks[marks.length - 1], registryId: registryLastId };
  }

  // Metrics objects last: the one expensive step, done only for runs whose metrics changed.
  const unstored: Record<string, number> = {};
  for (const { record, pk } of metricsWanted) {
    const bytes = serializeMetrics(db, pk);
    let md5: string;
    if (options.dryRun) {
      md5 = createHash('md5').update(bytes).digest('hex');
      if (!objects.hasSync(md5)) unstored[md5] = bytes.byteLength;
    } else {
      md5 = (await objects.putBytes(bytes)).md5;
    }
    record.metrics = md5;
    record.objects.eager = [md5];
  }

  const eager = new Set<string>();
  const lazy = new Set<string>();
  const counts: Record<string, number> = {};
  for (const record of records) {
    for (const oid of record.objects.eager) eager.add(oid);
    for (const oid of record.objects.lazy) lazy.add(oid);
    counts[record.type] = (counts[record.type] ?? 0) + 1;
  }
  for (const oid of eager) lazy.delete(oid);
  return { records, marks, objects: { eager: [...eager].sort(), lazy: [...lazy].sort() }, counts, registryLastId, unstored };
}

/**
 * Records that the records of one event are in the log, with that event's hlc, so the next
 * collect sends only later changes. Call inside the transaction that keeps the event.
 */
export function commitMarks(db: Database, remote: string, marks: readonly RecordMark[], hlc: string): void {
  let registryId = 0;
  for (const mark of marks) {
    if (mark.keyChanges && mark.keyChanges.length > 0) applyKeyChanges(db, mark.keyChanges);
    if (mark.pushed) notePushed(db, remote, mark.pushed.kind, mark.pushed.entity, mark.pushed.digest, hlc);
    if (mark.registryId !== undefined) registryId = Math.max(registryId, mark.registryId);
  }
  if (registryId > 0) {
    const current = Number(db.prepare('SELECT digest FROM sync_pushed WHERE remote = ? AND kind = ? AND entity = ?').pluck().get(remote, registryCursorKind, '') ?? 0);
    if (registryId > current) notePushed(db, remote, registryCursorKind, '', String(registryId), '');
  }
}

/**
 * Stores the digest of an entity as the log now has it, and the hlc of that record (apply calls
 * it too: what came in is not sent back, and an older record never overwrites it).
 */
export function notePushed(db: Database, remote: string, kind: string, entity: string, digest: string, hlc: string): void {
  db.prepare(
    `INSERT INTO sync_pushed (remote, kind, entity, digest, hlc) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (remote, kind, entity) DO UPDATE SET digest = excluded.digest, hlc = max(hlc, excluded.hlc)`,
  ).run(remote, kind, entity, digest, hlc);
}

/** The hlc of the newest record of an entity this home knows to be in the log ('' if none). */
export function pushedHlc(db: Database, remote: string, kind: string, entity: string): string {
  return (db.prepare('SELECT hlc FROM sync_pushed WHERE remote = ? AND kind = ? AND entity = ?').pluck().get(remote, kind, entity) as string | undefined) ?? '';
}
