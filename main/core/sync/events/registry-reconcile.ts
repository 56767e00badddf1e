/**
 * Makes the local registry tables agree with the merged registry (registry-merge.ts), and writes
 * a sync_conflicts row for every way the result differs from what this home had made: a version
 * of ours renumbered, an alias or stage we moved moved again by a teammate, a version or model of
 * ours deleted by a teammate, a change of ours that could not take effect. Local changes not yet
 * pushed (versions without a key in the merge) are kept, renumbered only if their number is taken.
 * Idempotent: once the tables agree, a second call changes nothing and writes no conflict.
 */
import type { Database } from '../../db/database';
import type { RegistryRecord } from './event-schema';
import { compareRecords, replayRegistry, type MergedModel, type MergedVersion, type OrderedRegistryRecord, type ReplayResult } from './registry-merge';

export interface MergeConflict {
  readonly kind: string;
  readonly entity: string;
  readonly message: string;
}

export interface MergeResult {
  readonly models: number;
  readonly conflicts: MergeConflict[];
  /** Records (anyone's) that could not take effect, with why. */
  readonly skipped: Array<{ model: string; op: string; author: string; reason: string }>;
}

/** Every registry record kept in sync_events for this remote (ours and teammates'), in merge order. */
export function loadRegistryRecords(db: Database, remote: string): OrderedRegistryRecord[] {
  const rows = db
    .prepare("SELECT client_id, seq, hlc, author, body FROM sync_events WHERE remote = ? AND status = 'applied' AND registry_records > 0 ORDER BY hlc, client_id, seq")
    .all(remote) as Array<{ client_id: string; seq: number; hlc: string; author: string; body: string }>;
  const out: OrderedRegistryRecord[] = [];
  for (const row of rows) {
    const body = JSON.parse(row.body) as { records: Array<{ type: string }> };
    body.records.forEach((record, index) => {
      if (record.type === 'registry') out.push({ hlc: row.hlc, client: row.client_id, seq: row.seq, index, author: row.author, record: record as RegistryRecord });
    });
  }
  return out.sort(compareRecords);
}

/** Replays the registry records of a remote and reconciles the local tables to the result. */
export function mergeRegistry(db: Database, options: { remote: string; clientId: string; now?: () => number }): MergeResult {
  const replay = replayRegistry(loadRegistryRecords(db, options.remote), options.clientId);
  return db.transaction(() => reconcile(db, replay, { ...options, now: options.now ?? Date.now }))();
}

interface LocalVersion {
  id: number;
  version: number;
  stage: string;
  description: string;
  key: string | null;
}

function reconcile(db: Database, replay: ReplayResult, options: { remote: string; clientId: string; now: () => number }): MergeResult {
  const conflicts: MergeConflict[] = [];
  const own = options.clientId;
  const now = options.now();
  const conflict = (kind: string, entity: string, message: string) => {
    const seen = db.prepare('SELECT 1 FROM sync_conflicts WHERE remote = ? AND kind = ? AND entity = ? AND message = ?').get(options.remote, kind, entity, message);
    if (seen) return;
    db.prepare('INSERT INTO sync_conflicts (remote, kind, entity, message, created_at) VALUES (?, ?, ?, ?, ?)').run(options.remote, kind, entity, message, now);
    conflicts.push({ kind, entity, message });
  };
  for (const { record, reason } of replay.skipped) {
    if (record.client === own) conflict('registry', record.record.model, `your change (${record.record.change.op}) to ${record.record.model} did not take effect: ${reason}`);
  }
  for (const model of replay.models.values()) reconcileModel(db, model, { own, now, conflict });
  return {
    models: replay.models.size,
    conflicts,
    skipped: replay.skipped.map(({ record, reason }) => ({ model: record.record.model, op: record.record.change.op, author: record.author, reason })),
  };
}

