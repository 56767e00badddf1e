/**
 * The registry every home computes: all registry records — ours and every teammate's — replayed
 * in one total order (hlc, client id, seq, index in the event) from an empty registry. Version
 * numbers are assigned in that order, so two homes that registered "iris" v1 concurrently both
 * end with the same v1/v2 assignment; stage and alias moves, deletes and model deletes happen in
 * that order too. A record that cannot take effect (an alias on a deleted version, say) is kept
 * in `skipped` with the reason — never dropped silently. Pure: no database, no clock.
 */
import type { RegistryChange, RegistryRecord } from './event-schema';

export interface OrderedRegistryRecord {
  readonly hlc: string;
  readonly client: string;
  readonly seq: number;
  readonly index: number;
  readonly author: string;
  readonly record: RegistryRecord;
}

type Stage = 'None' | 'Staging' | 'Production' | 'Archived';
type Creation = Extract<RegistryChange, { op: 'create-version' }>;

/** Who made a change: the client and the person. */
export interface Writer {
  readonly client: string;
  readonly author: string;
}

export interface MergedVersion {
  readonly key: string;
  readonly number: number;
  readonly created: Writer;
  readonly creation: Creation;
  stage: Stage;
  stageBy: Writer | null;
  /** This home's last stage move of it (for conflicts: ours, overridden). */
  ownStage: Stage | undefined;
  description: string;
  readonly tags: Map<string, string | null>;
  deleted: Writer | null;
}

export interface MergedAlias {
  /** The version key it points at; null once deleted. */
  version: string | null;
  by: Writer;
  /** What this home's last move of it said (undefined: it never moved it). */
  own: string | null | undefined;
}

export interface MergedModel {
  name: string;
  description: string;
  readonly tags: Map<string, string | null>;
  readonly createdBy: string;
  readonly createdAt: number;
  nextVersion: number;
  readonly versions: Map<string, MergedVersion>;
  readonly aliases: Map<string, MergedAlias>;
  deleted: Writer | null;
}

export interface ReplayResult {
  /** Models by current name (a deleted one stays, marked, until a create under its name). */
  readonly models: Map<string, MergedModel>;
  /** Versions of earlier incarnations of a deleted model, by key. */
  readonly graveyard: Map<string, { model: string; version: MergedVersion }>;
  readonly skipped: Array<{ record: OrderedRegistryRecord; reason: string }>;
}

export function compareRecords(a: OrderedRegistryRecord, b: OrderedRegistryRecord): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  if (a.client !== b.client) return a.client < b.client ? -1 : 1;
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.index - b.index;
}

