/**
 * Writing and reading the append-only event log. Writing: one object per batch of records, at
 * `.trainyard/events/<client>/<seq>.json`, created only if the key is free — a taken key means
 * another home shares our client id (a copied home folder), so the write moves to the next seq
 * and nothing is overwritten. Reading: per client, after that client's cursor, so an event from a
 * teammate whose clock is behind is never skipped (no global time cursor).
 */
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import { WorkbenchError } from '../../../../shared/errors';
import type { Database } from '../../db/database';
import type { Bucket } from '../bucket';
import { eventBodySchema, eventEnvelopeSchema, eventFormat, eventKey, eventKeyPattern, eventsRoot, maxEventBytes, recordTypes, syncRecordSchema, type EventBody, type SyncRecord } from './event-schema';
import { commitMarks, type RecordMark } from './collect';
import type { ClockWarning, Hlc } from './hlc';

export const defaultAuthor = (() => {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
})();

export interface WrittenEvent {
  readonly key: string;
  readonly seq: number;
  readonly hlc: string;
  readonly records: number;
  readonly bytes: number;
}

export interface WriteResult {
  readonly events: WrittenEvent[];
  /** Keys found taken under our client id: another home shares it (a copied home folder). */
  readonly takenKeys: string[];
}

/**
 * Splits records into event-sized groups (one record larger than the limit goes alone), as lists
 * of indices into `records`. Registry records travel in events of their own: the registry merge
 * re-reads every event that holds one at each pull, and those stay small.
 */
export function packRecords(records: readonly SyncRecord[], limit = maxEventBytes): number[][] {
  const indices = records.map((_, index) => index);
  const registry = indices.filter((index) => records[index]!.type === 'registry');
  const others = indices.filter((index) => records[index]!.type !== 'registry');
  return [...packGroup(records, others, limit), ...packGroup(records, registry, limit)];
}

