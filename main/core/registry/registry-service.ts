/**
 * The model registry in SQLite, with MLflow's semantics (MLFLOW.md §2): registered models with
 * tags and descriptions; versions numbered per model and never reused; stages None / Staging /
 * Production / Archived with `archive_existing_versions`; aliases, one version each, moving on
 * re-set. A version keeps its model directory's objects (model_version_files), so later changes to
 * the run, or purging it, never change what the version serves. Every change is an event row
 * (who, when, from → to) for the model's history.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { WorkbenchError, invalid, notFound } from '../../../shared/errors';
import { signatureSchema, type ModelSignature, type ModelStage, type ModelVersion, type RegisteredModel, type RegistryEvent, type ResolvedModel } from '../../../shared/registry';
import type { Database } from '../db/database';
import { Emitter } from '../events/emitter';
import type { ObjectStore } from '../objects/object-store';
import type { ArtifactService } from '../tracking/artifact-service';
import type { TrackingService } from '../tracking/tracking-service';
import { canonicalStage, checkAlias, checkModelName, parseModelUri } from './names';
import { RegistryRows, type VersionRow } from './registry-rows';

export interface RegisterOptions {
  readonly artifactPath?: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Set after the version exists (the register step sets these only when its gate passed). */
  readonly alias?: string;
  readonly stage?: string;
  readonly archiveExisting?: boolean;
  /**
   * Accept a model directory without model.onnx: an MLflow model of any flavor (sklearn,
   * pytorch…), as MLflow's registry accepts any model. Only the MLflow REST API and the mlruns
   * import pass it; the version records its flavors, and serving or evaluating it fails with
   * "only ONNX models can be served or evaluated" (see `modelFile`).
   */
  readonly allowNonOnnx?: boolean;
  /** The source string to keep, as an MLflow client sent it (MLflow echoes it back); default `runs:/<run id>/<path>`. */
  readonly source?: string;
  /**
   * The number to give the version (an import keeps MLflow's numbers, gaps included). It must
   * not be below the model's next number, so numbers are still never reused.
   */
  readonly version?: number;
}

const actor = (() => {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
})();

/** What MLflow writes beside a model that the model itself never reads. */
const metadataFiles = new Set(['MLmodel', 'conda.yaml', 'python_env.yaml', 'requirements.txt', 'input_example.json', 'serving_input_example.json']);

export class RegistryService {
  readonly rows: RegistryRows;
  private readonly didChange = new Emitter<{ name: string }>();
  readonly onDidChangeModel = this.didChange.event;

  constructor(
    private readonly db: Database,
    private readonly deps: { tracking: TrackingService; artifacts: ArtifactService; objects: ObjectStore; cacheDir?: string },
  ) {
    this.rows = new RegistryRows(db);
  }

