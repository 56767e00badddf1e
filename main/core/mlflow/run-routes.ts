import type { RunSource } from '../../../shared/tracking';
import { invalidParameter } from './errors';
import { runStatuses, viewTypes } from './proto-json';
import type { Fields } from './request';
import type { MlflowDeps, MlflowRouter } from './router';
import { systemTags, toRunInfoMessage, toRunMessage } from './run-views';
import { searchMlflowRuns } from './search-runs';
import { checkKey, checkTagValue } from './validation';

/** `run_id`, or the deprecated `run_uuid` that clients still send alongside it. */
export function runIdOf(fields: Fields): string {
  const id = fields.optionalString('run_id') || fields.optionalString('run_uuid');
  if (!id) return fields.requiredString('run_id'); // throws MLflow's "missing parameter" error
  return id;
}

/** A RunStatus a Trainyard run can have (MLflow's SCHEDULED is refused). */
export function statusOf(fields: Fields): 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED' | undefined {
  const status = fields.enumValue('status', runStatuses);
  if (status === 'SCHEDULED') throw invalidParameter("Run status 'SCHEDULED' is not supported: use RUNNING, FINISHED, FAILED or KILLED.");
  return status;
}

const viewOf = { ACTIVE_ONLY: 'active', DELETED_ONLY: 'deleted', ALL: 'all' } as const;

/** The code version MLflow's client reports in `mlflow.source.*` tags, in Trainyard's run source shape. */
function sourceOf(tags: ReadonlyMap<string, string>): RunSource | undefined {
  const commit = tags.get('mlflow.source.git.commit');
  const entryPoint = tags.get('mlflow.source.name');
  if (commit === undefined && entryPoint === undefined) return undefined;
  return {
    gitCommit: commit ?? null,
    gitDirty: null,
    gitBranch: tags.get('mlflow.source.git.branch') ?? null,
    repository: tags.get('mlflow.source.git.repoURL') ?? null,
    entryPoint: entryPoint ?? null,
  };
}

/**
 * Runs (service.proto): create, update, get, delete, restore, search. On create, the tags
 * MLflow's client sends for things Trainyard models directly become those things:
 * `mlflow.runName` the name, `mlflow.parentRunId` the parent (when that run exists; otherwise it
 * stays a plain tag), `user_id` the `mlflow.user` tag, `mlflow.source.*` the run's source.
 * Deleting a run moves its descendants to the trash with it, as everywhere in Trainyard.
 */
export function registerRunRoutes(router: MlflowRouter, { db, tracking }: MlflowDeps): void {
  const exists = (runId: string): boolean => {
    try {
      tracking.pkOf(runId);
      return true;
    } catch {
      return false;
    }
  };

  router.json('POST', 'mlflow/runs/create', (fields) => {
    const tags = new Map<string, string>();
    for (const tag of fields.messages('tags')) {
      const key = checkKey(tag.requiredString('key'), 'tag key');
      tags.set(key, checkTagValue(tag.string('value'), key));
    }
    const runName = fields.optionalString('run_name') || undefined;
    const taggedName = tags.get(systemTags.runName);
    if (runName !== undefined && taggedName !== undefined && runName !== taggedName) {
      throw invalidParameter(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${runName}', mlflow.runName='${taggedName}').`,
      );
    }
    tags.delete(systemTags.runName);
    const parent = tags.get(systemTags.parentRunId);
    const parentRunId = parent !== undefined && exists(parent) ? parent : undefined;
    if (parentRunId !== undefined) tags.delete(systemTags.parentRunId);
    const userId = fields.optionalString('user_id');
    if (userId && !tags.has(systemTags.user)) tags.set(systemTags.user, userId);
    const source = sourceOf(tags);
    const run = tracking.createRun({
      experimentId: fields.optionalString('experiment_id') || '0',
      name: runName ?? taggedName,
      parentRunId,
      startTime: fields.optionalInt('start_time'),
      tags: [...tags].map(([key, value]) => ({ key, value })),
      ...(source ? { source } : {}),
    });
    return { run: toRunMessage(run) };
  });

  router.json('POST', 'mlflow/runs/update', (fields) => {
    const runId = runIdOf(fields);
    tracking.writablePk(runId); // a deleted run must be restored first, as on MLflow's server
    const status = statusOf(fields);
    const endTime = fields.optionalInt('end_time');
    const name = fields.optionalString('run_name');
    tracking.updateRun(runId, {
      ...(status !== undefined ? { status } : {}),
      ...(endTime !== undefined ? { endTime } : {}),
      ...(name ? { name } : {}),
    });
    const run = tracking.getRun(runId);
    return { run_info: toRunInfoMessage(run, run.tags) };
  });

  router.json('GET', 'mlflow/runs/get', (fields) => ({ run: toRunMessage(tracking.getRun(runIdOf(fields))) }));

  router.json('POST', 'mlflow/runs/delete', (fields) => {
    tracking.setDeleted(runIdOf(fields), true);
    return {};
  });

  router.json('POST', 'mlflow/runs/restore', (fields) => {
    tracking.setDeleted(runIdOf(fields), false);
    return {};
  });

  router.json(['POST', 'GET'], 'mlflow/runs/search', (fields) => {
    const { runs, nextPageToken } = searchMlflowRuns(db, tracking.metrics, {
      experimentIds: fields.strings('experiment_ids'),
      filter: fields.optionalString('filter') ?? '',
      view: viewOf[fields.enumValue('run_view_type', viewTypes, 'ACTIVE_ONLY')],
      maxResults: fields.optionalInt('max_results') ?? 1000,
      orderBy: fields.strings('order_by'),
      pageToken: fields.optionalString('page_token') || undefined,
    });
    return { runs: runs.map(toRunMessage), next_page_token: nextPageToken };
  });
}
