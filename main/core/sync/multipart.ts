import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { RemoteConfig } from '../../../shared/sync';
import type { Database } from '../db/database';
import { forEachConcurrent } from './pool';
import { withRetry, type RetryPolicy } from './retry';
import { errorInfo } from './s3-errors';

export interface MultipartTarget {
  readonly client: S3Client;
  readonly config: RemoteConfig;
  readonly db: Database;
  readonly remote: string;
  readonly retry?: RetryPolicy;
  /** Parts of one object in flight at once. */
  readonly partConcurrency: number;
}

export interface MultipartUpload {
  readonly oid: string;
  /** The bucket key (prefix included). */
  readonly key: string;
  readonly path: string;
  readonly size: number;
  /** The whole object's MD5 (hex): the oid without `.dir`. */
  readonly md5: string;
  readonly partSize: number;
}

interface PartRecord {
  number: number;
  etag: string;
  md5: string;
}

const maxParts = 10_000;
const mib = 1024 * 1024;

/** The part size used for an object: the wanted one, grown (in whole MiB) to stay within 10,000 parts. */
export function partSizeFor(size: number, wanted: number): number {
  return Math.max(wanted, Math.ceil(size / maxParts / mib) * mib);
}

/** S3's multipart ETag: hex MD5 of the concatenated binary part MD5s, `-`, the part count. */
export function multipartEtag(partMd5s: readonly Buffer[]): string {
  return `${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}`;
}

/** One read of the file: each part's MD5 and the whole file's (to catch a corrupt local object before it is sent). */
export async function hashParts(path: string, partSize: number, signal?: AbortSignal): Promise<{ parts: Buffer[]; whole: string; size: number }> {
  const whole = createHash('md5');
  const parts: Buffer[] = [];
  let part = createHash('md5');
  let inPart = 0;
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: mib, signal }) as AsyncIterable<Buffer>) {
    whole.update(chunk);
    size += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(partSize - inPart, chunk.length - offset);
      part.update(chunk.subarray(offset, offset + take));
      inPart += take;
      offset += take;
      if (inPart === partSize) {
        parts.push(part.digest());
        part = createHash('md5');
        inPart = 0;
      }
    }
  }
  if (inPart > 0 || parts.length === 0) parts.push(part.digest());
  return { parts, whole: whole.digest('hex'), size };
}

const unquote = (etag: string | undefined) => (etag ?? '').replace(/^"|"$/g, '');
const isNoSuchUpload = (error: unknown) => {
  const info = errorInfo(error);
  return info.name === 'NoSuchUpload' || (info.status === 404 && info.name !== 'NoSuchBucket');
};

/**
 * A resumable multipart upload (SEMANTICS.md §4.3): the upload id, part size and finished parts
 * are kept in sync_uploads; a later run lists the parts (ListParts), keeps those whose ETag is
 * the local part's MD5, sends the rest, completes, and then checks the object with a HEAD — its
 * ETag must be the multipart ETag computed here (the completion's own answer is not trusted:
 * RGW 16 returns an empty ETag). An upload id the server no longer knows starts over. A wrong
 * result is deleted from the bucket and reported.
 */