function packGroup(records: readonly SyncRecord[], indices: readonly number[], limit: number): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let size = 0;
  for (const index of indices) {
    const length = Buffer.byteLength(JSON.stringify(records[index])) + 1;
    if (current.length > 0 && size + length > limit) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(index);
    size += length;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * An event being written, kept in sync_pushed (kind 'pending-event', entity: its key) from just
 * before its PUT until it is kept: when the PUT's answer is lost (the bytes landed, the client saw
 * an error), the next push finds it in the bucket and keeps it as written, with its own hlc, instead
 * of sending its records again in a newer event (which would undo a teammate's later change).
 */
const pendingKind = 'pending-event';

interface PendingEvent {
  readonly seq: number;
  readonly sha1: string;
  readonly registryRecords: number;
  readonly marks: RecordMark[];
}

const sha1 = (bytes: Uint8Array | string): string => createHash('sha1').update(bytes).digest('hex');

const keepOwnSql = `INSERT INTO sync_events (remote, client_id, seq, hlc, author, format, body, status, message, received_at, own, registry_records)
  VALUES (?, ?, ?, ?, ?, ?, ?, 'applied', NULL, ?, 1, ?)
  ON CONFLICT (remote, client_id, seq) DO UPDATE SET own = 1`;

/**
 * Keeps an event of ours whose bytes are `text` as written: its sync_events row, what its records
 * mark (per record: digests and hlc, registry cursor, version keys), the next seq past it. One
 * transaction: an event is either kept with its marks or not at all.
 */
function keepOwn(db: Database, remote: string, event: { client: string; seq: number; hlc: string; author: string; text: string; registryRecords: number; marks: readonly RecordMark[] }, now: number): void {
  db.transaction(() => {
    db.prepare(keepOwnSql).run(remote, event.client, event.seq, event.hlc, event.author, eventFormat, event.text, now, event.registryRecords);
    commitMarks(db, remote, event.marks, event.hlc);
    db.prepare('UPDATE sync_remote_state SET next_seq = max(next_seq, ?), last_push_at = ? WHERE remote = ?').run(event.seq + 1, now, remote);
    db.prepare('DELETE FROM sync_pushed WHERE remote = ? AND kind = ? AND entity = ?').run(remote, pendingKind, eventKey(event.client, event.seq));
  })();
}

/**
 * If `key` is an event of ours whose PUT had no answer and `text` is its body, keeps it as ours
 * (with its marks) and returns true. Apply calls it for every event it reads, so a pull-only sync
 * after such a push neither applies our own records back nor reports them as a teammate's.
 */
export function adoptPending(db: Database, remote: string, key: string, text: string, now: number): boolean {
  const row = db.prepare('SELECT digest, hlc FROM sync_pushed WHERE remote = ? AND kind = ? AND entity = ?').get(remote, pendingKind, key) as { digest: string; hlc: string } | undefined;
  if (!row) return false;
  const pending = JSON.parse(row.digest) as PendingEvent;
  if (pending.sha1 !== sha1(text)) return false;
  const match = eventKeyPattern.exec(key);
  if (!match) return false;
  const author = (JSON.parse(text) as { author?: string }).author ?? '';
  keepOwn(db, remote, { client: match[1]!, seq: pending.seq, hlc: row.hlc, author, text, registryRecords: pending.registryRecords, marks: pending.marks }, now);
  return true;
}

/**
 * Settles events of ours whose PUT had no answer (call before collecting): one in the bucket with
 * our bytes is kept as written; one not there (or there with other bytes: a copied home took the
 * key) is forgotten, and its records are collected again.
 */
export async function settlePending(db: Database, bucket: Bucket, options: { remote: string; now?: () => number }): Promise<{ kept: number; dropped: number }> {
  const now = options.now ?? Date.now;
  const rows = db.prepare('SELECT entity FROM sync_pushed WHERE remote = ? AND kind = ? ORDER BY entity').pluck().all(options.remote, pendingKind) as string[];
  let kept = 0;
  let dropped = 0;
  for (const key of rows) {
    let text: string | null = null;
    try {
      text = Buffer.from(await bucket.get(key)).toString('utf8');
    } catch (error) {
      if (!(error instanceof WorkbenchError && error.code === 'NOT_FOUND')) throw error;
    }
    if (text !== null && adoptPending(db, options.remote, key, text, now())) {
      kept++;
      continue;
    }
    db.prepare('DELETE FROM sync_pushed WHERE remote = ? AND kind = ? AND entity = ?').run(options.remote, pendingKind, key);
    dropped++;
  }
  return { kept, dropped };
}

/**
 * Writes records as events. Call only after every object they reference is in the bucket. Each
 * event written is kept in sync_events as our own (the registry replay reads it from there), in
 * one transaction with what its records mark (`marks[i]` for `records[i]`, see collect.ts): a push
 * that fails part-way leaves every event written marked with its own hlc, and nothing else.
 */
export async function writeEvents(
  db: Database,
  bucket: Bucket,
  options: { remote: string; clock: Hlc; author?: string; limit?: number; wallClock?: () => number },
  records: readonly SyncRecord[],
  marks: readonly RecordMark[],
): Promise<WriteResult> {
  const { remote, clock } = options;
  // Without its marks an event would be written and never recorded as pushed: sent again next time.
  if (marks.length !== records.length) throw new Error(`writeEvents needs one mark per record (collectRecords' batch.marks): ${marks.length} for ${records.length}`);
  const author = options.author ?? defaultAuthor;
  const now = options.wallClock ?? Date.now;
  db.prepare('INSERT INTO sync_remote_state (remote) VALUES (?) ON CONFLICT (remote) DO NOTHING').run(remote);
  const nextSeq = db.prepare('SELECT next_seq FROM sync_remote_state WHERE remote = ?').pluck();
  const setSeq = db.prepare('UPDATE sync_remote_state SET next_seq = ?, last_push_at = ? WHERE remote = ?');
  const setPending = db.prepare('INSERT INTO sync_pushed (remote, kind, entity, digest, hlc) VALUES (?, ?, ?, ?, ?) ON CONFLICT (remote, kind, entity) DO UPDATE SET digest = excluded.digest, hlc = excluded.hlc');
  const clearPending = db.prepare('DELETE FROM sync_pushed WHERE remote = ? AND kind = ? AND entity = ?');
  const events: WrittenEvent[] = [];
  const takenKeys: string[] = [];
  for (const indices of packRecords(records, options.limit)) {
    const group = indices.map((index) => records[index]!);
    const groupMarks = indices.map((index) => marks[index]!);
    const registryRecords = group.filter((record) => record.type === 'registry').length;
    for (;;) {
      const seq = nextSeq.get(remote) as number;
      const hlc = clock.now();
      const body: EventBody = { format: eventFormat, client: clock.clientId, seq, hlc, author, createdAt: now(), records: group };
      const text = JSON.stringify(body);
      const bytes = Buffer.from(text, 'utf8');
      const key = eventKey(clock.clientId, seq);
      const pending: PendingEvent = { seq, sha1: sha1(bytes), registryRecords, marks: groupMarks };
      setPending.run(remote, pendingKind, key, JSON.stringify(pending), hlc);
      const outcome = await bucket.putNew(key, bytes, { contentType: 'application/json' });
      if (outcome === 'exists') {
        clearPending.run(remote, pendingKind, key);
        takenKeys.push(key);
        setSeq.run(seq + 1, now(), remote);
        continue;
      }
      keepOwn(db, remote, { client: clock.clientId, seq, hlc, author, text, registryRecords, marks: groupMarks }, now());
      events.push({ key, seq, hlc, records: group.length, bytes: bytes.byteLength });
      break;
    }
  }
  return { events, takenKeys };
}

/** An event read from the bucket, not yet in sync_events (or kept there as 'unsupported'). */
export type ReadEvent =
  | { readonly status: 'ok'; readonly key: string; readonly client: string; readonly seq: number; readonly body: EventBody; readonly text: string }
  | { readonly status: 'unsupported' | 'failed'; readonly key: string; readonly client: string; readonly seq: number; readonly body: { hlc: string; author: string; format: number } | null; readonly text: string; readonly message: string };

export interface ReadResult {
  /** New events in the order to apply them: (hlc, client, seq). */
  readonly events: ReadEvent[];
  readonly warnings: ClockWarning[];
}

/** How many LISTs and GETs readEvents keeps in flight. */
export const readConcurrency = 8;

/** Runs `work` over `items` with at most `limit` at once; results in the items' order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Lists the log after each client's cursor and reads every event not yet kept here (LISTs per
 * client and GETs run `readConcurrency` at a time). Events kept as 'unsupported' are parsed again
 * first: those this version reads now come back with the new ones (an upgrade applies them).
 */
export async function readEvents(db: Database, bucket: Bucket, options: { remote: string; clock: Hlc }): Promise<ReadResult> {
  const { remote, clock } = options;
  const known = db.prepare('SELECT 1 FROM sync_events WHERE remote = ? AND client_id = ? AND seq = ?').pluck();
  const events: ReadEvent[] = [];
  const stored = db.prepare("SELECT client_id, seq, body FROM sync_events WHERE remote = ? AND status = 'unsupported' ORDER BY client_id, seq").all(remote) as Array<{ client_id: string; seq: number; body: string }>;
  for (const row of stored) {
    const event = parseEvent(eventKey(row.client_id, row.seq), row.client_id, row.seq, Buffer.from(row.body, 'utf8'));
    if (event.status === 'ok') events.push(event);
  }
  const clients: string[] = [];
  for await (const entry of bucket.list(eventsRoot, { delimiter: '/' })) {
    const match = /^\.trainyard\/events\/([0-9a-z]{1,64})\/$/.exec(entry.key);
    if (match) clients.push(match[1]!);
  }
  const cursors = new Map(clients.map((client) => [client, advanceCursor(db, remote, client)]));
  const listed = await mapLimit(clients, readConcurrency, async (client) => {
    const cursor = cursors.get(client)!;
    const startAfter = cursor > 0 ? eventKey(client, cursor) : undefined;
    const found: Array<{ key: string; client: string; seq: number }> = [];
    for await (const entry of bucket.list(`${eventsRoot}${client}/`, startAfter ? { startAfter } : {})) {
      const match = eventKeyPattern.exec(entry.key);
      if (!match || match[1] !== client) continue; // a foreign object under the prefix: not ours to read
      const seq = Number(match[2]);
      if (known.get(remote, client, seq)) continue; // our own, or kept before
      found.push({ key: entry.key, client, seq });
    }
    return found;
  });
  const wanted = listed.flat();
  events.push(...(await mapLimit(wanted, readConcurrency, async (item) => parseEvent(item.key, item.client, item.seq, await bucket.get(item.key)))));
  events.sort((a, b) => compareOrder(orderOf(a), orderOf(b)));
  const warnings = new Map<string, ClockWarning>();
  for (const event of events) {
    if (!event.body) continue;
    const warning = clock.receive(event.body.hlc, { client: event.client, author: event.body.author });
    if (warning) warnings.set(event.client, warning);
  }
  return { events, warnings: [...warnings.values()] };
}

/**
 * Moves a client's cursor over every event kept here without a gap before it, and returns it.
 * An event not yet applied (its objects could not be fetched) holds the cursor, so the next
 * read lists it again; our own events pass at the next read.
 */
export function advanceCursor(db: Database, remote: string, client: string): number {
  const known = db.prepare('SELECT seq FROM sync_events WHERE remote = ? AND client_id = ? AND seq > ? ORDER BY seq LIMIT 1000').pluck();
  let cursor = (db.prepare('SELECT last_seq FROM sync_cursors WHERE remote = ? AND client_id = ?').pluck().get(remote, client) as number | undefined) ?? 0;
  const start = cursor;
  for (;;) {
    const seqs = known.all(remote, client, cursor) as number[];
    let gap = false;
    for (const seq of seqs) {
      if (seq !== cursor + 1) {
        gap = true;
        break;
      }
      cursor = seq;
    }
    if (gap || seqs.length < 1000) break;
  }
  if (cursor > start) {
    db.prepare('INSERT INTO sync_cursors (remote, client_id, last_seq) VALUES (?, ?, ?) ON CONFLICT (remote, client_id) DO UPDATE SET last_seq = excluded.last_seq').run(remote, client, cursor);
  }
  return cursor;
}

const orderOf = (event: ReadEvent) => ({ hlc: event.body?.hlc ?? '', client: event.client, seq: event.seq });

export function compareOrder(a: { hlc: string; client: string; seq: number }, b: { hlc: string; client: string; seq: number }): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  if (a.client !== b.client) return a.client < b.client ? -1 : 1;
  return a.seq - b.seq;
}

