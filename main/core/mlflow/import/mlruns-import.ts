/**
 * `trainyard import mlflow <mlruns folder | tracking URI>`: copies an MLflow store into Trainyard
 * through the services, so a team moves over with its history. The store is read through
 * `MlflowSource` (mlflow-source.ts): a FileStore folder (mlruns-reader.ts) or a running server's
 * REST API (rest-reader.ts); everything below holds for both.
 *
 * - Experiments are matched by name (MLflow's "Default" lands in ours); new ones are created
 *   with their tags.
 * - Runs keep their MLflow ids when free; a clash gets a new id and the tag
 *   `mlflow.import.source_run_id`. Params, tags, every metric point (full history, timestamps
 *   and steps kept), start/end times, status and nesting (`mlflow.parentRunId`) are copied in
 *   one transaction per run; artifacts follow.
 * - Registered models are created by name; versions keep MLflow's numbers where the model has
 *   not used them yet (else they get the next ones and the tag `mlflow.import.source_version`),
 *   with stage, tags and description; their source is rewritten to the imported run. Aliases
 *   follow. Versions of any flavor are accepted (`allowNonOnnx`), as MLflow accepts them.
 * - Deleted experiments and runs (MLflow's trash) are left out and counted.
 *
 * Importing again skips what is already there (runs by id or source-id tag, versions by number
 * and run or source-version tag) and only fills in artifacts a previous, interrupted import
 * did not copy.
 */
import type { RunStatus } from '../../../../shared/tracking';
import type { Database } from '../../db/database';
import type { RegistryService } from '../../registry/registry-service';
import type { ArtifactService } from '../../tracking/artifact-service';
import type { ExperimentService } from '../../tracking/experiment-service';
import type { TrackingService } from '../../tracking/tracking-service';
import { canonicalStage } from '../../registry/names';
import { parseModelSource } from '../registry-source';
import type { MlflowSource, SourceExperiment, SourceMetricPoint, SourceModel, SourceRun } from './mlflow-source';
import { MlrunsReader } from './mlruns-reader';
import { RestReader, type RestReaderOptions } from './rest-reader';

export interface MlflowImportDeps {
  readonly db: Database;
  readonly experiments: ExperimentService;
  readonly tracking: TrackingService;
  readonly artifacts: ArtifactService;
  readonly registry: RegistryService;
}

/** What an import did; a second import of the same folder reports everything as already there. */
export interface MlflowImportReport {
  readonly source: string;
  readonly experiments: { created: number; merged: number; skippedDeleted: number };
  readonly runs: { imported: number; alreadyThere: number; newIds: number; skippedDeleted: number };
  readonly params: number;
  readonly tags: number;
  readonly metricPoints: number;
  readonly artifacts: number;
  readonly models: { created: number; alreadyThere: number };
  readonly versions: { imported: number; alreadyThere: number; skipped: number };
  readonly aliases: number;
  /** Things left out, each with its reason. */
  readonly warnings: string[];
}

export const sourceRunTag = 'mlflow.import.source_run_id';
export const sourceVersionTag = 'mlflow.import.source_version';

/** Metric points per logBatch call inside a run's transaction (bounds the in-memory aggregation). */
const metricChunk = 10_000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

export interface MlflowImportOptions {
  readonly onProgress?: (message: string) => void;
}

/** Imports an MLflow FileStore folder (`mlruns/`). */
export async function importMlruns(deps: MlflowImportDeps, folder: string, options: MlflowImportOptions = {}): Promise<MlflowImportReport> {
  return importMlflowSource(deps, new MlrunsReader(folder), options);
}

/** Imports from a running MLflow tracking server (`http(s)://host:port[/prefix]`) over its REST API. */
export async function importMlflowServer(deps: MlflowImportDeps, trackingUri: string, options: MlflowImportOptions & RestReaderOptions = {}): Promise<MlflowImportReport> {
  return importMlflowSource(deps, new RestReader(trackingUri, options), options);
}

