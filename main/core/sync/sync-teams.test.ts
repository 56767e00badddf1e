import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';
import { createBucket, testS3Client, type S3TestServer } from './testing/s3-client';
import { announceSkips, syncTestTargets, testRemoteConfig } from './testing/targets';

announceSkips();

const mib = 1024 * 1024;
const syncTransfer = { multipartThreshold: 8 * mib, partSize: 5 * mib, concurrency: 8, retry: { tries: 6, baseMs: 20, capMs: 200 } } as const;
const prefix = 'team/project';

type Home = Workbench & { home: string };

describe.each(syncTestTargets)('teams syncing through $name', (target) => {
  describe.skipIf(target.skip !== null)('', () => {
    let server: S3TestServer;
    let client: S3Client;
    const homes: Home[] = [];
    let buckets = 0;

    beforeAll(async () => {
      server = await target.start();
      client = testS3Client(server);
    }, 60_000);
    afterAll(async () => {
      client?.destroy();
      await server?.stop();
    });
    afterEach(async () => {
      for (const home of homes.splice(0)) await home.dispose();
    });

    async function freshBucket(): Promise<string> {
      buckets += 1;
      const name = `yard-team-${buckets}`;
      await createBucket(client, name);
      return name;
    }

    async function openHome(bucket: string): Promise<Home> {
      const home = await openTestWorkbench({ syncTransfer });
      homes.push(home);
      home.sync.saveRemote(testRemoteConfig(server, bucket), { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey });
      await home.sync.testRemote('team');
      return home;
    }

    async function put(key: string, body: Buffer | string, bucket: string): Promise<void> {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${key}`, Body: body }));
    }

    async function registerModel(home: Home, name: string, bytes: string): Promise<string> {
      const run = home.tracking.createRun({ name: `train-${bytes}` });
      await home.artifacts.writeBytes(run.id, 'model/model.onnx', Buffer.from(bytes));
      home.tracking.endRun(run.id);
      home.registry.register(run.id, name);
      return run.id;
    }

    const numbering = (home: Home, name: string) => home.registry.versions(name).map((version) => ({ version: version.version, runId: version.runId })).sort((a, b) => a.version - b.version);

    it('two homes syncing at the same moment converge, racing registrations included', async () => {
      const bucket = await freshBucket();
      const alice = await openHome(bucket);
      const bob = await openHome(bucket);
      const runA = await registerModel(alice, 'iris', 'model-a');
      const runB = await registerModel(bob, 'iris', 'model-b');
      alice.registry.setAlias('iris', 'champion', 1);
      bob.registry.setAlias('iris', 'champion', 1);

      // Both at once, then each once more to take what the other pushed meanwhile.
      await Promise.all([alice.sync.run({ direction: 'both', dryRun: false }), bob.sync.run({ direction: 'both', dryRun: false })]);
      await alice.sync.run({ direction: 'both', dryRun: false });
      await bob.sync.run({ direction: 'both', dryRun: false });
      await alice.sync.run({ direction: 'both', dryRun: false });

      const onAlice = numbering(alice, 'iris');
      expect(onAlice).toEqual(numbering(bob, 'iris'));
      expect(onAlice.map((entry) => entry.runId).sort()).toEqual([runA, runB].sort());
      expect(alice.registry.get('iris').aliases).toEqual(bob.registry.get('iris').aliases);
      // Whoever lost the race was told, never silently renumbered.
      const conflicts = [...alice.sync.status().conflicts, ...bob.sync.status().conflicts];
      expect(conflicts.some((conflict) => conflict.kind.length > 0 && /iris/.test(conflict.entity + conflict.message))).toBe(true);
    }, 120_000);

    it('leaves unrelated objects under the prefix alone', async () => {
      const bucket = await freshBucket();
      await put('README.txt', 'not ours', bucket);
      await put('ab/cdef0123456789abcdef0123456789', 'a legacy-looking key', bucket);
      const alice = await openHome(bucket);
      const run = alice.tracking.createRun({ name: 'shared' });
      await alice.artifacts.writeBytes(run.id, 'a.txt', Buffer.from('a'));
      await alice.sync.run({ direction: 'both', dryRun: false });
      const bob = await openHome(bucket);
      await bob.sync.run({ direction: 'both', dryRun: false });
      expect(bob.tracking.getRun(run.id).name).toBe('shared');
      const readme = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}/README.txt` }));
      expect(await readme.Body!.transformToString()).toBe('not ours');
    }, 60_000);

    it('refuses a corrupt object under files/ and applies the event once the right bytes are there', async () => {
      const bucket = await freshBucket();
      const alice = await openHome(bucket);
      const run = alice.tracking.createRun({ name: 'metrics' });
      alice.tracking.logBatch({ runId: run.id, metrics: Array.from({ length: 100 }, (_, step) => ({ key: 'loss', step, value: 1 / (1 + step) })) });
      alice.tracking.endRun(run.id);
      await alice.sync.run({ direction: 'push', dryRun: false });
      // Find the run's metrics object (an eager object) and replace its bytes with foreign ones.
      const metricsOid = (alice.db.prepare("SELECT body FROM sync_events WHERE own = 1").pluck().all() as string[])
        .flatMap((body) => (JSON.parse(body) as { records: Array<{ type: string; objects: { eager: string[] } }> }).records)
        .find((record) => record.type === 'run')!.objects.eager[0]!;
      const key = `files/md5/${metricsOid.slice(0, 2)}/${metricsOid.slice(2)}`;
      const original = Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}/${key}` }))).Body!.transformToByteArray());
      await put(key, Buffer.from('foreign bytes'), bucket);

      const bob = await openHome(bucket);
      const first = await bob.sync.run({ direction: 'pull', dryRun: false });
      expect(first.refusedObjects.map((refused) => refused.oid)).toEqual([metricsOid]);
      expect(bob.objects.hasSync(metricsOid)).toBe(false);
      expect(() => bob.tracking.getRun(run.id)).toThrow();

      await put(key, original, bucket);
      expect(createHash('md5').update(original).digest('hex')).toBe(metricsOid);
      await bob.sync.run({ direction: 'pull', dryRun: false });
      expect(bob.tracking.series({ runId: run.id, key: 'loss', maxPoints: 1000 }).points).toHaveLength(100);
    }, 60_000);

    it('keeps an event from a newer Trainyard without failing the sync', async () => {
      const bucket = await freshBucket();
      await put('.trainyard/events/f00d/000000000001.json', JSON.stringify({ format: 99, client: 'f00d', seq: 1, hlc: '000001700000000.000000', author: 'future', createdAt: 0, records: [{ type: 'hologram' }] }), bucket);
      const alice = await openHome(bucket);
      const report = await alice.sync.run({ direction: 'both', dryRun: false });
      expect(report.unsupportedEvents).toBe(1);
      expect(alice.sync.status().unsupportedEvents).toBe(1);
      expect(alice.sync.status().history[0]!.status).toBe('succeeded');
    }, 60_000);

    // fauxqs accepts any keys.
    it.skipIf(target.name === 'fauxqs')('says what is wrong with the credentials', async () => {
      const bucket = await freshBucket();
      const home = await openTestWorkbench({ syncTransfer });
      homes.push(home);
      home.sync.saveRemote(testRemoteConfig(server, bucket), { accessKeyId: server.accessKeyId, secretAccessKey: 'not-the-secret' });
      await expect(home.sync.testRemote('team')).rejects.toThrow(/credential|secret|signature/i);
      await expect(home.sync.run({ direction: 'both', dryRun: false })).rejects.toThrow();
      expect(home.sync.status().history[0]).toMatchObject({ status: 'failed' });
    }, 60_000);
  });
});
