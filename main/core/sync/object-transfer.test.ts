import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database';
import { directoryOid } from '../objects/dvc-manifest';
import { ObjectStore } from '../objects/object-store';
import { tempHome } from '../testing/temp-home';
import { ObjectTransfer, type ObjectTransferOptions, type TransferItem } from './object-transfer';
import { createS3Client } from './s3-client';
import { startFaultProxy, type FaultProxy } from './testing/fault-proxy';
import { createBucket, testS3Client, type S3TestServer } from './testing/s3-client';
import { announceSkips, syncTestTargets, testRemoteConfig } from './testing/targets';

announceSkips();

const mib = 1024 * 1024;
/** fauxqs refuses bodies over 11 MiB: single PUTs up to 8 MiB, 5 MiB parts (S3's minimum). */
const sizes = { multipartThreshold: 8 * mib, partSize: 5 * mib } as const;
const fastRetry = { tries: 10, baseMs: 20, capMs: 400 } as const;

describe.each(syncTestTargets)('ObjectTransfer on $name', (target) => {
  describe.skipIf(target.skip !== null)('', () => {
    let server: S3TestServer;
    let proxy: FaultProxy;
    let client: S3Client;
    let direct: S3Client;
    let home: ReturnType<typeof tempHome>;
    let db: Database;
    let objects: ObjectStore;
    const bucket = 'yard-objects';
    let remotes = 0;

    beforeAll(async () => {
      server = await target.start();
      proxy = await startFaultProxy(server.endpoint);
      client = createS3Client(testRemoteConfig(proxy, bucket), server, { socketTimeoutMs: 5_000 });
      direct = testS3Client(server);
      await createBucket(direct, bucket);
      home = tempHome('trainyard-sync-');
      db = openDatabase(join(home.path, 'test.db'));
      objects = new ObjectStore(join(home.path, 'objects'));
    }, 60_000);

    afterAll(async () => {
      client?.destroy();
      direct?.destroy();
      await proxy?.close();
      db?.close();
      home?.remove();
      await server?.stop();
    });

    /** A fresh remote (its own name, cache and prefix) through the fault proxy. */
    function newTransfer(options: Partial<ObjectTransferOptions> & { prefix?: string; name?: string } = {}): { transfer: ObjectTransfer; prefix: string; remote: string } {
      const remote = options.name ?? `team-${++remotes}`;
      const prefix = options.prefix ?? `proj/${remote}`;
      db.prepare('INSERT OR IGNORE INTO sync_remotes (name, endpoint, region, bucket, prefix, path_style, auth, created_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)').run(
        remote,
        proxy.endpoint,
        'us-east-1',
        bucket,
        prefix,
        'keys',
        Date.now(),
      );
      const config = testRemoteConfig(proxy, bucket, { name: remote, prefix });
      return { transfer: new ObjectTransfer({ client, config, remote, db, objects, retry: fastRetry, ...sizes, ...options }), prefix, remote };
    }

    async function addFiles(count: number, minSize: number, maxSize: number): Promise<TransferItem[]> {
      const items: TransferItem[] = [];
      for (let index = 0; index < count; index++) {
        const bytes = randomBytes(minSize + Math.floor(Math.random() * (maxSize - minSize)));
        const stored = await objects.putBytes(bytes);
        items.push({ oid: stored.md5, size: stored.size });
      }
      return items;
    }

    async function listKeys(prefix: string): Promise<string[]> {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await direct.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }));
        for (const object of page.Contents ?? []) keys.push(object.Key!);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    }

    const keyOf = (prefix: string, oid: string) => `${prefix}/files/md5/${oid.slice(0, 2)}/${oid.slice(2)}`;

    async function getBytes(key: string): Promise<Buffer> {
      const response = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await response.Body!.transformToByteArray());
    }

    /** The bucket holds exactly these objects under the prefix, each byte for byte the local one. */
    async function expectExactly(prefix: string, items: readonly TransferItem[]): Promise<void> {
      expect(await listKeys(prefix)).toEqual(items.map((item) => keyOf(prefix, item.oid)).sort());
      for (const item of items) expect((await getBytes(keyOf(prefix, item.oid))).equals(readFileSync(objects.pathOf(item.oid)))).toBe(true);
    }

    it('pushes 200 files, a multipart object and a .dir in DVC layout; a second push sends no request', async () => {
      const { transfer, prefix } = newTransfer();
      const files = await addFiles(200, 100, 20_000);
      const [big] = await addFiles(1, 12 * mib + 12_345, 12 * mib + 12_346);
      const { oid: dirOid, bytes: dirBytes } = directoryOid([...files.slice(0, 50), big!].map((item, index) => ({ md5: item.oid, relpath: `data/part-${index}.bin` })));
      expect(await objects.putManifest(dirBytes)).toBe(dirOid);
      const manifest = { oid: dirOid, size: dirBytes.length };
      const all = [...files, big!, manifest];
      const totalBytes = all.reduce((sum, item) => sum + item.size, 0);

      proxy.resetStats();
      const progress: number[] = [];
      const t0 = performance.now();
      const report = await transfer.push({ files: [...files, big!], manifests: [manifest] }, { onProgress: (p) => progress.push(p.bytesDone) });
      const seconds = (performance.now() - t0) / 1000;
      console.log(`${target.name}: push of ${all.length} objects (${(totalBytes / mib).toFixed(1)} MiB) in ${seconds.toFixed(2)} s, ${proxy.stats().requests} requests`);
      expect(report).toEqual({ uploaded: 202, bytes: totalBytes, skipped: 0, failed: [] });
      expect(progress.at(-1)).toBe(totalBytes);

      await expectExactly(prefix, all);
      expect((await getBytes(keyOf(prefix, dirOid))).equals(dirBytes)).toBe(true);
      expect(keyOf(prefix, dirOid)).toMatch(/\/files\/md5\/[0-9a-f]{2}\/[0-9a-f]{30}\.dir$/);
      const head = await direct.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(prefix, big!.oid) }));
      expect(head.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
      expect(head.Metadata?.md5).toBe(big!.oid);

      proxy.resetStats();
      const again = await transfer.push({ files: [...files, big!], manifests: [manifest] });
      expect(again).toEqual({ uploaded: 0, bytes: 0, skipped: 202, failed: [] });
      expect(proxy.stats().requests).toBe(0);

      // Another home with an empty cache finds it all by listing shards: no PUT, no HEAD.
      const { transfer: other } = newTransfer({ prefix });
      proxy.resetStats();
      const t1 = performance.now();
      expect(await other.push({ files: [...files, big!], manifests: [manifest] })).toMatchObject({ uploaded: 0, skipped: 202 });
      console.log(`${target.name}: no-change check of 202 objects with an empty cache: ${proxy.stats().requests} listings in ${(performance.now() - t1).toFixed(0)} ms`);
      expect(proxy.requestLines.every((line) => line.startsWith('GET ') && line.includes('list-type=2'))).toBe(true);
      expect(proxy.stats().requests).toBeLessThanOrEqual(257);
    }, 120_000);

    it('pull re-hashes: good objects are adopted, a foreign object under files/md5/ is refused', async () => {
      const { transfer, prefix } = newTransfer();
      const files = await addFiles(20, 10, 5_000);
      const { oid: dirOid, bytes: dirBytes } = directoryOid(files.map((item, index) => ({ md5: item.oid, relpath: `f${index}` })));
      await objects.putManifest(dirBytes);
      expect((await transfer.push({ files, manifests: [{ oid: dirOid, size: dirBytes.length }] })).failed).toEqual([]);

      const foreignOid = createHash('md5').update('what the key promises').digest('hex');
      const foreignBytes = Buffer.from('something else entirely');
      await direct.send(new PutObjectCommand({ Bucket: bucket, Key: keyOf(prefix, foreignOid), Body: foreignBytes }));

      const elsewhere = new ObjectStore(join(home.path, `pulled-${prefix.replace(/\W/g, '-')}`));
      const puller = new ObjectTransfer({ client, config: testRemoteConfig(proxy, bucket, { prefix }), remote: 'team-1', db, objects: elsewhere, retry: fastRetry, ...sizes });
      const absentOid = createHash('md5').update('in no bucket').digest('hex');
      const report = await puller.pull([...files.map((item) => item.oid), dirOid, foreignOid, absentOid]);
      expect(report.downloaded).toBe(21);
      expect(report.failed).toEqual([{ oid: absentOid, reason: expect.stringMatching(/^s3:\/\/yard-objects\/proj\/.*\/files\/md5\/.* is not in the bucket/) }]);
      expect(report.refused).toEqual([{ oid: foreignOid, reason: expect.stringMatching(/^corrupt or foreign object: .* holds 23 bytes whose MD5 is [0-9a-f]{32}, not /) }]);
      expect(await elsewhere.has(foreignOid)).toBe(false);
      expect(readdirSync(join(elsewhere.root, 'tmp'))).toEqual([]);
      for (const item of files) expect(readFileSync(elsewhere.pathOf(item.oid)).equals(readFileSync(objects.pathOf(item.oid)))).toBe(true);
      expect(readFileSync(elsewhere.pathOf(dirOid)).equals(dirBytes)).toBe(true);
      expect(await puller.pull([files[0]!.oid])).toMatchObject({ downloaded: 0, skipped: 1 });
    }, 60_000);

    const faults = [
      { name: 'dropped mid-upload', set: (p: FaultProxy) => p.setMode('drop-after-bytes', { bytes: 256 * 1024 }), clearAfterMs: 300 },
      { name: '503 ×3', set: (p: FaultProxy) => p.setMode('http-status', { status: 503, count: 3 }), clearAfterMs: null },
      { name: 'reset ×3', set: (p: FaultProxy) => p.setMode('reset-next', { count: 3 }), clearAfterMs: null },
    ];
    it.each(faults)('faults while pushing ($name): finishes after they stop, exact keys, nothing sent twice in full', async (fault) => {
      const { transfer, prefix } = newTransfer();
      const files = await addFiles(40, 20_000, 200_000);
      const [big] = await addFiles(1, 11 * mib, 11 * mib + 1);
      const all = [...files, big!];
      const totalBytes = all.reduce((sum, item) => sum + item.size, 0);
      proxy.resetStats();
      fault.set(proxy);
      const clear = fault.clearAfterMs === null ? null : setTimeout(() => proxy.setMode('pass'), fault.clearAfterMs);
      const report = await transfer.push({ files: all, manifests: [] });
      if (clear) clearTimeout(clear);
      proxy.setMode('pass');
      expect(report.failed).toEqual([]);
      expect(report.uploaded).toBe(41);
      expect(proxy.stats().faults).toBeGreaterThan(0);
      expect(proxy.stats().bytesUp).toBeLessThan(2 * totalBytes);
      await expectExactly(prefix, all);
    }, 60_000);

    it('an interrupted multipart upload resumes: ListParts, then only the missing parts (fauxqs: starts over)', async () => {
      const { transfer, prefix, remote } = newTransfer({ partConcurrency: 1 });
      const [big] = await addFiles(1, 26 * mib, 26 * mib + 1); // 6 parts: 5 × 5 MiB + 1 MiB
      const controller = new AbortController();
      proxy.resetStats();
      const watcher = setInterval(() => {
        if (proxy.requestLines.filter((line) => line.includes('partNumber=')).length >= 3) controller.abort();
      }, 2);
      await expect(transfer.push({ files: [big!], manifests: [] }, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
      clearInterval(watcher);
      const saved = db.prepare<[string], { parts: string }>('SELECT parts FROM sync_uploads WHERE remote = ?').get(remote);
      const doneBefore = (JSON.parse(saved!.parts) as Array<{ number: number }>).map((part) => part.number);
      expect(doneBefore.length).toBeGreaterThanOrEqual(2);

      proxy.resetStats();
      expect(await transfer.push({ files: [big!], manifests: [] })).toMatchObject({ uploaded: 1, failed: [] });
      const partLines = proxy.requestLines.filter((line) => line.startsWith('PUT ') && line.includes('partNumber='));
      const sentParts = partLines.map((line) => Number(/partNumber=(\d+)/.exec(line)![1]));
      expect(proxy.requestLines.some((line) => line.startsWith('GET ') && line.includes('uploadId='))).toBe(true); // ListParts
      const expectedParts = target.listsMultipart ? [1, 2, 3, 4, 5, 6].filter((n) => !doneBefore.includes(n)) : [1, 2, 3, 4, 5, 6];
      expect(sentParts.sort((a, b) => a - b)).toEqual(expectedParts);
      const remainingBytes = sentParts.reduce((sum, n) => sum + (n === 6 ? big!.size - 25 * mib : 5 * mib), 0);
      // Slack well under one part: request heads, and bytes of the aborted request still in flight.
      expect(proxy.stats().bytesUp).toBeLessThan(remainingBytes + mib);
      expect(db.prepare('SELECT COUNT(*) AS n FROM sync_uploads WHERE remote = ?').get(remote)).toEqual({ n: 0 });
      await expectExactly(prefix, [big!]);
      const head = await direct.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(prefix, big!.oid) }));
      expect(head.ETag).toMatch(/-6"$/);
    }, 60_000);

    it('an upload id the server no longer knows starts over', async () => {
      const { transfer, prefix, remote } = newTransfer();
      const [big] = await addFiles(1, 9 * mib, 9 * mib + 1);
      db.prepare('INSERT INTO sync_uploads (remote, oid, upload_id, part_size, parts, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(remote, big!.oid, 'gone-upload-id', 5 * mib, '[]', Date.now());
      expect(await transfer.push({ files: [big!], manifests: [] })).toMatchObject({ uploaded: 1, failed: [] });
      await expectExactly(prefix, [big!]);
    }, 60_000);

    it('a manifest whose files are not all in the bucket is not uploaded', async () => {
      const { transfer, prefix } = newTransfer();
      const files = await addFiles(3, 10, 100);
      const absent = createHash('md5').update('never stored anywhere').digest('hex');
      const { oid, bytes } = directoryOid([...files.map((item, index) => ({ md5: item.oid, relpath: `f${index}` })), { md5: absent, relpath: 'lost' }]);
      await objects.putManifest(bytes);
      const report = await transfer.push({ files, manifests: [{ oid, size: bytes.length }] });
      expect(report.uploaded).toBe(3);
      expect(report.failed).toEqual([{ oid, message: expect.stringMatching(/not uploaded: 1 of the 4 files it lists are neither in the bucket nor among the files pushed/) }]);
      await expectExactly(prefix, files);
    });

    it.skipIf(!target.listsMultipart)('abortStaleUploads aborts old multipart uploads under the prefix only', async () => {
      const { transfer, prefix } = newTransfer();
      const stale = await direct.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: `${prefix}/files/md5/aa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb` }));
      const outside = await direct.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'unrelated/upload' }));
      expect(await transfer.abortStaleUploads(60 * 60_000)).toBe(0); // nothing is an hour old
      expect(await transfer.abortStaleUploads(-60_000)).toBe(1);
      const left = await direct.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      const ids = (left.Uploads ?? []).map((upload) => upload.UploadId);
      expect(ids).not.toContain(stale.UploadId);
      expect(ids).toContain(outside.UploadId);
    });
  });
});
