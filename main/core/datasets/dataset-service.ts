import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { DataTask } from '../../../shared/data-tasks';
import { ingestReportSchema, previewSchema, type CreatedBy, type CsvOptions, type DataSource, type DatasetVersion, type IngestReport, type Preview, type ReadOptions } from '../../../shared/datasets';
import { WorkbenchError, invalid } from '../../../shared/errors';
import type { TransformStep } from '../../../shared/transforms';
import { transformResultSchema } from '../../../shared/transforms';
import type { Database } from '../db/database';
import { Emitter } from '../events/emitter';
import type { JobHandle } from '../jobs/job-tracker';
import type { HashCache } from '../objects/hash-cache';
import type { HashPool } from '../objects/hash-pool';
import type { ObjectStore } from '../objects/object-store';
import { listSourceFiles } from '../objects/source-files';
import { storeFiles, type StoredTree } from '../objects/store-importer';
import type { WorkerHost } from '../workers/worker-host';
import { DatasetRows } from './dataset-rows';
import { detectLayout } from './detect-format';
import { insideGitRepository, writeDvcFile } from './dvc-file';

export interface ImportOptions {
  readonly name?: string;
  readonly csv?: CsvOptions;
  readonly createdBy?: CreatedBy;
  /** Write `<path>.dvc` beside the source when it is inside a git repository. */
  readonly writeDvcFile?: boolean;
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkDatasetName(name: string): string {
  if (!namePattern.test(name)) {
    throw invalid(`'${name}' is not a valid dataset name: use letters, digits, '.', '_' or '-' (at most 128), starting with a letter or digit.`);
  }
  return name;
}

/** A dataset name from a file or folder name: `Sales 2024.csv` → `Sales-2024`. */
export function nameFromPath(path: string): string {
  const base = basename(path, extname(path)).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return base.slice(0, 128) || 'dataset';
}

/**
 * Datasets and their immutable versions (DESIGN.md §5). Files are hashed into the store in main
 * (worker threads); everything that reads the data — ingest, preview, validation, transforms —
 * runs in a `data` worker over the stored objects, so a bad file can crash a worker, not the app.
 */
export class DatasetService {
  readonly rows: DatasetRows;
  private readonly didChange = new Emitter<{ dataset: string; version: number | null }>();
  readonly onDidChangeDataset = this.didChange.event;

  constructor(
    private readonly db: Database,
    private readonly deps: { objects: ObjectStore; workers: WorkerHost; pool: HashPool; cache: HashCache; stagingDir: string },
  ) {
    this.rows = new DatasetRows(db);
  }

  /** Imports a file or folder as a new version; identical content gives back the existing version. */
  async importPath(path: string, options: ImportOptions = {}, job?: JobHandle): Promise<DatasetVersion> {
    const name = checkDatasetName(options.name ?? nameFromPath(path));
    const listing = await listSourceFiles(path);
    const layout = detectLayout(listing.files.map((file) => file.relpath));
    job?.progress(0, listing.files.reduce((sum, file) => sum + file.size, 0), 'hashing');
    const tree = await storeFiles(listing.files, listing.isDirectory, { store: this.deps.objects, pool: this.deps.pool, cache: this.deps.cache }, (progress) => {
      if (job?.signal.aborted) throw new WorkbenchError('CONFLICT', 'Import cancelled.');
      job?.progress(progress.bytesDone, progress.bytesTotal);
    });
    const existing = this.rows.byOid(name, tree.oid);
    if (existing) return existing;

    const csv: CsvOptions | undefined = layout.tsv && !options.csv?.delimiter ? { ...options.csv, delimiter: '\t' } : options.csv;
    const byRelpath = new Map(tree.entries.map((entry) => [entry.relpath, entry.md5]));
    const source: DataSource = {
      format: layout.format,
      files: layout.tabular.map((relpath) => this.deps.objects.pathOf(byRelpath.get(relpath)!)),
      ...(csv ? { csv } : {}),
      ...(layout.format === 'images' ? { images: layout.images.map((relpath) => ({ relpath, file: this.deps.objects.pathOf(byRelpath.get(relpath)!) })) } : {}),
    };
    let report: IngestReport;
    try {
      job?.progress(0, null, 'profiling');
      report = ingestReportSchema.parse(await this.runData({ task: 'ingest', source }, job));
    } catch (error) {
      // Atomic: a failed ingest leaves no version and no objects of its own behind.
      await this.deps.objects.remove(tree.created.filter((oid) => !this.isReferenced(oid)));
      // The worker read stored objects; name the user's files instead.
      const names = new Map(tree.entries.map((entry) => [this.deps.objects.pathOf(entry.md5), entry.relpath]));
      throw importError(path, error, names);
    }
    const readOptions: ReadOptions & { warnings: string[] } = {
      format: layout.format,
      tabular: layout.tabular,
      csv: report.csv ? { ...report.csv, ...(csv?.skipBadRows ? { skipBadRows: true } : {}) } : null,
      warnings: [...report.warnings, ...(layout.ignored.length > 0 ? [`Versioned but not read as data: ${layout.ignored.join(', ')}`] : [])],
    };
    const version = this.insertVersion(name, tree, report, readOptions, {
      createdBy: options.createdBy ?? { kind: 'user', detail: null },
      sourcePath: listing.root,
      parents: [],
      steps: null,
      fitted: null,
    });
    if (options.writeDvcFile && (await insideGitRepository(listing.root))) {
      await writeDvcFile(listing.root, { oid: tree.oid, size: tree.size, nfiles: listing.isDirectory ? tree.entries.length : null });
    }
    return version;
  }

