import type { SeriesColumns } from '../../../shared/series-columns';
import type { LatestMetric, Series } from '../../../shared/tracking';
import type { Database, Statement } from '../db/database';
import { chooseWidth, isNewer, lodWidths, summarize, type PointIn } from './lod';

/** A metric point after validation: key known, timestamp filled in. */
export interface MetricPoint extends PointIn {
  readonly key: string;
}

interface SeriesRow {
  id: number;
  latest_step: number;
  latest_timestamp: number;
  latest_value: number | null;
  min_value: number | null;
  max_value: number | null;
  count: number;
}

/** Where a page of `MetricStore.history` ended: opaque to callers beyond passing it back. */
export interface HistoryCursor {
  readonly step: number;
  readonly row: number;
}

/** One raw point of a series, with the cursor that resumes after it. */
export interface HistoryPoint {
  readonly step: number;
  readonly timestamp: number;
  readonly value: number;
  readonly cursor: HistoryCursor;
}

/** SQLite stores NaN as NULL; this is the one place that maps values in and out. */
const toDb = (value: number): number | null => (Number.isNaN(value) ? null : value);
const fromDb = (value: number | null): number => (value === null ? Number.NaN : value);

/**
 * Metric points, the per-key latest values and the level-of-detail pyramid, kept consistent in
 * the caller's transaction. Ingest aggregates a batch in memory first, so each touched bucket
 * costs one upsert per batch rather than one per point.
 */
export class MetricStore {
  private readonly selectSeries: Statement<[number, string], SeriesRow>;
  private readonly insertSeries: Statement<[number, string, number, number, number | null, number | null, number | null, number]>;
  private readonly updateSeries: Statement<[number, number, number | null, number | null, number | null, number, number]>;
  private readonly insertPoint: Statement<[number, number, number, number | null]>;
  private readonly upsertBucket: Statement<unknown[]>;
  private readonly selectRaw: Statement<[number, number, number, number], unknown[]>;
  private readonly selectLod: Statement<[number, number, number, number], unknown[]>;
  private readonly selectRange: Statement<[number, number], { first: number | null; last: number | null }>;
  private readonly selectHistory: Statement<[number, number, number, number], { row: number; step: number; timestamp: number; value: number | null }>;

