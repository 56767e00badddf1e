import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseEvent } from './events/event-log';
import { openTestWorkbench, tempHome } from '../testing/temp-home';
import type { Workbench } from '../workbench';
import { startFaultProxy, type FaultProxy } from './testing/fault-proxy';
import { createBucket, testS3Client, type S3TestServer } from './testing/s3-client';
import { announceSkips, syncTestTargets, testRemoteConfig } from './testing/targets';

announceSkips();

const mib = 1024 * 1024;
/** fauxqs refuses bodies over 11 MiB: multipart from 8 MiB in 5 MiB parts. */
const syncTransfer = { multipartThreshold: 8 * mib, partSize: 5 * mib, concurrency: 8, retry: { tries: 12, baseMs: 20, capMs: 300 } } as const;

type Home = Workbench & { home: string };

/** Every key under the prefix with its bytes. */
async function bucketContents(client: S3Client, bucket: string, prefix: string): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }));
    for (const entry of page.Contents ?? []) {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: entry.Key! }));
      contents.set(entry.Key!.slice(prefix.length + 1), Buffer.from(await object.Body!.transformToByteArray()));
    }
    token = page.NextContinuationToken;
  } while (token);
  return contents;
}

/** The bucket is consistent: content keys hold bytes hashing to the key; every event references only objects present. */
function expectConsistent(contents: ReadonlyMap<string, Buffer>): { events: number; objects: number } {
  let events = 0;
  let objects = 0;
  for (const [key, bytes] of contents) {
    const content = /^files\/md5\/([0-9a-f]{2})\/([0-9a-f]{30})(\.dir)?$/.exec(key);
    if (content) {
      objects += 1;
      expect(createHash('md5').update(bytes).digest('hex'), key).toBe(content[1]! + content[2]!);
      continue;
    }
    const event = /^\.trainyard\/events\/([0-9a-z]+)\/(\d+)\.json$/.exec(key);
    expect(event, `unexpected key ${key}`).not.toBeNull();
    events += 1;
    const parsed = parseEvent(key, event![1]!, Number(event![2]), bytes);
    expect(parsed.status, key).toBe('ok');
    if (parsed.status !== 'ok') continue;
    for (const record of parsed.body.records) {
      for (const oid of [...record.objects.eager, ...record.objects.lazy]) expect(contents.has(`files/md5/${oid.slice(0, 2)}/${oid.slice(2)}`), `${key} references ${oid}`).toBe(true);
    }
  }
  return { events, objects };
}

