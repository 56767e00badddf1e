/**
 * Applies events read from the log, one transaction per event, in (hlc, client, seq) order.
 * Every event is kept in sync_events with how it ended: 'applied'; 'unsupported' (a newer app
 * wrote it); 'failed' (malformed, or applying it threw) with the reason. None of these stops the
 * others. An event kept as 'unsupported' that this version reads (readEvents parses those again)
 * is applied and its row updated. An event whose eager objects are not in the local store yet is
 * left for the next sync, and so are that client's later events (a client's events apply in its
 * order). An event of ours whose PUT never got an answer is kept as ours, not applied.
 */
import { readFile } from 'node:fs/promises';
import type { Database } from '../../db/database';
import type { ObjectStore } from '../../objects/object-store';
import type { MetricPoint } from '../../tracking/metric-store';
import { applyDagRun, applyDatasetVersion, applyExperiment, applyPipeline, applyRun, type ApplyContext } from './apply-entities';
import { adoptPending, advanceCursor, type ReadEvent } from './event-log';
import type { EventBody } from './event-schema';
import { parseMetrics } from './metrics-object';

export interface ApplyResult {
  readonly applied: number;
  readonly unsupported: number;
  readonly failed: Array<{ key: string; message: string }>;
  /** Events left for the next sync because objects they need are missing here. */
  readonly deferred: Array<{ key: string; missing: string[] }>;
  /** Records applied, per type (registry records are counted here and merged by mergeRegistry). */
  readonly records: Record<string, number>;
  readonly notes: string[];
}

/** Every eager object the events' records reference: fetch these before `applyEvents`. */
export function eagerObjects(events: readonly ReadEvent[]): string[] {
  const oids = new Set<string>();
  for (const event of events) if (event.status === 'ok') for (const record of event.body.records) for (const oid of record.objects.eager) oids.add(oid);
  return [...oids].sort();
}

/** Every lazy object (artifacts, dataset files) of the events: fetched on demand later. */
export function lazyObjects(events: readonly ReadEvent[]): string[] {
  const oids = new Set<string>();
  for (const event of events) if (event.status === 'ok') for (const record of event.body.records) for (const oid of record.objects.lazy) oids.add(oid);
  return [...oids].sort();
}

export async function applyEvents(db: Database, objects: ObjectStore, events: readonly ReadEvent[], options: { remote: string; now?: () => number }): Promise<ApplyResult> {
  const now = options.now ?? Date.now;
  const keep = db.prepare(
    `INSERT INTO sync_events (remote, client_id, seq, hlc, author, format, body, status, message, received_at, own, registry_records)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
     ON CONFLICT (remote, client_id, seq) DO UPDATE SET hlc = excluded.hlc, author = excluded.author, format = excluded.format, body = excluded.body,
       status = excluded.status, message = excluded.message, received_at = excluded.received_at, registry_records = excluded.registry_records
     WHERE sync_events.status = 'unsupported'`,
  );
  const held = new Set<string>();
  const result = { applied: 0, unsupported: 0, failed: [] as Array<{ key: string; message: string }>, deferred: [] as ApplyResult['deferred'], records: {} as Record<string, number>, notes: [] as string[] };
  for (const event of events) {
    if (held.has(event.client)) {
      result.deferred.push({ key: event.key, missing: [] });
      continue;
    }
    // Ours, written by a push that never heard back: kept as ours (with what it marks), not applied.
    if (adoptPending(db, options.remote, event.key, event.text, now())) continue;
    if (event.status !== 'ok') {
      keep.run(options.remote, event.client, event.seq, event.body?.hlc ?? '', event.body?.author ?? '', event.body?.format ?? 0, event.text, event.status, event.message, now(), 0);
      if (event.status === 'unsupported') result.unsupported++;
      else result.failed.push({ key: event.key, message: event.message });
      continue;
    }
    const missing: string[] = [];
    for (const record of event.body.records) for (const oid of record.objects.eager) if (!(await objects.has(oid))) missing.push(oid);
    if (missing.length > 0) {
      held.add(event.client);
      result.deferred.push({ key: event.key, missing });
      continue;
    }
    let metrics: Map<string, MetricPoint[]>;
    try {
      metrics = await readMetrics(objects, event.body);
    } catch (error) {
      keep.run(options.remote, event.client, event.seq, event.body.hlc, event.body.author, event.body.format, event.text, 'failed', `its metrics object is unreadable: ${(error as Error).message}`, now(), 0);
      result.failed.push({ key: event.key, message: `its metrics object is unreadable: ${(error as Error).message}` });
      continue;
    }
    const body = event.body;
    const context: ApplyContext = { db, remote: options.remote, client: event.client, author: body.author, hlc: body.hlc, now: now(), metrics, notes: [] };
    const registryRecords = body.records.filter((record) => record.type === 'registry').length;
    try {
      db.transaction(() => {
        for (const record of body.records) applyRecord(context, record);
        keep.run(options.remote, event.client, event.seq, body.hlc, body.author, body.format, event.text, 'applied', context.notes.length > 0 ? context.notes.join('\n') : null, context.now, registryRecords);
      })();
      result.applied++;
      for (const record of body.records) result.records[record.type] = (result.records[record.type] ?? 0) + 1;
      result.notes.push(...context.notes);
    } catch (error) {
      const message = `applying it failed: ${(error as Error).message}`;
      keep.run(options.remote, event.client, event.seq, body.hlc, body.author, body.format, event.text, 'failed', message, now(), 0);
      result.failed.push({ key: event.key, message });
    }
  }
  for (const client of new Set(events.map((event) => event.client))) advanceCursor(db, options.remote, client);
  return result;
}

function applyRecord(context: ApplyContext, record: EventBody['records'][number]): void {
  switch (record.type) {
    case 'experiment':
      applyExperiment(context, record);
      return;
    case 'run':
      applyRun(context, record);
      return;
    case 'dataset-version':
      applyDatasetVersion(context, record);
      return;
    case 'pipeline':
      applyPipeline(context, record);
      return;
    case 'dag-run':
      applyDagRun(context, record);
      return;
    case 'registry':
      return; // kept with the event; mergeRegistry replays every registry record in one order
  }
}

async function readMetrics(objects: ObjectStore, body: EventBody): Promise<Map<string, MetricPoint[]>> {
  const out = new Map<string, MetricPoint[]>();
  for (const record of body.records) {
    if (record.type !== 'run' || !record.metrics || out.has(record.metrics)) continue;
    out.set(record.metrics, parseMetrics(await readFile(objects.pathOf(record.metrics))));
  }
  return out;
}
