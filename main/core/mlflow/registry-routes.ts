/**
 * MLflow's model registry REST surface (`model_registry.proto`, MLFLOW.md §2) over the
 * RegistryService: registered models, versions, stages, aliases, tags, searches and
 * get-download-uri. Semantics as MLflow's server has them:
 *
 * - creating an existing name is RESOURCE_ALREADY_EXISTS (400), which `register_model` tolerates;
 * - model-versions/create needs the registered model (404 otherwise), takes `runs:/<id>/<path>` or
 *   `mlflow-artifacts:/<exp>/<run>/artifacts/<path>` (see registry-source.ts), copies the folder's
 *   files into the version and answers READY at once; an MLflow model of any flavor is accepted;
 * - GET alias of an unknown alias is INVALID_PARAMETER_VALUE (400, not 404); deleting an alias or
 *   a tag that is not there succeeds, as it does on MLflow's stores;
 * - `latest` and `v<digits>` are reserved aliases; stage names are case-insensitive.
 */
import type { ModelVersion } from '../../../shared/registry';
import { invalidParameter } from './errors';
import { downloadUri, registryArtifactRoot, registryArtifactTree } from './registry-artifacts';
import { modelVersionLimits, registeredModelLimits, searchModelVersions, searchRegisteredModels } from './registry-search';
import { parseModelSource } from './registry-source';
import { toModelVersionMessage, toRegisteredModelMessage } from './registry-views';
import type { Fields } from './request';
import type { RouteModule } from './router';

const models = 'mlflow/registered-models';
const versions = 'mlflow/model-versions';

/** `version` is a string field holding an integer ("3"). */
function versionNumber(fields: Fields): number {
  const raw = fields.requiredString('version');
  if (!/^\s*\d+\s*$/.test(raw)) throw invalidParameter(`Parameter 'version' must be an integer, got '${raw}'.`);
  return Number(raw);
}

function keyValues(fields: Fields, field: string): Record<string, string> {
  return Object.fromEntries(fields.messages(field).map((tag) => [tag.requiredString('key'), tag.optionalString('value') ?? '']));
}

