/**
 * Reads an MLflow FileStore folder (`mlruns/`) as MLflow 2.x writes it (`store/tracking/
 * file_store.py`, `store/model_registry/file_store.py`):
 *
 *     mlruns/<exp id>/meta.yaml                 experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time
 *     mlruns/<exp id>/tags/<key>                experiment tags (one file per key; '/' in a key is a folder)
 *     mlruns/<exp id>/<run id>/meta.yaml        run_id, run_uuid, run_name, experiment_id, user_id, status (1 RUNNING … 5 KILLED),
 *                                               start_time, end_time, lifecycle_stage, artifact_uri, deleted_time, tags: []
 *     mlruns/<exp id>/<run id>/params/<key>     the value, no newline
 *     mlruns/<exp id>/<run id>/metrics/<key>    one line per point: "<timestamp ms> <value> <step>" (old stores: no step)
 *     mlruns/<exp id>/<run id>/tags/<key>
 *     mlruns/<exp id>/<run id>/artifacts/…
 *     mlruns/.trash/<exp id>/…                  deleted experiments
 *     mlruns/models/<name>/meta.yaml            name, creation_timestamp, last_updated_timestamp, description
 *     mlruns/models/<name>/tags/<key>, aliases/<alias> (the file holds the version number)
 *     mlruns/models/<name>/version-<n>/meta.yaml  version, current_stage (Deleted_Internal once deleted), source, run_id, description, …
 *     mlruns/models/<name>/version-<n>/tags/<key>
 *
 * Meta files are PyYAML output, so they are parsed as YAML 1.1 (what PyYAML quotes and what it
 * leaves bare agree with that version, not with 1.2).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { invalid } from '../../../../shared/errors';
import type { RunStatus } from '../../../../shared/tracking';
import type { MlflowSource, SourceArtifact, SourceExperiment, SourceMetricPoint, SourceModel, SourceRun, SourceVersion } from './mlflow-source';

export interface MlrunsExperiment extends SourceExperiment {
  readonly dir: string;
}

export interface MlrunsRun extends SourceRun {
  readonly dir: string;
}

export type MlrunsMetricPoint = SourceMetricPoint;
export type MlrunsModel = SourceModel;
export type MlrunsVersion = SourceVersion;

/** MLflow's RunStatus enum as FileStore writes it (an int), or its name. */
const statusByNumber: Record<string, RunStatus> = { '1': 'RUNNING', '2': 'RUNNING', '3': 'FINISHED', '4': 'FAILED', '5': 'KILLED' };
const reservedExperimentFolders = new Set(['tags', 'datasets', 'traces', 'models']);

export class MlrunsReader implements MlflowSource<MlrunsExperiment, MlrunsRun> {
  /** Things the reader skipped, for the import report. */
  readonly warnings: string[] = [];
  readonly label = 'this mlruns folder';
  /** Run id → its artifact folder, as `artifactFiles` found it. */
  private readonly artifactDirs = new Map<string, string>();

  readonly location: string;

  constructor(readonly root: string) {
    this.location = root;
    if (!existsSync(root) || !statSync(root).isDirectory()) throw invalid(`'${root}' is not a folder.`);
    const looksLikeStore = existsSync(join(root, 'models')) || subfolders(root).some((name) => existsSync(join(root, name, 'meta.yaml')));
    if (!looksLikeStore) throw invalid(`'${root}' is not an MLflow mlruns folder: it has no <experiment id>/meta.yaml and no models/ folder.`);
  }

  experiments(): MlrunsExperiment[] {
    const found: MlrunsExperiment[] = [];
    const read = (parent: string, trashed: boolean) => {
      for (const name of subfolders(parent)) {
        if (name.startsWith('.') || (!trashed && name === 'models')) continue;
        const dir = join(parent, name);
        const meta = readMeta(dir);
        if (!meta) continue;
        const id = text(meta['experiment_id']) ?? name;
        if (id !== name) {
          this.warnings.push(`Experiment folder ${name} says it is experiment ${id}; skipped, as MLflow does.`);
          continue;
        }
        found.push({ id, name: text(meta['name']) ?? `experiment ${id}`, deleted: trashed || meta['lifecycle_stage'] === 'deleted', tags: readTagFiles(join(dir, 'tags')), dir });
      }
    };
    read(this.root, false);
    if (existsSync(join(this.root, '.trash'))) read(join(this.root, '.trash'), true);
    return found.sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
  }

  runs(experiment: MlrunsExperiment): MlrunsRun[] {
    const runs: MlrunsRun[] = [];
    for (const name of subfolders(experiment.dir)) {
      if (reservedExperimentFolders.has(name)) continue;
      const dir = join(experiment.dir, name);
      const meta = readMeta(dir);
      if (!meta) continue;
      const id = text(meta['run_id']) ?? text(meta['run_uuid']) ?? name;
      const status = statusByNumber[text(meta['status']) ?? '1'] ?? (text(meta['status']) as RunStatus | null) ?? 'RUNNING';
      runs.push({
        id,
        experimentId: text(meta['experiment_id']) ?? experiment.id,
        name: text(meta['run_name']) || null,
        status: ['RUNNING', 'FINISHED', 'FAILED', 'KILLED'].includes(status) ? status : 'RUNNING',
        startTime: integer(meta['start_time']) ?? 0,
        endTime: integer(meta['end_time']),
        deleted: experiment.deleted || meta['lifecycle_stage'] === 'deleted',
        artifactUri: text(meta['artifact_uri']),
        dir,
      });
    }
    return runs;
  }

