import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFauxqsServer } from './fauxqs-server';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { rgwAvailable, startRgw } from './rgw-server';
import { createBucket, testS3Client, type S3TestServer } from './s3-client';

/**
 * The test S3 servers and the fault proxy themselves: what the sync tests may rely on, and where
 * each server departs from AWS S3 (kept here as data, so the sync code never learns about it).
 */
interface Target {
  name: string;
  skip: string | null;
  start(): Promise<S3TestServer & { startMs: number }>;
  /** PUT with `If-None-Match: *` over an existing key. */
  putIfNoneMatchOnExisting: 'precondition-failed' | 'overwrites';
  /** PUT whose Content-MD5 does not match the body. */
  wrongContentMd5: 'bad-digest' | 'stored';
  /** The ETag field of the CompleteMultipartUpload response (HEAD afterwards is right on both). */
  completeMultipartEtag: 'empty' | 'md5-of-md5s';
}

const rgw = rgwAvailable();
if (!rgw.ok) console.log(`Ceph RGW tests skipped: ${rgw.reason}`);

const targets: Target[] = [
  {
    name: 'ceph-rgw',
    skip: rgw.ok ? null : rgw.reason,
    start: startRgw,
    putIfNoneMatchOnExisting: 'precondition-failed',
    wrongContentMd5: 'bad-digest',
    completeMultipartEtag: 'empty', // RGW 16: empty ETag in the response; HEAD has it right
  },
  {
    name: 'fauxqs',
    skip: null,
    start: startFauxqsServer,
    // fauxqs 1.9.2 ignores If-None-Match / If-Match on PUT: conditional writes cannot be tested on it.
    putIfNoneMatchOnExisting: 'overwrites',
    // fauxqs 1.9.2 does not check Content-MD5: the body is stored as sent.
    wrongContentMd5: 'stored',
    completeMultipartEtag: 'md5-of-md5s',
  },
];

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest();

async function getBytes(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

/** How a request failed: the HTTP status, or `network` when no answer came. */
async function failure(promise: Promise<unknown>): Promise<{ status: number | 'network'; name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number }; code?: string };
    const status = e.$metadata?.httpStatusCode;
    return { status: status ?? 'network', name: e.name, message: `${e.code ?? ''} ${e.message}` };
  }
  throw new Error('the request succeeded');
}

