import { isAbsolute } from 'node:path';
import { invalid } from '../../../shared/errors';
import type { Uploads } from '../datasets/uploads';
import type { EvaluationService } from '../models/evaluation-service';
import type { ModelImportService } from '../models/model-import';
import type { RegistryService } from '../registry/registry-service';
import type { ModelServing } from '../serving/model-serving';
import type { Handlers } from './dispatcher';

export interface ModelHandlerServices {
  readonly models: ModelImportService;
  readonly registry: RegistryService;
  readonly evaluation: EvaluationService;
  readonly serving: ModelServing;
  readonly uploads: Uploads;
}

const ok = { ok: true } as const;

/** The registry and bring-your-own-model operations. */
export function createModelHandlers({ models, registry, evaluation, serving, uploads }: ModelHandlerServices): Pick<Handlers, (`models.${string}` | `serving.${string}`) & keyof Handlers> {
  return {
    'models.importOnnx': async ({ source, experimentId, name }) => {
      const file = source.kind === 'path' ? source.path : await uploads.importPath(source.uploadId);
      if (!isAbsolute(file)) throw invalid(`A dropped path must be absolute; got '${file}'.`);
      try {
        // A second or so in a worker: no job in the status bar; the caller reports a failure.
        const { run, info } = await models.importOnnx(file, { ...(experimentId ? { experimentId } : {}), ...(name ? { name } : {}) });
        return { runId: run.id, info };
      } finally {
        if (source.kind === 'upload') await uploads.remove(source.uploadId);
      }
    },
    'models.list': ({ filter }) => registry.list(filter),
    'models.get': ({ name }) => registry.get(name),
    'models.create': ({ name, description }) => registry.create(name, description !== undefined ? { description } : {}),
    'models.update': ({ name, description, newName }) => registry.update(name, { ...(description !== undefined ? { description } : {}), ...(newName !== undefined ? { newName } : {}) }),
    'models.delete': ({ name }) => (registry.delete(name), ok),
    'models.setTag': ({ name, version, key, value }) => (registry.setTag(name, key, value, version), ok),
    'models.deleteTag': ({ name, version, key }) => (registry.deleteTag(name, key, version), ok),
    'models.register': ({ name, runId, artifactPath, description, alias, stage, archiveExisting }) =>
      registry.register(runId, name, { artifactPath, archiveExisting, ...(description !== undefined ? { description } : {}), ...(alias !== undefined ? { alias } : {}), ...(stage !== undefined ? { stage } : {}) }),
    'models.versions': ({ name }) => registry.versions(name),
    'models.version': ({ name, version }) => registry.version(name, version),
    'models.updateVersion': ({ name, version, description }) => registry.updateVersion(name, version, description),
    'models.deleteVersion': ({ name, version }) => (registry.deleteVersion(name, version), ok),
    'models.transitionStage': ({ name, version, stage, archiveExisting }) => registry.transitionStage(name, version, stage, archiveExisting),
    'models.setAlias': ({ name, version, alias }) => (registry.setAlias(name, alias, version), ok),
    'models.deleteAlias': ({ name, alias }) => (registry.deleteAlias(name, alias), ok),
    'models.history': ({ name }) => registry.history(name),
    'models.evaluate': ({ uri, dataset, version, target, failIf, experimentId, name }) => ({
      runId: evaluation.evaluate({
        uri,
        dataset,
        ...(version !== undefined ? { version } : {}),
        ...(target !== undefined ? { target } : {}),
        ...(failIf !== undefined ? { failIf } : {}),
        ...(experimentId !== undefined ? { experimentId } : {}),
        ...(name !== undefined ? { name } : {}),
      }).runId,
    }),
    'serving.start': ({ uri, port, host }) => serving.start(uri, { port, host }),
    'serving.list': () => serving.list(),
    'serving.stop': async ({ id }) => (await serving.stop(id), ok),
    'serving.predict': ({ id, body, contentType }) => serving.predict(id, body, contentType),
    'models.resolve': ({ uri }) => {
      const { files: _files, ...resolved } = registry.resolve(uri);
      return resolved;
    },
  };
}
