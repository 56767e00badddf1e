/**
 * Builds the record of one local entity from the database, and its digest. Collect uses both
 * (send what changed); apply uses the digest after writing a teammate's entity, so an entity that
 * came from a teammate and is unchanged here is never sent back.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../../db/database';
import type { DagRunRecord, DatasetVersionRecord, ExperimentRecord, PipelineRecord, RunRecord } from './event-schema';
import { hasMetrics, metricsSummary } from './metrics-object';

export type EntityKind = 'experiment' | 'run' | 'dataset-version' | 'pipeline' | 'dag-run';

/** A record before its metrics object is made (runs only), and the digest of what it says. */
export interface BuiltRecord<R> {
  readonly record: R;
  readonly digest: string;
}

export const digestOf = (value: unknown): string => createHash('sha1').update(JSON.stringify(value)).digest('hex');

const stringMap = (rows: Array<{ key: string; value: string }>): Record<string, string> => Object.fromEntries(rows.map((row) => [row.key, row.value]));

export function experimentRecord(db: Database, id: number): BuiltRecord<ExperimentRecord> | null {
  const row = db.prepare('SELECT name, lifecycle_stage, created_at FROM experiments WHERE id = ?').get(id) as { name: string; lifecycle_stage: 'active' | 'deleted'; created_at: number } | undefined;
  if (!row) return null;
  const tags = stringMap(db.prepare('SELECT key, value FROM experiment_tags WHERE experiment_id = ? ORDER BY key').all(id) as Array<{ key: string; value: string }>);
  const record: ExperimentRecord = { type: 'experiment', name: row.name, lifecycle: row.lifecycle_stage, tags, createdAt: row.created_at, objects: { eager: [], lazy: [] } };
  // created_at differs per home for the same name (every home has its own "Default"): not part of the digest.
  return { record, digest: digestOf({ ...record, createdAt: 0 }) };
}

interface RunRow {
  pk: number;
  id: string;
  experiment: string;
  parent_id: string | null;
  name: string;
  status: RunRecord['status'];
  start_time: number;
  end_time: number | null;
  deleted: number;
  deleted_at: number | null;
  source: string | null;
  environment: string | null;
}

/** A run's record with `metrics: null`; `metricsWanted` says collect must build the metrics object. */
export function runRecord(db: Database, pk: number): (BuiltRecord<RunRecord> & { metricsWanted: boolean }) | null {
  const row = db
    .prepare(
      `SELECT r.pk, r.id, e.name AS experiment, p.id AS parent_id, r.name, r.status, r.start_time, r.end_time, r.deleted, r.deleted_at, r.source, r.environment
       FROM runs r JOIN experiments e ON e.id = r.experiment_id LEFT JOIN runs p ON p.pk = r.parent_pk WHERE r.pk = ?`,
    )
    .get(pk) as RunRow | undefined;
  if (!row) return null;
  const params = stringMap(db.prepare('SELECT key, value FROM params WHERE run_pk = ? ORDER BY key').all(pk) as Array<{ key: string; value: string }>);
  const tags = stringMap(db.prepare('SELECT key, value FROM tags WHERE run_pk = ? ORDER BY key').all(pk) as Array<{ key: string; value: string }>);
  const inputs = db
    .prepare(
      `SELECT d.name AS dataset, v.oid, i.context FROM run_inputs i JOIN dataset_versions v ON v.id = i.version_id JOIN datasets d ON d.id = v.dataset_id
       WHERE i.run_pk = ? ORDER BY d.name, v.oid, i.context`,
    )
    .all(pk) as RunRecord['inputs'];
  const artifacts = (db.prepare('SELECT path, md5, size, media_type, created_at FROM artifacts WHERE run_pk = ? ORDER BY path').all(pk) as Array<{ path: string; md5: string; size: number; media_type: string; created_at: number }>).map(
    (a) => ({ path: a.path, md5: a.md5, size: a.size, mediaType: a.media_type, createdAt: a.created_at }),
  );
  const record: RunRecord = {
    type: 'run',
    id: row.id,
    experiment: row.experiment,
    parentId: row.parent_id,
    name: row.name,
    status: row.status,
    startTime: row.start_time,
    endTime: row.end_time,
    deleted: row.deleted === 1,
    deletedAt: row.deleted_at,
    params,
    tags,
    source: row.source,
    environment: row.environment,
    inputs,
    artifacts,
    metrics: null,
    objects: { eager: [], lazy: [...new Set(artifacts.map((a) => a.md5))].sort() },
  };
  return { record, digest: digestOf({ record, metrics: metricsSummary(db, pk) }), metricsWanted: hasMetrics(db, pk) };
}