describe.each(targets)('S3 test server: $name', (target) => {
  describe.skipIf(target.skip !== null)('', () => {
    let server: S3TestServer & { startMs: number };
    let client: S3Client;
    const bucket = 'yard-test';

    beforeAll(async () => {
      server = await target.start();
      client = testS3Client(server);
      await createBucket(client, bucket);
      await createBucket(client, bucket); // again: already owned is fine
    }, 60_000);

    afterAll(async () => {
      client?.destroy();
      if (!server) return;
      const t0 = performance.now();
      await server.stop();
      if (target.name === 'ceph-rgw') console.log(`Ceph RGW: ready in ${server.startMs.toFixed(0)} ms, stopped in ${(performance.now() - t0).toFixed(0)} ms`);
    });

    it('stores a PUT with Content-MD5 byte for byte and lists it', async () => {
      const body = randomBytes(100_000);
      const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain/one.bin', Body: body, ContentMD5: md5(body).toString('base64') }));
      expect(put.ETag).toBe(`"${md5(body).toString('hex')}"`);
      expect((await getBytes(client, bucket, 'plain/one.bin')).equals(body)).toBe(true);
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain/two.bin', Body: Buffer.from('two') }));
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'plain/' }));
      expect(listed.Contents?.map((object) => [object.Key, object.Size])).toEqual([
        ['plain/one.bin', 100_000],
        ['plain/two.bin', 3],
      ]);
    });

    it(`a wrong Content-MD5 → ${target.wrongContentMd5}`, async () => {
      const body = Buffer.from('the body');
      const put = client.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5/wrong', Body: body, ContentMD5: md5(Buffer.from('not the body')).toString('base64') }));
      if (target.wrongContentMd5 === 'bad-digest') {
        expect(await failure(put)).toMatchObject({ status: 400, name: 'BadDigest' });
        expect((await failure(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'md5/wrong' })))).status).toBe(404);
      } else {
        await put;
        expect((await getBytes(client, bucket, 'md5/wrong')).equals(body)).toBe(true);
      }
    });

    it('multipart upload of 12 MiB: HEAD ETag is md5-of-md5s-2, bytes intact', async () => {
      const key = 'multi/twelve.bin';
      const parts = [randomBytes(6 * 1024 * 1024), randomBytes(6 * 1024 * 1024)];
      const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
      const etags: string[] = [];
      for (const [i, part] of parts.entries()) {
        const uploaded = await client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: i + 1, Body: part, ContentMD5: md5(part).toString('base64') }));
        expect(uploaded.ETag).toBe(`"${md5(part).toString('hex')}"`);
        etags.push(uploaded.ETag!);
      }
      const expected = `"${md5(Buffer.concat(parts.map(md5))).toString('hex')}-2"`;
      const completed = await client.send(
        new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }),
      );
      // Never trust the completion's ETag field (RGW 16 leaves it empty): HEAD is the truth.
      expect(completed.ETag ?? '').toBe(target.completeMultipartEtag === 'empty' ? '' : expected);
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      expect(head.ETag).toBe(expected);
      expect(head.ContentLength).toBe(12 * 1024 * 1024);
      expect((await getBytes(client, bucket, key)).equals(Buffer.concat(parts))).toBe(true);
    });

    it(`PUT with If-None-Match: * → created once, then ${target.putIfNoneMatchOnExisting}`, async () => {
      const key = 'conditional/once';
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from('first'), IfNoneMatch: '*' }));
      const second = client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from('second'), IfNoneMatch: '*' }));
      if (target.putIfNoneMatchOnExisting === 'precondition-failed') {
        expect(await failure(second)).toMatchObject({ status: 412 });
        expect((await getBytes(client, bucket, key)).toString()).toBe('first');
      } else {
        // The emulator ignores the condition and overwrites: a create-once test must not run on it.
        await second;
        expect((await getBytes(client, bucket, key)).toString()).toBe('second');
      }
    });

    describe('through the fault proxy', () => {
      let proxy: FaultProxy;
      let faulty: S3Client;
      const body = randomBytes(64 * 1024);

      beforeAll(async () => {
        proxy = await startFaultProxy(server.endpoint);
        // One attempt: the SDK's retries would hide the raw failure.
        faulty = testS3Client({ ...server, endpoint: proxy.endpoint }, { maxAttempts: 1 });
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'proxied/object', Body: body }));
      });

      afterAll(async () => {
        faulty?.destroy();
        await proxy?.close();
      });

      it('passes requests through and counts them', async () => {
        proxy.setMode('pass');
        proxy.resetStats();
        expect((await getBytes(faulty, bucket, 'proxied/object')).equals(body)).toBe(true);
        const stats = proxy.stats();
        expect(stats.requests).toBe(1);
        expect(stats.bytesDown).toBeGreaterThan(body.length);
        expect(proxy.requestLines).toEqual([`GET /${bucket}/proxied/object?x-id=GetObject`]);
      });

      it('answers 503 to the next request, then passes again', async () => {
        proxy.setMode('http-status', { status: 503, count: 1 });
        const failed = await failure(faulty.send(new GetObjectCommand({ Bucket: bucket, Key: 'proxied/object' })));
        expect(failed).toMatchObject({ status: 503, name: 'SlowDown' });
        expect(proxy.mode).toEqual({ mode: 'pass' }); // its count used up
        expect((await getBytes(faulty, bucket, 'proxied/object')).equals(body)).toBe(true);
        proxy.setMode('http-status', { status: 500, count: 2 });
        expect((await failure(faulty.send(new HeadObjectCommand({ Bucket: bucket, Key: 'proxied/object' })))).status).toBe(500);
        expect((await failure(faulty.send(new GetObjectCommand({ Bucket: bucket, Key: 'proxied/object' })))).status).toBe(500);
        expect((await getBytes(faulty, bucket, 'proxied/object')).equals(body)).toBe(true);
      });

      it('a reset-next request fails with a network error', async () => {
        proxy.setMode('reset-next', { count: 1 });
        const failed = await failure(faulty.send(new GetObjectCommand({ Bucket: bucket, Key: 'proxied/object' })));
        expect(failed.status).toBe('network');
        expect(failed.message).toMatch(/ECONNRESET|socket hang up/);
        expect((await getBytes(faulty, bucket, 'proxied/object')).equals(body)).toBe(true);
      });

      it('drop-after-bytes cuts an upload short and nothing is stored', async () => {
        proxy.setMode('drop-after-bytes', { bytes: 100_000 });
        const failed = await failure(faulty.send(new PutObjectCommand({ Bucket: bucket, Key: 'proxied/dropped', Body: randomBytes(1024 * 1024) })));
        expect(failed.status).toBe('network');
        // Small requests still pass on a fresh connection.
        expect((await getBytes(faulty, bucket, 'proxied/object')).equals(body)).toBe(true);
        proxy.setMode('pass');
        expect((await failure(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'proxied/dropped' })))).status).toBe(404);
      });

      it('stall holds the traffic: a short request timeout fires', async () => {
        proxy.setMode('stall', { ms: 300 });
        const t0 = performance.now();
        expect((await getBytes(faulty, bucket, 'proxied/object')).equals(body)).toBe(true);
        expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
        const impatient = testS3Client({ ...server, endpoint: proxy.endpoint }, { maxAttempts: 1, requestHandler: { requestTimeout: 100, throwOnRequestTimeout: true } });
        try {
          expect((await failure(impatient.send(new GetObjectCommand({ Bucket: bucket, Key: 'proxied/object' })))).status).toBe('network');
        } finally {
          impatient.destroy();
          proxy.setMode('pass');
        }
      });
    });
  });
});

