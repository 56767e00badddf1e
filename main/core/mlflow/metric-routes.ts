import { createHash } from 'node:crypto';
import type { SeriesPoint } from '../../../shared/tracking';
import type { HistoryCursor } from '../tracking/metric-store';
import type { TrackingService } from '../tracking/tracking-service';
import { invalidParameter } from './errors';
import type { MlflowDeps, MlflowRouter } from './router';
import { runIdOf } from './run-routes';

/** MLflow's bounds for get-history-bulk-interval (MLFLOW.md §2). */
const maxBulkRuns = 100;
const maxBulkResults = 2500;

interface PointMessage {
  step: number;
  value: number;
  timestamp: number;
}

/**
 * Metric reads (service.proto): the full history of one series, paged, and the down-sampled
 * feed MLflow's UI draws charts from.
 */
export function registerMetricRoutes(router: MlflowRouter, { tracking }: MlflowDeps): void {
  router.json('GET', 'mlflow/metrics/get-history', (fields) => {
    const runId = runIdOf(fields);
    const key = fields.requiredString('metric_key');
    const maxResults = fields.optionalInt('max_results');
    if (maxResults !== undefined && maxResults < 1) throw invalidParameter(`max_results must be a positive number, got ${maxResults}.`);
    const token = fields.optionalString('page_token');
    const query = queryHash(runId, key);
    const after = token ? decodeCursor(token, query) : undefined;
    const pk = tracking.pkOf(runId);
    // Without max_results MLflow answers the whole history in one page.
    const points = tracking.metrics.history(pk, key, { limit: maxResults === undefined ? -1 : maxResults + 1, ...(after ? { after } : {}) });
    const hasMore = maxResults !== undefined && points.length > maxResults;
    const page = hasMore ? points.slice(0, maxResults) : points;
    return {
      metrics: page.map((point) => ({ key, value: point.value, timestamp: point.timestamp, step: point.step })),
      next_page_token: hasMore ? encodeCursor(page[page.length - 1]!.cursor, query) : undefined,
    };
  });

  router.json('GET', 'mlflow/metrics/get-history-bulk-interval', (fields) => {
    const runIds = [...new Set(fields.strings('run_ids'))];
    if (runIds.length === 0) throw invalidParameter('GetMetricHistoryBulkInterval request must specify at least one run_id.');
    if (runIds.length > maxBulkRuns) throw invalidParameter(`GetMetricHistoryBulkInterval request cannot specify more than ${maxBulkRuns} run_ids. Received ${runIds.length} run_ids.`);
    const key = fields.requiredString('metric_key');
    const startStep = fields.optionalInt('start_step');
    const endStep = fields.optionalInt('end_step');
    if ((startStep === undefined) !== (endStep === undefined)) throw invalidParameter('If either start step or end step are specified, both must be specified.');
    if (startStep !== undefined && endStep !== undefined && startStep > endStep) throw invalidParameter(`end_step (${endStep}) must be at least start_step (${startStep}).`);
    const maxResults = fields.optionalInt('max_results') ?? maxBulkResults;
    if (maxResults < 1 || maxResults > maxBulkResults) throw invalidParameter(`max_results must be between 1 and ${maxBulkResults}, got ${maxResults}.`);
    for (const runId of runIds) tracking.pkOf(runId); // every run must exist before any is read
    const metrics = runIds.sort().flatMap((runId) =>
      sampleSeries(tracking, { runId, key, maxResults, ...(startStep !== undefined ? { minStep: startStep, maxStep: endStep } : {}) }).map((point) => ({
        key,
        value: point.value,
        timestamp: point.timestamp,
        step: point.step,
        run_id: runId,
      })),
    );
    return { metrics };
  });
}

/**
 * At most `maxResults` points of one series in step order, read from the level-of-detail
 * pyramid. Every point when they fit; otherwise each bucket gives up to three: its minimum and
 * maximum (so a spike anywhere survives) and its last value at its last step (so the series ends
 * where it really ends). A bucket only knows its first and last step, so the extremes are drawn
 * at the bucket's first step and its middle. The finest level whose points fit the budget wins.
 */
export function sampleSeries(tracking: TrackingService, input: { runId: string; key: string; maxResults: number; minStep?: number | undefined; maxStep?: number | undefined }): PointMessage[] {
  const range = { ...(input.minStep !== undefined ? { minStep: input.minStep } : {}), ...(input.maxStep !== undefined ? { maxStep: input.maxStep } : {}) };
  let tried = 0;
  let points: PointMessage[] = [];
  // A bucket gives one to three points, so a third of the budget in buckets always fits.
  for (const share of [1, 2, 3]) {
    const series = tracking.series({ runId: input.runId, key: input.key, maxPoints: Math.max(1, Math.floor(input.maxResults / share)), ...range });
    if (series.bucketWidth === 1) return series.points.map(({ step, value, timestamp }) => ({ step, value, timestamp }));
    if (series.bucketWidth === tried) continue;
    tried = series.bucketWidth;
    points = series.points.flatMap(bucketPoints);
    if (points.length <= input.maxResults) return points;
  }
  return points.slice(0, input.maxResults);
}

function bucketPoints(bucket: SeriesPoint): PointMessage[] {
  const { step: lastStep, firstStep, value: last, min, max, timestamp } = bucket;
  if (bucket.count === 1 || min === null || max === null || firstStep === lastStep) return [{ step: lastStep, value: last, timestamp }];
  const extremes = [min, max].filter((value, index, all) => value !== last && all.indexOf(value) === index);
  // MLflow histories may hold several points at one step, so a narrow bucket may repeat a step.
  const steps = [firstStep, Math.floor((firstStep + lastStep) / 2)];
  return [...extremes.map((value, index) => ({ step: steps[index]!, value, timestamp })), { step: lastStep, value: last, timestamp }];
}

function queryHash(runId: string, key: string): string {
  return createHash('sha1').update(`${runId}\u0000${key}`).digest('hex').slice(0, 12);
}

/** get-history's page token: URL-safe base64 of `{"step":…,"row":…,"query":…}`, resuming after that point. */
function encodeCursor(cursor: HistoryCursor, query: string): string {
  return Buffer.from(JSON.stringify({ step: cursor.step, row: cursor.row, query })).toString('base64url');
}

function decodeCursor(token: string, query: string): HistoryCursor {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { step?: unknown; row?: unknown; query?: unknown };
    if (Number.isSafeInteger(parsed.step) && Number.isSafeInteger(parsed.row) && parsed.query === query) return { step: parsed.step as number, row: parsed.row as number };
  } catch {
    // reported below
  }
  throw invalidParameter('Invalid page token: it is malformed or belongs to another run or metric.');
}
