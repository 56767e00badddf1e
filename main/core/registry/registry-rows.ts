/** Reading the registry's rows into the contract's shapes. */
import type { ModelVersion, RegisteredModel, RegistryEvent } from '../../../shared/registry';
import { modelStages } from '../../../shared/registry';
import type { Database } from '../db/database';

export interface VersionRow {
  id: number;
  model_id: number;
  name: string;
  version: number;
  run_id: string | null;
  source: string;
  artifact_path: string;
  signature: string | null;
  flavor: string | null;
  stage: ModelVersion['stage'];
  description: string;
  created_at: number;
  updated_at: number;
  created_by: string;
}

export interface ModelRow {
  id: number;
  name: string;
  description: string;
  next_version: number;
  created_at: number;
  updated_at: number;
  created_by: string;
}

export const versionColumns = `v.id, v.model_id, m.name, v.version, v.run_id, v.source, v.artifact_path, v.signature, v.flavor, v.stage,
  v.description, v.created_at, v.updated_at, v.created_by FROM model_versions v JOIN registered_models m ON m.id = v.model_id`;

export class RegistryRows {
  constructor(private readonly db: Database) {}

  modelRow(name: string): ModelRow | undefined {
    return this.db.prepare('SELECT * FROM registered_models WHERE name = ?').get(name) as ModelRow | undefined;
  }

  versionRow(name: string, version: number): VersionRow | undefined {
    return this.db.prepare(`SELECT ${versionColumns} WHERE m.name = ? AND v.version = ?`).get(name, version) as VersionRow | undefined;
  }

  versionRows(modelId: number): VersionRow[] {
    return this.db.prepare(`SELECT ${versionColumns} WHERE v.model_id = ? ORDER BY v.version DESC`).all(modelId) as VersionRow[];
  }

  toVersion(row: VersionRow): ModelVersion {
    const tags = this.db.prepare('SELECT key, value FROM model_version_tags WHERE version_id = ? ORDER BY key').all(row.id) as Array<{ key: string; value: string }>;
    const aliases = this.db.prepare('SELECT alias FROM model_aliases WHERE version_id = ? ORDER BY alias').all(row.id) as Array<{ alias: string }>;
    const size = this.db.prepare('SELECT coalesce(sum(size), 0) AS n FROM model_version_files WHERE version_id = ?').get(row.id) as { n: number };
    const inputs = row.run_id
      ? (this.db
          .prepare(
            `SELECT d.name AS dataset, dv.version, i.context FROM run_inputs i JOIN runs r ON r.pk = i.run_pk
             JOIN dataset_versions dv ON dv.id = i.version_id JOIN datasets d ON d.id = dv.dataset_id WHERE r.id = ? ORDER BY d.name, dv.version`,
          )
          .all(row.run_id) as Array<{ dataset: string; version: number; context: string }>)
      : [];
    return {
      name: row.name,
      version: row.version,
      runId: row.run_id,
      source: row.source,
      artifactPath: row.artifact_path,
      stage: row.stage,
      status: 'READY',
      description: row.description,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      createdBy: row.created_by,
      tags: Object.fromEntries(tags.map((tag) => [tag.key, tag.value])),
      aliases: aliases.map((alias) => alias.alias),
      signature: row.signature ? (JSON.parse(row.signature) as ModelVersion['signature']) : null,
      task: row.flavor,
      sizeBytes: size.n,
      inputs,
    };
  }

  toModel(row: ModelRow): RegisteredModel {
    const tags = this.db.prepare('SELECT key, value FROM registered_model_tags WHERE model_id = ? ORDER BY key').all(row.id) as Array<{ key: string; value: string }>;
    const aliases = this.db
      .prepare('SELECT a.alias, v.version FROM model_aliases a JOIN model_versions v ON v.id = a.version_id WHERE a.model_id = ? ORDER BY a.alias')
      .all(row.id) as Array<{ alias: string; version: number }>;
    const versions = this.versionRows(row.id);
    const latest = modelStages.flatMap((stage) => {
      const newest = versions.find((version) => version.stage === stage);
      return newest ? [this.toVersion(newest)] : [];
    });
    return {
      name: row.name,
      description: row.description,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      createdBy: row.created_by,
      tags: Object.fromEntries(tags.map((tag) => [tag.key, tag.value])),
      aliases,
      latestVersions: latest,
      versionCount: versions.length,
    };
  }

  events(name: string): RegistryEvent[] {
    const rows = this.db.prepare('SELECT id, model_name, version, kind, from_value, to_value, actor, at FROM registry_events WHERE model_name = ? ORDER BY id DESC').all(name) as Array<{
      id: number;
      model_name: string;
      version: number | null;
      kind: string;
      from_value: string | null;
      to_value: string | null;
      actor: string;
      at: number;
    }>;
    return rows.map((row) => ({ id: row.id, name: row.model_name, version: row.version, kind: row.kind, from: row.from_value, to: row.to_value, actor: row.actor, at: row.at }));
  }
}
