/**
 * Writes one teammate record into the local tables, inside the caller's transaction. Immutable
 * entities (dataset versions) are inserted once; mutable ones (experiments, runs, pipelines, DAG
 * runs) take the record's fields only when its hlc is newer than the newest this home knows of
 * that entity (last writer wins, the same answer on every home) and the local entity has no
 * change not yet pushed (then it is kept, and a conflict says so). Applying a record twice is the
 * same as once.
 */
import type { Database } from '../../db/database';
import { MetricStore, type MetricPoint } from '../../tracking/metric-store';
import { notePushed, pushedHlc } from './collect';
import { dagRunRecord, datasetVersionRecord, entityOf, experimentRecord, pipelineRecord, runRecord, type BuiltRecord, type EntityKind } from './entity-records';
import { decodeHlc } from './hlc';
import type { DagRunRecord, DatasetVersionRecord, ExperimentRecord, PipelineRecord, RunRecord } from './event-schema';

export interface ApplyContext {
  readonly db: Database;
  readonly remote: string;
  readonly client: string;
  readonly author: string;
  readonly hlc: string;
  readonly now: number;
  /** A run's metric points, read from its metrics object before the transaction. */
  readonly metrics: ReadonlyMap<string, MetricPoint[]>;
  /** What could not be linked (a run input whose dataset version is not here), for the report. */
  readonly notes: string[];
}

type Outcome = 'created' | 'updated' | 'unchanged';

/** Records that the entity is as the log has it, and who made it when it came from a teammate. */
function settle(context: ApplyContext, kind: EntityKind, built: BuiltRecord<{ type: string }> | null, created: boolean): void {
  if (!built) return;
  const entity = entityOf(built.record as Parameters<typeof entityOf>[0]);
  notePushed(context.db, context.remote, kind, entity, built.digest, context.hlc);
  if (created) {
    context.db
      .prepare('INSERT INTO sync_origins (kind, entity, remote, client_id, author, hlc) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, entity) DO UPDATE SET hlc = excluded.hlc')
      .run(kind, entity, context.remote, context.client, context.author, context.hlc);
  } else {
    context.db.prepare('UPDATE sync_origins SET hlc = max(hlc, ?) WHERE kind = ? AND entity = ?').run(context.hlc, kind, entity);
  }
}

const isNewer = (context: ApplyContext, kind: EntityKind, entity: string): boolean => context.hlc > pushedHlc(context.db, context.remote, kind, entity);

const kindNames: Record<EntityKind, string> = { experiment: 'experiment', run: 'run', 'dataset-version': 'dataset version', pipeline: 'pipeline', 'dag-run': 'DAG run' };

/**
 * Whether a teammate's newer record of an entity may be written over the local one: not when the
 * local entity changed since it was last pushed or pulled (its digest is not the one sync_pushed
 * holds) — that change would be lost, and marked as pushed without ever being sent. It is kept;
 * a sync_conflicts row says what was not applied; the record's hlc is noted, so applying the same
 * event again changes nothing, and the local change, pushed later, wins on every home.
 * An entity the log has never seen from here (no sync_pushed row) takes the record.
 */
function mayOverwrite(context: ApplyContext, kind: EntityKind, entity: string, built: BuiltRecord<{ type: string }> | null): boolean {
  const { db, remote } = context;
  const pushed = db.prepare('SELECT digest FROM sync_pushed WHERE remote = ? AND kind = ? AND entity = ?').pluck().get(remote, kind, entity) as string | undefined;
  if (pushed === undefined || !built || built.digest === pushed) return true;
  db.prepare('UPDATE sync_pushed SET hlc = max(hlc, ?) WHERE remote = ? AND kind = ? AND entity = ?').run(context.hlc, remote, kind, entity);
  const at = new Date(decodeHlc(context.hlc).ms).toISOString().replace('T', ' ').slice(0, 19);
  const message = `your unpushed change to ${kindNames[kind]} ${entity} was kept; ${context.author}'s change of ${at} UTC was not applied — push to share yours`;
  if (!db.prepare('SELECT 1 FROM sync_conflicts WHERE remote = ? AND kind = ? AND entity = ? AND message = ?').get(remote, kind, entity, message)) {
    db.prepare('INSERT INTO sync_conflicts (remote, kind, entity, message, created_at) VALUES (?, ?, ?, ?, ?)').run(remote, kind, entity, message, context.now);
  }
  context.notes.push(message);
  return false;
}