/** Never throws: a malformed object is 'failed' with the reason, a newer one 'unsupported'. */
export function parseEvent(key: string, client: string, seq: number, bytes: Uint8Array): ReadEvent {
  const text = Buffer.from(bytes).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { status: 'failed', key, client, seq, body: null, text, message: `not JSON: ${(error as Error).message}` };
  }
  const envelope = eventEnvelopeSchema.safeParse(json);
  if (!envelope.success) return { status: 'failed', key, client, seq, body: null, text, message: `not an event: ${describeIssue(envelope.error)}` };
  const head = { hlc: envelope.data.hlc, author: envelope.data.author, format: envelope.data.format };
  if (envelope.data.client !== client || envelope.data.seq !== seq) {
    return { status: 'failed', key, client, seq, body: head, text, message: `its body says client ${envelope.data.client} seq ${envelope.data.seq}, not what its key says` };
  }
  if (envelope.data.format > eventFormat) {
    return { status: 'unsupported', key, client, seq, body: head, text, message: `written in event format ${envelope.data.format} by a newer Trainyard (this one reads up to ${eventFormat})` };
  }
  const unknown = envelope.data.records
    .map((record) => (record && typeof record === 'object' ? (record as { type?: unknown }).type : undefined))
    .filter((type) => typeof type !== 'string' || !recordTypes.has(type));
  if (unknown.length > 0) {
    return { status: 'unsupported', key, client, seq, body: head, text, message: `holds record types this Trainyard does not know: ${[...new Set(unknown.map(String))].join(', ')}` };
  }
  for (const record of envelope.data.records) {
    const parsed = syncRecordSchema.safeParse(record);
    if (!parsed.success) return { status: 'failed', key, client, seq, body: head, text, message: `a ${(record as { type: string }).type} record is malformed: ${describeIssue(parsed.error)}` };
  }
  return { status: 'ok', key, client, seq, body: eventBodySchema.parse(json), text };
}

function describeIssue(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  const first = error.issues[0];
  return first ? `${first.path.map(String).join('.') || '(root)'}: ${first.message}` : 'invalid';
}
