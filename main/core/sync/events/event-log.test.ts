import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database';
import { tempHome } from '../../testing/temp-home';
import { eventKey } from './event-schema';
import { Hlc, decodeHlc, encodeHlc } from './hlc';
import { MemoryBucket } from './memory-bucket';
import { openHome, sharedObjects, type TestHome } from './test-homes';

const opened: TestHome[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const home of opened.splice(0)) await home.dispose();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function setup(): Promise<{ bucket: MemoryBucket; open: (author: string, options?: Parameters<typeof openHome>[3]) => Promise<TestHome> }> {
  const bucket = new MemoryBucket();
  const files = sharedObjects();
  cleanups.push(files.remove);
  return {
    bucket,
    open: async (author, options = {}) => {
      const home = await openHome(bucket, files.store, author, options);
      opened.push(home);
      return home;
    },
  };
}

const put = (bucket: MemoryBucket, key: string, body: unknown) => bucket.putNew(key, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));
const statusOf = (home: TestHome) => home.workbench.db.prepare('SELECT client_id, seq, status, message FROM sync_events WHERE own = 0 ORDER BY client_id, seq').all() as Array<{ client_id: string; seq: number; status: string; message: string | null }>;
const hlcAt = (ms: number) => encodeHlc({ ms, counter: 0 });
const experimentRecord = (name: string) => ({ type: 'experiment', name, lifecycle: 'active', tags: {}, createdAt: 1, objects: { eager: [], lazy: [] } });

describe('the hybrid logical clock', () => {
  it('sorts as text, never goes back, and survives a restart', () => {
    const home = tempHome();
    cleanups.push(home.remove);
    let wall = 1_000;
    const db = openDatabase(`${home.path}/t.db`);
    const clock = new Hlc(db, () => wall);
    const first = clock.now();
    const second = clock.now(); // same millisecond: the counter moves
    wall = 500; // the wall clock stepped back
    const third = clock.now();
    expect([first, second, third]).toEqual([...[first, second, third]].sort());
    expect(new Set([first, second, third]).size).toBe(3);
    expect(decodeHlc(second)).toEqual({ ms: 1000, counter: 1 });
    expect(clock.receive(hlcAt(5_000), { client: 'x', author: 'x' })).toBeNull();
    expect(clock.now() > hlcAt(5_000)).toBe(true);
    const warning = clock.receive(hlcAt(wall + 3 * 3_600_000), { client: 'x', author: 'alice' });
    expect(warning?.message).toBe("alice's clock is 3 h ahead");
    const reopened = new Hlc(db, () => wall);
    expect(reopened.clientId).toBe(clock.clientId);
    expect(reopened.now() > hlcAt(wall + 3 * 3_600_000)).toBe(true);
    db.close();
  });
});

