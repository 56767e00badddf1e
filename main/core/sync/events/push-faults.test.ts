/**
 * Regressions from the sync review: a dry run writes nothing (F1); what a push marks is recorded
 * per event, with that event's hlc, in the transaction that keeps it — and an event whose PUT
 * landed without an answer is kept as written, not sent again (F2, F8); a pull never overwrites a
 * local change not yet pushed (F4); events kept as 'unsupported' apply once this version reads
 * them (F7); a no-change push skips pushed dataset versions and the read side runs in parallel (F13).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncScopeSchema } from '../../../../shared/sync';
import type { Bucket, BucketEntry } from '../bucket';
import { collectRecords } from './collect';
import { readEvents, writeEvents } from './event-log';
import { eventKey } from './event-schema';
import { encodeHlc } from './hlc';
import { MemoryBucket } from './memory-bucket';
import { openHome, remote, sharedObjects, type TestHome } from './test-homes';

const opened: TestHome[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const home of opened.splice(0)) await home.dispose();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function team(authors: string[]): Promise<{ bucket: MemoryBucket; homes: TestHome[] }> {
  const bucket = new MemoryBucket();
  const files = sharedObjects();
  cleanups.push(files.remove);
  const homes: TestHome[] = [];
  for (const author of authors) {
    const home = await openHome(bucket, files.store, author);
    opened.push(home);
    homes.push(home);
  }
  return { bucket, homes };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const scope = syncScopeSchema.parse({});
const collect = (home: TestHome, dryRun = false) => collectRecords(home.workbench.db, home.workbench.objects, { remote, scope, dryRun });

async function registerModel(home: TestHome, name: string, bytes: string): Promise<string> {
  const run = home.workbench.tracking.createRun({ name: `train-${bytes}` });
  await home.workbench.artifacts.writeBytes(run.id, 'model/model.onnx', Buffer.from(bytes));
  home.workbench.tracking.endRun(run.id);
  home.workbench.registry.register(run.id, name);
  return run.id;
}

const champion = (home: TestHome) =>
  home.workbench.db.prepare("SELECT v.version FROM model_aliases a JOIN model_versions v ON v.id = a.version_id WHERE a.alias = 'champion'").pluck().get() as number | undefined;

/** Every sync table a push may write, as rows: equal before and after means nothing was written. */
function syncState(home: TestHome): unknown {
  const { db } = home.workbench;
  return Object.fromEntries(
    ['sync_version_keys', 'sync_pushed', 'sync_events', 'sync_remote_state', 'sync_cursors', 'sync_conflicts'].map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all()]),
  );
}

/** A bucket whose PUTs land but whose answers are lost (retries exhausted, a crash, a cancel). */
function answerLost(bucket: MemoryBucket, from = 0): Bucket & { puts: number } {
  const flaky = {
    puts: 0,
    async putNew(key: string, bytes: Uint8Array) {
      const outcome = await bucket.putNew(key, bytes);
      if (flaky.puts++ >= from) throw new Error('socket hang up');
      return outcome;
    },
    list: (prefix: string, options?: { startAfter?: string; delimiter?: string }) => bucket.list(prefix, options),
    get: (key: string) => bucket.get(key),
  };
  return flaky;
}

/** A bucket whose PUTs fail before anything lands, from the `from`-th on. */
function failingFrom(bucket: MemoryBucket, from: number): Bucket {
  let puts = 0;
  return {
    putNew: (key, bytes) => (puts++ >= from ? Promise.reject(new Error('503 Slow Down')) : bucket.putNew(key, bytes)),
    list: (prefix, options) => bucket.list(prefix, options),
    get: (key) => bucket.get(key),
  };
}