  constructor(private readonly db: Database) {
    this.selectSeries = db.prepare(
      'SELECT id, latest_step, latest_timestamp, latest_value, min_value, max_value, count FROM metric_series WHERE run_pk = ? AND key = ?',
    );
    this.insertSeries = db.prepare(
      `INSERT INTO metric_series (run_pk, key, latest_step, latest_timestamp, latest_value, min_value, max_value, count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateSeries = db.prepare(
      `UPDATE metric_series SET latest_step = ?, latest_timestamp = ?, latest_value = ?, min_value = ?, max_value = ?, count = ?
       WHERE id = ?`,
    );
    this.insertPoint = db.prepare('INSERT INTO metric_points (series_id, step, timestamp, value) VALUES (?, ?, ?, ?)');
    // Merging a batch's bucket into a stored one: NULL min/max means "all NaN so far".
    this.upsertBucket = db.prepare(`
      INSERT INTO metric_lod (series_id, level, bucket, count, nan_count, min_value, max_value,
                              first_step, first_value, last_step, last_value, last_timestamp)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (series_id, level, bucket) DO UPDATE SET
        count = count + excluded.count,
        nan_count = nan_count + excluded.nan_count,
        min_value = CASE WHEN min_value IS NULL THEN excluded.min_value
                         WHEN excluded.min_value IS NULL THEN min_value
                         ELSE min(min_value, excluded.min_value) END,
        max_value = CASE WHEN max_value IS NULL THEN excluded.max_value
                         WHEN excluded.max_value IS NULL THEN max_value
                         ELSE max(max_value, excluded.max_value) END,
        first_value = CASE WHEN excluded.first_step < first_step THEN excluded.first_value ELSE first_value END,
        first_step = min(first_step, excluded.first_step),
        last_value = CASE WHEN excluded.last_step >= last_step THEN excluded.last_value ELSE last_value END,
        last_timestamp = CASE WHEN excluded.last_step >= last_step THEN excluded.last_timestamp ELSE last_timestamp END,
        last_step = max(last_step, excluded.last_step)`);
    this.selectRaw = db.prepare(
      'SELECT step, timestamp, value FROM metric_points WHERE series_id = ? AND step BETWEEN ? AND ? ORDER BY step, rowid LIMIT ?',
    );
    this.selectLod = db.prepare(
      `SELECT count, nan_count, min_value, max_value, first_step, last_step, last_value, last_timestamp
       FROM metric_lod WHERE series_id = ? AND level = ? AND bucket BETWEEN ? AND ? ORDER BY bucket`,
    );
    this.selectHistory = db.prepare(
      'SELECT rowid AS row, step, timestamp, value FROM metric_points WHERE series_id = ? AND (step, rowid) > (?, ?) ORDER BY step, rowid LIMIT ?',
    );
    this.selectRange = db.prepare(
      `SELECT (SELECT step FROM metric_points WHERE series_id = ? ORDER BY step LIMIT 1) AS first,
              (SELECT step FROM metric_points WHERE series_id = ? ORDER BY step DESC LIMIT 1) AS last`,
    );
  }

  /**
   * Appends points to a run's series. Call inside a transaction. Returns, per key touched, the
   * newest step and how many points were added (for the live-update event).
   */
  log(runPk: number, points: readonly MetricPoint[]): Array<{ key: string; lastStep: number; count: number }> {
    const byKey = new Map<string, MetricPoint[]>();
    for (const point of points) {
      const list = byKey.get(point.key);
      if (list) list.push(point);
      else byKey.set(point.key, [point]);
    }
    const touched: Array<{ key: string; lastStep: number; count: number }> = [];
    for (const [key, list] of byKey) {
      const seriesId = this.appendSeries(runPk, key, list);
      for (const point of list) this.insertPoint.run(seriesId, point.step, point.timestamp, toDb(point.value));
      for (const width of lodWidths) {
        for (const [bucket, s] of summarize(list, width)) {
          this.upsertBucket.run(
            seriesId, width, bucket, s.count, s.nanCount, s.min, s.max,
            s.firstStep, toDb(s.firstValue), s.lastStep, toDb(s.lastValue), s.lastTimestamp,
          );
        }
      }
      touched.push({ key, lastStep: Math.max(...list.map((p) => p.step)), count: list.length });
    }
    return touched;
  }

  private appendSeries(runPk: number, key: string, list: readonly MetricPoint[]): number {
    let latest: PointIn | null = null;
    let min: number | null = null;
    let max: number | null = null;
    for (const point of list) {
      if (!latest || isNewer(point, latest)) latest = point;
      if (!Number.isNaN(point.value)) {
        min = min === null ? point.value : Math.min(min, point.value);
        max = max === null ? point.value : Math.max(max, point.value);
      }
    }
    const top = latest!;
    const row = this.selectSeries.get(runPk, key);
    if (!row) {
      const info = this.insertSeries.run(runPk, key, top.step, top.timestamp, toDb(top.value), min, max, list.length);
      return Number(info.lastInsertRowid);
    }
    const stored = { step: row.latest_step, timestamp: row.latest_timestamp, value: fromDb(row.latest_value) };
    const next = isNewer(top, stored) ? top : stored;
    const mergedMin = row.min_value === null ? min : min === null ? row.min_value : Math.min(row.min_value, min);
    const mergedMax = row.max_value === null ? max : max === null ? row.max_value : Math.max(row.max_value, max);
    this.updateSeries.run(next.step, next.timestamp, toDb(next.value), mergedMin, mergedMax, row.count + list.length, row.id);
    return row.id;
  }

  /** The latest values of every key of the given runs (by run pk). */
  latestFor(runPks: readonly number[]): Map<number, Record<string, LatestMetric>> {
    const result = new Map<number, Record<string, LatestMetric>>();
    if (runPks.length === 0) return result;
    const rows = this.db
      .prepare(
        `SELECT run_pk, key, latest_step, latest_timestamp, latest_value, min_value, max_value, count
         FROM metric_series WHERE run_pk IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(runPks)) as Array<SeriesRow & { run_pk: number; key: string }>;
    for (const row of rows) {
      let metrics = result.get(row.run_pk);
      if (!metrics) result.set(row.run_pk, (metrics = {}));
      metrics[row.key] = {
        value: fromDb(row.latest_value),
        step: row.latest_step,
        timestamp: row.latest_timestamp,
        count: row.count,
        min: row.min_value,
        max: row.max_value,
      };
    }
    return result;
  }