function reconcileModel(db: Database, model: MergedModel, context: { own: string; now: number; conflict: (kind: string, entity: string, message: string) => void }): void {
  const { own, now, conflict } = context;
  if (!model.deleted) followRename(db, model);
  const local = db.prepare('SELECT id, next_version FROM registered_models WHERE name = ?').get(model.name) as { id: number; next_version: number } | undefined;
  if (model.deleted) {
    if (local) {
      const ours = [...model.versions.values()].some((version) => version.created.client === own);
      if (model.deleted.client !== own && ours) conflict('model', model.name, `model ${model.name} (with versions you registered) was deleted by ${model.deleted.author}`);
      db.prepare('DELETE FROM registered_models WHERE id = ?').run(local.id);
    }
    db.prepare('DELETE FROM sync_version_keys WHERE model = ?').run(model.name);
    return;
  }
  const modelId = local?.id ?? Number(db.prepare('INSERT INTO registered_models (name, description, created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?)').run(model.name, model.description, model.createdAt || now, now, model.createdBy).lastInsertRowid);
  db.prepare('UPDATE registered_models SET description = ? WHERE id = ? AND description != ?').run(model.description, modelId, model.description);
  for (const [key, value] of model.tags) {
    if (value === null) db.prepare('DELETE FROM registered_model_tags WHERE model_id = ? AND key = ?').run(modelId, key);
    else db.prepare('INSERT INTO registered_model_tags (model_id, key, value) VALUES (?, ?, ?) ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value').run(modelId, key, value);
  }

  const keyOf = db.prepare('SELECT key FROM sync_version_keys WHERE model = ? AND version = ?').pluck();
  const rows = (db.prepare('SELECT id, version, stage, description FROM model_versions WHERE model_id = ?').all(modelId) as LocalVersion[]).map((row) => {
    const key = keyOf.get(model.name, row.version) as string | undefined;
    return { ...row, key: key !== undefined && model.versions.has(key) ? key : null };
  });

  // Versions a teammate deleted.
  for (const row of rows) {
    const merged = row.key ? model.versions.get(row.key)! : null;
    if (merged?.deleted) {
      if (merged.created.client === own && merged.deleted.client !== own) conflict('model-version', `${model.name}/${merged.number}`, `your version ${row.version} of ${model.name} was deleted by ${merged.deleted.author}`);
      db.prepare('DELETE FROM model_versions WHERE id = ?').run(row.id);
    }
  }
  const kept = rows.filter((row) => !(row.key && model.versions.get(row.key)!.deleted));

  // Numbers: merged ones for keyed rows; keyless rows (not pushed yet) keep theirs unless taken.
  const taken = new Set([...model.versions.values()].map((version) => version.number));
  const holderOf = new Map([...model.versions.values()].map((version) => [version.number, version]));
  let next = Math.max(model.nextVersion, local?.next_version ?? 1, ...kept.map((row) => row.version + 1));
  const target = new Map<number, number>();
  for (const row of kept) {
    if (row.key) target.set(row.id, model.versions.get(row.key)!.number);
    else if (taken.has(row.version)) target.set(row.id, next++);
    else taken.add(row.version);
  }
  const moving = kept.filter((row) => target.has(row.id) && target.get(row.id) !== row.version);
  for (const row of moving) {
    // Through a negative number first: two versions may swap numbers.
    db.prepare('UPDATE model_versions SET version = ? WHERE id = ?').run(-row.id, row.id);
    db.prepare('UPDATE registry_events SET version = ? WHERE model_name = ? AND version = ?').run(-row.id, model.name, row.version);
    db.prepare('UPDATE sync_version_keys SET version = ? WHERE model = ? AND version = ?').run(-row.id, model.name, row.version);
  }
  for (const row of moving) {
    const number = target.get(row.id)!;
    db.prepare('DELETE FROM sync_version_keys WHERE model = ? AND version = ?').run(model.name, number);
    db.prepare('UPDATE model_versions SET version = ?, updated_at = ? WHERE id = ?').run(number, now, row.id);
    db.prepare('UPDATE registry_events SET version = ? WHERE model_name = ? AND version = ?').run(number, model.name, -row.id);
    db.prepare('UPDATE sync_version_keys SET version = ? WHERE model = ? AND version = ?').run(number, model.name, -row.id);
    const merged = row.key ? model.versions.get(row.key)! : null;
    const holder = holderOf.get(row.version);
    const mine = !merged || merged.created.client === own;
    const because = holder && holder.key !== row.key ? `${holder.created.author} registered version ${row.version} first` : `version ${row.version} was taken`;
    conflict('model-version', `${model.name}/${number}`, `${mine ? 'your' : `${merged!.created.author}'s`} version ${row.version} of ${model.name} is now version ${number}: ${because}`);
    row.version = number;
  }
  // Every merged version's key at its number (deleted ones too: later records may name them).
  for (const version of model.versions.values()) {
    db.prepare('DELETE FROM sync_version_keys WHERE key = ? OR (model = ? AND version = ?)').run(version.key, model.name, version.number);
    db.prepare('INSERT INTO sync_version_keys (model, version, key) VALUES (?, ?, ?)').run(model.name, version.number, version.key);
  }

  // Teammates' versions not here yet; then stage, description, tags of every merged version.
  const idOf = new Map<string, number>();
  for (const row of kept) if (row.key) idOf.set(row.key, row.id);
  for (const version of model.versions.values()) {
    if (version.deleted) continue;
    const id = idOf.get(version.key) ?? insertVersion(db, modelId, version, now);
    idOf.set(version.key, id);
    const row = kept.find((candidate) => candidate.id === id);
    if (row && row.stage !== version.stage) {
      if (version.ownStage === row.stage && version.stageBy && version.stageBy.client !== own) {
        conflict('model-version', `${model.name}/${version.number}`, `version ${version.number} of ${model.name} moved to ${version.stage} by ${version.stageBy.author} after your move to ${row.stage}`);
      }
    }
    db.prepare('UPDATE model_versions SET stage = ?, description = ? WHERE id = ? AND (stage != ? OR description != ?)').run(version.stage, version.description, id, version.stage, version.description);
    for (const [key, value] of version.tags) {
      if (value === null) db.prepare('DELETE FROM model_version_tags WHERE version_id = ? AND key = ?').run(id, key);
      else db.prepare('INSERT INTO model_version_tags (version_id, key, value) VALUES (?, ?, ?) ON CONFLICT (version_id, key) DO UPDATE SET value = excluded.value').run(id, key, value);
    }
  }

  // Aliases the log moved; aliases it never mentioned (set here, not pushed yet) stay.
  for (const [alias, merged] of model.aliases) {
    const held = db.prepare('SELECT a.version_id, v.version FROM model_aliases a JOIN model_versions v ON v.id = a.version_id WHERE a.model_id = ? AND a.alias = ?').get(modelId, alias) as { version_id: number; version: number } | undefined;
    const heldKey = held ? ([...idOf].find(([, id]) => id === held.version_id)?.[0] ?? null) : null;
    if ((heldKey ?? null) === merged.version && (held !== undefined) === (merged.version !== null)) continue;
    if (held && merged.own === heldKey && merged.by.client !== own) {
      const where = merged.version ? `moved to v${model.versions.get(merged.version)!.number}` : 'deleted';
      conflict('model-alias', `${model.name}@${alias}`, `alias ${alias} ${where} by ${merged.by.author} after your move to v${held.version}`);
    }
    if (merged.version === null) db.prepare('DELETE FROM model_aliases WHERE model_id = ? AND alias = ?').run(modelId, alias);
    else db.prepare('INSERT INTO model_aliases (model_id, alias, version_id) VALUES (?, ?, ?) ON CONFLICT (model_id, alias) DO UPDATE SET version_id = excluded.version_id').run(modelId, alias, idOf.get(merged.version)!);
  }
  const maxNumber = (db.prepare('SELECT max(version) FROM model_versions WHERE model_id = ?').pluck().get(modelId) as number | null) ?? 0;
  db.prepare('UPDATE registered_models SET next_version = max(next_version, ?, ?) WHERE id = ?').run(model.nextVersion, maxNumber + 1, modelId);
}

function insertVersion(db: Database, modelId: number, version: MergedVersion, now: number): number {
  const c = version.creation;
  const id = Number(
    db
      .prepare(
        `INSERT INTO model_versions (model_id, version, run_id, source, artifact_path, signature, flavor, mlflow_flavors, stage, description, created_at, updated_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(modelId, version.number, c.runId, c.source, c.artifactPath, c.signature, c.flavor, c.flavors, version.stage, version.description, c.createdAt, now, c.createdBy).lastInsertRowid,
  );
  const file = db.prepare('INSERT INTO model_version_files (version_id, relpath, md5, size) VALUES (?, ?, ?, ?)');
  for (const f of c.files) file.run(id, f.relpath, f.md5, f.size);
  return id;
}

/** A teammate renamed a model we hold under its old name: rename ours (its keys say it is the same). */
function followRename(db: Database, model: MergedModel): void {
  if (db.prepare('SELECT 1 FROM registered_models WHERE name = ?').get(model.name)) return;
  const keys = [...model.versions.keys()];
  if (keys.length === 0) return;
  const old = db.prepare(`SELECT model FROM sync_version_keys WHERE key IN (SELECT value FROM json_each(?)) AND model != ? LIMIT 1`).pluck().get(JSON.stringify(keys), model.name) as string | undefined;
  if (old === undefined || !db.prepare('SELECT 1 FROM registered_models WHERE name = ?').get(old)) return;
  db.prepare('UPDATE registered_models SET name = ? WHERE name = ?').run(model.name, old);
  db.prepare('UPDATE registry_events SET model_name = ? WHERE model_name = ?').run(model.name, old);
  db.prepare('UPDATE sync_version_keys SET model = ? WHERE model = ?').run(model.name, old);
}