describe.each(syncTestTargets)('SyncService on $name', (target) => {
  describe.skipIf(target.skip !== null)('', () => {
    let server: S3TestServer;
    let proxy: FaultProxy;
    let client: S3Client;
    const homes: Home[] = [];
    let bucketCount = 0;

    beforeAll(async () => {
      server = await target.start();
      proxy = await startFaultProxy(server.endpoint);
      client = testS3Client(server);
    }, 60_000);
    afterAll(async () => {
      client?.destroy();
      await proxy?.close();
      await server?.stop();
    });
    afterEach(async () => {
      proxy.setMode('pass');
      for (const home of homes.splice(0)) await home.dispose();
    });

    /** A home with the team remote on a fresh bucket (through the proxy when asked). */
    async function openHome(bucket: string, options: { viaProxy?: boolean; author?: string } = {}): Promise<Home> {
      const home = await openTestWorkbench({ syncTransfer });
      homes.push(home);
      const endpoint = options.viaProxy ? proxy.endpoint : server.endpoint;
      home.sync.saveRemote(testRemoteConfig({ endpoint }, bucket), { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey });
      await home.sync.testRemote('team');
      return home;
    }

    async function freshBucket(): Promise<string> {
      bucketCount += 1;
      const name = `yard-sync-${bucketCount}`;
      await createBucket(client, name);
      return name;
    }

    it('moves runs (metrics, lazy artifacts), datasets and models from one home to another', async () => {
      const bucket = await freshBucket();
      const alice = await openHome(bucket);
      const experiment = alice.experiments.create('churn');
      const run = alice.tracking.createRun({ experimentId: experiment.id, name: 'baseline', params: [{ key: 'lr', value: '0.01' }] });
      alice.tracking.logBatch({ runId: run.id, metrics: Array.from({ length: 2000 }, (_, step) => ({ key: 'loss', step, value: 1 / (1 + step) })) });
      const artifact = Buffer.from('the notes of the baseline run\n');
      await alice.artifacts.writeBytes(run.id, 'notes/readme.txt', artifact);
      await alice.artifacts.writeBytes(run.id, 'model/model.onnx', Buffer.from('not really onnx, but bytes'));
      alice.tracking.endRun(run.id);
      alice.registry.register(run.id, 'churn-model');
      const folder = join(tempHome().path, 'customers');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'a.csv'), 'id,age\n1,30\n2,41\n');
      writeFileSync(join(folder, 'b.csv'), 'id,age\n3,25\n');
      const version = await alice.datasets.importPath(folder, { name: 'customers' });

      const pushed = await alice.sync.run({ direction: 'both', dryRun: false });
      expect(pushed.pushed.events).toBeGreaterThan(0);
      expect(pushed.pushed.objects).toBeGreaterThan(0);

      const contents = await bucketContents(client, bucket, 'team/project');
      const counted = expectConsistent(contents);
      expect(counted.events).toBe(pushed.pushed.events);
      // DVC's layout: the dataset's manifest under its `.dir` oid, byte-for-byte what DVC builds.
      expect(contents.has(`files/md5/${version.oid.slice(0, 2)}/${version.oid.slice(2)}`)).toBe(true);
      expect(JSON.parse(contents.get(`files/md5/${version.oid.slice(0, 2)}/${version.oid.slice(2)}`)!.toString()).map((entry: { relpath: string }) => entry.relpath)).toEqual(['a.csv', 'b.csv']);

      const bob = await openHome(bucket);
      const pulled = await bob.sync.run({ direction: 'both', dryRun: false });
      expect(pulled.pulled.events).toBe(pushed.pushed.events);
      const copy = bob.tracking.getRun(run.id);
      expect(copy.params).toEqual({ lr: '0.01' });
      // A teammate's run says who made it; a run made here does not.
      expect(copy.syncedBy).toBe(alice.sync.status().author);
      expect(alice.tracking.getRun(run.id).syncedBy).toBeNull();
      expect(bob.tracking.series({ runId: run.id, key: 'loss', maxPoints: 5000 })).toEqual(alice.tracking.series({ runId: run.id, key: 'loss', maxPoints: 5000 }));
      // The artifact is a row until read; reading fetches it from the bucket.
      expect(bob.objects.hasSync(createHash('md5').update(artifact).digest('hex'))).toBe(false);
      const read = await bob.artifacts.read(run.id, 'notes/readme.txt', 1000);
      expect(read.content).toBe(artifact.toString());
      expect(bob.registry.versions('churn-model').map((entry) => entry.version)).toEqual([1]);
      const bobVersion = bob.datasets.rows.version('customers');
      expect(bobVersion.oid).toBe(version.oid);
      expect((await bob.datasets.preview('customers', bobVersion.version, 0, 10)).rows).toHaveLength(3);

      // Alice takes what Bob's first sync pushed (his home's records); after that nothing moves.
      await alice.sync.run({ direction: 'both', dryRun: false });
      const again = await alice.sync.run({ direction: 'both', dryRun: false });
      expect(again.pushed).toMatchObject({ objects: 0, events: 0 });
      expect(again.pulled.events).toBe(0);
      expect(alice.sync.status().history[0]).toMatchObject({ status: 'succeeded' });
    }, 120_000);

    it('finishes after connection faults stop, uploading nothing twice in full', async () => {
      const bucket = await freshBucket();
      const alice = await openHome(bucket, { viaProxy: true });
      const run = alice.tracking.createRun({ name: 'big' });
      const big = Buffer.alloc(12 * mib, 7);
      for (let index = 0; index < 20; index += 1) await alice.artifacts.writeBytes(run.id, `parts/${index}.bin`, Buffer.from(`part ${index} `.repeat(2000)));
      await alice.artifacts.writeBytes(run.id, 'big.bin', big);
      alice.tracking.endRun(run.id);

      proxy.resetStats();
      proxy.setMode('drop-after-bytes', { bytes: 3 * mib });
      await expect(alice.sync.run({ direction: 'push', dryRun: false })).rejects.toThrow();
      // The faults stop (after three 503s): the next sync finishes, sending only what is not there yet.
      proxy.resetStats();
      proxy.setMode('http-status', { status: 503, count: 3 });
      const report = await alice.sync.run({ direction: 'push', dryRun: false });
      expect(report.pushed.events).toBeGreaterThan(0);
      expect(report.skippedObjects).toBeGreaterThan(0);
      expect(proxy.stats().bytesUp).toBeLessThan(big.length + 2 * mib);
      expect(proxy.stats().faults).toBeGreaterThanOrEqual(3);

      const contents = await bucketContents(client, bucket, 'team/project');
      expectConsistent(contents);
      expect(contents.get(`files/md5/${createHash('md5').update(big).digest('hex').slice(0, 2)}/${createHash('md5').update(big).digest('hex').slice(2)}`)?.equals(big)).toBe(true);
    }, 120_000);

    it("lays a folder out exactly as DVC does (SEMANTICS.md 1.2's test vector)", async () => {
      const bucket = await freshBucket();
      const alice = await openHome(bucket);
      const folder = join(tempHome().path, 'data');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'one'), 'one');
      writeFileSync(join(folder, 'two'), 'two');
      writeFileSync(join(folder, 'table.csv'), 'a\n1\n');
      const version = await alice.datasets.importPath(folder, { name: 'vector' });
      await alice.sync.run({ direction: 'push', dryRun: false });
      const contents = await bucketContents(client, bucket, 'team/project');
      expect(contents.get('files/md5/f9/7c5d29941bfb1b2fdab0874906ab82')?.toString()).toBe('one');
      expect(contents.get('files/md5/b8/a9f715dbb64fd5c56e7783c6820a61')?.toString()).toBe('two');
      const manifest = contents.get(`files/md5/${version.oid.slice(0, 2)}/${version.oid.slice(2)}`)!.toString();
      const tableMd5 = createHash('md5').update('a\n1\n').digest('hex');
      expect(manifest).toBe(`[{"md5": "f97c5d29941bfb1b2fdab0874906ab82", "relpath": "one"}, {"md5": "${tableMd5}", "relpath": "table.csv"}, {"md5": "b8a9f715dbb64fd5c56e7783c6820a61", "relpath": "two"}]`);
      expect(version.oid).toBe(`${createHash('md5').update(manifest).digest('hex')}.dir`);
    }, 60_000);

    it('dry run says what would move and moves nothing', async () => {
      const bucket = await freshBucket();
      const alice = await openHome(bucket);
      const run = alice.tracking.createRun({ name: 'dry' });
      await alice.artifacts.writeBytes(run.id, 'a.txt', Buffer.from('a'));
      await alice.artifacts.writeBytes(run.id, 'model/model.onnx', Buffer.from('m'));
      alice.tracking.logBatch({ runId: run.id, metrics: [{ key: 'loss', value: 1, step: 0, timestamp: 1 }] });
      alice.registry.register(run.id, 'iris');
      alice.registry.update('iris', { newName: 'iris2' });
      // Nothing the sync state holds changes (sync_history records the dry run itself).
      const state = () => ['sync_version_keys', 'sync_pushed', 'sync_events', 'sync_remote_state', 'sync_cursors', 'sync_conflicts'].map((table) => alice.db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all());
      const before = state();
      const report = await alice.sync.run({ direction: 'both', dryRun: true });
      expect(report.dryRun).toBe(true);
      expect(report.pushed.objects).toBeGreaterThan(0);
      expect(report.pushed.records).toMatchObject({ run: 1, registry: 3 });
      expect((await bucketContents(client, bucket, 'team/project')).size).toBe(0);
      expect(state()).toEqual(before);
      expect((await alice.sync.run({ direction: 'both', dryRun: true })).pushed.records).toEqual(report.pushed.records);
      expect(state()).toEqual(before);
    }, 60_000);
  });
});
