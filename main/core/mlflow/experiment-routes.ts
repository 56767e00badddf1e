import type { Experiment } from '../../../shared/tracking';
import { doesNotExist, invalidParameter } from './errors';
import { viewTypes } from './proto-json';
import type { Fields } from './request';
import type { MlflowDeps, MlflowRouter } from './router';
import { toExperimentMessage } from './run-views';
import { searchExperiments } from './search-experiments';
import { maxSearchResults } from './search-runs';
import { checkKey, checkTagValue } from './validation';

const viewOf = { ACTIVE_ONLY: 'active', DELETED_ONLY: 'deleted', ALL: 'all' } as const;

/**
 * Experiments (service.proto): get-by-name, create, get, search, delete, restore, update and
 * tags. Experiments' `artifact_location` is always `mlflow-artifacts:/<id>`: a location given at
 * create is accepted and ignored, because artifacts live in Trainyard's object store and are
 * proxied through this server (a `file://` location would make clients write around it).
 */
export function registerExperimentRoutes(router: MlflowRouter, { experiments }: MlflowDeps): void {
  const active = (id: string, action: string): Experiment => {
    const experiment = experiments.get(id);
    if (experiment.lifecycleStage !== 'active') {
      throw invalidParameter(`The experiment ${id} must be in the 'active' state to ${action}; it is '${experiment.lifecycleStage}'.`);
    }
    return experiment;
  };

  router.json('GET', 'mlflow/experiments/get-by-name', (fields) => {
    const name = fields.requiredString('experiment_name');
    const experiment = experiments.getByName(name);
    // The client's set_experiment turns this 404 into "create it" (MLFLOW.md §1).
    if (!experiment) throw doesNotExist(`Could not find experiment with name '${name}'`);
    return { experiment: toExperimentMessage(experiment) };
  });

  router.json('POST', 'mlflow/experiments/create', (fields) => {
    const name = fields.requiredString('name');
    const tags: Record<string, string> = {};
    for (const tag of fields.messages('tags')) tags[checkKey(tag.requiredString('key'))] = checkTagValue(tag.string('value'));
    return { experiment_id: experiments.create(name, tags).id };
  });

  router.json('GET', 'mlflow/experiments/get', (fields) => ({ experiment: toExperimentMessage(experiments.get(fields.requiredString('experiment_id'))) }));

  router.json(['GET', 'POST'], 'mlflow/experiments/search', (fields) => searchExperimentsHandler(fields, experiments.list('all')));

  router.json('POST', 'mlflow/experiments/delete', (fields) => {
    experiments.setLifecycle(fields.requiredString('experiment_id'), 'deleted');
    return {};
  });

  router.json('POST', 'mlflow/experiments/restore', (fields) => {
    experiments.setLifecycle(fields.requiredString('experiment_id'), 'active');
    return {};
  });

  router.json('POST', 'mlflow/experiments/update', (fields) => {
    const id = fields.requiredString('experiment_id');
    const newName = fields.optionalString('new_name');
    if (newName !== undefined) {
      if (newName.trim() === '') throw invalidParameter('The experiment name must not be empty.');
      active(id, 'be renamed');
      experiments.rename(id, newName);
    }
    return {};
  });

  router.json('POST', 'mlflow/experiments/set-experiment-tag', (fields) => {
    const id = fields.requiredString('experiment_id');
    const key = checkKey(fields.requiredString('key'));
    const value = checkTagValue(fields.string('value'));
    active(id, 'set tags');
    experiments.setTag(id, key, value);
    return {};
  });

  router.json(['POST', 'DELETE'], 'mlflow/experiments/delete-experiment-tag', (fields) => {
    const id = fields.requiredString('experiment_id');
    const key = fields.requiredString('key');
    active(id, 'delete tags');
    experiments.deleteTag(id, key);
    return {};
  });
}

function searchExperimentsHandler(fields: Fields, all: readonly Experiment[]): Record<string, unknown> {
  const view = viewOf[fields.enumValue('view_type', viewTypes, 'ACTIVE_ONLY')];
  const maxResults = fields.optionalInt('max_results') ?? 1000;
  if (maxResults < 1 || maxResults > maxSearchResults) {
    throw invalidParameter(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be between 1 and ${maxSearchResults}.`);
  }
  const { experiments, nextPageToken } = searchExperiments(
    all.filter((experiment) => view === 'all' || experiment.lifecycleStage === view),
    { filter: fields.optionalString('filter') ?? '', orderBy: fields.strings('order_by'), maxResults, pageToken: fields.optionalString('page_token') || undefined, view },
  );
  return { experiments: experiments.map(toExperimentMessage), next_page_token: nextPageToken };
}
