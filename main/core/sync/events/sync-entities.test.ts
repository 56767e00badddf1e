import { readFile, rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { eventKey } from './event-schema';
import { MemoryBucket } from './memory-bucket';
import { openHome, sharedObjects, type TestHome } from './test-homes';

const opened: TestHome[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const home of opened.splice(0)) await home.dispose();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Homes of a team; with `clocks`, home i's wall clock is now + clocks[i] ms (a fixed order for ties). */
async function team(authors: string[], clocks: number[] = []): Promise<{ bucket: MemoryBucket; homes: TestHome[] }> {
  const bucket = new MemoryBucket();
  const files = sharedObjects();
  cleanups.push(files.remove);
  const homes: TestHome[] = [];
  for (const [index, author] of authors.entries()) {
    const offset = clocks[index];
    const home = await openHome(bucket, files.store, author, offset === undefined ? {} : { wallClock: () => Date.now() + offset });
    opened.push(home);
    homes.push(home);
  }
  return { bucket, homes };
}

function originOf(home: TestHome, kind: string, entity: string): string | undefined {
  return home.workbench.db.prepare('SELECT author FROM sync_origins WHERE kind = ? AND entity = ?').pluck().get(kind, entity) as string | undefined;
}

describe('runs, experiments, datasets and pipelines through the event log', () => {
  it('a run pushed by one home appears in another with the same params, tags, metrics and author', async () => {
    const { homes } = await team(['alice', 'bob']);
    const [a, b] = homes as [TestHome, TestHome];
    const experiment = a.workbench.experiments.create('iris', { team: 'ml' });
    const run = a.workbench.tracking.createRun({ experimentId: experiment.id, name: 'baseline', params: [{ key: 'lr', value: '0.01' }], tags: [{ key: 'stage', value: 'dev' }] });
    const metrics = Array.from({ length: 10_000 }, (_, step) => ({ key: step % 2 === 0 ? 'loss' : 'acc', value: step === 5000 ? Number.NaN : Math.sin(step / 50), step, timestamp: 1_700_000_000_000 + step }));
    for (let start = 0; start < metrics.length; start += 1000) a.workbench.tracking.logBatch({ runId: run.id, metrics: metrics.slice(start, start + 1000) });
    await a.workbench.artifacts.writeBytes(run.id, 'out/report.txt', Buffer.from('hello'));
    a.workbench.tracking.endRun(run.id, 'FINISHED');

    const pushed = await a.push();
    expect(pushed.batch.counts).toMatchObject({ experiment: 2, run: 1 }); // "Default" and "iris"
    expect(pushed.written.events).toHaveLength(1);
    await b.pull();

    const there = b.workbench.tracking.getRun(run.id);
    const here = a.workbench.tracking.getRun(run.id);
    expect(there.name).toBe('baseline');
    expect(there.status).toBe('FINISHED');
    expect(there.params).toEqual(here.params);
    expect(there.tags).toEqual(here.tags);
    expect(there.metrics).toEqual(here.metrics);
    expect(b.workbench.experiments.getByName('iris')?.tags).toEqual({ team: 'ml' });
    for (const key of ['loss', 'acc']) {
      for (const maxPoints of [100_000, 500]) {
        const theirs = b.workbench.tracking.series({ runId: run.id, key, maxPoints });
        const ours = a.workbench.tracking.series({ runId: run.id, key, maxPoints });
        expect(theirs).toEqual(ours);
      }
    }
    expect(b.workbench.artifacts.files(run.id, 'out')).toEqual([{ relpath: 'report.txt', md5: '5d41402abc4b2a76b9719d911017c592', size: 5 }]);
    expect(originOf(b, 'run', run.id)).toBe('alice');
    expect(originOf(a, 'run', run.id)).toBeUndefined();
  });

  it('pushing again with no change writes no event, and what came from a teammate is not sent back', async () => {
    const { bucket, homes } = await team(['alice', 'bob']);
    const [a, b] = homes as [TestHome, TestHome];
    const run = a.workbench.tracking.createRun({ name: 'r1', params: [{ key: 'k', value: 'v' }] });
    a.workbench.tracking.logBatch({ runId: run.id, metrics: [{ key: 'm', value: 1, step: 0 }] });
    await a.push();
    const writes = bucket.writes;
    const again = await a.push();
    expect(again.batch.records).toHaveLength(0);
    expect(again.written.events).toHaveLength(0);
    expect(bucket.writes).toBe(writes);

    await b.pull();
    const fromB = await b.push();
    expect(fromB.batch.records).toHaveLength(0);
    expect(bucket.writes).toBe(writes);
  });

  it('an updated run is sent again and updated on the teammate’s home; older records never win', async () => {
    const { bucket, homes } = await team(['alice', 'bob']);
    const [a, b] = homes as [TestHome, TestHome];
    const run = a.workbench.tracking.createRun({ name: 'r1' });
    a.workbench.tracking.logBatch({ runId: run.id, metrics: [{ key: 'm', value: 1, step: 0 }] });
    await a.push();
    await b.pull();
    a.workbench.tracking.setTag(run.id, 'verdict', 'good');
    a.workbench.tracking.logBatch({ runId: run.id, metrics: [{ key: 'm', value: 2, step: 1 }] });
    const second = await a.push();
    expect(second.batch.records.map((record) => record.type)).toEqual(['run']);
    await b.pull();
    const there = b.workbench.tracking.getRun(run.id);
    expect(there.tags).toMatchObject({ verdict: 'good' });
    expect(b.workbench.tracking.series({ runId: run.id, key: 'm', maxPoints: 100 }).points.map((p) => p.value)).toEqual([1, 2]);
    // Pulling again changes nothing.
    const again = await b.pull();
    expect(again.applied.applied).toBe(0);
    // A record older than what B has (a teammate who was offline) does not overwrite it.
    const stale = { ...second.batch.records[0]!, name: 'stale name', tags: {} };
    const old = `${String(Date.now() - 3_600_000).padStart(15, '0')}.000000`;
    await bucket.putNew(eventKey('0ld', 1), Buffer.from(JSON.stringify({ format: 1, client: '0ld', seq: 1, hlc: old, author: 'dave', createdAt: 1, records: [stale] })));
    expect((await b.pull()).applied.applied).toBe(1);
    expect(b.workbench.tracking.getRun(run.id)).toMatchObject({ name: 'r1', tags: { verdict: 'good' } });
  });

  it('an event whose eager objects are not here yet waits for the next sync, with its client’s later events', async () => {
    const bucket = new MemoryBucket();
    const files = sharedObjects();
    cleanups.push(files.remove);
    const a = await openHome(bucket, files.store, 'alice');
    const b = await openHome(bucket, files.store, 'bob');
    opened.push(a, b);
    const run = a.workbench.tracking.createRun({ name: 'r1' });
    a.workbench.tracking.logBatch({ runId: run.id, metrics: [{ key: 'm', value: 1, step: 0 }] });
    const { batch } = await a.push();
    a.workbench.experiments.create('later');
    await a.push();
    const metricsOid = batch.objects.eager[0]!;
    const saved = await readFile(files.store.pathOf(metricsOid));
    await rm(files.store.pathOf(metricsOid));
    const first = await b.pull();
    expect(first.applied.applied).toBe(0);
    expect(first.applied.deferred.map((item) => item.missing)).toEqual([[metricsOid], []]);
    expect(b.workbench.experiments.getByName('later')).toBeNull();
    await files.store.putBytes(saved);
    const second = await b.pull();
    expect(second.applied.applied).toBe(2);
    expect(b.workbench.tracking.getRun(run.id).metrics['m']?.value).toBe(1);
    expect(b.workbench.experiments.getByName('later')).not.toBeNull();
  });

  it('sends only what the scope names', async () => {
    const { homes } = await team(['alice', 'bob']);
    const [a, b] = homes as [TestHome, TestHome];
    const kept = a.workbench.experiments.create('shared');
    const secret = a.workbench.experiments.create('private');
    a.workbench.tracking.createRun({ experimentId: kept.id, name: 'kept' });
    a.workbench.tracking.createRun({ experimentId: secret.id, name: 'secret' });
    insertPipeline(a, 'nightly', 'spec: 1');
    const { batch } = await a.push({ experiments: ['shared'], pipelines: false });
    expect(batch.counts).toEqual({ experiment: 1, run: 1 });
    await b.pull();
    expect(b.workbench.experiments.getByName('private')).toBeNull();
    expect(b.workbench.db.prepare('SELECT name FROM runs').pluck().all()).toEqual(['kept']);
  });

  it('experiments merge by name; dataset versions by (name, oid) with local numbers', async () => {
    const { homes } = await team(['alice', 'bob']);
    const [a, b] = homes as [TestHome, TestHome];
    a.workbench.experiments.create('shared', { owner: 'alice' });
    const bExperiment = b.workbench.experiments.create('shared');
    const runA = a.workbench.tracking.createRun({ experimentId: a.workbench.experiments.getByName('shared')!.id, name: 'from-a' });
    insertDatasetVersion(a, 'iris', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    insertDatasetVersion(b, 'iris', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
    insertDatasetVersion(b, 'iris', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    await a.push();
    await b.pull();
    expect(b.workbench.db.prepare("SELECT count(*) FROM experiments WHERE name = 'shared'").pluck().get()).toBe(1);
    expect(b.workbench.tracking.getRun(runA.id).experimentId).toBe(bExperiment.id);
    const versions = b.workbench.db.prepare("SELECT v.version, v.oid FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = 'iris' ORDER BY v.version").all();
    expect(versions).toEqual([
      { version: 1, oid: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' },
      { version: 2, oid: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
    ]);
    await b.push();
    await a.pull();
    const onA = a.workbench.db.prepare("SELECT v.version, v.oid FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE d.name = 'iris' ORDER BY v.version").all();
    expect(onA).toEqual([
      { version: 1, oid: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
      { version: 2, oid: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' },
    ]);
    expect(originOf(a, 'dataset-version', 'iris@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb')).toBe('bob');
  });

  it('pipelines: the last writer wins on every home, and finished DAG runs come along', async () => {
    const { homes } = await team(['alice', 'bob'], [0, 1000]);
    const [a, b] = homes as [TestHome, TestHome];
    insertPipeline(a, 'nightly', 'spec: alice-1');
    insertPipeline(b, 'nightly', 'spec: bob-1');
    a.workbench.db.prepare("INSERT INTO dag_runs (pipeline_id, run_id, kind, state, logical_date, created_at, params, spec) VALUES (1, 'manual__1', 'manual', 'success', 1, 1, '{}', 'spec: alice-1')").run();
    a.workbench.db.prepare("INSERT INTO task_instances (dag_run_id, task_id, kind, state, try_number) VALUES (1, 'train', 'train', 'success', 1)").run();
    await a.push();
    await b.push(); // bob's edit is later: his clock is a second ahead and has seen nothing of alice's
    await a.pull();
    await b.pull();
    const specA = a.workbench.db.prepare("SELECT spec FROM pipelines WHERE name = 'nightly'").pluck().get();
    const specB = b.workbench.db.prepare("SELECT spec FROM pipelines WHERE name = 'nightly'").pluck().get();
    expect(specA).toBe(specB);
    expect(specB).toBe('spec: bob-1');
    expect(b.workbench.db.prepare("SELECT t.state FROM task_instances t JOIN dag_runs d ON d.id = t.dag_run_id WHERE d.run_id = 'manual__1'").pluck().get()).toBe('success');

    // A later edit by alice wins on both.
    a.workbench.db.prepare("UPDATE pipelines SET spec = 'spec: alice-2' WHERE name = 'nightly'").run();
    await a.push();
    await b.pull();
    expect(b.workbench.db.prepare("SELECT spec FROM pipelines WHERE name = 'nightly'").pluck().get()).toBe('spec: alice-2');
  });
});

function insertDatasetVersion(home: TestHome, name: string, oid: string): void {
  const { db } = home.workbench;
  db.prepare('INSERT OR IGNORE INTO datasets (name, created_at, updated_at) VALUES (?, 1, 1)').run(name);
  const datasetId = db.prepare('SELECT id FROM datasets WHERE name = ?').pluck().get(name) as number;
  const next = ((db.prepare('SELECT max(version) FROM dataset_versions WHERE dataset_id = ?').pluck().get(datasetId) as number | null) ?? 0) + 1;
  const info = db
    .prepare(
      `INSERT INTO dataset_versions (dataset_id, version, oid, format, file_count, size_bytes, row_count, schema, profile, read_options, created_at, created_by)
       VALUES (?, ?, ?, 'csv', 1, 10, 3, '[]', '{}', NULL, 1, '"test"')`,
    )
    .run(datasetId, next, oid);
  db.prepare("INSERT INTO dataset_files (version_id, relpath, md5, size) VALUES (?, 'data.csv', ?, 10)").run(info.lastInsertRowid, oid);
}

function insertPipeline(home: TestHome, name: string, spec: string): void {
  home.workbench.db.prepare('INSERT INTO pipelines (name, spec, paused, created_at, updated_at) VALUES (?, ?, 0, 1, 1)').run(name, spec);
}