export function replayRegistry(input: readonly OrderedRegistryRecord[], ownClient: string): ReplayResult {
  const models = new Map<string, MergedModel>();
  const graveyard = new Map<string, { model: string; version: MergedVersion }>();
  const keyIndex = new Map<string, string>(); // version key → model name
  const skipped: ReplayResult['skipped'] = [];
  const ordered = [...input].sort(compareRecords);

  const createModel = (name: string, item: OrderedRegistryRecord, description = '', createdBy = item.author, createdAt = 0): MergedModel => {
    const current = models.get(name);
    if (current && !current.deleted) return current;
    if (current) for (const version of current.versions.values()) graveyard.set(version.key, { model: name, version });
    const model: MergedModel = { name, description, tags: new Map(), createdBy, createdAt, nextVersion: 1, versions: new Map(), aliases: new Map(), deleted: null };
    models.set(name, model);
    return model;
  };
  const versionOf = (key: string): { model: MergedModel; version: MergedVersion } | null => {
    const name = keyIndex.get(key);
    const model = name === undefined ? undefined : models.get(name);
    const version = model?.versions.get(key);
    return model && version && !model.deleted ? { model, version } : null;
  };

  for (const item of ordered) {
    const { change } = item.record;
    const writer: Writer = { client: item.client, author: item.author };
    const skip = (reason: string) => skipped.push({ record: item, reason });
    const live = models.get(item.record.model);
    const liveModel = live && !live.deleted ? live : null;
    switch (change.op) {
      case 'create-model':
        createModel(item.record.model, item, change.description, change.createdBy, change.createdAt);
        break;
      case 'rename-model': {
        const target = models.get(change.to);
        if (!liveModel) skip(`there is no model '${item.record.model}' to rename`);
        else if (target && !target.deleted) skip(`a model named '${change.to}' already exists`);
        else {
          models.delete(item.record.model);
          liveModel.name = change.to;
          models.set(change.to, liveModel);
          for (const key of liveModel.versions.keys()) keyIndex.set(key, change.to);
        }
        break;
      }
      case 'delete-model':
        if (!liveModel) skip(`there is no model '${item.record.model}' to delete`);
        else {
          liveModel.deleted = writer;
          for (const version of liveModel.versions.values()) version.deleted ??= writer;
          liveModel.aliases.clear();
        }
        break;
      case 'model-description':
        if (!liveModel) skip(`there is no model '${item.record.model}'`);
        else liveModel.description = change.description;
        break;
      case 'model-tag':
        if (!liveModel) skip(`there is no model '${item.record.model}'`);
        else liveModel.tags.set(change.key, change.value);
        break;
      case 'create-version': {
        if (keyIndex.has(change.version)) break; // the same record read twice: once is enough
        const model = createModel(item.record.model, item, '', change.createdBy, change.createdAt);
        // The number it had where it was made, when still free (an import's gaps survive).
        const number = Math.max(model.nextVersion, change.number);
        model.nextVersion = number + 1;
        model.versions.set(change.version, {
          key: change.version,
          number,
          created: writer,
          creation: change,
          stage: 'None',
          stageBy: null,
          ownStage: undefined,
          description: change.description,
          tags: new Map(Object.entries(change.tags)),
          deleted: null,
        });
        keyIndex.set(change.version, model.name);
        break;
      }
      case 'delete-version': {
        const found = versionOf(change.version);
        if (!found) skip('the version is not there (already deleted, or its model was)');
        else if (found.version.deleted) skip(`version ${found.version.number} of '${found.model.name}' was already deleted`);
        else {
          found.version.deleted = writer;
          for (const [alias, held] of found.model.aliases) if (held.version === change.version) found.model.aliases.set(alias, { ...held, version: null, by: writer });
        }
        break;
      }
      case 'set-stage': {
        const found = versionOf(change.version);
        if (!found || found.version.deleted) {
          skip(`cannot move it to ${change.stage}: the version was deleted`);
          break;
        }
        if (change.archiveExisting) {
          for (const other of found.model.versions.values()) {
            if (other !== found.version && !other.deleted && other.stage === change.stage) {
              other.stage = 'Archived';
              other.stageBy = writer;
            }
          }
        }
        found.version.stage = change.stage;
        found.version.stageBy = writer;
        if (item.client === ownClient) found.version.ownStage = change.stage;
        break;
      }
      case 'set-alias': {
        const found = versionOf(change.version);
        if (!found || found.version.deleted) {
          skip(`alias '${change.alias}' cannot point at a deleted version`);
          break;
        }
        const previous = found.model.aliases.get(change.alias);
        found.model.aliases.set(change.alias, { version: change.version, by: writer, own: item.client === ownClient ? change.version : previous?.own });
        break;
      }
      case 'delete-alias': {
        if (!liveModel) {
          skip(`there is no model '${item.record.model}'`);
          break;
        }
        const previous = liveModel.aliases.get(change.alias);
        liveModel.aliases.set(change.alias, { version: null, by: writer, own: item.client === ownClient ? null : previous?.own });
        break;
      }
      case 'version-description': {
        const found = versionOf(change.version);
        if (!found || found.version.deleted) skip('the version was deleted');
        else found.version.description = change.description;
        break;
      }
      case 'version-tag': {
        const found = versionOf(change.version);
        if (!found || found.version.deleted) skip('the version was deleted');
        else found.version.tags.set(change.key, change.value);
        break;
      }
    }
  }
  return { models, graveyard, skipped };
}