export async function uploadMultipart(target: MultipartTarget, upload: MultipartUpload, onBytes: (bytes: number) => void, signal?: AbortSignal, restarted = false): Promise<void> {
  const { client, config, db, remote } = target;
  const Bucket = config.bucket;
  const Key = upload.key;
  const retry = <T>(operation: () => Promise<T>) => withRetry(operation, { ...target.retry, signal });
  const saved = db
    .prepare<[string, string], { upload_id: string; part_size: number }>('SELECT upload_id, part_size FROM sync_uploads WHERE remote = ? AND oid = ?')
    .get(remote, upload.oid);
  const forgetUpload = () => db.prepare('DELETE FROM sync_uploads WHERE remote = ? AND oid = ?').run(remote, upload.oid);

  const partSize = saved?.part_size ?? partSizeFor(upload.size, upload.partSize);
  const local = await hashParts(upload.path, partSize, signal);
  if (local.whole !== upload.md5 || local.size !== upload.size) {
    throw new Error(`the local copy of ${upload.oid} is damaged (its bytes hash to ${local.whole}, ${local.size} bytes): not uploaded`);
  }
  const partLength = (number: number) => Math.min(partSize, upload.size - (number - 1) * partSize);

  // Resume: which parts the server holds with the right bytes.
  let uploadId: string | null = saved?.upload_id ?? null;
  const done = new Map<number, PartRecord>();
  if (uploadId) {
    try {
      let marker: string | undefined;
      do {
        const page = await retry(() => client.send(new ListPartsCommand({ Bucket, Key, UploadId: uploadId!, ...(marker ? { PartNumberMarker: marker } : {}) }), { abortSignal: signal }));
        for (const part of page.Parts ?? []) {
          const number = part.PartNumber ?? 0;
          const md5 = local.parts[number - 1]?.toString('hex');
          if (md5 && unquote(part.ETag) === md5 && part.Size === partLength(number)) done.set(number, { number, etag: md5, md5 });
        }
        marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
      } while (marker);
    } catch (error) {
      if (!isNoSuchUpload(error)) throw error;
      forgetUpload();
      uploadId = null;
      done.clear();
    }
  }
  if (!uploadId) {
    const created = await retry(() => client.send(new CreateMultipartUploadCommand({ Bucket, Key, Metadata: { md5: upload.md5 } }), { abortSignal: signal }));
    uploadId = created.UploadId!;
    db.prepare('INSERT OR REPLACE INTO sync_uploads (remote, oid, upload_id, part_size, parts, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      remote,
      upload.oid,
      uploadId,
      partSize,
      '[]',
      Date.now(),
    );
  }
  const saveParts = db.prepare('UPDATE sync_uploads SET parts = ? WHERE remote = ? AND oid = ?');
  const persist = () => saveParts.run(JSON.stringify([...done.values()].sort((a, b) => a.number - b.number)), remote, upload.oid);
  persist();
  for (const part of done.values()) onBytes(partLength(part.number));

  const todo = local.parts.map((_, index) => index + 1).filter((number) => !done.has(number));
  try {
    await forEachConcurrent(
      todo,
      target.partConcurrency,
      async (number) => {
        const md5 = local.parts[number - 1]!;
        const start = (number - 1) * partSize;
        const length = partLength(number);
        const response = await retry(async () => {
          const body = createReadStream(upload.path, { start, end: start + length - 1 });
          try {
            return await client.send(
              new UploadPartCommand({ Bucket, Key, UploadId: uploadId!, PartNumber: number, Body: body, ContentLength: length, ContentMD5: md5.toString('base64') }),
              { abortSignal: signal },
            );
          } finally {
            body.destroy();
          }
        });
        const etag = unquote(response.ETag);
        if (/^[0-9a-f]{32}$/.test(etag) && etag !== md5.toString('hex')) throw new Error(`part ${number} of ${upload.oid} arrived damaged (ETag ${etag})`);
        done.set(number, { number, etag: md5.toString('hex'), md5: md5.toString('hex') });
        persist();
        onBytes(length);
      },
      signal,
    );
  } catch (error) {
    if (!isNoSuchUpload(error) || restarted) throw error;
    // Aborted behind our back (a stale-upload sweep, a lifecycle rule): start over once.
    forgetUpload();
    return uploadMultipart(target, upload, () => undefined, signal, true);
  }

  const expected = multipartEtag(local.parts);
  const Parts = local.parts.map((md5, index) => ({ PartNumber: index + 1, ETag: `"${md5.toString('hex')}"` }));
  try {
    await retry(() => client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: uploadId!, MultipartUpload: { Parts } }), { abortSignal: signal }));
  } catch (error) {
    // A completion whose answer was lost and then retried finds the upload gone: the HEAD decides.
    if (!isNoSuchUpload(error)) throw error;
  }
  const head = await retry(() => client.send(new HeadObjectCommand({ Bucket, Key }), { abortSignal: signal }));
  const etag = unquote(head.ETag);
  const comparable = /^[0-9a-f]{32}-\d+$/.test(etag);
  // Another writer (a teammate, or DVC with its 50 MiB parts) may have completed this key with
  // other parts: its ETag differs, yet its recorded md5 and size say the content is the same —
  // that object is right and must not be deleted.
  const sameContent = head.Metadata?.md5 === upload.md5 && head.ContentLength === upload.size;
  if (!sameContent && ((comparable && etag !== expected) || head.ContentLength !== upload.size)) {
    forgetUpload();
    await retry(() => client.send(new DeleteObjectCommand({ Bucket, Key }), { abortSignal: signal })).catch(() => undefined);
    throw new Error(`multipart upload of ${upload.oid} corrupted: the bucket's ETag is ${etag || 'empty'} (${head.ContentLength} bytes), expected ${expected} (${upload.size} bytes); removed`);
  }
  forgetUpload();
}

/** Aborts an upload the server still holds (best effort) and forgets it locally. */
export async function abortUpload(target: Pick<MultipartTarget, 'client' | 'config' | 'db' | 'remote'>, key: string, uploadId: string, oid: string | null): Promise<void> {
  await target.client.send(new AbortMultipartUploadCommand({ Bucket: target.config.bucket, Key: key, UploadId: uploadId })).catch((error: unknown) => {
    if (!isNoSuchUpload(error)) throw error;
  });
  if (oid) target.db.prepare('DELETE FROM sync_uploads WHERE remote = ? AND oid = ? AND upload_id = ?').run(target.remote, oid, uploadId);
}