describe('F1: collecting writes nothing; key changes ride with their event', () => {
  it('a dry run after a stage move and a rename changes no table, and the push after it still merges', async () => {
    const { homes } = await team(['alice', 'bob']);
    const [a, b] = homes as [TestHome, TestHome];
    await registerModel(a, 'iris', 'm');
    await a.push();
    await b.pull();
    a.workbench.registry.transitionStage('iris', 1, 'Production');
    a.workbench.registry.update('iris', { newName: 'iris2' });
    const before = syncState(a);
    const dry = await collect(a, true); // `sync --dry-run`
    expect(dry.counts).toMatchObject({ registry: 2 });
    expect(syncState(a)).toEqual(before);
    await collect(a, true); // twice: the same rows again, no UNIQUE failure
    expect(syncState(a)).toEqual(before);

    await a.push();
    const pulled = await b.pull();
    expect(pulled.merged.skipped).toEqual([]);
    expect(b.workbench.registry.versions('iris2')[0]?.stage).toBe('Production');
    expect((await a.push()).written.events).toEqual([]);
  });

  it('new version keys are kept only once the event naming them is written', async () => {
    const { bucket, homes } = await team(['alice']);
    const [a] = homes as [TestHome];
    await registerModel(a, 'iris', 'm1');
    const keys = () => a.workbench.db.prepare('SELECT model, version, key FROM sync_version_keys').all();
    const batch = await collect(a);
    await expect(writeEvents(a.workbench.db, failingFrom(bucket, 0), { remote, clock: a.clock, author: 'alice' }, batch.records, batch.marks)).rejects.toThrow(/Slow Down/);
    expect(keys()).toEqual([]);
    await a.push();
    expect(keys()).toEqual([{ model: 'iris', version: 1, key: expect.stringMatching(/^[0-9a-f]{16}$/) }]);
  });

  it('a dry run hashes metrics objects without storing them', async () => {
    const { homes } = await team(['alice']);
    const [a] = homes as [TestHome];
    const run = a.workbench.tracking.createRun({ name: 'r' });
    a.workbench.tracking.logBatch({ runId: run.id, metrics: [{ key: 'loss', value: 1, step: 0, timestamp: 1 }] });
    const dry = await collect(a, true);
    const [oid] = Object.keys(dry.unstored);
    expect(oid).toMatch(/^[0-9a-f]{32}$/);
    expect(dry.objects.eager).toContain(oid);
    expect(a.workbench.objects.hasSync(oid!)).toBe(false);
    const real = await collect(a);
    expect(real.objects.eager).toContain(oid);
    expect(a.workbench.objects.hasSync(oid!)).toBe(true);
  });
});

describe('F2 + F8: what a push marks is recorded per event', () => {
  it('an event that landed without an answer is kept as written, so a teammate’s later move stands', async () => {
    const { bucket, homes } = await team(['alice', 'bob']);
    const [a, b] = homes as [TestHome, TestHome];
    await registerModel(a, 'iris', 'm1');
    await registerModel(a, 'iris', 'm2');
    await a.push();
    await b.pull();
    a.workbench.registry.setAlias('iris', 'champion', 1);
    const batch = await collect(a);
    await expect(writeEvents(a.workbench.db, answerLost(bucket), { remote, clock: a.clock, author: 'alice' }, batch.records, batch.marks)).rejects.toThrow(/hang up/);
    await sleep(5);
    await b.pull();
    expect(champion(b)).toBe(1);
    b.workbench.registry.setAlias('iris', 'champion', 2); // Bob's later move
    await sleep(5);
    await b.push();
    await sleep(5);
    const again = await a.push(); // Alice syncs again: push first
    expect(again.written.events).toEqual([]); // the alias move is not sent a second time
    await a.pull();
    await b.pull();
    expect(champion(a)).toBe(2);
    expect(champion(b)).toBe(2);
    const own = a.workbench.db.prepare('SELECT count(*) FROM sync_events WHERE own = 1').pluck().get();
    expect(own).toBe(3); // seq 1, 2 and the one whose answer was lost
  });

  it('a pull-only sync after such a push keeps the event as ours, without a conflict', async () => {
    const { bucket, homes } = await team(['alice']);
    const [a] = homes as [TestHome];
    const run = a.workbench.tracking.createRun({ name: 'r' });
    a.workbench.tracking.endRun(run.id);
    const batch = await collect(a);
    await expect(writeEvents(a.workbench.db, answerLost(bucket), { remote, clock: a.clock, author: 'alice' }, batch.records, batch.marks)).rejects.toThrow();
    const pulled = await a.pull();
    expect(pulled.applied.applied).toBe(0);
    expect(a.workbench.db.prepare('SELECT own FROM sync_events').pluck().all()).toEqual([1]);
    expect(a.workbench.db.prepare('SELECT count(*) FROM sync_conflicts').pluck().get()).toBe(0);
    expect((await a.push()).written.events).toEqual([]);
  });

  it('a push failing part-way marks each event written with its own hlc, and only those', async () => {
    const { bucket, homes } = await team(['alice']);
    const [a] = homes as [TestHome];
    for (let index = 0; index < 6; index++) a.workbench.experiments.create(`e${index}`, { blob: 'x'.repeat(3000) });
    const batch = await collect(a);
    const limit = 7_000; // two experiments per event
    await expect(writeEvents(a.workbench.db, failingFrom(bucket, 2), { remote, clock: a.clock, author: 'alice', limit }, batch.records, batch.marks)).rejects.toThrow(/Slow Down/);
    const events = a.workbench.db.prepare('SELECT hlc, body FROM sync_events WHERE own = 1 ORDER BY seq').all() as Array<{ hlc: string; body: string }>;
    expect(events).toHaveLength(2);
    const pushedHlc = a.workbench.db.prepare("SELECT hlc FROM sync_pushed WHERE remote = ? AND kind = 'experiment' AND entity = ?").pluck();
    for (const event of events) {
      for (const record of (JSON.parse(event.body) as { records: Array<{ name: string }> }).records) expect(pushedHlc.get(remote, record.name)).toBe(event.hlc);
    }
    const marked = new Set(events.flatMap((event) => (JSON.parse(event.body) as { records: Array<{ name: string }> }).records.map((record) => record.name)));
    const rest = await collect(a);
    expect(rest.records.map((record) => (record as { name: string }).name).sort()).toEqual(batch.records.map((record) => (record as { name: string }).name).filter((name) => !marked.has(name)).sort());
    const written = await writeEvents(a.workbench.db, bucket, { remote, clock: a.clock, author: 'alice', limit }, rest.records, rest.marks);
    expect(written.events.length).toBeGreaterThan(0);
    expect((await collect(a)).records).toEqual([]);
  });
});