export async function importMlflowSource<Experiment extends SourceExperiment, Run extends SourceRun>(
  deps: MlflowImportDeps,
  reader: MlflowSource<Experiment, Run>,
  options: MlflowImportOptions = {},
): Promise<MlflowImportReport> {
  const report: Mutable<MlflowImportReport> = {
    source: reader.location,
    experiments: { created: 0, merged: 0, skippedDeleted: 0 },
    runs: { imported: 0, alreadyThere: 0, newIds: 0, skippedDeleted: 0 },
    params: 0,
    tags: 0,
    metricPoints: 0,
    artifacts: 0,
    models: { created: 0, alreadyThere: 0 },
    versions: { imported: 0, alreadyThere: 0, skipped: 0 },
    aliases: 0,
    warnings: [],
  };
  const progress = options.onProgress ?? (() => {});

  // Runs already imported under a new id, by MLflow id.
  const tagged = new Map(
    (deps.db.prepare('SELECT t.value AS source, r.id FROM tags t JOIN runs r ON r.pk = t.run_pk WHERE t.key = ?').all(sourceRunTag) as Array<{ source: string; id: string }>).map((row) => [row.source, row.id]),
  );

  // Experiments by name; runs indexed across all of them so a parent is imported before its children.
  const pending = new Map<string, { run: Run; experimentId: string }>();
  for (const experiment of await reader.experiments()) {
    if (experiment.deleted) {
      report.experiments.skippedDeleted++;
      report.runs.skippedDeleted += (await reader.runs(experiment)).length;
      continue;
    }
    let target = deps.experiments.getByName(experiment.name);
    if (target && target.lifecycleStage !== 'active') {
      report.warnings.push(`Experiment '${experiment.name}' is in Trainyard's trash; restore it to import its runs. Skipped.`);
      continue;
    }
    if (target) {
      // A merged experiment gains the tags it lacks; its own values win.
      for (const [key, value] of Object.entries(experiment.tags)) if (!(key in target.tags)) deps.experiments.setTag(target.id, key, value);
      report.experiments.merged++;
    } else {
      target = deps.experiments.create(experiment.name, experiment.tags);
      report.experiments.created++;
    }
    for (const run of await reader.runs(experiment)) {
      if (run.deleted) report.runs.skippedDeleted++;
      else pending.set(run.id, { run, experimentId: target.id });
    }
  }

  /** MLflow run id → Trainyard run id, for every run imported now or before. */
  const mapped = new Map<string, string>();
  const importRun = async (sourceId: string, chain: ReadonlySet<string> = new Set()): Promise<string | null> => {
    const known = mapped.get(sourceId);
    if (known !== undefined) return known;
    const entry = pending.get(sourceId);
    if (!entry || chain.has(sourceId)) return null;
    const { run, experimentId } = entry;
    const tags = await reader.tags(run);
    const parentSource = tags.find((tag) => tag.key === 'mlflow.parentRunId')?.value;
    const parentId = parentSource ? await importRun(parentSource, new Set([...chain, sourceId])) : null;

    const existing = existingRun(deps, run, tagged);
    if (existing) {
      mapped.set(sourceId, existing);
      report.runs.alreadyThere++;
      await copyArtifacts(deps, reader, run, existing, report, true);
      return existing;
    }
    const keepId = /^[0-9a-f]{32}$/.test(run.id) && !runExists(deps, run.id);
    const params = await reader.params(run);
    const name = run.name ?? tags.find((tag) => tag.key === 'mlflow.runName')?.value ?? null;
    // A run's name and parent are fields here, and the MLflow API derives these two tags from
    // them; stored copies would go stale on a rename. A parent that was not imported stays a tag.
    const kept = tags.filter((tag) => tag.key !== 'mlflow.runName' && !(tag.key === 'mlflow.parentRunId' && parentId));
    const runTags = keepId ? kept : [...kept, { key: sourceRunTag, value: run.id }];
    // The run's whole history is read before its transaction, which cannot span an await (a REST
    // source answers asynchronously). One transaction per run is what makes an interrupted import
    // safe to repeat: a run is either there with all its points or not there at all.
    const histories: SourceMetricPoint[][] = [];
    for (const key of await reader.metricKeys(run)) histories.push(await reader.metricPoints(run, key));
    let pointCount = 0;
    const targetId = deps.db.transaction(() => {
      const created = deps.tracking.createRun(
        { experimentId, startTime: run.startTime, params, tags: runTags, ...(name ? { name } : {}), ...(parentId ? { parentRunId: parentId } : {}) },
        { ...(keepId ? { id: run.id } : {}), environment: null },
      );
      // Logged in chunks, all in the run's transaction.
      for (const points of histories) {
        for (let start = 0; start < points.length; start += metricChunk) deps.tracking.logBatch({ runId: created.id, metrics: points.slice(start, start + metricChunk) });
        pointCount += points.length;
      }
      if (run.status !== 'RUNNING') deps.tracking.endRun(created.id, run.status as Exclude<RunStatus, 'RUNNING'>, run.endTime ?? run.startTime);
      return created.id;
    })();
    mapped.set(sourceId, targetId);
    report.runs.imported++;
    if (!keepId) report.runs.newIds++;
    report.params += params.length;
    report.tags += runTags.length;
    report.metricPoints += pointCount;
    await copyArtifacts(deps, reader, run, targetId, report, false);
    progress(`run ${run.id} → ${targetId} (${pointCount} metric points)`);
    return targetId;
  };
  for (const sourceId of pending.keys()) await importRun(sourceId);

  for (const model of await reader.models()) importModel(deps, model, mapped, report, reader.label);
  report.warnings.push(...reader.warnings);
  return report;
}