describe.skipIf(!rgw.ok)('Ceph RGW clusters side by side', () => {
  it('two start at once on distinct ports and folders, with separate data', async () => {
    const [a, b] = await Promise.all([startRgw(), startRgw()]);
    try {
      expect(a.endpoint).not.toBe(b.endpoint);
      expect(a.dir).not.toBe(b.dir);
      const [ca, cb] = [testS3Client(a), testS3Client(b)];
      await createBucket(ca, 'only-in-a');
      await ca.send(new PutObjectCommand({ Bucket: 'only-in-a', Key: 'k', Body: Buffer.from('a') }));
      expect((await failure(cb.send(new ListObjectsV2Command({ Bucket: 'only-in-a' })))).status).toBe(404);
      ca.destroy();
      cb.destroy();
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 60_000);
});

describe.skipIf(!rgw.ok)('Ceph RGW start failures', () => {
  it('a daemon that dies fails the start with its last log lines, and cleans up', async () => {
    const fakeBin = mkdtempSync(join(os.tmpdir(), 'yard-fake-rgw-'));
    writeFileSync(join(fakeBin, 'radosgw'), '#!/bin/sh\necho "fake radosgw: cannot bind" >&2\nexit 3\n');
    chmodSync(join(fakeBin, 'radosgw'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${fakeBin}:${path}`;
    const dir = join(fakeBin, 'cluster');
    try {
      await expect(startRgw(dir)).rejects.toThrow(/radosgw exited \(3\)[\s\S]*fake radosgw: cannot bind/);
      expect(existsSync(dir)).toBe(false);
    } finally {
      process.env.PATH = path;
      rmSync(fakeBin, { recursive: true, force: true });
    }
  }, 60_000);
});