describe('F4: a pull keeps local changes not yet pushed', () => {
  it('a teammate’s newer record does not overwrite an unpushed edit; a conflict says so; the edit is pushed later', async () => {
    const { homes } = await team(['alice', 'bob']);
    const [a, b] = homes as [TestHome, TestHome];
    const run = a.workbench.tracking.createRun({ name: 'r' });
    a.workbench.tracking.endRun(run.id);
    await a.push();
    await b.pull();
    await sleep(5);
    b.workbench.tracking.setTag(run.id, 'owner', 'bob');
    await b.push();
    await sleep(5);
    a.workbench.tracking.setTag(run.id, 'note', 'alice-local'); // not pushed yet
    await a.pull(); // `trainyard sync --pull`
    const tags = () => a.workbench.db.prepare("SELECT key, value FROM tags t JOIN runs r ON r.pk = t.run_pk WHERE r.id = ? AND key NOT LIKE 'mlflow.%' ORDER BY key").all(run.id);
    expect(tags()).toEqual([{ key: 'note', value: 'alice-local' }]);
    const conflicts = a.workbench.db.prepare('SELECT kind, entity, message FROM sync_conflicts').all() as Array<{ kind: string; entity: string; message: string }>;
    expect(conflicts).toEqual([{ kind: 'run', entity: run.id, message: expect.stringMatching(new RegExp(`^your unpushed change to run ${run.id} was kept; bob's change of .* UTC was not applied — push to share yours$`)) }]);
    // Applying the same event again (another pull) changes nothing and adds no conflict.
    a.workbench.db.prepare('DELETE FROM sync_events WHERE own = 0').run();
    a.workbench.db.prepare('DELETE FROM sync_cursors').run();
    await a.pull();
    expect(tags()).toEqual([{ key: 'note', value: 'alice-local' }]);
    expect(a.workbench.db.prepare('SELECT count(*) FROM sync_conflicts').pluck().get()).toBe(1);
    // The local change is still to push, and wins on both homes.
    const pushed = await a.push();
    expect(pushed.batch.counts).toMatchObject({ run: 1 });
    await b.pull();
    const onBob = b.workbench.db.prepare("SELECT key, value FROM tags t JOIN runs r ON r.pk = t.run_pk WHERE r.id = ? AND key NOT LIKE 'mlflow.%' ORDER BY key").all(run.id);
    expect(onBob).toEqual(tags());
  });

  it('an entity unchanged here still takes a teammate’s newer record', async () => {
    const { homes } = await team(['alice', 'bob']);
    const [a, b] = homes as [TestHome, TestHome];
    const run = a.workbench.tracking.createRun({ name: 'r' });
    a.workbench.tracking.endRun(run.id);
    await a.push();
    await b.pull();
    await sleep(5);
    b.workbench.tracking.setTag(run.id, 'owner', 'bob');
    await b.push();
    await a.pull();
    expect(a.workbench.db.prepare("SELECT value FROM tags t JOIN runs r ON r.pk = t.run_pk WHERE r.id = ? AND key = 'owner'").pluck().get(run.id)).toBe('bob');
    expect(a.workbench.db.prepare('SELECT count(*) FROM sync_conflicts').pluck().get()).toBe(0);
  });
});