function existingRun(deps: MlflowImportDeps, run: SourceRun, tagged: ReadonlyMap<string, string>): string | null {
  const byTag = tagged.get(run.id);
  if (byTag && runExists(deps, byTag)) return byTag;
  if (!runExists(deps, run.id)) return null;
  // Same id and same start: this run, imported before. Same id, other start: a clash.
  return deps.tracking.getRunInfo(run.id).startTime === run.startTime ? run.id : null;
}

function runExists(deps: MlflowImportDeps, id: string): boolean {
  try {
    deps.tracking.pkOf(id);
    return true;
  } catch {
    return false;
  }
}

async function copyArtifacts<Run extends SourceRun>(deps: MlflowImportDeps, reader: MlflowSource<SourceExperiment, Run>, run: Run, targetId: string, report: Mutable<MlflowImportReport>, onlyMissing: boolean): Promise<void> {
  const files = await reader.artifactFiles(run);
  if (files.length === 0) return;
  const present = onlyMissing
    ? new Set((deps.db.prepare('SELECT a.path FROM artifacts a JOIN runs r ON r.pk = a.run_pk WHERE r.id = ?').all(targetId) as Array<{ path: string }>).map((row) => row.path))
    : new Set<string>();
  for (const relpath of files) {
    if (present.has(relpath)) continue;
    try {
      const artifact = await reader.openArtifact(run, relpath);
      if ('file' in artifact) await deps.artifacts.logFile(targetId, artifact.file, relpath);
      else await deps.artifacts.writeStream(targetId, relpath, artifact.stream);
      report.artifacts++;
    } catch (error) {
      report.warnings.push(`Run ${run.id}: artifact '${relpath}' not copied: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function importModel(deps: MlflowImportDeps, model: SourceModel, runs: ReadonlyMap<string, string>, report: Mutable<MlflowImportReport>, sourceLabel: string): void {
  const { registry } = deps;
  if (registry.rows.modelRow(model.name)) report.models.alreadyThere++;
  else {
    try {
      registry.create(model.name, { description: model.description, tags: model.tags });
      report.models.created++;
    } catch (error) {
      report.warnings.push(`Registered model '${model.name}' not imported: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
  }
  /** MLflow version number → ours. */
  const numbers = new Map<number, number>();
  for (const version of model.versions) {
    const label = `${model.name} v${version.version}`;
    const ref = parseModelSource(version.source, version.runId);
    const sourceRun = version.runId ?? ref?.runId ?? null;
    const targetRun = sourceRun ? runs.get(sourceRun) : undefined;
    if (!ref || !targetRun || (version.runId && ref.runId !== version.runId)) {
      report.versions.skipped++;
      report.warnings.push(
        !ref
          ? `${label}: its source '${version.source}' is not inside a run's artifacts; not imported.`
          : `${label}: its run ${sourceRun} was not imported (deleted, or not in ${sourceLabel}); not imported.`,
      );
      continue;
    }
    const existing = registry.versions(model.name).find((candidate) => candidate.tags[sourceVersionTag] === String(version.version) || (candidate.version === version.version && candidate.runId === targetRun && candidate.artifactPath === ref.artifactPath));
    if (existing) {
      numbers.set(version.version, existing.version);
      report.versions.alreadyThere++;
      continue;
    }
    if (ref.artifactPath === '') {
      report.versions.skipped++;
      report.warnings.push(`${label}: its source is the run's whole artifact root; Trainyard registers a model folder inside a run. Not imported.`);
      continue;
    }
    let stage: string | undefined;
    try {
      stage = canonicalStage(version.stage);
    } catch {
      report.warnings.push(`${label}: unknown stage '${version.stage}', imported in stage None.`);
    }
    const keepNumber = version.version >= registry.rows.modelRow(model.name)!.next_version;
    try {
      const created = registry.register(targetRun, model.name, {
        artifactPath: ref.artifactPath,
        description: version.description,
        tags: keepNumber ? version.tags : { ...version.tags, [sourceVersionTag]: String(version.version) },
        allowNonOnnx: true,
        ...(keepNumber ? { version: version.version } : {}),
        ...(stage && stage !== 'None' ? { stage } : {}),
      });
      numbers.set(version.version, created.version);
      report.versions.imported++;
    } catch (error) {
      report.versions.skipped++;
      report.warnings.push(`${label}: not imported: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const [alias, mlflowVersion] of Object.entries(model.aliases)) {
    const ours = numbers.get(mlflowVersion);
    if (ours === undefined) {
      report.warnings.push(`${model.name}@${alias}: version ${mlflowVersion} was not imported, so neither was the alias.`);
      continue;
    }
    try {
      if (registry.version(model.name, ours).aliases.includes(alias)) continue;
      registry.setAlias(model.name, alias, ours);
      report.aliases++;
    } catch (error) {
      report.warnings.push(`${model.name}@${alias}: not imported: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
