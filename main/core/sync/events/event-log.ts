/**
 * Writing and reading the append-only event log. Writing: one object per batch of records, at
 * `.trainyard/events/<client>/<seq>.json`, created only if the key is free — a taken key means
 * another home shares our client id (a copied home folder), so the write moves to the next seq
 * and nothing is overwritten. Reading: per client, after that client's cursor, so an event from a
 * teammate whose clock is behind is never skipped (no global time cursor).
 */
import { userInfo } from 'node:os';
import type { Database } from '../../db/database';
import type { Bucket } from '../bucket';
import { eventBodySchema, eventEnvelopeSchema, eventFormat, eventKey, eventKeyPattern, eventsRoot, maxEventBytes, recordTypes, syncRecordSchema, type EventBody, type SyncRecord } from './event-schema';
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
 * Splits records into event-sized groups (one record larger than the limit goes alone). Registry
 * records travel in events of their own: the registry merge re-reads every event that holds
 * one at each pull, and those stay small.
 */
export function packRecords(records: readonly SyncRecord[], limit = maxEventBytes): SyncRecord[][] {
  const registry = records.filter((record) => record.type === 'registry');
  const others = records.filter((record) => record.type !== 'registry');
  return [...packGroup(others, limit), ...packGroup(registry, limit)];
}

function packGroup(records: readonly SyncRecord[], limit: number): SyncRecord[][] {
  const groups: SyncRecord[][] = [];
  let current: SyncRecord[] = [];
  let size = 0;
  for (const record of records) {
    const length = Buffer.byteLength(JSON.stringify(record)) + 1;
    if (current.length > 0 && size + length > limit) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(record);
    size += length;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Writes records as events. Call only after every object they reference is in the bucket. Each
 * event written is kept in sync_events as our own (the registry replay reads it from there).
 */
export async function writeEvents(
  db: Database,
  bucket: Bucket,
  options: { remote: string; clock: Hlc; author?: string; limit?: number; wallClock?: () => number },
  records: readonly SyncRecord[],
): Promise<WriteResult> {
  const { remote, clock } = options;
  const author = options.author ?? defaultAuthor;
  const now = options.wallClock ?? Date.now;
  db.prepare('INSERT INTO sync_remote_state (remote) VALUES (?) ON CONFLICT (remote) DO NOTHING').run(remote);
  const nextSeq = db.prepare('SELECT next_seq FROM sync_remote_state WHERE remote = ?').pluck();
  const setSeq = db.prepare('UPDATE sync_remote_state SET next_seq = ?, last_push_at = ? WHERE remote = ?');
  const keep = db.prepare(
    `INSERT INTO sync_events (remote, client_id, seq, hlc, author, format, body, status, message, received_at, own, registry_records)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'applied', NULL, ?, 1, ?) ON CONFLICT DO NOTHING`,
  );
  const events: WrittenEvent[] = [];
  const takenKeys: string[] = [];
  for (const group of packRecords(records, options.limit)) {
    for (;;) {
      const seq = nextSeq.get(remote) as number;
      const hlc = clock.now();
      const body: EventBody = { format: eventFormat, client: clock.clientId, seq, hlc, author, createdAt: now(), records: group };
      const text = JSON.stringify(body);
      const bytes = Buffer.from(text, 'utf8');
      const key = eventKey(clock.clientId, seq);
      const outcome = await bucket.putNew(key, bytes, { contentType: 'application/json' });
      if (outcome === 'exists') {
        takenKeys.push(key);
        setSeq.run(seq + 1, now(), remote);
        continue;
      }
      db.transaction(() => {
        keep.run(remote, clock.clientId, seq, hlc, author, eventFormat, text, now(), group.filter((record) => record.type === 'registry').length);
        setSeq.run(seq + 1, now(), remote);
      })();
      events.push({ key, seq, hlc, records: group.length, bytes: bytes.byteLength });
      break;
    }
  }
  return { events, takenKeys };
}

/** An event read from the bucket, not yet in sync_events. */
export type ReadEvent =
  | { readonly status: 'ok'; readonly key: string; readonly client: string; readonly seq: number; readonly body: EventBody; readonly text: string }
  | { readonly status: 'unsupported' | 'failed'; readonly key: string; readonly client: string; readonly seq: number; readonly body: { hlc: string; author: string; format: number } | null; readonly text: string; readonly message: string };

export interface ReadResult {
  /** New events in the order to apply them: (hlc, client, seq). */
  readonly events: ReadEvent[];
  readonly warnings: ClockWarning[];
}

/** Lists the log after each client's cursor and reads every event not yet kept here. */
export async function readEvents(db: Database, bucket: Bucket, options: { remote: string; clock: Hlc }): Promise<ReadResult> {
  const { remote, clock } = options;
  const known = db.prepare('SELECT 1 FROM sync_events WHERE remote = ? AND client_id = ? AND seq = ?').pluck();
  const clients: string[] = [];
  for await (const entry of bucket.list(eventsRoot, { delimiter: '/' })) {
    const match = /^\.trainyard\/events\/([0-9a-z]{1,64})\/$/.exec(entry.key);
    if (match) clients.push(match[1]!);
  }
  const events: ReadEvent[] = [];
  const warnings = new Map<string, ClockWarning>();
  for (const client of clients) {
    const cursor = advanceCursor(db, remote, client);
    const startAfter = cursor > 0 ? eventKey(client, cursor) : undefined;
    for await (const entry of bucket.list(`${eventsRoot}${client}/`, startAfter ? { startAfter } : {})) {
      const match = eventKeyPattern.exec(entry.key);
      if (!match || match[1] !== client) continue; // a foreign object under the prefix: not ours to read
      const seq = Number(match[2]);
      if (known.get(remote, client, seq)) continue; // our own, or kept before
      const event = parseEvent(entry.key, client, seq, await bucket.get(entry.key));
      if (event.body) {
        const warning = clock.receive(event.body.hlc, { client, author: event.body.author });
        if (warning) warnings.set(client, warning);
      }
      events.push(event);
    }
  }
  events.sort((a, b) => compareOrder(orderOf(a), orderOf(b)));
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