describe('reading and writing the event log', () => {
  it('keeps events from a newer app and malformed ones, never failing the rest', async () => {
    const { bucket, open } = await setup();
    const home = await open('bob');
    const base = { client: 'f00d', author: 'carol', createdAt: 1, hlc: hlcAt(Date.now() - 10_000) };
    await put(bucket, eventKey('f00d', 1), { ...base, format: 1, seq: 1, records: [experimentRecord('first')] });
    await put(bucket, eventKey('f00d', 2), { ...base, format: 99, seq: 2, records: [{ type: 'hologram' }] });
    await put(bucket, eventKey('f00d', 3), { ...base, format: 1, seq: 3, records: [experimentRecord('x'), { type: 'hologram', objects: { eager: [], lazy: [] } }] });
    await put(bucket, eventKey('f00d', 4), '{"format": 1, "client": "f00d", "seq": 4, "hlc": ');
    await put(bucket, eventKey('f00d', 5), { ...base, format: 1, seq: 5, records: [{ type: 'run', id: 'not-an-id', objects: { eager: [], lazy: [] } }] });
    await put(bucket, eventKey('f00d', 6), { ...base, format: 1, seq: 6, records: [experimentRecord('last')] });
    await put(bucket, '.trainyard/events/f00d/notes.txt', 'not an event');

    const { applied } = await home.pull();
    expect(applied).toMatchObject({ applied: 2, unsupported: 2 });
    expect(applied.failed.map((failure) => failure.key)).toEqual([eventKey('f00d', 4), eventKey('f00d', 5)]);
    expect(statusOf(home).map((row) => [row.seq, row.status])).toEqual([
      [1, 'applied'],
      [2, 'unsupported'],
      [3, 'unsupported'],
      [4, 'failed'],
      [5, 'failed'],
      [6, 'applied'],
    ]);
    expect(statusOf(home)[1]!.message).toMatch(/event format 99 by a newer Trainyard/);
    expect(statusOf(home)[2]!.message).toMatch(/record types this Trainyard does not know: hologram/);
    expect(statusOf(home)[3]!.message).toMatch(/not JSON/);
    expect(statusOf(home)[4]!.message).toMatch(/run record is malformed: id/);
    expect(home.workbench.experiments.getByName('first')).not.toBeNull();
    expect(home.workbench.experiments.getByName('last')).not.toBeNull();
    expect(home.workbench.experiments.getByName('x')).toBeNull(); // an unsupported event applies none of its records
    // Read once: the cursor moved past all of them.
    const again = await home.pull();
    expect(again.applied).toMatchObject({ applied: 0, unsupported: 0, failed: [] });
  });

  it("reads a teammate whose clock is 3 h behind, and that teammate is warned about ours", async () => {
    const { open } = await setup();
    const alice = await open('alice');
    const carol = await open('carol', { wallClock: () => Date.now() - 3 * 3_600_000 });
    alice.workbench.experiments.create('alice-first');
    await alice.push();
    await alice.pull();
    carol.workbench.experiments.create('from-the-past');
    const pushed = await carol.push();
    expect(pushed.written.events[0]!.hlc < alice.clock.current()).toBe(true);
    await alice.pull();
    expect(alice.workbench.experiments.getByName('from-the-past')).not.toBeNull();
    const { warnings } = await carol.pull();
    expect(warnings.map((warning) => warning.message)).toEqual(["alice's clock is 3 h ahead"]);
    expect(carol.workbench.experiments.getByName('alice-first')).not.toBeNull();
  });

  it('a copied home (same client id) never overwrites events; each reads the other’s', async () => {
    const { bucket, open } = await setup();
    const original = await open('alice', { clientId: 'c0ffee' });
    const copy = await open('alice', { clientId: 'c0ffee' });
    original.workbench.experiments.create('original-only');
    copy.workbench.experiments.create('copy-only');
    const first = await original.push();
    const second = await copy.push();
    expect(first.written.events.map((event) => event.seq)).toEqual([1]);
    expect(second.written.takenKeys).toEqual([eventKey('c0ffee', 1)]);
    expect(second.written.events.map((event) => event.seq)).toEqual([2]);
    expect([...bucket.objects.keys()].sort()).toEqual([eventKey('c0ffee', 1), eventKey('c0ffee', 2)]);
    await original.pull();
    await copy.pull();
    expect(original.workbench.experiments.getByName('copy-only')).not.toBeNull();
    expect(copy.workbench.experiments.getByName('original-only')).not.toBeNull();
  });

  it('splits a large push into several events below the size limit', async () => {
    const { bucket, open } = await setup();
    const home = await open('alice');
    for (let index = 0; index < 30; index++) home.workbench.experiments.create(`e${index}`, { blob: 'x'.repeat(2000) });
    const { batch } = await home.push();
    const { writeEvents } = await import('./event-log');
    const result = await writeEvents(home.workbench.db, bucket, { remote: 'team', clock: home.clock, author: 'alice', limit: 10_000 }, batch.records, batch.marks);
    expect(result.events.length).toBeGreaterThan(5);
    expect(result.events.every((event) => event.bytes < 10_000 + 2_000)).toBe(true);
    expect(result.events.reduce((sum, event) => sum + event.records, 0)).toBe(batch.records.length);
  });
});
