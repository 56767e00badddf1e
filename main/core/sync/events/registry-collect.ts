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

/** A change to sync_version_keys that collect worked out; committed with the event that carries it. */
export type KeyChange =
  | { readonly op: 'insert'; readonly model: string; readonly version: number; readonly key: string }
  | { readonly op: 'rename'; readonly from: string; readonly to: string }
  | { readonly op: 'delete'; readonly model: string };

/**
 * sync_version_keys as collect sees it: the table, with the changes the rows read so far would
 * make applied in memory. Nothing is written: `changes` are committed by writeEvents in the
 * transaction that keeps the event holding the records that made them (a dry run, or a push that
 * fails before the event is written, leaves the table as it was).
 */
export class VersionKeys {
  private readonly models = new Map<string, Map<number, string>>();
  private readonly load;

  constructor(db: Database) {
    this.load = db.prepare('SELECT version, key FROM sync_version_keys WHERE model = ?');
  }

  private of(model: string): Map<number, string> {
    let keys = this.models.get(model);
    if (!keys) {
      keys = new Map((this.load.all(model) as Array<{ version: number; key: string }>).map((row) => [row.version, row.key]));
      this.models.set(model, keys);
    }
    return keys;
  }

  /** The key of a model version by its current local number; made (in memory) on first use. */
  key(model: string, version: number, changes: KeyChange[]): string {
    const keys = this.of(model);
    const found = keys.get(version);
    if (found !== undefined) return found;
    const key = randomBytes(8).toString('hex');
    keys.set(version, key);
    changes.push({ op: 'insert', model, version, key });
    return key;
  }

  rename(from: string, to: string, changes: KeyChange[]): void {
    const source = this.of(from);
    const target = this.of(to);
    for (const [version, key] of source) target.set(version, key);
    this.models.set(from, new Map());
    changes.push({ op: 'rename', from, to });
  }

  deleteModel(model: string, changes: KeyChange[]): void {
    this.models.set(model, new Map());
    changes.push({ op: 'delete', model });
  }
}

/** Commits key changes collect worked out, in their order (inside the caller's transaction). */
export function applyKeyChanges(db: Database, changes: readonly KeyChange[]): void {
  for (const change of changes) {
    switch (change.op) {
      case 'insert':
        // The event says this key is this version: it replaces whatever the table held there.
        db.prepare('DELETE FROM sync_version_keys WHERE key = ? OR (model = ? AND version = ?)').run(change.key, change.model, change.version);
        db.prepare('INSERT INTO sync_version_keys (model, version, key) VALUES (?, ?, ?)').run(change.model, change.version, change.key);
        break;
      case 'rename':
        db.prepare('UPDATE OR REPLACE sync_version_keys SET model = ? WHERE model = ?').run(change.to, change.from);
        break;
      case 'delete':
        db.prepare('DELETE FROM sync_version_keys WHERE model = ?').run(change.model);
        break;
    }
  }
}

/** A registry record, with the registry_events row that made it and the key changes it needs. */
export interface CollectedRegistryRecord {
  readonly record: RegistryRecord;
  readonly rowId: number;
  readonly keyChanges: KeyChange[];
}

/**
 * Records for registry_events rows after `afterId`, in order, with the id of the last row read.
 * `inScope` filters by model name. Reads only: the key changes the records need come with them.
 */
export function registryRecords(db: Database, afterId: number, inScope: (model: string) => boolean): { records: CollectedRegistryRecord[]; lastId: number } {
  const rows = db.prepare('SELECT id, model_name, version, kind, from_value, to_value, at, actor FROM registry_events WHERE id > ? ORDER BY id').all(afterId) as EventRow[];
  const records: CollectedRegistryRecord[] = [];
  const keys = new VersionKeys(db);
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
    const keyChanges: KeyChange[] = [];
    if (row.kind === 'rename' && row.from_value !== null && row.to_value !== null) {
      // History rows follow a renamed model (registry-service.ts): the rename row's from_value is the old name.
      keys.rename(row.from_value, row.to_value, keyChanges);
      records.push({ record: { type: 'registry', model: row.from_value, change: { op: 'rename-model', to: row.to_value }, objects: { eager: [], lazy: [] } }, rowId: row.id, keyChanges });
      continue;
    }
    const change = translate(db, row, keys, keyChanges);
    if (change) records.push({ record: { type: 'registry', model: row.model_name, change, objects: objectsOf(change) }, rowId: row.id, keyChanges });
  }
  return { records, lastId };
}

function translate(db: Database, row: EventRow & { current: string }, keys: VersionKeys, changes: KeyChange[]): RegistryChange | null {
  const key = (): string => keys.key(row.model_name, row.version!, changes);
  switch (row.kind) {
    case 'create_model': {
      const model = db.prepare('SELECT description, created_at, created_by FROM registered_models WHERE name = ?').get(row.current) as { description: string; created_at: number; created_by: string } | undefined;
      return { op: 'create-model', description: model?.description ?? '', createdBy: model?.created_by ?? row.actor, createdAt: model?.created_at ?? row.at };
    }
    case 'delete_model':
      // A model made again under this name starts at version 1 with new keys.
      keys.deleteModel(row.model_name, changes);
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
