import { notFound } from '../../../shared/errors';
import type { CreatedBy, DatasetSummary, DatasetVersion, ReadOptions } from '../../../shared/datasets';
import type { Database } from '../db/database';

interface VersionRow {
  id: number;
  dataset: string;
  version: number;
  oid: string;
  format: DatasetVersion['format'];
  file_count: number;
  size_bytes: number;
  row_count: number;
  schema: string;
  profile: string;
  read_options: string;
  created_at: number;
  created_by: string;
  source_path: string | null;
  steps: string | null;
  fitted: string | null;
}

const versionColumns = `v.id, d.name AS dataset, v.version, v.oid, v.format, v.file_count, v.size_bytes, v.row_count, v.schema,
  v.profile, v.read_options, v.created_at, v.created_by, v.source_path, v.steps, v.fitted
  FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id`;

/** Reads dataset rows into contract types; the service writes. */
export class DatasetRows {
  constructor(private readonly db: Database) {}

  summaries(): DatasetSummary[] {
    const rows = this.db
      .prepare(
        `SELECT d.id, d.name, d.description, d.created_at, d.updated_at, count(v.id) AS version_count,
                max(v.version) AS latest_version,
                (SELECT row_count FROM dataset_versions l WHERE l.dataset_id = d.id ORDER BY l.version DESC LIMIT 1) AS latest_rows,
                (SELECT size_bytes FROM dataset_versions l WHERE l.dataset_id = d.id ORDER BY l.version DESC LIMIT 1) AS latest_size,
                (SELECT format FROM dataset_versions l WHERE l.dataset_id = d.id ORDER BY l.version DESC LIMIT 1) AS latest_format
         FROM datasets d LEFT JOIN dataset_versions v ON v.dataset_id = d.id GROUP BY d.id ORDER BY d.updated_at DESC`,
      )
      .all() as Array<{ id: number; name: string; description: string; created_at: number; updated_at: number; version_count: number; latest_version: number | null; latest_rows: number | null; latest_size: number | null; latest_format: DatasetSummary['latestFormat'] | null }>;
    return rows
      .filter((row) => row.latest_version !== null)
      .map((row) => ({
        id: row.id,
        name: row.name,
        description: row.description,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        latestVersion: row.latest_version!,
        versionCount: row.version_count,
        latestRowCount: row.latest_rows ?? 0,
        latestSizeBytes: row.latest_size ?? 0,
        latestFormat: row.latest_format ?? 'csv',
      }));
  }

  versions(dataset: string): DatasetVersion[] {
    const rows = this.db.prepare(`SELECT ${versionColumns} WHERE d.name = ? ORDER BY v.version DESC`).all(dataset) as VersionRow[];
    if (rows.length === 0) throw notFound(`No dataset named '${dataset}'. List them with \`trainyard data list\`.`);
    return rows.map((row) => this.toVersion(row));
  }

  /** A version by name and number; the latest when `version` is omitted. */
  version(dataset: string, version?: number): DatasetVersion {
    const row = (
      version === undefined
        ? this.db.prepare(`SELECT ${versionColumns} WHERE d.name = ? ORDER BY v.version DESC LIMIT 1`).get(dataset)
        : this.db.prepare(`SELECT ${versionColumns} WHERE d.name = ? AND v.version = ?`).get(dataset, version)
    ) as VersionRow | undefined;
    if (!row) {
      throw notFound(version === undefined ? `No dataset named '${dataset}'.` : `Dataset '${dataset}' has no version ${version}.`);
    }
    return this.toVersion(row);
  }

  byId(id: number): DatasetVersion {
    const row = this.db.prepare(`SELECT ${versionColumns} WHERE v.id = ?`).get(id) as VersionRow | undefined;
    if (!row) throw notFound(`No dataset version with id ${id}.`);
    return this.toVersion(row);
  }

  byOid(dataset: string, oid: string): DatasetVersion | null {
    const row = this.db.prepare(`SELECT ${versionColumns} WHERE d.name = ? AND v.oid = ?`).get(dataset, oid) as VersionRow | undefined;
    return row ? this.toVersion(row) : null;
  }

  files(versionId: number): Array<{ relpath: string; md5: string; size: number }> {
    return this.db.prepare('SELECT relpath, md5, size FROM dataset_files WHERE version_id = ? ORDER BY relpath').all(versionId) as Array<{ relpath: string; md5: string; size: number }>;
  }

  private toVersion(row: VersionRow): DatasetVersion {
    const parents = this.db
      .prepare(
        `SELECT d.name AS dataset, v.version FROM dataset_lineage l JOIN dataset_versions v ON v.id = l.parent_id
         JOIN datasets d ON d.id = v.dataset_id WHERE l.child_id = ? ORDER BY d.name, v.version`,
      )
      .all(row.id) as Array<{ dataset: string; version: number }>;
    const readOptions = JSON.parse(row.read_options) as ReadOptions & { warnings?: string[] };
    return {
      id: row.id,
      dataset: row.dataset,
      version: row.version,
      oid: row.oid,
      format: row.format,
      fileCount: row.file_count,
      sizeBytes: row.size_bytes,
      rowCount: row.row_count,
      schema: JSON.parse(row.schema) as DatasetVersion['schema'],
      profile: JSON.parse(row.profile) as DatasetVersion['profile'],
      readOptions: { format: readOptions.format, tabular: readOptions.tabular, csv: readOptions.csv },
      createdAt: row.created_at,
      createdBy: JSON.parse(row.created_by) as CreatedBy,
      sourcePath: row.source_path,
      parents,
      steps: row.steps ? (JSON.parse(row.steps) as unknown[]) : null,
      fitted: row.fitted ? (JSON.parse(row.fitted) as unknown[]) : null,
      warnings: readOptions.warnings ?? [],
    };
  }
}