describe('F7: events kept as unsupported are read again', () => {
  it('a row kept as unsupported whose body this version reads is applied on the next pull', async () => {
    const { homes } = await team(['bob']);
    const [b] = homes as [TestHome];
    const hlc = encodeHlc({ ms: Date.now() - 10_000, counter: 0 });
    const body = { format: 1, client: 'f00d', seq: 1, hlc, author: 'carol', createdAt: 1, records: [{ type: 'experiment', name: 'from-the-future', lifecycle: 'active', tags: { a: 'b' }, createdAt: 1, objects: { eager: [], lazy: [] } }] };
    // Kept by an older version that did not know this record type (now it does).
    b.workbench.db
      .prepare("INSERT INTO sync_events (remote, client_id, seq, hlc, author, format, body, status, message, received_at, own) VALUES (?, 'f00d', 1, ?, 'carol', 1, ?, 'unsupported', 'holds record types this Trainyard does not know: experiment', 1, 0)")
      .run(remote, hlc, JSON.stringify(body));
    const pulled = await b.pull();
    expect(pulled.applied.applied).toBe(1);
    expect(b.workbench.experiments.getByName('from-the-future')).not.toBeNull();
    expect(b.workbench.db.prepare("SELECT status, message FROM sync_events WHERE client_id = 'f00d'").get()).toEqual({ status: 'applied', message: null });
    expect((await b.pull()).applied.applied).toBe(0);
  });

  it('one still unsupported stays as it was', async () => {
    const { bucket, homes } = await team(['bob']);
    const [b] = homes as [TestHome];
    const hlc = encodeHlc({ ms: Date.now() - 10_000, counter: 0 });
    await bucket.putNew(eventKey('f00d', 1), Buffer.from(JSON.stringify({ format: 99, client: 'f00d', seq: 1, hlc, author: 'carol', createdAt: 1, records: [] })));
    expect((await b.pull()).applied.unsupported).toBe(1);
    const again = await b.pull();
    expect(again.applied).toMatchObject({ applied: 0, unsupported: 0 });
    expect(b.workbench.db.prepare("SELECT status FROM sync_events WHERE client_id = 'f00d'").pluck().get()).toBe('unsupported');
  });
});

describe('F13: a no-change push and the read side', () => {
  it('a dataset version pushed once is not rebuilt by later collects', async () => {
    const { homes } = await team(['alice']);
    const [a] = homes as [TestHome];
    const { db } = a.workbench;
    db.prepare('INSERT INTO datasets (name, created_at, updated_at) VALUES (?, 1, 1)').run('iris');
    const info = db
      .prepare(
        `INSERT INTO dataset_versions (dataset_id, version, oid, format, file_count, size_bytes, row_count, schema, profile, read_options, created_at, created_by)
         VALUES ((SELECT id FROM datasets WHERE name = 'iris'), 1, ?, 'csv', 1, 10, 3, '[]', '{}', NULL, 1, '"test"')`,
      )
      .run('a'.repeat(32));
    db.prepare("INSERT INTO dataset_files (version_id, relpath, md5, size) VALUES (?, 'data.csv', ?, 10)").run(info.lastInsertRowid, 'a'.repeat(32));
    expect((await a.push()).batch.counts).toMatchObject({ 'dataset-version': 1 });
    // Were it rebuilt, this would change its digest; versions are immutable, so it is not read at all.
    db.prepare("UPDATE dataset_files SET size = 11 WHERE relpath = 'data.csv'").run();
    expect((await collect(a)).records).toEqual([]);
  });

  it('reads clients and events with bounded concurrency, in (hlc, client, seq) order', async () => {
    const { bucket, homes } = await team(['bob']);
    const [b] = homes as [TestHome];
    const base = Date.now() - 60_000;
    const clients = Array.from({ length: 12 }, (_, index) => `c${String(index).padStart(2, '0')}`);
    for (const [index, client] of clients.entries()) {
      for (let seq = 1; seq <= 3; seq++) {
        const hlc = encodeHlc({ ms: base + seq * 100 + (clients.length - index), counter: 0 });
        await bucket.putNew(eventKey(client, seq), Buffer.from(JSON.stringify({ format: 1, client, seq, hlc, author: client, createdAt: 1, records: [] })));
      }
    }
    let inFlight = 0;
    let peak = 0;
    const track = async <T>(work: () => Promise<T>): Promise<T> => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        await sleep(5);
        return await work();
      } finally {
        inFlight--;
      }
    };
    const slow: Bucket = {
      putNew: (key, bytes) => bucket.putNew(key, bytes),
      get: (key) => track(() => bucket.get(key)),
      async *list(prefix, options): AsyncIterable<BucketEntry> {
        const entries = await track(async () => {
          const out: BucketEntry[] = [];
          for await (const entry of bucket.list(prefix, options)) out.push(entry);
          return out;
        });
        yield* entries;
      },
    };
    const read = await readEvents(b.workbench.db, slow, { remote, clock: b.clock });
    expect(read.events).toHaveLength(36);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(8);
    const order = read.events.map((event) => [event.body?.hlc ?? '', event.client, event.seq] as const);
    expect(order).toEqual([...order].sort((x, y) => (x[0] !== y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] !== y[1] ? (x[1] < y[1] ? -1 : 1) : x[2] - y[2])));
  });
});
