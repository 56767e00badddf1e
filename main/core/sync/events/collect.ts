/**
 * What this home has to push: every entity whose record changed since it was last pushed to this
 * remote (sync_pushed keeps a digest per entity), and every registry change after the last one
 * pushed. An entity that came from a teammate and is unchanged here has the digest apply stored,
 * so it is never sent back.
 */
import type { SyncScope } from '../../../../shared/sync';
import type { Database } from '../../db/database';
import type { ObjectStore } from '../../objects/object-store';
import { dagRunRecord, datasetVersionRecord, entityOf, experimentRecord, pipelineRecord, runRecord, type BuiltRecord, type EntityKind } from './entity-records';
import type { RecordObjects, SyncRecord } from './event-schema';
import { serializeMetrics } from './metrics-object';
import { registryRecords } from './registry-collect';

/** sync_pushed row holding the id of the last registry_events row pushed (its digest column). */
const registryCursorKind = 'registry-cursor';

export interface CollectOptions {
  readonly remote: string;
  readonly scope: SyncScope;
}

/** What `collectRecords` found, and what `markPushed` records once its events are written. */
export interface CollectedBatch {
  readonly records: SyncRecord[];
  /** Every object the records reference (upload all before writing the events). */
  readonly objects: RecordObjects;
  /** Per record type, how many (for the sync report). */
  readonly counts: Record<string, number>;
  readonly pushed: ReadonlyArray<{ kind: EntityKind; entity: string; digest: string }>;
  readonly registryLastId: number | null;
}

const inList = (list: 'all' | readonly string[]) => (name: string) => list === 'all' || list.includes(name);

export async function collectRecords(db: Database, objects: ObjectStore, options: CollectOptions): Promise<CollectedBatch> {
  const { remote, scope } = options;
  const digestOf = db.prepare('SELECT digest FROM sync_pushed WHERE remote = ? AND kind = ? AND entity = ?').pluck() as unknown as { get(...args: unknown[]): string | undefined };
  const records: SyncRecord[] = [];
  const pushed: Array<{ kind: EntityKind; entity: string; digest: string }> = [];
  const metricsWanted: Array<{ record: SyncRecord & { type: 'run' }; pk: number }> = [];
  const take = <R extends SyncRecord & { type: EntityKind }>(kind: EntityKind, built: BuiltRecord<R> | null): R | null => {
    if (!built) return null;
    const entity = entityOf(built.record);
    if (digestOf.get(remote, kind, entity) === built.digest) return null;
    records.push(built.record);
    pushed.push({ kind, entity, digest: built.digest });
    return built.record;
  };

  const experimentIn = inList(scope.experiments);
  const experiments = db.prepare('SELECT id, name FROM experiments ORDER BY id').all() as Array<{ id: number; name: string }>;
  for (const experiment of experiments) if (experimentIn(experiment.name)) take('experiment', experimentRecord(db, experiment.id));

  const datasetIn = inList(scope.datasets);
  const versions = db.prepare('SELECT v.id, d.name FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id ORDER BY v.id').all() as Array<{ id: number; name: string }>;
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
  const registry = db.transaction(() => registryRecords(db, afterId, inList(scope.models)))();
  records.push(...registry.records);

  // Metrics objects last: the one expensive step, done only for runs whose metrics changed.
  for (const { record, pk } of metricsWanted) {
    const stored = await objects.putBytes(serializeMetrics(db, pk));
    record.metrics = stored.md5;
    record.objects.eager = [stored.md5];
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
  return { records, objects: { eager: [...eager].sort(), lazy: [...lazy].sort() }, counts, pushed, registryLastId: registry.lastId > afterId ? registry.lastId : null };
}

/**
 * Records that a batch's events are in the bucket (`hlc`: of the last event written), so the
 * next collect sends only later changes.
 */
export function markPushed(db: Database, remote: string, batch: CollectedBatch, hlc: string): void {
  db.transaction(() => {
    for (const entry of batch.pushed) notePushed(db, remote, entry.kind, entry.entity, entry.digest, hlc);
    if (batch.registryLastId !== null) notePushed(db, remote, registryCursorKind, '', String(batch.registryLastId), '');
  })();
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