  /** The `DataSource` that reads a stored version (object paths main hands to the worker). */
  sourceOf(version: DatasetVersion): DataSource {
    const files = this.rows.files(version.id);
    const pathOf = new Map(files.map((file) => [file.relpath, this.deps.objects.pathOf(file.md5)]));
    const imageFiles = files.filter((file) => !version.readOptions.tabular.includes(file.relpath) && /\.(png|jpe?g|gif|bmp|webp)$/i.test(file.relpath));
    return {
      format: version.format,
      files: version.readOptions.tabular.map((relpath) => pathOf.get(relpath)!),
      ...(version.readOptions.csv ? { csv: { ...version.readOptions.csv, encoding: version.readOptions.csv.encoding as 'utf-8', skipBadRows: version.readOptions.csv.skipBadRows ?? false } } : {}),
      ...(version.format === 'images' ? { images: imageFiles.map((file) => ({ relpath: file.relpath, file: pathOf.get(file.relpath)! })) } : {}),
    };
  }

  async preview(dataset: string, version: number | undefined, offset: number, limit: number): Promise<Preview> {
    const target = this.rows.version(dataset, version);
    return previewSchema.parse(await this.runData({ task: 'preview', source: this.sourceOf(target), offset, limit }));
  }

  /**
   * Derives a new version: the worker writes Parquet into a staging folder of its own, main stores
   * the outputs and profiles them, then records the version with its parents, steps and fitted
   * statistics. The staging folder is removed whatever happens.
   */
  async transform(dataset: string, version: number | undefined, steps: readonly TransformStep[], outputName?: string, job?: JobHandle): Promise<DatasetVersion> {
    const parent = this.rows.version(dataset, version);
    const name = checkDatasetName(outputName ?? dataset);
    const outputDir = join(this.deps.stagingDir, randomUUID());
    await mkdir(outputDir, { recursive: true });
    try {
      job?.progress(0, steps.length, 'transforming');
      const result = transformResultSchema.parse(await this.runData({ task: 'transform', source: this.sourceOf(parent), steps: [...steps], outputDir }, job));
      const listing = await listSourceFiles(outputDir);
      const asDirectory = result.outputs.length > 1;
      job?.progress(0, null, 'storing');
      const tree = await storeFiles(listing.files, asDirectory, { store: this.deps.objects, pool: this.deps.pool, cache: this.deps.cache });
      const existing = this.rows.byOid(name, tree.oid);
      if (existing) return existing;
      const byRelpath = new Map(tree.entries.map((entry) => [entry.relpath, entry.md5]));
      const tabular = tree.entries.map((entry) => entry.relpath);
      job?.progress(0, null, 'profiling');
      const report = ingestReportSchema.parse(
        await this.runData({ task: 'ingest', source: { format: 'parquet', files: tabular.map((relpath) => this.deps.objects.pathOf(byRelpath.get(relpath)!)) } }, job),
      );
      return this.insertVersion(name, tree, report, { format: 'parquet', tabular, csv: null, warnings: report.warnings }, {
        createdBy: { kind: 'transform', detail: `${parent.dataset}@${parent.version}` },
        sourcePath: null,
        parents: [parent.id],
        steps: [...steps],
        fitted: result.fitted,
      });
    } finally {
      await rm(outputDir, { recursive: true, force: true });
    }
  }

