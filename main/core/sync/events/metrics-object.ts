/**
 * A run's metrics as one content object: every point of every series, serialized so the same
 * run state always gives the same bytes (series by key, points in logging order within a step),
 * gzip-compressed (Node's gzip writes no timestamp, so the bytes are stable too). JSON cannot
 * hold NaN or ±Infinity, so those values are the strings "NaN", "Infinity", "-Infinity".
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { Database } from '../../db/database';
import type { MetricPoint } from '../../tracking/metric-store';

const valueSchema = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);
const metricsObjectSchema = z.object({
  format: z.literal(1),
  series: z.array(z.object({ key: z.string(), points: z.array(z.tuple([z.number(), z.number(), valueSchema])) })),
});

/** The cheap summary of a run's metrics: changes whenever a point is added. */
export function metricsSummary(db: Database, runPk: number): string {
  const rows = db.prepare('SELECT key, count, latest_step, latest_timestamp, latest_value FROM metric_series WHERE run_pk = ? ORDER BY key').all(runPk);
  return JSON.stringify(rows);
}

export function hasMetrics(db: Database, runPk: number): boolean {
  return db.prepare('SELECT 1 FROM metric_series WHERE run_pk = ? LIMIT 1').get(runPk) !== undefined;
}

export function serializeMetrics(db: Database, runPk: number): Uint8Array {
  const series = db.prepare('SELECT id, key FROM metric_series WHERE run_pk = ? ORDER BY key').all(runPk) as Array<{ id: number; key: string }>;
  const points = db.prepare('SELECT step, timestamp, value FROM metric_points WHERE series_id = ? ORDER BY step, rowid');
  const parts: string[] = [];
  for (const { id, key } of series) {
    const rows = points.raw().all(id) as Array<[number, number, number | null]>;
    const encoded = rows.map(([step, timestamp, value]) => `[${step},${timestamp},${encodeValue(value)}]`).join(',');
    parts.push(`{"key":${JSON.stringify(key)},"points":[${encoded}]}`);
  }
  return gzipSync(Buffer.from(`{"format":1,"series":[${parts.join(',')}]}`, 'utf8'), { level: 6 });
}

/** The points of a metrics object, ready for `MetricStore.log`. Throws on malformed bytes. */
export function parseMetrics(bytes: Uint8Array): MetricPoint[] {
  const doc = metricsObjectSchema.parse(JSON.parse(gunzipSync(bytes).toString('utf8')));
  const out: MetricPoint[] = [];
  for (const series of doc.series) {
    for (const [step, timestamp, value] of series.points) out.push({ key: series.key, step, timestamp, value: typeof value === 'number' ? value : Number(value) });
  }
  return out;
}

function encodeValue(value: number | null): string {
  if (value === null) return '"NaN"'; // SQLite stores NaN as NULL (migrations.ts)
  if (value === Infinity) return '"Infinity"';
  if (value === -Infinity) return '"-Infinity"';
  return JSON.stringify(value);
}