  params(run: MlrunsRun): Array<{ key: string; value: string }> {
    return Object.entries(readTagFiles(join(run.dir, 'params'))).map(([key, value]) => ({ key, value }));
  }

  tags(run: MlrunsRun): Array<{ key: string; value: string }> {
    return Object.entries(readTagFiles(join(run.dir, 'tags'))).map(([key, value]) => ({ key, value }));
  }

  /** The run's metric keys ('/' in a key is a folder in the store). */
  metricKeys(run: MlrunsRun): string[] {
    return filesUnder(join(run.dir, 'metrics'));
  }

  /** Every point of one metric, in file order: the full history, not just the latest value. */
  metricPoints(run: MlrunsRun, key: string): MlrunsMetricPoint[] {
    const points: MlrunsMetricPoint[] = [];
    const lines = readFileSync(join(run.dir, 'metrics', ...key.split('/')), 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      const parts = line.trim().split(/\s+/);
      const timestamp = Number(parts[0]);
      const value = parseMetricValue(parts[1]);
      const step = parts.length >= 3 ? Number(parts[2]) : 0;
      if ((parts.length !== 2 && parts.length !== 3) || !Number.isInteger(timestamp) || value === null || !Number.isInteger(step)) {
        this.warnings.push(`Run ${run.id}: metric '${key}' line ${index + 1} ('${line.slice(0, 60)}') is not "<timestamp> <value> <step>"; skipped.`);
        return;
      }
      points.push({ key, value, timestamp, step });
    });
    return points;
  }

  artifactFiles(run: MlrunsRun): string[] {
    const dir = this.artifactDir(run);
    if (!dir) return [];
    this.artifactDirs.set(run.id, dir);
    return filesUnder(dir);
  }

  openArtifact(run: MlrunsRun, path: string): SourceArtifact {
    const dir = this.artifactDirs.get(run.id) ?? this.artifactDir(run);
    if (!dir) throw invalid(`Run ${run.id} has no artifact folder.`);
    return { file: join(dir, ...path.split('/')) };
  }

  /** Where the run's artifacts are on disk: `<run>/artifacts`, else a local `file:` artifact_uri; null when neither exists. */
  artifactDir(run: MlrunsRun): string | null {
    const local = join(run.dir, 'artifacts');
    if (existsSync(local)) return local;
    if (run.artifactUri?.startsWith('file:')) {
      try {
        const path = fileURLToPath(run.artifactUri);
        if (existsSync(path)) return path;
      } catch {
        // A malformed file URI is the same as none.
      }
    }
    if (run.artifactUri && !run.artifactUri.startsWith('file:') && !run.artifactUri.startsWith('/')) {
      this.warnings.push(`Run ${run.id}: artifacts live at ${run.artifactUri}, outside the mlruns folder; they were not copied.`);
    }
    return null;
  }

  models(): MlrunsModel[] {
    const base = join(this.root, 'models');
    if (!existsSync(base)) return [];
    const models: MlrunsModel[] = [];
    for (const folder of subfolders(base)) {
      const dir = join(base, folder);
      const meta = readMeta(dir);
      if (!meta) continue;
      const versions: MlrunsVersion[] = [];
      for (const child of subfolders(dir)) {
        if (!/^version-\d+$/.test(child)) continue;
        const versionMeta = readMeta(join(dir, child));
        if (!versionMeta) continue;
        const stage = text(versionMeta['current_stage']) ?? 'None';
        // FileStore keeps a deleted version's folder (numbers are never reused) with this stage.
        if (stage === 'Deleted_Internal') continue;
        versions.push({
          version: integer(versionMeta['version']) ?? Number(child.slice('version-'.length)),
          stage,
          source: text(versionMeta['source']) ?? '',
          runId: text(versionMeta['run_id']) || null,
          description: text(versionMeta['description']) ?? '',
          tags: readTagFiles(join(dir, child, 'tags')),
        });
      }
      const aliases: Record<string, number> = {};
      for (const [alias, value] of Object.entries(readTagFiles(join(dir, 'aliases')))) {
        if (/^\d+$/.test(value.trim())) aliases[alias] = Number(value.trim());
      }
      models.push({
        name: text(meta['name']) ?? folder,
        description: text(meta['description']) ?? '',
        tags: readTagFiles(join(dir, 'tags')),
        aliases,
        versions: versions.sort((a, b) => a.version - b.version),
      });
    }
    return models.sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** Python's `str(float)`: `0.5`, `1e-05`, `nan`, `inf`, `-inf`. */
export function parseMetricValue(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const lower = raw.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === 'inf' || lower === 'infinity' || lower === '+inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  const value = Number(raw);
  return raw.trim() === '' || Number.isNaN(value) ? null : value;
}

function readMeta(dir: string): Record<string, unknown> | null {
  const file = join(dir, 'meta.yaml');
  if (!existsSync(file)) return null;
  try {
    const doc = parseYaml(readFileSync(file, 'utf8'), { version: '1.1' }) as unknown;
    return doc && typeof doc === 'object' ? (doc as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A folder of one-file-per-key values (tags, params, aliases); keys with '/' are nested folders. */
function readTagFiles(dir: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of filesUnder(dir)) values[key] = readFileSync(join(dir, ...key.split('/')), 'utf8');
  return values;
}

/** Regular files below `dir`, as '/'-joined relative paths, sorted; [] when `dir` does not exist. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(folder, entry.name), rel);
      else if (entry.isFile()) found.push(rel);
    }
  };
  walk(dir, '');
  return found.sort();
}

function subfolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}

function integer(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? Math.trunc(number) : null;
}