export function experimentId(context: ApplyContext, name: string): number {
  const { db } = context;
  const found = db.prepare('SELECT id FROM experiments WHERE name = ?').pluck().get(name) as number | undefined;
  if (found !== undefined) return found;
  const info = db.prepare('INSERT INTO experiments (name, created_at, updated_at) VALUES (?, ?, ?)').run(name, context.now, context.now);
  return Number(info.lastInsertRowid);
}

export function applyExperiment(context: ApplyContext, record: ExperimentRecord): Outcome {
  const { db } = context;
  const existing = db.prepare('SELECT id FROM experiments WHERE name = ?').pluck().get(record.name) as number | undefined;
  if (existing !== undefined && !isNewer(context, 'experiment', record.name)) return 'unchanged';
  if (existing !== undefined && !mayOverwrite(context, 'experiment', record.name, experimentRecord(db, existing))) return 'unchanged';
  const id = existing ?? Number(db.prepare('INSERT INTO experiments (name, created_at, updated_at) VALUES (?, ?, ?)').run(record.name, record.createdAt, context.now).lastInsertRowid);
  db.prepare('UPDATE experiments SET lifecycle_stage = ?, updated_at = ? WHERE id = ?').run(record.lifecycle, context.now, id);
  db.prepare('DELETE FROM experiment_tags WHERE experiment_id = ?').run(id);
  const tag = db.prepare('INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)');
  for (const [key, value] of Object.entries(record.tags)) tag.run(id, key, value);
  settle(context, 'experiment', experimentRecord(db, id), existing === undefined);
  return existing === undefined ? 'created' : 'updated';
}

