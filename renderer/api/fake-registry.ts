import type { WorkbenchApi } from '../../shared/api';
import type { WorkbenchEvent } from '../../shared/events';
import type { ModelSignature, ModelStage, ModelVersion, RegisteredModel, RegistryEvent } from '../../shared/registry';
import { modelStages } from '../../shared/registry';
import { aliasProblem, archivesOthers, canonicalStage, modelNameProblem } from '../lib/model-names';
import { ApiError } from './api-error';

/** A version as the fake keeps it; aliases and inputs are derived when it is read, as the server does. */
interface StoredVersion extends Omit<ModelVersion, 'aliases' | 'inputs' | 'name'> {
  readonly files: readonly string[];
}

interface StoredModel {
  name: string;
  description: string;
  readonly createdAt: number;
  updatedAt: number;
  readonly createdBy: string;
  readonly tags: Record<string, string>;
  nextVersion: number;
  /** Oldest first. */
  readonly versions: StoredVersion[];
  /** Alias → version number. */
  readonly aliases: Map<string, number>;
}

/** The registry half of the fake back end, exposed so tests can look inside. */
export interface FakeRegistry {
  readonly models: Map<string, StoredModel>;
  /** Every change, oldest first, kept when models and versions go (as the server keeps them). */
  readonly events: RegistryEvent[];
}

/** What the registry needs from the rest of the fake: runs, their model files, and what they read. */
export interface RegistryDeps {
  runExists(runId: string): boolean;
  /** Files under `<artifactPath>/` of a run, relative to it, with their text. */
  modelFiles(runId: string, artifactPath: string): { relpath: string; content: string }[];
  inputsOf(runId: string): ModelVersion['inputs'];
}

/** The registry's operations (other `models.*` ones — importing, evaluating — need onnxruntime). */
type RegistryOperation = Extract<
  keyof WorkbenchApi,
  `models.${'list' | 'get' | 'create' | 'update' | 'delete' | 'setTag' | 'deleteTag' | 'register' | 'versions' | 'version' | 'updateVersion' | 'deleteVersion' | 'transitionStage' | 'setAlias' | 'deleteAlias' | 'history' | 'resolve'}`
>;

const actor = 'demo';
const invalid = (message: string): ApiError => new ApiError('INVALID_ARGUMENT', message);
const check = (problem: string | null): void => {
  if (problem) throw invalid(problem);
};

/**
 * An in-memory model registry with the server's semantics (registry-service.ts, after MLflow):
 * versions numbered per model and never reused, stages with archiveExisting, aliases that move,
 * reserved aliases, and a history event for every change.
 */