export const registerRegistryRoutes: RouteModule = (router, deps) => {
  const { registry } = deps;
  const modelMessage = (name: string) => ({ registered_model: toRegisteredModelMessage(registry.get(name)) });
  const versionMessage = (version: ModelVersion) => ({ model_version: toModelVersionMessage(version) });

  router
    .json('POST', `${models}/create`, (fields) => {
      const name = fields.requiredString('name');
      const created = registry.create(name, { description: fields.optionalString('description') ?? '', tags: keyValues(fields, 'tags') });
      return { registered_model: toRegisteredModelMessage(created) };
    })
    .json('GET', `${models}/get`, (fields) => modelMessage(fields.requiredString('name')))
    .json('POST', `${models}/rename`, (fields) => {
      const renamed = registry.update(fields.requiredString('name'), { newName: fields.requiredString('new_name') });
      return { registered_model: toRegisteredModelMessage(renamed) };
    })
    .json('PATCH', `${models}/update`, (fields) => {
      const description = fields.optionalString('description');
      const updated = registry.update(fields.requiredString('name'), description === undefined ? {} : { description });
      return { registered_model: toRegisteredModelMessage(updated) };
    })
    .json('DELETE', `${models}/delete`, (fields) => {
      registry.delete(fields.requiredString('name'));
      return {};
    })
    .json('GET', `${models}/search`, (fields) => {
      const found = searchRegisteredModels(registry.list(), {
        filter: fields.optionalString('filter') ?? '',
        orderBy: fields.strings('order_by'),
        maxResults: fields.optionalInt('max_results') ?? registeredModelLimits.defaultMaxResults,
        pageToken: fields.optionalString('page_token'),
      });
      return { registered_models: found.items.map(toRegisteredModelMessage), next_page_token: found.nextPageToken };
    })
    .json(['GET', 'POST'], `${models}/get-latest-versions`, (fields) => ({
      model_versions: registry.latestVersions(fields.requiredString('name'), fields.strings('stages')).map(toModelVersionMessage),
    }))
    .json('POST', `${models}/set-tag`, (fields) => {
      registry.setTag(fields.requiredString('name'), fields.requiredString('key'), fields.optionalString('value') ?? '');
      return {};
    })
    .json('DELETE', `${models}/delete-tag`, (fields) => {
      registry.deleteTag(fields.requiredString('name'), fields.requiredString('key'));
      return {};
    })
    .json('POST', `${models}/alias`, (fields) => {
      registry.setAlias(fields.requiredString('name'), fields.requiredString('alias'), versionNumber(fields));
      return {};
    })
    .json('DELETE', `${models}/alias`, (fields) => {
      const name = fields.requiredString('name');
      const alias = fields.requiredString('alias');
      // MLflow's stores delete an alias that is not there without complaint; the model must exist.
      if (registry.get(name).aliases.some((held) => held.alias === alias)) registry.deleteAlias(name, alias);
      return {};
    })
    .json('GET', `${models}/alias`, (fields) => versionMessage(registry.versionByAlias(fields.requiredString('name'), fields.requiredString('alias'))))

    .json('POST', `${versions}/create`, (fields) => {
      const name = fields.requiredString('name');
      const source = fields.requiredString('source');
      const runIdField = fields.optionalString('run_id') || undefined;
      registry.get(name); // RESOURCE_DOES_NOT_EXIST for an unknown model, as MLflow: create-version never creates the model
      const ref = parseModelSource(source, runIdField);
      if (!ref) {
        throw invalidParameter(
          source.startsWith('models:/')
            ? `Source '${source}' is an MLflow 3 logged model, which this server does not keep; register the run's model folder instead (runs:/<run id>/<path>).`
            : `Source '${source}' is not inside a run's artifacts: use runs:/<run id>/<path> or mlflow-artifacts:/<experiment id>/<run id>/artifacts/<path>.`,
        );
      }
      if (runIdField && runIdField !== ref.runId) throw invalidParameter(`Source '${source}' belongs to run ${ref.runId}, not to run_id ${runIdField}.`);
      if (ref.artifactPath === '') throw invalidParameter(`Source '${source}' is a run's whole artifact root; register the model folder inside it (for example ${source.replace(/\/+$/, '')}/model).`);
      const created = registry.register(ref.runId, name, {
        artifactPath: ref.artifactPath,
        source,
        description: fields.optionalString('description') ?? '',
        tags: keyValues(fields, 'tags'),
        allowNonOnnx: true,
      });
      return versionMessage(created);
    })
    .json('GET', `${versions}/get`, (fields) => versionMessage(registry.version(fields.requiredString('name'), versionNumber(fields))))
    .json('PATCH', `${versions}/update`, (fields) => {
      const name = fields.requiredString('name');
      const version = versionNumber(fields);
      const description = fields.optionalString('description');
      return versionMessage(description === undefined ? registry.version(name, version) : registry.updateVersion(name, version, description));
    })
    .json('DELETE', `${versions}/delete`, (fields) => {
      registry.deleteVersion(fields.requiredString('name'), versionNumber(fields));
      return {};
    })
    .json('POST', `${versions}/transition-stage`, (fields) => {
      const moved = registry.transitionStage(fields.requiredString('name'), versionNumber(fields), fields.requiredString('stage'), fields.optionalBool('archive_existing_versions') ?? false);
      return versionMessage(moved);
    })
    .json('GET', `${versions}/search`, (fields) => {
      const all = registry.list().flatMap((model) => registry.versions(model.name));
      const found = searchModelVersions(all, {
        filter: fields.optionalString('filter') ?? '',
        orderBy: fields.strings('order_by'),
        maxResults: fields.optionalInt('max_results') ?? modelVersionLimits.defaultMaxResults,
        pageToken: fields.optionalString('page_token'),
      });
      return { model_versions: found.items.map(toModelVersionMessage), next_page_token: found.nextPageToken };
    })
    .json('GET', `${versions}/get-download-uri`, (fields) => ({ artifact_uri: downloadUri(deps, registry.version(fields.requiredString('name'), versionNumber(fields))) }))
    .json('POST', `${versions}/set-tag`, (fields) => {
      registry.setTag(fields.requiredString('name'), fields.requiredString('key'), fields.optionalString('value') ?? '', versionNumber(fields));
      return {};
    })
    .json('DELETE', `${versions}/delete-tag`, (fields) => {
      registry.deleteTag(fields.requiredString('name'), fields.requiredString('key'), versionNumber(fields));
      return {};
    })
    .mountArtifacts(registryArtifactRoot, registryArtifactTree(deps));
};
