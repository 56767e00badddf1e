import type { MetricInput } from '../../../shared/tracking';
import type { TrackingService } from '../tracking/tracking-service';
import { invalidParameter } from './errors';
import type { Fields } from './request';
import type { MlflowDeps, MlflowRouter } from './router';
import { runIdOf } from './run-routes';
import { storedDatasetInputs, systemTags, type DatasetInputMessage } from './run-views';
import { checkKey, checkParamValue, checkTagValue } from './validation';

/** MLflow's log-batch limits (MLFLOW.md §1); its client splits bigger batches itself. */
const batchLimits = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;

function metricOf(fields: Fields, now: number): MetricInput {
  return {
    key: checkKey(fields.requiredString('key'), 'metric key'),
    value: fields.double('value'),
    timestamp: fields.optionalInt('timestamp') ?? now,
    step: fields.optionalInt('step') ?? 0,
  };
}

function paramOf(fields: Fields): { key: string; value: string } {
  const key = checkKey(fields.requiredString('key'), 'param key');
  return { key, value: checkParamValue(key, fields.string('value')) };
}

function tagOf(fields: Fields): { key: string; value: string } {
  const key = checkKey(fields.requiredString('key'), 'tag key');
  return { key, value: checkTagValue(fields.string('value'), key) };
}

/**
 * Logs tags, turning `mlflow.runName` into a rename (the name is the run's own field). Other
 * tags, `mlflow.parentRunId` set after creation included, are stored as they come.
 */
function logTags(tracking: TrackingService, runId: string, tags: ReadonlyArray<{ key: string; value: string }>): void {
  const rename = tags.filter((tag) => tag.key === systemTags.runName).pop();
  const rest = tags.filter((tag) => tag.key !== systemTags.runName);
  if (rest.length > 0) tracking.logBatch({ runId, tags: rest });
  if (rename && rename.value.trim() !== '') tracking.updateRun(runId, { name: rename.value });
}

/**
 * Logging to runs (service.proto): params (write-once: the same value again is fine, another
 * one is INVALID_PARAMETER_VALUE), metrics (the latest value is the one with the largest step,
 * then timestamp, then value), tags, log-batch, and the 2.x log-model / log-inputs records.
 */
export function registerLoggingRoutes(router: MlflowRouter, { tracking }: MlflowDeps): void {
  router.json('POST', 'mlflow/runs/log-parameter', (fields) => {
    tracking.logBatch({ runId: runIdOf(fields), params: [paramOf(fields)] });
    return {};
  });

  router.json('POST', 'mlflow/runs/log-metric', (fields) => {
    tracking.logBatch({ runId: runIdOf(fields), metrics: [metricOf(fields, Date.now())] });
    return {};
  });

  router.json('POST', 'mlflow/runs/set-tag', (fields) => {
    const runId = runIdOf(fields);
    tracking.writablePk(runId);
    logTags(tracking, runId, [tagOf(fields)]);
    return {};
  });

  router.json(['POST', 'DELETE'], 'mlflow/runs/delete-tag', (fields) => {
    tracking.deleteTag(runIdOf(fields), fields.requiredString('key'));
    return {};
  });

  router.json('POST', 'mlflow/runs/log-batch', (fields) => {
    const runId = runIdOf(fields);
    const metricFields = fields.messages('metrics');
    const paramFields = fields.messages('params');
    const tagFields = fields.messages('tags');
    for (const [what, list] of [['metrics', metricFields], ['params', paramFields], ['tags', tagFields]] as const) {
      if (list.length > batchLimits[what]) {
        throw invalidParameter(`A batch logging request can contain at most ${batchLimits[what]} ${what}. Got ${list.length} ${what}. Please split up ${what} across multiple requests and try again.`);
      }
    }
    const total = metricFields.length + paramFields.length + tagFields.length;
    if (total > batchLimits.total) {
      throw invalidParameter(`A batch logging request can contain at most ${batchLimits.total} metrics, params and tags in total. Got ${total}. Please split up the request and try again.`);
    }
    const now = Date.now();
    const metrics = metricFields.map((metric) => metricOf(metric, now));
    const params = paramFields.map(paramOf);
    const tags = tagFields.map(tagOf);
    const plainTags = tags.filter((tag) => tag.key !== systemTags.runName);
    // Params, metrics and plain tags in one transaction: all of it is logged, or none.
    tracking.logBatch({ runId, metrics, params, tags: plainTags });
    if (plainTags.length !== tags.length) logTags(tracking, runId, tags.filter((tag) => tag.key === systemTags.runName));
    return {};
  });

  router.json('POST', 'mlflow/runs/log-model', (fields) => {
    const runId = runIdOf(fields);
    const text = fields.requiredString('model_json');
    let model: unknown;
    try {
      model = JSON.parse(text);
    } catch (error) {
      throw invalidParameter(`model_json is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof model !== 'object' || model === null || Array.isArray(model)) throw invalidParameter('model_json must be a JSON object (an MLmodel as a dict).');
    const required = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'];
    const missing = required.filter((key) => !(key in model));
    if (missing.length > 0) throw invalidParameter(`Model json is missing mandatory fields: ${missing.map((key) => `'${key}'`).join(', ')}`);
    tracking.writablePk(runId);
    const history = parseList(tracking.getRun(runId).tags[systemTags.loggedModels]);
    tracking.setTag(runId, systemTags.loggedModels, JSON.stringify([...history, model]));
    return {};
  });

  router.json('POST', 'mlflow/runs/log-inputs', (fields) => {
    const runId = runIdOf(fields);
    const incoming = fields.messages('datasets').map(datasetInputOf);
    tracking.writablePk(runId);
    if (incoming.length === 0) return {};
    const stored = storedDatasetInputs(tracking.getRun(runId).tags);
    // A dataset is an input of a run once, as in MLflow: logging it again changes nothing.
    const known = new Set(stored.map((input) => `${input.dataset.name}\u0000${input.dataset.digest}`));
    const added = incoming.filter((input) => {
      const id = `${input.dataset.name}\u0000${input.dataset.digest}`;
      if (known.has(id)) return false;
      known.add(id);
      return true;
    });
    if (added.length > 0) tracking.setTag(runId, systemTags.datasetInputs, JSON.stringify([...stored, ...added]));
    return {};
  });
}

function parseList(text: string | undefined): unknown[] {
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function datasetInputOf(fields: Fields): DatasetInputMessage {
  const dataset = fields.message('dataset');
  const schema = dataset.optionalString('schema');
  const profile = dataset.optionalString('profile');
  return {
    dataset: {
      name: dataset.requiredString('name'),
      digest: dataset.requiredString('digest'),
      source_type: dataset.optionalString('source_type') ?? '',
      source: dataset.optionalString('source') ?? '',
      ...(schema !== undefined ? { schema } : {}),
      ...(profile !== undefined ? { profile } : {}),
    },
    tags: fields.messages('tags').map((tag) => ({ key: tag.requiredString('key'), value: tag.string('value') })),
  };
}