export function datasetVersionRecord(db: Database, versionId: number): BuiltRecord<DatasetVersionRecord> | null {
  const row = db
    .prepare(
      `SELECT d.name AS dataset, d.description, v.oid, v.format, v.file_count, v.size_bytes, v.row_count, v.schema, v.profile, v.read_options,
              v.created_at, v.created_by, v.source_path, v.steps, v.fitted
       FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE v.id = ?`,
    )
    .get(versionId) as Record<string, unknown> | undefined;
  if (!row) return null;
  const parents = db
    .prepare('SELECT d.name AS dataset, v.oid FROM dataset_lineage l JOIN dataset_versions v ON v.id = l.parent_id JOIN datasets d ON d.id = v.dataset_id WHERE l.child_id = ? ORDER BY d.name, v.oid')
    .all(versionId) as DatasetVersionRecord['parents'];
  const files = db.prepare('SELECT relpath, md5, size FROM dataset_files WHERE version_id = ? ORDER BY relpath').all(versionId) as DatasetVersionRecord['files'];
  const oid = row['oid'] as string;
  const record: DatasetVersionRecord = {
    type: 'dataset-version',
    dataset: row['dataset'] as string,
    description: row['description'] as string,
    oid,
    format: row['format'] as string,
    fileCount: row['file_count'] as number,
    sizeBytes: row['size_bytes'] as number,
    rowCount: row['row_count'] as number,
    schema: row['schema'] as string,
    profile: row['profile'] as string,
    readOptions: row['read_options'] as string | null,
    createdAt: row['created_at'] as number,
    createdBy: row['created_by'] as string,
    sourcePath: row['source_path'] as string | null,
    steps: row['steps'] as string | null,
    fitted: row['fitted'] as string | null,
    parents,
    files,
    // The `.dir` manifest is small and says what the version holds: fetched at once; the files on demand.
    objects: { eager: oid.endsWith('.dir') ? [oid] : [], lazy: [...new Set(files.map((f) => f.md5).filter((md5) => md5 !== oid))].sort() },
  };
  // A version is immutable; its description belongs to the dataset and is not what identifies it.
  return { record, digest: digestOf({ ...record, description: '' }) };
}

export function pipelineRecord(db: Database, id: number): BuiltRecord<PipelineRecord> | null {
  const row = db.prepare('SELECT name, spec, paused, created_at FROM pipelines WHERE id = ?').get(id) as { name: string; spec: string; paused: number; created_at: number } | undefined;
  if (!row) return null;
  const record: PipelineRecord = { type: 'pipeline', name: row.name, spec: row.spec, paused: row.paused === 1, createdAt: row.created_at, objects: { eager: [], lazy: [] } };
  return { record, digest: digestOf({ ...record, createdAt: 0 }) };
}

export function dagRunRecord(db: Database, id: number): BuiltRecord<DagRunRecord> | null {
  const row = db
    .prepare(
      `SELECT p.name AS pipeline, d.run_id, d.kind, d.state, d.logical_date, d.created_at, d.started_at, d.ended_at, d.params, d.spec
       FROM dag_runs d JOIN pipelines p ON p.id = d.pipeline_id WHERE d.id = ?`,
    )
    .get(id) as Record<string, unknown> | undefined;
  if (!row) return null;
  const tasks = (db.prepare('SELECT task_id, kind, state, try_number, started_at, ended_at, message FROM task_instances WHERE dag_run_id = ? ORDER BY task_id').all(id) as Array<Record<string, unknown>>).map((t) => ({
    taskId: t['task_id'] as string,
    kind: t['kind'] as string,
    state: t['state'] as string,
    tryNumber: t['try_number'] as number,
    startedAt: t['started_at'] as number | null,
    endedAt: t['ended_at'] as number | null,
    message: t['message'] as string | null,
  }));
  const record: DagRunRecord = {
    type: 'dag-run',
    pipeline: row['pipeline'] as string,
    runId: row['run_id'] as string,
    kind: row['kind'] as string,
    state: row['state'] as string,
    logicalDate: row['logical_date'] as number,
    createdAt: row['created_at'] as number,
    startedAt: row['started_at'] as number | null,
    endedAt: row['ended_at'] as number | null,
    params: row['params'] as string,
    spec: row['spec'] as string,
    tasks,
    objects: { eager: [], lazy: [] },
  };
  return { record, digest: digestOf(record) };
}

/** The entity name a record is tracked under in sync_pushed and sync_origins. */
export function entityOf(record: ExperimentRecord | RunRecord | DatasetVersionRecord | PipelineRecord | DagRunRecord): string {
  switch (record.type) {
    case 'experiment':
    case 'pipeline':
      return record.name;
    case 'run':
      return record.id;
    case 'dataset-version':
      return `${record.dataset}@${record.oid}`;
    case 'dag-run':
      return `${record.pipeline}/${record.runId}`;
  }
}
