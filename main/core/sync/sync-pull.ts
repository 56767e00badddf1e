import { WorkbenchError } from '../../../shared/errors';
import type { SyncProgress, SyncReport } from '../../../shared/sync';
import type { Database } from '../db/database';
import type { ObjectStore } from '../objects/object-store';
import type { Bucket } from './bucket';
import { applyEvents, eagerObjects, mergeRegistry, type Hlc, type ReadEvent, type ReadResult } from './events';
import type { RemoteSession } from './sync-service';

export interface PullOptions {
  readonly clock: Hlc;
  readonly dryRun: boolean;
  /** Filled in as the pull goes: what came, what was refused, the conflicts merged. */
  readonly report: SyncReport;
  readonly onProgress: (progress: SyncProgress) => void;
  readonly signal: AbortSignal;
  readonly readEvents: (bucket: Bucket) => Promise<ReadResult>;
}

/**
 * What a pull fetches before applying: every record's eager objects (metrics, manifests, model
 * files) and a dataset version's files — a dataset is used whole (preview, validation, training),
 * so its files come with it; run artifacts stay lazy and are fetched when first opened.
 */
export function objectsToFetch(events: readonly ReadEvent[]): string[] {
  const oids = new Set(eagerObjects(events));
  for (const event of events) {
    if (event.status !== 'ok') continue;
    for (const record of event.body.records) if (record.type === 'dataset-version') for (const oid of record.objects.lazy) oids.add(oid);
  }
  return [...oids].sort();
}

/** Pull: teammates' new events, the objects they need now, then apply and merge the registry. */
export async function pullEvents(db: Database, objects: ObjectStore, session: RemoteSession, options: PullOptions): Promise<void> {
  const { report, onProgress, signal } = options;
  const remote = session.remote.name;
  onProgress({ remote, phase: 'reading-events', objectsDone: 0, objectsTotal: 0, bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: null });
  const read = await options.readEvents(session.bucket);
  signal.throwIfAborted();
  report.pulled.events = read.events.length;
  for (const warning of read.warnings) report.conflicts.push({ kind: 'clock', entity: warning.author, message: warning.message });
  const wanted = objectsToFetch(read.events);
  if (options.dryRun) {
    report.pulled.objects = wanted.filter((oid) => !objects.hasSync(oid)).length;
    for (const event of read.events) if (event.status === 'ok') for (const record of event.body.records) report.pulled.records[record.type] = (report.pulled.records[record.type] ?? 0) + 1;
    return;
  }
  if (read.events.length === 0) {
    db.prepare('UPDATE sync_remote_state SET last_pull_at = ? WHERE remote = ?').run(Date.now(), remote);
    return;
  }
  const fetched = await session.transfer.pull(wanted, { onProgress, signal });
  report.pulled.objects = fetched.downloaded;
  report.pulled.bytes = fetched.bytes;
  report.refusedObjects.push(...fetched.refused);
  if (fetched.failed.length > 0) {
    // Not a bad object but a failed request (network, permissions): apply nothing, say why, retry next sync.
    const first = fetched.failed[0]!;
    throw new WorkbenchError('UNAVAILABLE', `${fetched.failed.length} object(s) could not be downloaded (first: ${first.oid}: ${first.reason}); nothing was applied. Sync again to retry.`);
  }
  const events = withoutUnfetchedDatasets(read.events, (oid) => objects.hasSync(oid));
  onProgress({ remote, phase: 'applying', objectsDone: 0, objectsTotal: read.events.length, bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: null });
  // An event whose objects could not be fetched is deferred by apply (with its client's later
  // events) and read again next sync; the others apply now.
  const applied = await applyEvents(db, objects, events.kept, { remote });
  report.pulled.records = applied.records;
  report.unsupportedEvents = applied.unsupported;
  for (const failed of applied.failed) report.conflicts.push({ kind: 'event', entity: failed.key, message: `Not applied: ${failed.message}` });
  for (const deferred of applied.deferred) report.conflicts.push({ kind: 'event', entity: deferred.key, message: `Waiting for ${deferred.missing.length} object(s) not yet in the bucket; applied on a later sync.` });
  for (const held of events.held) report.conflicts.push({ kind: 'event', entity: held.key, message: `Waiting: a dataset file it lists was refused (${held.oid}); applied once the bucket holds the right bytes.` });
  const merged = mergeRegistry(db, { remote, clientId: options.clock.clientId });
  report.conflicts.push(...merged.conflicts);
  db.prepare('UPDATE sync_remote_state SET last_pull_at = ? WHERE remote = ?').run(Date.now(), remote);
}

/**
 * Holds back every event with a dataset version whose files are not all here (a refused, corrupt
 * object), and that client's later events: they are read again next sync, in order, so a
 * dataset version never appears without its data.
 */
export function withoutUnfetchedDatasets(events: readonly ReadEvent[], isHere: (oid: string) => boolean): { kept: ReadEvent[]; held: Array<{ key: string; oid: string }> } {
  const stopped = new Set<string>();
  const kept: ReadEvent[] = [];
  const held: Array<{ key: string; oid: string }> = [];
  for (const event of events) {
    if (stopped.has(event.client)) continue;
    const absent = event.status === 'ok' ? event.body.records.flatMap((record) => (record.type === 'dataset-version' ? record.objects.lazy.filter((oid) => !isHere(oid)) : [])) : [];
    if (absent.length > 0) {
      stopped.add(event.client);
      held.push({ key: event.key, oid: absent[0]! });
      continue;
    }
    kept.push(event);
  }
  return { kept, held };
}
