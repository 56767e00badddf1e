/**
 * How the registry looks through MLflow's `model_registry.proto` messages (MLFLOW.md §2).
 * Every field is sent, empty lists and strings included (MLflow's server leaves unset ones out;
 * its client reads both the same way). A version number is a string on the wire ("3"), as is an
 * alias's version. `run_link` and `status_message` are not kept by Trainyard and go out empty;
 * `status` is always READY, since registration copies the files before it answers.
 */
import type { ModelVersion, RegisteredModel } from '../../../shared/registry';
import { keyValueList } from './proto-json';

export function toModelVersionMessage(version: ModelVersion): Record<string, unknown> {
  return {
    name: version.name,
    version: String(version.version),
    creation_timestamp: version.createdAt,
    last_updated_timestamp: version.updatedAt,
    user_id: version.createdBy,
    current_stage: version.stage,
    description: version.description,
    source: version.source,
    run_id: version.runId ?? '',
    status: version.status,
    status_message: '',
    tags: keyValueList(version.tags),
    run_link: '',
    aliases: [...version.aliases],
  };
}

export function toRegisteredModelMessage(model: RegisteredModel): Record<string, unknown> {
  return {
    name: model.name,
    creation_timestamp: model.createdAt,
    last_updated_timestamp: model.updatedAt,
    user_id: model.createdBy,
    description: model.description,
    latest_versions: model.latestVersions.map(toModelVersionMessage),
    tags: keyValueList(model.tags),
    aliases: model.aliases.map((alias) => ({ alias: alias.alias, version: String(alias.version) })),
  };
}