  list(filter?: string): RegisteredModel[] {
    const like = filter ? `%${filter.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : '%';
    const rows = this.db.prepare("SELECT * FROM registered_models WHERE name LIKE ? ESCAPE '\\' ORDER BY updated_at DESC, name").all(like) as Parameters<RegistryRows['toModel']>[0][];
    return rows.map((row) => this.rows.toModel(row));
  }

  get(name: string): RegisteredModel {
    return this.rows.toModel(this.model(name));
  }

  create(name: string, options: { description?: string; tags?: Readonly<Record<string, string>> } = {}): RegisteredModel {
    checkModelName(name);
    if (this.rows.modelRow(name)) throw new WorkbenchError('ALREADY_EXISTS', `A registered model named '${name}' already exists.`);
    const now = Date.now();
    this.db.transaction(() => {
      const { lastInsertRowid } = this.db.prepare('INSERT INTO registered_models (name, description, created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?)').run(name, options.description ?? '', now, now, actor);
      for (const [key, value] of Object.entries(options.tags ?? {})) this.db.prepare('INSERT INTO registered_model_tags (model_id, key, value) VALUES (?, ?, ?)').run(lastInsertRowid, key, value);
      this.event(name, null, 'create_model', null, null);
    })();
    this.didChange.fire({ name });
    return this.get(name);
  }

  update(name: string, changes: { description?: string; newName?: string }): RegisteredModel {
    const row = this.model(name);
    let current = name;
    this.db.transaction(() => {
      if (changes.description !== undefined && changes.description !== row.description) {
        this.db.prepare('UPDATE registered_models SET description = ?, updated_at = ? WHERE id = ?').run(changes.description, Date.now(), row.id);
        this.event(name, null, 'description', row.description, changes.description);
      }
      if (changes.newName !== undefined && changes.newName !== name) {
        checkModelName(changes.newName);
        if (this.rows.modelRow(changes.newName)) throw new WorkbenchError('ALREADY_EXISTS', `A registered model named '${changes.newName}' already exists.`);
        this.db.prepare('UPDATE registered_models SET name = ?, updated_at = ? WHERE id = ?').run(changes.newName, Date.now(), row.id);
        // The history follows the model under its new name.
        this.db.prepare('UPDATE registry_events SET model_name = ? WHERE model_name = ?').run(changes.newName, name);
        this.event(changes.newName, null, 'rename', name, changes.newName);
        current = changes.newName;
      }
    })();
    this.didChange.fire({ name });
    if (current !== name) this.didChange.fire({ name: current });
    return this.get(current);
  }

  delete(name: string): void {
    const row = this.model(name);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM registered_models WHERE id = ?').run(row.id);
      this.event(name, null, 'delete_model', null, null);
    })();
    this.didChange.fire({ name });
  }

  setTag(name: string, key: string, value: string, version?: number): void {
    this.tagChange(name, version, key, value);
  }

  deleteTag(name: string, key: string, version?: number): void {
    this.tagChange(name, version, key, null);
  }

  /**
   * A new version from a run's model directory (default `model/`, which must hold model.onnx).
   * The registered model is created on first use, as MLflow's `register_model` does.
   */
  register(runId: string, name: string, options: RegisterOptions = {}): ModelVersion {
    checkModelName(name);
    const { tracking, artifacts } = this.deps;
    tracking.getRunInfo(runId); // a clear NOT_FOUND for an unknown run
    const artifactPath = (options.artifactPath ?? 'model').replace(/^\/+|\/+$/g, '');
    const files = artifacts.files(runId, artifactPath);
    if (files.length === 0 && options.allowNonOnnx) throw invalid(`Run ${runId} has no model to register: there is nothing under '${artifactPath}/'.`);
    if (!options.allowNonOnnx && !files.some((file) => file.relpath === 'model.onnx')) {
      throw invalid(
        files.length === 0
          ? `Run ${runId} has no model to register: there is nothing under '${artifactPath}/'. Train a model or import an .onnx file first.`
          : `Run ${runId} has no '${artifactPath}/model.onnx' (it has ${files.map((file) => file.relpath).join(', ')}); only ONNX models can be registered.`,
      );
    }
    if (options.alias !== undefined) checkAlias(options.alias);
    const stage = options.stage !== undefined ? canonicalStage(options.stage) : null;
    // Refused before anything is written: checked only in transitionStage, it left a version behind.
    if (stage && options.archiveExisting && stage !== 'Staging' && stage !== 'Production') {
      throw invalid(`archive_existing_versions only applies when moving to Staging or Production, not ${stage}.`);
    }
    const mlmodel = files.find((file) => file.relpath === 'MLmodel');
    const meta = mlmodel ? this.readMlmodel(mlmodel.md5) : { signature: null, task: null, flavors: null };
    if (options.version !== undefined && (!Number.isInteger(options.version) || options.version < 1)) throw invalid(`A version number is a positive integer, not ${options.version}.`);
    const now = Date.now();
    const version = this.db.transaction(() => {
      if (!this.rows.modelRow(name)) {
        this.db.prepare('INSERT INTO registered_models (name, created_at, updated_at, created_by) VALUES (?, ?, ?, ?)').run(name, now, now, actor);
        this.event(name, null, 'create_model', null, null);
      }
      const model = this.rows.modelRow(name)!;
      const number = options.version ?? model.next_version;
      if (number < model.next_version) throw new WorkbenchError('ALREADY_EXISTS', `Registered model '${name}' has already used version number ${number}; the next free one is ${model.next_version}.`);
      const source = options.source ?? `runs:/${runId}/${artifactPath}`;
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO model_versions (model_id, version, run_id, source, artifact_path, signature, flavor, mlflow_flavors, description, created_at, updated_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(model.id, number, runId, source, artifactPath, meta.signature ? JSON.stringify(meta.signature) : null, meta.task, meta.flavors ? JSON.stringify(meta.flavors) : null, options.description ?? '', now, now, actor);
      const insertFile = this.db.prepare('INSERT INTO model_version_files (version_id, relpath, md5, size) VALUES (?, ?, ?, ?)');
      for (const file of files) insertFile.run(lastInsertRowid, file.relpath, file.md5, file.size);
      for (const [key, value] of Object.entries(options.tags ?? {})) this.db.prepare('INSERT INTO model_version_tags (version_id, key, value) VALUES (?, ?, ?)').run(lastInsertRowid, key, value);
      this.db.prepare('UPDATE registered_models SET next_version = ?, updated_at = ? WHERE id = ?').run(number + 1, now, model.id);
      this.event(name, number, 'create_version', null, source);
      return number;
    })();
    if (stage) this.transitionStage(name, version, stage, options.archiveExisting ?? false);
    if (options.alias !== undefined) this.setAlias(name, options.alias, version);
    this.didChange.fire({ name });
    return this.version(name, version);
  }

  versions(name: string): ModelVersion[] {
    return this.rows.versionRows(this.model(name).id).map((row) => this.rows.toVersion(row));
  }

  version(name: string, version: number): ModelVersion {
    return this.rows.toVersion(this.versionRow(name, version));
  }

  updateVersion(name: string, version: number, description: string): ModelVersion {
    const row = this.versionRow(name, version);
    if (description !== row.description) {
      this.db.transaction(() => {
        this.db.prepare('UPDATE model_versions SET description = ?, updated_at = ? WHERE id = ?').run(description, Date.now(), row.id);
        this.event(name, version, 'description', row.description, description);
      })();
      this.didChange.fire({ name });
    }
    return this.version(name, version);
  }

  deleteVersion(name: string, version: number): void {
    const row = this.versionRow(name, version);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM model_versions WHERE id = ?').run(row.id);
      this.db.prepare('UPDATE registered_models SET updated_at = ? WHERE id = ?').run(Date.now(), row.model_id);
      this.event(name, version, 'delete_version', null, null);
    })();
    this.didChange.fire({ name });
  }

  /**
   * Moves a version to a stage. With `archiveExisting` (Staging or Production only, as MLflow
   * requires), the other versions in that stage move to Archived in the same transaction.
   */
  transitionStage(name: string, version: number, stage: string, archiveExisting = false): ModelVersion {
    const target = canonicalStage(stage);
    if (archiveExisting && target !== 'Staging' && target !== 'Production') throw invalid(`archive_existing_versions only applies when moving to Staging or Production, not ${target}.`);
    const row = this.versionRow(name, version);
    const now = Date.now();
    this.db.transaction(() => {
      if (archiveExisting) {
        // Team sync replays this move with its flag (sync/events/registry-collect.ts): the
        // archive events below say only what it archived here, not what it archives elsewhere.
        this.event(name, version, 'archive_existing', null, target);
        const others = this.db.prepare('SELECT id, version FROM model_versions WHERE model_id = ? AND stage = ? AND id != ?').all(row.model_id, target, row.id) as Array<{ id: number; version: number }>;
        for (const other of others) {
          this.db.prepare("UPDATE model_versions SET stage = 'Archived', updated_at = ? WHERE id = ?").run(now, other.id);
          this.event(name, other.version, 'stage', target, 'Archived');
        }
      }
      if (row.stage !== target) {
        this.db.prepare('UPDATE model_versions SET stage = ?, updated_at = ? WHERE id = ?').run(target, now, row.id);
        this.event(name, version, 'stage', row.stage, target);
      }
      this.db.prepare('UPDATE registered_models SET updated_at = ? WHERE id = ?').run(now, row.model_id);
    })();
    this.didChange.fire({ name });
    return this.version(name, version);
  }

  /** Points an alias at a version; an alias held by another version moves. */
  setAlias(name: string, alias: string, version: number): void {
    checkAlias(alias);
    const row = this.versionRow(name, version);
    const previous = this.db.prepare('SELECT v.version FROM model_aliases a JOIN model_versions v ON v.id = a.version_id WHERE a.model_id = ? AND a.alias = ?').get(row.model_id, alias) as { version: number } | undefined;
    if (previous?.version === version) return;
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO model_aliases (model_id, alias, version_id) VALUES (?, ?, ?) ON CONFLICT (model_id, alias) DO UPDATE SET version_id = excluded.version_id').run(row.model_id, alias, row.id);
      this.db.prepare('UPDATE registered_models SET updated_at = ? WHERE id = ?').run(Date.now(), row.model_id);
      this.event(name, version, 'alias', previous ? `@${alias} on v${previous.version}` : null, `@${alias}`);
    })();
    this.didChange.fire({ name });
  }

  deleteAlias(name: string, alias: string): void {
    const model = this.model(name);
    const held = this.db.prepare('SELECT v.version FROM model_aliases a JOIN model_versions v ON v.id = a.version_id WHERE a.model_id = ? AND a.alias = ?').get(model.id, alias) as { version: number } | undefined;
    if (!held) throw invalid(`Registered model '${name}' has no alias '${alias}'.`);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM model_aliases WHERE model_id = ? AND alias = ?').run(model.id, alias);
      this.event(name, held.version, 'alias', `@${alias}`, null);
    })();
    this.didChange.fire({ name });
  }

  /** MLflow's GET alias: an unknown alias is INVALID_PARAMETER_VALUE, not 404 (MLFLOW.md §2). */
  versionByAlias(name: string, alias: string): ModelVersion {
    const model = this.model(name);
    const row = this.db.prepare(`SELECT ${versionColumnsForAlias} WHERE a.model_id = ? AND a.alias = ?`).get(model.id, alias) as VersionRow | undefined;
    if (!row) throw invalid(`Registered model '${name}' has no alias '${alias}'.`);
    return this.rows.toVersion(row);
  }

  /** The newest version in each of `stages` (all stages when empty), as MLflow's get-latest-versions. */
  latestVersions(name: string, stages: readonly string[] = []): ModelVersion[] {
    const wanted = stages.map(canonicalStage);
    return this.get(name).latestVersions.filter((version) => wanted.length === 0 || wanted.includes(version.stage));
  }

  history(name: string): RegistryEvent[] {
    const events = this.rows.events(name);
    if (events.length === 0) this.model(name);
    return events;
  }

  /** `models:/name/3`, `models:/name/Production`, `models:/name/latest`, `models:/name@alias`, `runs:/<id>/<path>`. */
  resolve(uri: string): ResolvedModel & { files: Array<{ relpath: string; md5: string; size: number }> } {
    const parsed = parseModelUri(uri);
    if (parsed.kind === 'run') {
      const files = this.deps.artifacts.files(parsed.runId, parsed.artifactPath);
      if (files.length === 0) throw notFound(`Run ${parsed.runId} has nothing under '${parsed.artifactPath}/'.`);
      return { uri, version: null, runId: parsed.runId, artifactPath: parsed.artifactPath, files };
    }
    let version: ModelVersion;
    if (parsed.kind === 'version') version = this.version(parsed.name, parsed.version);
    else if (parsed.kind === 'alias') version = this.versionByAlias(parsed.name, parsed.alias);
    else if (parsed.kind === 'latest') {
      const newest = this.rows.versionRows(this.model(parsed.name).id)[0];
      if (!newest) throw notFound(`Registered model '${parsed.name}' has no versions.`);
      version = this.rows.toVersion(newest);
    } else {
      const found = this.latestVersions(parsed.name, [parsed.stage])[0];
      if (!found) throw notFound(`No version of '${parsed.name}' is in stage ${parsed.stage}.`);
      version = found;
    }
    const row = this.versionRow(version.name, version.version);
    const files = this.db.prepare('SELECT relpath, md5, size FROM model_version_files WHERE version_id = ? ORDER BY relpath').all(row.id) as Array<{ relpath: string; md5: string; size: number }>;
    return { uri, version, runId: version.runId, artifactPath: version.artifactPath, files };
  }

  /**
   * Absolute path of the model.onnx a URI resolves to, for serving and evaluation. A version of
   * another MLflow flavor (registered through the REST API or imported) has none: the error says
   * so and names its flavors.
   */
  modelFile(uri: string): string {
    const resolved = this.resolve(uri);
    const onnx = resolved.files.find((file) => file.relpath === 'model.onnx');
    if (!onnx) {
      const mlmodel = resolved.files.find((file) => file.relpath === 'MLmodel');
      const flavors = (mlmodel ? this.readMlmodel(mlmodel.md5).flavors : null)?.filter((flavor) => flavor !== 'python_function') ?? [];
      const what = flavors.length > 0 ? `an MLflow ${flavors.join(' + ')} model` : 'a model';
      throw invalid(`${uri} is ${what} without model.onnx: only ONNX models can be served or evaluated by Trainyard. Log it with mlflow.onnx.log_model (file model.onnx) to serve or evaluate it here.`);
    }
    // Beside model.onnx only MLflow's metadata: the object itself is the model.
    const siblings = resolved.files.filter((file) => file.relpath !== 'model.onnx' && !metadataFiles.has(file.relpath));
    if (siblings.length === 0 || !this.deps.cacheDir) return this.deps.objects.pathOf(onnx.md5);
    // Tensors saved as external data (mlflow.onnx's default) are found relative to model.onnx:
    // lay the directory out once, as hard links to the stored objects (copies across devices).
    const key = createHash('md5').update(resolved.files.map((file) => `${file.relpath}:${file.md5}`).sort().join('\n')).digest('hex');
    const dir = join(this.deps.cacheDir, key);
    const model = join(dir, 'model.onnx');
    if (existsSync(model)) return model;
    const temp = `${dir}.tmp-${process.pid}-${Date.now()}`;
    for (const file of resolved.files) {
      const target = join(temp, ...file.relpath.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      try {
        linkSync(this.deps.objects.pathOf(file.md5), target);
      } catch {
        copyFileSync(this.deps.objects.pathOf(file.md5), target);
      }
    }
    try {
      renameSync(temp, dir);
    } catch {
      rmSync(temp, { recursive: true, force: true }); // another call laid it out first
    }
    return model;
  }

  /** The MLflow flavors a version's MLmodel lists (empty when it has no MLmodel), e.g. ['python_function', 'sklearn']. */
  flavors(name: string, version: number): string[] {
    const row = this.db.prepare('SELECT v.mlflow_flavors FROM model_versions v JOIN registered_models m ON m.id = v.model_id WHERE m.name = ? AND v.version = ?').get(name, version) as { mlflow_flavors: string | null } | undefined;
    if (!row) this.versionRow(name, version);
    return row?.mlflow_flavors ? (JSON.parse(row.mlflow_flavors) as string[]) : [];
  }

  /** The files a version registered (its frozen model directory), relative to the directory. */
  versionFiles(name: string, version: number): Array<{ relpath: string; md5: string; size: number }> {
    const row = this.versionRow(name, version);
    return this.db.prepare('SELECT relpath, md5, size FROM model_version_files WHERE version_id = ? ORDER BY relpath').all(row.id) as Array<{ relpath: string; md5: string; size: number }>;
  }

  /** Objects registered versions keep alive (for garbage collection). */
  referencedHashes(): Set<string> {
    const rows = this.db.prepare('SELECT DISTINCT md5 FROM model_version_files').all() as Array<{ md5: string }>;
    return new Set(rows.map((row) => row.md5));
  }

  private model(name: string) {
    const row = this.rows.modelRow(name);
    if (!row) throw notFound(`No registered model named '${name}'.`);
    return row;
  }

  private versionRow(name: string, version: number): VersionRow {
    const row = this.rows.versionRow(name, version);
    if (!row) {
      this.model(name);
      throw notFound(`Registered model '${name}' has no version ${version}.`);
    }
    return row;
  }

  private tagChange(name: string, version: number | undefined, key: string, value: string | null): void {
    if (key.trim() === '') throw invalid('A tag needs a key.');
    const now = Date.now();
    this.db.transaction(() => {
      if (version === undefined) {
        const model = this.model(name);
        if (value === null) this.db.prepare('DELETE FROM registered_model_tags WHERE model_id = ? AND key = ?').run(model.id, key);
        else this.db.prepare('INSERT INTO registered_model_tags (model_id, key, value) VALUES (?, ?, ?) ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value').run(model.id, key, value);
        this.db.prepare('UPDATE registered_models SET updated_at = ? WHERE id = ?').run(now, model.id);
      } else {
        const row = this.versionRow(name, version);
        if (value === null) this.db.prepare('DELETE FROM model_version_tags WHERE version_id = ? AND key = ?').run(row.id, key);
        else this.db.prepare('INSERT INTO model_version_tags (version_id, key, value) VALUES (?, ?, ?) ON CONFLICT (version_id, key) DO UPDATE SET value = excluded.value').run(row.id, key, value);
        this.db.prepare('UPDATE model_versions SET updated_at = ? WHERE id = ?').run(now, row.id);
      }
      this.event(name, version ?? null, value === null ? 'delete_tag' : 'tag', key, value);
    })();
    this.didChange.fire({ name });
  }

  private event(name: string, version: number | null, kind: string, from: string | null, to: string | null): void {
    this.db.prepare('INSERT INTO registry_events (model_name, version, kind, from_value, to_value, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(name, version, kind, from, to, actor, Date.now());
  }

  /** The signature, task and flavors an MLmodel states (signature as JSON strings inside YAML, as MLflow writes them). */
  private readMlmodel(md5: string): { signature: ModelSignature | null; task: string | null; flavors: string[] | null } {
    let doc: { signature?: { inputs?: string; outputs?: string }; metadata?: Record<string, unknown>; flavors?: unknown } | null;
    try {
      doc = parseYaml(readFileSync(this.deps.objects.pathOf(md5), 'utf8')) as typeof doc;
    } catch {
      // An MLmodel we cannot read does not stop registration: the version simply has no signature.
      return { signature: null, task: null, flavors: null };
    }
    const flavors = doc?.flavors && typeof doc.flavors === 'object' ? Object.keys(doc.flavors).sort() : null;
    const task = typeof doc?.metadata?.['trainyard.task'] === 'string' ? (doc.metadata['trainyard.task'] as string) : null;
    let signature: ModelSignature | null = null;
    try {
      signature = doc?.signature?.inputs && doc.signature.outputs ? signatureSchema.parse({ inputs: JSON.parse(doc.signature.inputs), outputs: JSON.parse(doc.signature.outputs) }) : null;
    } catch {
      // A signature we cannot read (another MLflow version's spec) leaves the version without one.
    }
    return { signature, task, flavors };
  }
}

const versionColumnsForAlias = `v.id, v.model_id, m.name, v.version, v.run_id, v.source, v.artifact_path, v.signature, v.flavor, v.stage,
  v.description, v.created_at, v.updated_at, v.created_by FROM model_aliases a JOIN model_versions v ON v.id = a.version_id JOIN registered_models m ON m.id = v.model_id`;

export type { ModelStage };