  /**
   * Every logged point of one series in step order (ties in logging order), a page at a time:
   * `after` is the `cursor` of the previous page's last point, so each page is one index range
   * scan however deep into a long series it starts.
   */
  history(runPk: number, key: string, options: { limit: number; after?: HistoryCursor }): Array<HistoryPoint> {
    const row = this.selectSeries.get(runPk, key);
    if (!row) return [];
    const after = options.after ?? { step: Number.MIN_SAFE_INTEGER, row: 0 };
    const rows = this.selectHistory.all(row.id, after.step, after.row, options.limit);
    return rows.map((point) => ({ step: point.step, timestamp: point.timestamp, value: fromDb(point.value), cursor: { step: point.step, row: point.row } }));
  }

  /**
   * A series for a chart: every point when they fit the budget, else one summary per bucket of
   * the finest level that fits — so a spike anywhere in range shows as a bucket's max.
   */
  /**
   * A series for a chart: every point when they fit the budget, else one summary per bucket of
   * the finest level that fits — so a spike anywhere in range shows as a bucket's max.
   */
  seriesColumns(runPk: number, runId: string, key: string, options: { maxPoints: number; minStep?: number; maxStep?: number }): SeriesColumns {
    const row = this.selectSeries.get(runPk, key);
    const empty = { runId, key, totalCount: row?.count ?? 0 };
    if (!row) return columnsOf(empty, 1, [], 'raw');
    const range = this.selectRange.get(row.id, row.id)!;
    const from = options.minStep ?? range.first ?? 0;
    const to = options.maxStep ?? range.last ?? 0;
    if (to < from) return columnsOf(empty, 1, [], 'raw');
    const { maxPoints } = options;
    let width = chooseWidth(to - from, maxPoints);
    if (width === 1) {
      const raw = this.selectRaw.raw(true).all(row.id, from, to, maxPoints + 1) as unknown[][];
      if (raw.length <= maxPoints) return columnsOf(empty, 1, raw, 'raw');
      width = lodWidths[0]!; // repeated steps overflowed the budget: summarize instead
    }
    const buckets = this.selectLod.raw(true).all(row.id, width, Math.floor(from / width), Math.floor(to / width)) as unknown[][];
    const inRange = buckets.reduce((sum, bucket) => sum + (bucket[0] as number), 0);
    if (inRange <= maxPoints) {
      // Sparse steps: the raw points fit the budget, so show them exactly.
      return columnsOf(empty, 1, this.selectRaw.raw(true).all(row.id, from, to, maxPoints) as unknown[][], 'raw');
    }
    return columnsOf(empty, width, buckets, 'lod');
  }
}

/**
 * A series as columns straight from SQLite's row arrays: a comparison reads 100 series per chart,
 * and skipping two objects per point (the row and a SeriesPoint) is most of the read's cost.
 */
function columnsOf(series: Pick<Series, 'runId' | 'key' | 'totalCount'>, bucketWidth: number, rows: readonly (readonly unknown[])[], kind: 'raw' | 'lod'): SeriesColumns {
  const count = rows.length;
  const steps = new Array<number>(count);
  const values = new Array<number>(count);
  const timestamps = new Array<number>(count);
  const base = { runId: series.runId, key: series.key, bucketWidth, totalCount: series.totalCount, steps, values, timestamps };
  if (kind === 'raw') {
    // [step, timestamp, value]: min and max are the value (columns left out) unless one is NaN.
    let anyNan = false;
    rows.forEach((row, index) => {
      steps[index] = row[0] as number;
      timestamps[index] = row[1] as number;
      values[index] = fromDb(row[2] as number | null);
      if (row[2] === null) anyNan = true;
    });
    if (!anyNan) return base;
    const mins = rows.map((row) => row[2] as number | null);
    return { ...base, mins, maxs: [...mins], nanCounts: rows.map((row) => (row[2] === null ? 1 : 0)) };
  }
  // [count, nan_count, min, max, first_step, last_step, last_value, last_timestamp]
  const mins = new Array<number | null>(count);
  const maxs = new Array<number | null>(count);
  const counts = new Array<number>(count);
  const nanCounts = new Array<number>(count);
  const firstSteps = new Array<number>(count);
  rows.forEach((row, index) => {
    counts[index] = row[0] as number;
    nanCounts[index] = row[1] as number;
    mins[index] = row[2] as number | null;
    maxs[index] = row[3] as number | null;
    firstSteps[index] = row[4] as number;
    steps[index] = row[5] as number;
    values[index] = fromDb(row[6] as number | null);
    timestamps[index] = row[7] as number;
  });
  return { ...base, mins, maxs, counts, nanCounts, firstSteps };
}