export function createFakeRegistry(emit: (event: WorkbenchEvent) => void, deps: RegistryDeps): { state: FakeRegistry; api: Pick<WorkbenchApi, RegistryOperation> } {
  const state: FakeRegistry = { models: new Map(), events: [] };
  const now = (): number => Date.now();
  const changed = (name: string): void => emit({ name: 'model.changed', payload: { name } });
  const record = (name: string, version: number | null, kind: string, from: string | null, to: string | null): void => {
    state.events.push({ id: state.events.length + 1, name, version, kind, from, to, actor, at: now() });
  };
  const model = (name: string): StoredModel => {
    const found = state.models.get(name);
    if (!found) throw new ApiError('NOT_FOUND', `No registered model named '${name}'.`);
    return found;
  };
  const stored = (name: string, version: number): StoredVersion => {
    const found = model(name).versions.find((entry) => entry.version === version);
    if (!found) throw new ApiError('NOT_FOUND', `Registered model '${name}' has no version ${version}.`);
    return found;
  };
  const toVersion = (owner: StoredModel, version: StoredVersion): ModelVersion => {
    const { files: _files, ...fields } = version;
    return {
      ...fields,
      name: owner.name,
      tags: { ...version.tags },
      aliases: [...owner.aliases].filter(([, number]) => number === version.version).map(([alias]) => alias).sort(),
      inputs: version.runId ? deps.inputsOf(version.runId) : [],
    };
  };
  const toModel = (owner: StoredModel): RegisteredModel => {
    const newestFirst = [...owner.versions].reverse();
    return {
      name: owner.name,
      description: owner.description,
      createdAt: owner.createdAt,
      updatedAt: owner.updatedAt,
      createdBy: owner.createdBy,
      tags: { ...owner.tags },
      aliases: [...owner.aliases].map(([alias, version]) => ({ alias, version })).sort((a, b) => a.alias.localeCompare(b.alias)),
      latestVersions: modelStages.flatMap((stage) => {
        const newest = newestFirst.find((version) => version.stage === stage);
        return newest ? [toVersion(owner, newest)] : [];
      }),
      versionCount: owner.versions.length,
    };
  };
  const stageOf = (stage: string): ModelStage => {
    const found = canonicalStage(stage);
    if (!found) throw invalid(`Invalid model version stage '${stage}': it must be one of ${modelStages.join(', ')}.`);
    return found;
  };
  const createModel = (name: string, description = ''): StoredModel => {
    check(modelNameProblem(name));
    if (state.models.has(name)) throw new ApiError('ALREADY_EXISTS', `A registered model named '${name}' already exists.`);
    const created: StoredModel = { name, description, createdAt: now(), updatedAt: now(), createdBy: actor, tags: {}, nextVersion: 1, versions: [], aliases: new Map() };
    state.models.set(name, created);
    record(name, null, 'create_model', null, null);
    return created;
  };
  const transition = (name: string, version: number, stage: string, archiveExisting: boolean): void => {
    const target = stageOf(stage);
    if (archiveExisting && !archivesOthers(target)) throw invalid(`archive_existing_versions only applies when moving to Staging or Production, not ${target}.`);
    const owner = model(name);
    const row = stored(name, version);
    if (archiveExisting) {
      for (const other of owner.versions) {
        if (other === row || other.stage !== target) continue;
        other.stage = 'Archived';
        other.updatedAt = now();
        record(name, other.version, 'stage', target, 'Archived');
      }
    }
    if (row.stage !== target) {
      record(name, version, 'stage', row.stage, target);
      row.stage = target;
      row.updatedAt = now();
    }
    owner.updatedAt = now();
  };
  const setAlias = (name: string, alias: string, version: number): void => {
    check(aliasProblem(alias));
    const owner = model(name);
    stored(name, version);
    const previous = owner.aliases.get(alias);
    if (previous === version) return;
    owner.aliases.set(alias, version);
    owner.updatedAt = now();
    record(name, version, 'alias', previous !== undefined ? `@${alias} on v${previous}` : null, `@${alias}`);
  };
  const tagChange = (name: string, version: number | undefined, key: string, value: string | null): void => {
    if (key.trim() === '') throw invalid('A tag needs a key.');
    const target = version === undefined ? model(name) : stored(name, version);
    if (value === null) delete target.tags[key];
    else target.tags[key] = value;
    target.updatedAt = now();
    record(name, version ?? null, value === null ? 'delete_tag' : 'tag', key, value);
    changed(name);
  };

  const api: Pick<WorkbenchApi, RegistryOperation> = {
    'models.list': async ({ filter }) => {
      const needle = (filter ?? '').toLowerCase();
      return [...state.models.values()]
        .filter((owner) => owner.name.toLowerCase().includes(needle))
        .sort((a, b) => b.updatedAt - a.updatedAt || a.name.localeCompare(b.name))
        .map(toModel);
    },
    'models.get': async ({ name }) => toModel(model(name)),
    'models.create': async ({ name, description }) => {
      const created = createModel(name, description);
      changed(name);
      return toModel(created);
    },
    'models.update': async ({ name, description, newName }) => {
      const owner = model(name);
      if (description !== undefined && description !== owner.description) {
        record(name, null, 'description', owner.description, description);
        owner.description = description;
        owner.updatedAt = now();
      }
      if (newName !== undefined && newName !== name) {
        check(modelNameProblem(newName));
        if (state.models.has(newName)) throw new ApiError('ALREADY_EXISTS', `A registered model named '${newName}' already exists.`);
        state.models.delete(name);
        owner.name = newName;
        owner.updatedAt = now();
        state.models.set(newName, owner);
        // The history follows the model under its new name.
        for (const [index, event] of state.events.entries()) if (event.name === name) state.events[index] = { ...event, name: newName };
        record(newName, null, 'rename', name, newName);
        changed(newName);
      }
      changed(name);
      return toModel(owner);
    },
    'models.delete': async ({ name }) => {
      model(name);
      state.models.delete(name);
      record(name, null, 'delete_model', null, null);
      changed(name);
      return { ok: true };
    },
    'models.setTag': async ({ name, version, key, value }) => {
      tagChange(name, version, key, value);
      return { ok: true };
    },
    'models.deleteTag': async ({ name, version, key }) => {
      tagChange(name, version, key, null);
      return { ok: true };
    },
    'models.register': async ({ name, runId, artifactPath: path = 'model', description, alias, stage, archiveExisting = false }) => {
      check(modelNameProblem(name));
      if (!deps.runExists(runId)) throw new ApiError('NOT_FOUND', `Run '${runId}' does not exist.`);
      const artifactPath = path.replace(/^\/+|\/+$/g, '');
      const files = deps.modelFiles(runId, artifactPath);
      if (!files.some((file) => file.relpath === 'model.onnx')) {
        throw invalid(
          files.length === 0
            ? `Run ${runId} has no model to register: there is nothing under '${artifactPath}/'. Train a model or import an .onnx file first.`
            : `Run ${runId} has no '${artifactPath}/model.onnx' (it has ${files.map((file) => file.relpath).join(', ')}); only ONNX models can be registered.`,
        );
      }
      if (alias !== undefined) check(aliasProblem(alias));
      const target = stage !== undefined ? stageOf(stage) : null;
      // Checked before anything is written, so a refused call leaves no version behind.
      if (target && archiveExisting && !archivesOthers(target)) throw invalid(`archive_existing_versions only applies when moving to Staging or Production, not ${target}.`);
      const owner = state.models.get(name) ?? createModel(name);
      const number = owner.nextVersion;
      const source = `runs:/${runId}/${artifactPath}`;
      const meta = readMlmodel(files.find((file) => file.relpath === 'MLmodel')?.content ?? null);
      owner.versions.push({
        version: number, runId, source, artifactPath, stage: 'None', status: 'READY', description: description ?? '', createdAt: now(), updatedAt: now(), createdBy: actor,
        tags: {}, signature: meta.signature, task: meta.task, sizeBytes: files.reduce((sum, file) => sum + file.content.length, 0), files: files.map((file) => file.relpath),
      });
      owner.nextVersion = number + 1;
      owner.updatedAt = now();
      record(name, number, 'create_version', null, source);
      if (target) transition(name, number, target, archiveExisting);
      if (alias !== undefined) setAlias(name, alias, number);
      changed(name);
      return toVersion(owner, stored(name, number));
    },
    'models.versions': async ({ name }) => {
      const owner = model(name);
      return [...owner.versions].reverse().map((version) => toVersion(owner, version));
    },
    'models.version': async ({ name, version }) => toVersion(model(name), stored(name, version)),
    'models.updateVersion': async ({ name, version, description }) => {
      const row = stored(name, version);
      if (description !== row.description) {
        record(name, version, 'description', row.description, description);
        row.description = description;
        row.updatedAt = now();
        changed(name);
      }
      return toVersion(model(name), row);
    },
    'models.deleteVersion': async ({ name, version }) => {
      const owner = model(name);
      const row = stored(name, version);
      owner.versions.splice(owner.versions.indexOf(row), 1);
      // Its aliases go with it (ON DELETE CASCADE on the server); its number is never reused.
      for (const [alias, number] of owner.aliases) if (number === version) owner.aliases.delete(alias);
      owner.updatedAt = now();
      record(name, version, 'delete_version', null, null);
      changed(name);
      return { ok: true };
    },
    'models.transitionStage': async ({ name, version, stage, archiveExisting = false }) => {
      transition(name, version, stage, archiveExisting);
      changed(name);
      return toVersion(model(name), stored(name, version));
    },
    'models.setAlias': async ({ name, version, alias }) => {
      const before = state.events.length;
      setAlias(name, alias, version);
      if (state.events.length > before) changed(name);
      return { ok: true };
    },
    'models.deleteAlias': async ({ name, alias }) => {
      const owner = model(name);
      const held = owner.aliases.get(alias);
      if (held === undefined) throw invalid(`Registered model '${name}' has no alias '${alias}'.`);
      owner.aliases.delete(alias);
      record(name, held, 'alias', `@${alias}`, null);
      changed(name);
      return { ok: true };
    },
    'models.history': async ({ name }) => {
      const events = state.events.filter((event) => event.name === name).reverse();
      if (events.length === 0) model(name);
      return events;
    },
    'models.resolve': async ({ uri }) => {
      const run = /^runs:\/([0-9a-f]{32})\/(.+)$/.exec(uri);
      if (run) {
        const artifactPath = run[2]!.replace(/\/+$/, '');
        if (deps.modelFiles(run[1]!, artifactPath).length === 0) throw new ApiError('NOT_FOUND', `Run ${run[1]} has nothing under '${artifactPath}/'.`);
        return { uri, version: null, runId: run[1]!, artifactPath };
      }
      const version = resolveVersion(uri);
      return { uri, version, runId: version.runId, artifactPath: version.artifactPath };
    },
  };

  /** `models:/name/3`, `models:/name/Production`, `models:/name/latest`, `models:/name@alias`. */
  const resolveVersion = (uri: string): ModelVersion => {
    const rest = /^models:\/(.+)$/.exec(uri)?.[1];
    if (!rest) throw invalid(`'${uri}' is not a model URI; use models:/<name>/<version>, models:/<name>/<stage>, models:/<name>@<alias> or runs:/<run id>/<path>.`);
    const at = rest.lastIndexOf('@');
    if (at > 0) {
      const [name, alias] = [rest.slice(0, at), rest.slice(at + 1)];
      const held = model(name).aliases.get(alias);
      if (held === undefined) throw invalid(`Registered model '${name}' has no alias '${alias}'.`);
      return toVersion(model(name), stored(name, held));
    }
    const slash = rest.lastIndexOf('/');
    if (slash <= 0) throw invalid(`'${uri}' names no version: use models:/${rest}/<version>, models:/${rest}/<stage>, models:/${rest}/latest or models:/${rest}@<alias>.`);
    const [name, suffix] = [rest.slice(0, slash), rest.slice(slash + 1)];
    const owner = model(name);
    if (/^\d+$/.test(suffix)) return toVersion(owner, stored(name, Number(suffix)));
    const newestFirst = [...owner.versions].reverse();
    const wanted = suffix.toLowerCase() === 'latest' ? null : stageOf(suffix);
    const found = newestFirst.find((version) => wanted === null || version.stage === wanted);
    if (!found) throw new ApiError('NOT_FOUND', wanted === null ? `Registered model '${name}' has no versions.` : `No version of '${name}' is in stage ${wanted}.`);
    return toVersion(owner, found);
  };

  return { state, api };
}

/**
 * The signature and task from an MLmodel's text, without a YAML parser: MLflow writes the
 * signature as single-quoted JSON strings (`inputs: '[…]'`), one per line.
 */
export function readMlmodel(text: string | null): { signature: ModelSignature | null; task: string | null } {
  if (text === null) return { signature: null, task: null };
  const quoted = (key: string): unknown => {
    const match = new RegExp(`^\\s+${key}:\\s*'(.*)'\\s*$`, 'm').exec(text);
    return match ? JSON.parse(match[1]!.replaceAll("''", "'")) : undefined;
  };
  let signature: ModelSignature | null = null;
  try {
    const inputs = quoted('inputs');
    const outputs = quoted('outputs');
    if (Array.isArray(inputs) && Array.isArray(outputs)) signature = { inputs, outputs } as ModelSignature;
  } catch {
    // An MLmodel we cannot read does not stop registration: the version simply has no signature.
  }
  const task = /^\s+trainyard\.task:\s*(\S+)\s*$/m.exec(text)?.[1] ?? null;
  return { signature, task };
}
