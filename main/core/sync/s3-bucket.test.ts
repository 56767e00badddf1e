import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BucketEntry } from './bucket';
import { S3Bucket } from './s3-bucket';
import { createS3Client } from './s3-client';
import { startFaultProxy, type FaultProxy } from './testing/fault-proxy';
import { createBucket, testS3Client, type S3TestServer } from './testing/s3-client';
import { announceSkips, syncTestTargets, testRemoteConfig } from './testing/targets';

announceSkips();

const fastRetry = { tries: 6, baseMs: 10, capMs: 100 } as const;

async function collect(entries: AsyncIterable<BucketEntry>): Promise<BucketEntry[]> {
  const all: BucketEntry[] = [];
  for await (const entry of entries) all.push(entry);
  return all;
}

describe.each(syncTestTargets)('S3Bucket on $name', (target) => {
  describe.skipIf(target.skip !== null)('', () => {
    let server: S3TestServer;
    let proxy: FaultProxy;
    let client: S3Client;
    const bucketName = 'yard-bucket';

    beforeAll(async () => {
      server = await target.start();
      proxy = await startFaultProxy(server.endpoint);
      client = createS3Client(testRemoteConfig(proxy, bucketName), server);
      const direct = testS3Client(server);
      await createBucket(direct, bucketName);
      direct.destroy();
    }, 60_000);

    afterAll(async () => {
      client?.destroy();
      await proxy?.close();
      await server?.stop();
    });

    // Both ways of creating once: If-None-Match (where honoured) and the HEAD-then-PUT fallback.
    it.each([true, false])('putNew (conditionalCreate %s): created once, then exists, bytes kept', async (conditionalCreate) => {
      if (conditionalCreate && target.name === 'fauxqs') return; // fauxqs ignores If-None-Match
      const bucket = new S3Bucket(client, testRemoteConfig(proxy, bucketName, { prefix: `put-${conditionalCreate}` }), { conditionalCreate }, { retry: fastRetry });
      const key = '.trainyard/events/client-a/000001.json';
      expect(await bucket.putNew(key, Buffer.from('first'), { contentType: 'application/json' })).toBe('created');
      expect(await bucket.putNew(key, Buffer.from('second'))).toBe('exists');
      expect(Buffer.from(await bucket.get(key)).toString()).toBe('first');
    });

    it('putNew retries a 503 and a reset, and still creates', async () => {
      const bucket = new S3Bucket(client, testRemoteConfig(proxy, bucketName, { prefix: 'faulty' }), { conditionalCreate: target.name !== 'fauxqs' }, { retry: fastRetry });
      proxy.setMode('http-status', { status: 503, count: 2 });
      expect(await bucket.putNew('a', Buffer.from('a'))).toBe('created');
      proxy.setMode('reset-next', { count: 1 });
      expect(await bucket.putNew('b', Buffer.from('b'))).toBe('created');
      expect(proxy.stats().faults).toBeGreaterThanOrEqual(3);
    });

    it('lists relative keys in order, with a delimiter and after a key', async () => {
      const bucket = new S3Bucket(client, testRemoteConfig(proxy, bucketName, { prefix: 'listing/p' }), { conditionalCreate: false }, { retry: fastRetry });
      for (const key of ['.trainyard/events/b/2', '.trainyard/events/a/1', '.trainyard/events/a/2', '.trainyard/head.json']) await bucket.putNew(key, Buffer.from(key));
      expect((await collect(bucket.list('.trainyard/'))).map((entry) => [entry.key, entry.size])).toEqual([
        ['.trainyard/events/a/1', 21],
        ['.trainyard/events/a/2', 21],
        ['.trainyard/events/b/2', 21],
        ['.trainyard/head.json', 20],
      ]);
      expect(await collect(bucket.list('.trainyard/events/', { delimiter: '/' }))).toEqual([
        { key: '.trainyard/events/a/', size: -1, etag: null },
        { key: '.trainyard/events/b/', size: -1, etag: null },
      ]);
      expect((await collect(bucket.list('.trainyard/events/a/', { startAfter: '.trainyard/events/a/1' }))).map((entry) => entry.key)).toEqual(['.trainyard/events/a/2']);
      const [first] = await collect(bucket.list('.trainyard/head.json'));
      expect(first!.etag).toMatch(/^"[0-9a-f]{32}"$/);
    });

    it('get of a missing key → NOT_FOUND naming it; a missing bucket → an error naming the bucket', async () => {
      const bucket = new S3Bucket(client, testRemoteConfig(proxy, bucketName), { conditionalCreate: false }, { retry: fastRetry });
      await expect(bucket.get('.trainyard/nothing-here')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('.trainyard/nothing-here') });
      const missing = new S3Bucket(client, testRemoteConfig(proxy, 'no-such-bucket'), { conditionalCreate: false }, { retry: fastRetry });
      await expect(collect(missing.list(''))).rejects.toThrow(/The bucket "no-such-bucket" does not exist/);
    });
  });
});