export function applyRun(context: ApplyContext, record: RunRecord): Outcome {
  const { db } = context;
  const existing = db.prepare('SELECT pk FROM runs WHERE id = ?').pluck().get(record.id) as number | undefined;
  if (existing !== undefined && !isNewer(context, 'run', record.id)) return 'unchanged';
  if (existing !== undefined && !mayOverwrite(context, 'run', record.id, runRecord(db, existing))) return 'unchanged';
  const experiment = experimentId(context, record.experiment);
  const parentPk = record.parentId ? ((db.prepare('SELECT pk FROM runs WHERE id = ?').pluck().get(record.parentId) as number | undefined) ?? null) : null;
  if (record.parentId && parentPk === null) context.notes.push(`run ${record.id}: its parent run ${record.parentId} is not here`);
  let pk: number;
  if (existing === undefined) {
    pk = Number(
      db
        .prepare(
          `INSERT INTO runs (id, experiment_id, parent_pk, name, status, start_time, end_time, deleted, deleted_at, source, environment, session)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
        )
        .run(record.id, experiment, parentPk, record.name, record.status, record.startTime, record.endTime, record.deleted ? 1 : 0, record.deletedAt, record.source, record.environment).lastInsertRowid,
    );
  } else {
    pk = existing;
    db.prepare('UPDATE runs SET experiment_id = ?, parent_pk = ?, name = ?, status = ?, start_time = ?, end_time = ?, deleted = ?, deleted_at = ?, source = ?, environment = ? WHERE pk = ?').run(
      experiment, parentPk, record.name, record.status, record.startTime, record.endTime, record.deleted ? 1 : 0, record.deletedAt, record.source, record.environment, pk,
    );
  }
  replaceRows(db, 'params', pk, record.params);
  replaceRows(db, 'tags', pk, record.tags);
  db.prepare('DELETE FROM run_inputs WHERE run_pk = ?').run(pk);
  const versionOf = db.prepare('SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = ? AND v.oid = ?').pluck();
  const input = db.prepare('INSERT OR IGNORE INTO run_inputs (run_pk, version_id, context) VALUES (?, ?, ?)');
  for (const item of record.inputs) {
    const versionId = versionOf.get(item.dataset, item.oid) as number | undefined;
    if (versionId === undefined) context.notes.push(`run ${record.id}: input ${item.dataset}@${item.oid} is not here (not synced)`);
    else input.run(pk, versionId, item.context);
  }
  // Artifact rows only: the bytes are fetched on demand (ObjectStore reads them by md5).
  db.prepare('DELETE FROM artifacts WHERE run_pk = ?').run(pk);
  const artifact = db.prepare('INSERT INTO artifacts (run_pk, path, md5, size, media_type, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  for (const a of record.artifacts) artifact.run(pk, a.path, a.md5, a.size, a.mediaType, a.createdAt);
  if (record.metrics) {
    const points = context.metrics.get(record.metrics) ?? [];
    const summary = new Map<string, number>();
    for (const point of points) summary.set(point.key, (summary.get(point.key) ?? 0) + 1);
    const local = db.prepare('SELECT key, count FROM metric_series WHERE run_pk = ?').all(pk) as Array<{ key: string; count: number }>;
    const same = local.length === summary.size && local.every((row) => summary.get(row.key) === row.count);
    if (!same) {
      // The object holds every point: replace, so the pyramid is rebuilt exactly once.
      db.prepare('DELETE FROM metric_series WHERE run_pk = ?').run(pk);
      if (points.length > 0) new MetricStore(db).log(pk, points);
    }
  }
  settle(context, 'run', runRecord(db, pk), existing === undefined);
  return existing === undefined ? 'created' : 'updated';
}

function replaceRows(db: Database, table: 'params' | 'tags', pk: number, values: Record<string, string>): void {
  db.prepare(`DELETE FROM ${table} WHERE run_pk = ?`).run(pk);
  const insert = db.prepare(`INSERT INTO ${table} (run_pk, key, value) VALUES (?, ?, ?)`);
  for (const [key, value] of Object.entries(values)) insert.run(pk, key, value);
}

/**
 * A dataset version, identified by (dataset name, oid). It takes the next local version number
 * of that dataset: version numbers are local labels, so the same content may be v3 here and v2
 * on a teammate's machine.
 */
export function applyDatasetVersion(context: ApplyContext, record: DatasetVersionRecord): Outcome {
  const { db } = context;
  let datasetId = db.prepare('SELECT id FROM datasets WHERE name = ?').pluck().get(record.dataset) as number | undefined;
  if (datasetId === undefined) {
    datasetId = Number(db.prepare('INSERT INTO datasets (name, description, created_at, updated_at) VALUES (?, ?, ?, ?)').run(record.dataset, record.description, record.createdAt, context.now).lastInsertRowid);
  }
  const existing = db.prepare('SELECT id FROM dataset_versions WHERE dataset_id = ? AND oid = ?').pluck().get(datasetId, record.oid) as number | undefined;
  if (existing !== undefined) {
    settle(context, 'dataset-version', datasetVersionRecord(db, existing), false);
    return 'unchanged';
  }
  const next = ((db.prepare('SELECT max(version) FROM dataset_versions WHERE dataset_id = ?').pluck().get(datasetId) as number | null) ?? 0) + 1;
  const versionId = Number(
    db
      .prepare(
        `INSERT INTO dataset_versions (dataset_id, version, oid, format, file_count, size_bytes, row_count, schema, profile, read_options,
           created_at, created_by, source_path, steps, fitted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(datasetId, next, record.oid, record.format, record.fileCount, record.sizeBytes, record.rowCount, record.schema, record.profile, record.readOptions, record.createdAt, record.createdBy, record.sourcePath, record.steps, record.fitted)
      .lastInsertRowid,
  );
  const file = db.prepare('INSERT INTO dataset_files (version_id, relpath, md5, size) VALUES (?, ?, ?, ?)');
  for (const f of record.files) file.run(versionId, f.relpath, f.md5, f.size);
  const parentOf = db.prepare('SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = ? AND v.oid = ?').pluck();
  for (const parent of record.parents) {
    const parentId = parentOf.get(parent.dataset, parent.oid) as number | undefined;
    if (parentId === undefined) context.notes.push(`dataset ${record.dataset}@${record.oid}: parent ${parent.dataset}@${parent.oid} is not here`);
    else db.prepare('INSERT OR IGNORE INTO dataset_lineage (child_id, parent_id) VALUES (?, ?)').run(versionId, parentId);
  }
  db.prepare('UPDATE datasets SET updated_at = ? WHERE id = ?').run(context.now, datasetId);
  settle(context, 'dataset-version', datasetVersionRecord(db, versionId), true);
  return 'created';
}

export function applyPipeline(context: ApplyContext, record: PipelineRecord): Outcome {
  const { db } = context;
  const existing = db.prepare('SELECT id FROM pipelines WHERE name = ?').pluck().get(record.name) as number | undefined;
  if (existing !== undefined && !isNewer(context, 'pipeline', record.name)) return 'unchanged';
  if (existing !== undefined && !mayOverwrite(context, 'pipeline', record.name, pipelineRecord(db, existing))) return 'unchanged';
  let id = existing;
  if (id === undefined) {
    id = Number(db.prepare('INSERT INTO pipelines (name, spec, path, paused, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?)').run(record.name, record.spec, record.paused ? 1 : 0, record.createdAt, context.now).lastInsertRowid);
  } else {
    db.prepare('UPDATE pipelines SET spec = ?, paused = ?, updated_at = ? WHERE id = ?').run(record.spec, record.paused ? 1 : 0, context.now, id);
  }
  settle(context, 'pipeline', pipelineRecord(db, id), existing === undefined);
  return existing === undefined ? 'created' : 'updated';
}

export function applyDagRun(context: ApplyContext, record: DagRunRecord): Outcome {
  const { db } = context;
  let pipelineId = db.prepare('SELECT id FROM pipelines WHERE name = ?').pluck().get(record.pipeline) as number | undefined;
  if (pipelineId === undefined) {
    // A summary whose pipeline was not synced: keep it under a paused pipeline of that spec.
    pipelineId = Number(db.prepare('INSERT INTO pipelines (name, spec, path, paused, created_at, updated_at) VALUES (?, ?, NULL, 1, ?, ?)').run(record.pipeline, record.spec, context.now, context.now).lastInsertRowid);
  }
  const entity = `${record.pipeline}/${record.runId}`;
  const existing = db.prepare('SELECT id FROM dag_runs WHERE pipeline_id = ? AND run_id = ?').pluck().get(pipelineId, record.runId) as number | undefined;
  if (existing !== undefined && !isNewer(context, 'dag-run', entity)) return 'unchanged';
  if (existing !== undefined && !mayOverwrite(context, 'dag-run', entity, dagRunRecord(db, existing))) return 'unchanged';
  let id = existing;
  if (id === undefined) {
    id = Number(
      db
        .prepare(
          `INSERT INTO dag_runs (pipeline_id, run_id, kind, state, logical_date, created_at, started_at, ended_at, params, spec)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(pipelineId, record.runId, record.kind, record.state, record.logicalDate, record.createdAt, record.startedAt, record.endedAt, record.params, record.spec).lastInsertRowid,
    );
  } else {
    // Updated in place: a DAG run made here keeps its attempts, logs and inputs.
    db.prepare('UPDATE dag_runs SET kind = ?, state = ?, logical_date = ?, created_at = ?, started_at = ?, ended_at = ?, params = ?, spec = ? WHERE id = ?').run(
      record.kind, record.state, record.logicalDate, record.createdAt, record.startedAt, record.endedAt, record.params, record.spec, id,
    );
  }
  const task = db.prepare(
    `INSERT INTO task_instances (dag_run_id, task_id, kind, state, try_number, started_at, ended_at, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (dag_run_id, task_id) DO UPDATE SET kind = excluded.kind, state = excluded.state, try_number = excluded.try_number,
       started_at = excluded.started_at, ended_at = excluded.ended_at, message = excluded.message`,
  );
  for (const t of record.tasks) task.run(id, t.taskId, t.kind, t.state, t.tryNumber, t.startedAt, t.endedAt, t.message);
  settle(context, 'dag-run', dagRunRecord(db, id), existing === undefined);
  return existing === undefined ? 'created' : 'updated';
}
