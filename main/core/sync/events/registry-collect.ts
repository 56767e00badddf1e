/**
 * This home's registry changes (registry_events rows, one per change) as registry records.
 * Versions are named by a key that survives renumbering (sync_version_keys), never by number.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/database';
import type { RegistryChange, RegistryRecord } from './event-schema';

interface EventRow {
  id: number;
  model_name: string;
  version: number | null;
  kind: string;
  from_value: string | null;
  to_value: string | null;
  at: number;
  actor: string;
}

/** The key of a model version by its current local number; made on first use. */
export function versionKey(db: Database, model: string, version: number): string {
  const row = db.prepare('SELECT key FROM sync_version_keys WHERE model = ? AND version = ?').get(model, version) as { key: string } | undefined;
  if (row) return row.key;
  const key = randomBytes(8).toString('hex');
  db.prepare('INSERT INTO sync_version_keys (model, version, key) VALUES (?, ?, ?)').run(model, version, key);
  return key;
}

/**
 * Records for registry_events rows after `afterId`, in order, with the id of the last row read.
 * `inScope` filters by model name. Call inside a transaction (it may create version keys).
 */
export function registryRecords(db: Database, afterId: number, inScope: (model: string) => boolean): { records: RegistryRecord[]; lastId: number } {
  const rows = db.prepare('SELECT id, model_name, version, kind, from_value, to_value, at, actor FROM registry_events WHERE id > ? ORDER BY id').all(afterId) as EventRow[];
  const records: RegistryRecord[] = [];
  let lastId = afterId;
  let archive: EventRow | null = null;
  // A rename rewrites the model name of every earlier history row (registry-service.ts): walk
  // back to find the name each row had when it was written — the name teammates know.
  const nameAt = new Map<number, string>();
  const renamed = new Map<string, string>();
  for (const row of [...rows].reverse()) {
    nameAt.set(row.id, renamed.get(row.model_name) ?? row.model_name);
    if (row.kind === 'rename' && row.from_value !== null) renamed.set(row.model_name, row.from_value);
  }
  for (const stored of rows) {
    lastId = stored.id;
    // `model_name` as written then (keys and records); the current name is `stored.model_name`.
    const row = { ...stored, model_name: nameAt.get(stored.id)!, current: stored.model_name };
    if (!inScope(row.model_name)) continue;
    // A stage move with archive_existing_versions is one 'archive_existing' row, then the
    // archived versions' and the moved version's stage rows (registry-service.ts): one change.
    if (row.kind === 'stage' && archive && archive.model_name === row.model_name && (row.version === archive.version ? row.to_value === archive.to_value : row.to_value === 'Archived' && row.from_value === archive.to_value)) continue;
    archive = row.kind === 'archive_existing' ? row : null;
    if (row.kind === 'rename' && row.from_value !== null && row.to_value !== null) {
      // History rows follow a renamed model (registry-service.ts): the rename row's from_value is the old name.
      db.prepare('UPDATE sync_version_keys SET model = ? WHERE model = ?').run(row.to_value, row.from_value);
      records.push({ type: 'registry', model: row.from_value, change: { op: 'rename-model', to: row.to_value }, objects: { eager: [], lazy: [] } });
      continue;
    }
    const change = translate(db, row);
    if (change) records.push({ type: 'registry', model: row.model_name, change, objects: objectsOf(change) });
  }
  return { records, lastId };
}

function translate(db: Database, row: EventRow & { current: string }): RegistryChange | null {
  const key = (): string => versionKey(db, row.model_name, row.version!);
  switch (row.kind) {
    case 'create_model': {
      const model = db.prepare('SELECT description, created_at, created_by FROM registered_models WHERE name = ?').get(row.current) as { description: string; created_at: number; created_by: string } | undefined;
      return { op: 'create-model', description: model?.description ?? '', createdBy: model?.created_by ?? row.actor, createdAt: model?.created_at ?? row.at };
    }
    case 'delete_model':
      // A model made again under this name starts at version 1 with new keys.
      db.prepare('DELETE FROM sync_version_keys WHERE model = ?').run(row.model_name);
      return { op: 'delete-model' };
    case 'description':
      return row.version === null ? { op: 'model-description', description: row.to_value ?? '' } : { op: 'version-description', version: key(), description: row.to_value ?? '' };
    case 'tag':
    case 'delete_tag':
      return row.version === null
        ? { op: 'model-tag', key: row.from_value ?? '', value: row.kind === 'tag' ? row.to_value : null }
        : { op: 'version-tag', version: key(), key: row.from_value ?? '', value: row.kind === 'tag' ? row.to_value : null };
    case 'create_version':
      return createVersion(db, row, key());
    case 'delete_version':
      return { op: 'delete-version', version: key() };
    case 'stage':
    case 'archive_existing':
      return { op: 'set-stage', version: key(), stage: row.to_value as 'None' | 'Staging' | 'Production' | 'Archived', archiveExisting: row.kind === 'archive_existing' };
    case 'alias': {
      if (row.to_value !== null) return { op: 'set-alias', alias: row.to_value.replace(/^@/, ''), version: key() };
      return { op: 'delete-alias', alias: (row.from_value ?? '').replace(/^@/, '') };
    }
    default:
      return null;
  }
}

function createVersion(db: Database, row: EventRow & { current: string }, key: string): RegistryChange {
  const version = db
    .prepare(
      `SELECT v.id, v.run_id, v.source, v.artifact_path, v.signature, v.flavor, v.mlflow_flavors, v.description, v.created_by, v.created_at
       FROM model_versions v JOIN registered_models m ON m.id = v.model_id WHERE m.name = ? AND v.version = ?`,
    )
    .get(row.current, row.version) as Record<string, unknown> | undefined;
  // Deleted before it was ever pushed: the record still says it existed (its number stays used).
  const files = version ? (db.prepare('SELECT relpath, md5, size FROM model_version_files WHERE version_id = ? ORDER BY relpath').all(version['id']) as Array<{ relpath: string; md5: string; size: number }>) : [];
  const tags = version ? Object.fromEntries((db.prepare('SELECT key, value FROM model_version_tags WHERE version_id = ? ORDER BY key').all(version['id']) as Array<{ key: string; value: string }>).map((t) => [t.key, t.value])) : {};
  return {
    op: 'create-version',
    version: key,
    number: row.version!,
    runId: (version?.['run_id'] as string | null) ?? null,
    source: (version?.['source'] as string) ?? row.to_value ?? '',
    artifactPath: (version?.['artifact_path'] as string) ?? '',
    files,
    signature: (version?.['signature'] as string | null) ?? null,
    flavor: (version?.['flavor'] as string | null) ?? null,
    flavors: (version?.['mlflow_flavors'] as string | null) ?? null,
    description: (version?.['description'] as string) ?? '',
    tags,
    createdBy: (version?.['created_by'] as string) ?? row.actor,
    createdAt: (version?.['created_at'] as number) ?? row.at,
  };
}

function objectsOf(change: RegistryChange): { eager: string[]; lazy: string[] } {
  if (change.op !== 'create-version') return { eager: [], lazy: [] };
  return { eager: [...new Set(change.files.map((file) => file.md5))].sort(), lazy: [] };
}