  /** Every object a dataset version references (files and `.dir` manifests), for garbage collection. */
  referencedObjects(): Set<string> {
    const files = this.db.prepare('SELECT DISTINCT md5 FROM dataset_files').all() as Array<{ md5: string }>;
    const manifests = this.db.prepare("SELECT oid FROM dataset_versions WHERE oid LIKE '%.dir'").all() as Array<{ oid: string }>;
    return new Set([...files.map((row) => row.md5), ...manifests.map((row) => row.oid)]);
  }

  private isReferenced(oid: string): boolean {
    return Boolean(
      this.db.prepare('SELECT 1 FROM dataset_files WHERE md5 = ? UNION ALL SELECT 1 FROM dataset_versions WHERE oid = ? UNION ALL SELECT 1 FROM artifacts WHERE md5 = ? LIMIT 1').get(oid, oid, oid),
    );
  }

  /** Runs one data-worker task, killing the worker if the job is cancelled. */
  async runData(task: DataTask, job?: JobHandle): Promise<unknown> {
    // DuckDB spills big sorts and joins to disk: keep that inside our staging folder.
    const handle = this.deps.workers.run<unknown>('data', task, {
      env: { TRAINYARD_DATA_TEMP: join(this.deps.stagingDir, 'duckdb') },
      onMessage: (message) => {
        if (message.type === 'progress') job?.progress(message.done, message.total, message.message);
      },
    });
    const onAbort = (): void => handle.kill('cancelled by the user');
    job?.signal.addEventListener('abort', onAbort);
    try {
      return await handle.result;
    } finally {
      job?.signal.removeEventListener('abort', onAbort);
    }
  }

  private insertVersion(
    name: string,
    tree: StoredTree,
    report: IngestReport,
    readOptions: ReadOptions & { warnings: string[] },
    meta: { createdBy: CreatedBy; sourcePath: string | null; parents: number[]; steps: unknown[] | null; fitted: unknown[] | null },
  ): DatasetVersion {
    const now = Date.now();
    const id = this.db.transaction(() => {
      this.db.prepare('INSERT INTO datasets (name, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at').run(name, now, now);
      const datasetId = (this.db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as { id: number }).id;
      const next = (this.db.prepare('SELECT coalesce(max(version), 0) + 1 AS n FROM dataset_versions WHERE dataset_id = ?').get(datasetId) as { n: number }).n;
      const info = this.db
        .prepare(
          `INSERT INTO dataset_versions (dataset_id, version, oid, format, file_count, size_bytes, row_count, schema, profile, read_options,
             created_at, created_by, source_path, steps, fitted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          datasetId, next, tree.oid, readOptions.format, tree.entries.length, tree.size, report.profile.rowCount,
          JSON.stringify(report.schema), JSON.stringify(report.profile), JSON.stringify(readOptions), now,
          JSON.stringify(meta.createdBy), meta.sourcePath, meta.steps ? JSON.stringify(meta.steps) : null, meta.fitted ? JSON.stringify(meta.fitted) : null,
        );
      const versionId = Number(info.lastInsertRowid);
      const insertFile = this.db.prepare('INSERT INTO dataset_files (version_id, relpath, md5, size) VALUES (?, ?, ?, ?)');
      for (const entry of tree.entries) insertFile.run(versionId, entry.relpath, entry.md5, entry.size);
      const insertParent = this.db.prepare('INSERT INTO dataset_lineage (child_id, parent_id) VALUES (?, ?)');
      for (const parent of meta.parents) insertParent.run(versionId, parent);
      return versionId;
    })();
    const version = this.rows.byId(id);
    this.didChange.fire({ dataset: name, version: version.version });
    return version;
  }

  dispose(): void {
    this.didChange.dispose();
  }
}

function importError(path: string, error: unknown, names: ReadonlyMap<string, string>): Error {
  if (error instanceof WorkbenchError) return error;
  let message = error instanceof Error ? error.message : String(error);
  for (const [objectPath, relpath] of names) message = message.split(objectPath).join(relpath);
  return new WorkbenchError('INVALID_ARGUMENT', `Could not import '${basename(path)}': ${message}`);
}
