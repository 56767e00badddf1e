import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, ListMultipartUploadsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RemoteConfig, SyncProgress } from '../../../shared/sync';
import type { Database } from '../db/database';
import type { ObjectStore } from '../objects/object-store';
import { absoluteKey, contentKey, contentRoot, md5OfOid, oidOfKey, relativeKey } from './keys';
import { abortUpload, uploadMultipart, type MultipartTarget } from './multipart';
import { forEachConcurrent } from './pool';
import { RemoteIndex } from './remote-index';
import { withRetry, type RetryPolicy } from './retry';
import { errorInfo, isAbort, isNetworkError, isNotFound, s3Failure } from './s3-errors';
import { TransferProgress } from './transfer-progress';

/** A content object to transfer: its oid (`<md5>` or `<md5>.dir`) and size in bytes. */
export interface TransferItem {
  readonly oid: string;
  readonly size: number;
}

export interface ObjectTransferOptions {
  readonly client: S3Client;
  readonly config: RemoteConfig;
  /** The remote's name in the sync_* tables. */
  readonly remote: string;
  readonly db: Database;
  readonly objects: ObjectStore;
  /** Objects in flight at once (and shard listings). */
  readonly concurrency?: number;
  /** Objects larger than this go multipart. */
  readonly multipartThreshold?: number;
  readonly partSize?: number;
  /** Parts of one multipart object in flight at once. */
  readonly partConcurrency?: number;
  readonly retry?: RetryPolicy;
}

export interface TransferCallbacks {
  readonly onProgress?: (progress: SyncProgress) => void;
  readonly signal?: AbortSignal;
}

export interface PushReport {
  /** Objects written (files and manifests) and their bytes. */
  uploaded: number;
  bytes: number;
  /** Objects the bucket already held. */
  skipped: number;
  failed: Array<{ oid: string; message: string }>;
}

export interface PullReport {
  downloaded: number;
  bytes: number;
  /** Objects the local store already held. */
  skipped: number;
  /** Objects whose bytes do not hash to their key: never adopted. */
  refused: Array<{ oid: string; reason: string }>;
  /** Objects that could not be fetched (missing from the bucket, the network…). */
  failed: Array<{ oid: string; reason: string }>;
}

/** A failure of ours (a damaged local file, a hash mismatch), not of a request: its message stands as is. */
class TransferError extends Error {}

const mib = 1024 * 1024;

/**
 * Moves content objects between the local store and a team bucket, in DVC's layout
 * (SEMANTICS.md §1.5, §4): diff by cached listings, parallel transfers, Content-MD5 on single
 * PUTs, verified resumable multipart above a threshold, downloads re-hashed before they enter the
 * store, files before the `.dir` manifests that list them.
 */
export class ObjectTransfer {
  readonly index: RemoteIndex;
  private readonly concurrency: number;
  private readonly threshold: number;
  private readonly partSize: number;

  constructor(private readonly options: ObjectTransferOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? 16);
    this.threshold = options.multipartThreshold ?? 64 * mib;
    this.partSize = Math.max(options.partSize ?? 16 * mib, 5 * mib);
    this.index = new RemoteIndex({ ...options, concurrency: this.concurrency });
  }

  /** The oids the bucket does not hold (see RemoteIndex.missing): no request when all are cached. */
  missing(oids: Iterable<string>, signal?: AbortSignal): Promise<string[]> {
    return this.index.missing(oids, signal);
  }

  /**
   * Uploads what the bucket lacks: every file first, then each manifest only if every file it
   * lists is in the bucket (DVC assumes a `.dir`'s files exist — SEMANTICS.md §1.4 step 5). A
   * failed object is reported and the rest go on; a cancellation rejects.
   */
  async push(items: { files: readonly TransferItem[]; manifests: readonly TransferItem[] }, callbacks: TransferCallbacks = {}): Promise<PushReport> {
    const { signal } = callbacks;
    const files = unique(items.files);
    const manifests = unique(items.manifests);
    const missing = new Set(await this.index.missing([...files, ...manifests].map((item) => item.oid), signal));
    const report: PushReport = { uploaded: 0, bytes: 0, skipped: files.length + manifests.length - missing.size, failed: [] };
    const toSend = { files: files.filter((item) => missing.has(item.oid)), manifests: manifests.filter((item) => missing.has(item.oid)) };
    const all = [...toSend.files, ...toSend.manifests];
    const progress = new TransferProgress(this.options.remote, 'pushing', { objects: all.length, bytes: sum(all) }, callbacks.onProgress);

    // Recorded in batches: a transaction per object costs more than the PUT on a fast link, and
    // a crash that loses a batch only costs a listing next time.
    const pending: string[] = [];
    const record = (force: boolean) => {
      if (pending.length > 0 && (force || pending.length >= 256)) this.index.add(pending.splice(0));
    };
    const send = async (item: TransferItem) => {
      try {
        const size = await this.upload(item.oid, progress, signal);
        pending.push(item.oid);
        record(false);
        report.uploaded++;
        report.bytes += size;
      } catch (error) {
        if (signal?.aborted || isAbort(error)) throw error;
        report.failed.push({ oid: item.oid, message: this.messageOf(error, 'upload', item.oid) });
      }
      progress.objectDone();
    };
    try {
      await forEachConcurrent(toSend.files, this.concurrency, send, signal);
    } finally {
      record(true);
    }

    const failedFiles = new Set(report.failed.map((failure) => failure.oid));
    const ready: TransferItem[] = [];
    for (const manifest of toSend.manifests) {
      const refusal = await this.manifestRefusal(manifest.oid, failedFiles, signal);
      if (refusal) {
        report.failed.push({ oid: manifest.oid, message: refusal });
        progress.objectDone();
      } else {
        ready.push(manifest);
      }
    }
    try {
      await forEachConcurrent(ready, this.concurrency, send, signal);
    } finally {
      record(true);
    }
    progress.finish();
    return report;
  }

  /** Why a manifest must not be uploaded yet (a file it lists is not in the bucket), or null. */
  private async manifestRefusal(oid: string, failedFiles: ReadonlySet<string>, signal?: AbortSignal): Promise<string | null> {
    let listed: string[];
    try {
      const entries = JSON.parse(await readFile(this.options.objects.pathOf(oid), 'utf8')) as Array<{ md5?: unknown }>;
      listed = entries.map((entry) => String(entry.md5));
    } catch (error) {
      return `the local manifest ${oid} cannot be read (${(error as Error).message}): not uploaded`;
    }
    const failed = listed.filter((md5) => failedFiles.has(md5));
    if (failed.length > 0) return `not uploaded: ${failed.length} of the ${listed.length} files it lists failed to upload (e.g. ${failed[0]})`;
    const absent = await this.index.missing(listed, signal);
    if (absent.length > 0) return `not uploaded: ${absent.length} of the ${listed.length} files it lists are neither in the bucket nor among the files pushed (e.g. ${absent[0]})`;
    return null;
  }

  /** One object, single PUT or multipart; returns its size. */
  private async upload(oid: string, progress: TransferProgress, signal?: AbortSignal): Promise<number> {
    const { client, config, objects } = this.options;
    const path = objects.pathOf(oid);
    const size = (await stat(path)).size;
    const key = absoluteKey(config.prefix, contentKey(oid));
    const md5 = md5OfOid(oid);
    if (size > this.threshold) {
      const target: MultipartTarget = { ...this.options, partConcurrency: Math.max(1, this.options.partConcurrency ?? 4) };
      await uploadMultipart(target, { oid, key, path, size, md5, partSize: this.partSize }, (bytes) => progress.addBytes(bytes), signal);
      return size;
    }
    const response = await withRetry(
      async () => {
        // Re-opened per attempt: a stream consumed by a failed attempt cannot be replayed.
        const body = size <= mib ? await readFile(path) : createReadStream(path);
        try {
          return await client.send(
            new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: body, ContentLength: size, ContentMD5: Buffer.from(md5, 'hex').toString('base64') }),
            { abortSignal: signal },
          );
        } finally {
          if (!Buffer.isBuffer(body)) body.destroy();
        }
      },
      { ...this.options.retry, signal },
    );
    // Endpoints that ignore Content-MD5 still report the MD5 of what they stored as the ETag.
    const etag = (response.ETag ?? '').replace(/^"|"$/g, '');
    if (/^[0-9a-f]{32}$/.test(etag) && etag !== md5) {
      await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: key })).catch(() => undefined);
      throw new TransferError(`stored bytes of ${oid} hash to ${etag} (damaged local copy, or damaged on the way): removed from the bucket`);
    }
    progress.addBytes(size);
    return size;
  }

  /**
   * Downloads objects into the local store. Each is written to a temp file while its MD5 is
   * computed; only bytes that hash to the oid are adopted — a corrupt or foreign object under
   * `files/md5/` is refused and never enters the store.
   */
  async pull(oids: ReadonlyArray<string | TransferItem>, callbacks: TransferCallbacks = {}): Promise<PullReport> {
    const { signal } = callbacks;
    const { objects } = this.options;
    const items = unique(oids.map((entry) => (typeof entry === 'string' ? { oid: entry, size: 0 } : entry)));
    const report: PullReport = { downloaded: 0, bytes: 0, skipped: 0, refused: [], failed: [] };
    const wanted = items.filter((item) => {
      if (!objects.hasSync(item.oid)) return true;
      report.skipped++;
      return false;
    });
    const progress = new TransferProgress(this.options.remote, 'pulling', { objects: wanted.length, bytes: sum(wanted) }, callbacks.onProgress);
    await forEachConcurrent(
      wanted,
      this.concurrency,
      async (item) => {
        try {
          const size = await this.download(item.oid, progress, signal);
          report.downloaded++;
          report.bytes += size;
        } catch (error) {
          if (signal?.aborted || isAbort(error)) throw error;
          if (error instanceof TransferError) report.refused.push({ oid: item.oid, reason: error.message });
          else report.failed.push({ oid: item.oid, reason: this.messageOf(error, 'download', item.oid) });
          // Not (rightly) in the bucket after all: the next push must upload it if this home has it.
          if (error instanceof TransferError || isNotFound(error)) this.index.forget([item.oid]);
        }
        progress.objectDone();
      },
      signal,
    );
    progress.finish();
    return report;
  }

  private async download(oid: string, progress: TransferProgress, signal?: AbortSignal): Promise<number> {
    const { client, config, objects } = this.options;
    const key = absoluteKey(config.prefix, contentKey(oid));
    const expected = md5OfOid(oid);
    return withRetry(
      async () => {
        const temp = await objects.tempPath();
        let counted = 0;
        try {
          const response = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }), { abortSignal: signal });
          const hash = createHash('md5');
          await pipeline(
            response.Body as Readable,
            async function* (chunks: AsyncIterable<Buffer>) {
              for await (const chunk of chunks) {
                hash.update(chunk);
                counted += chunk.length;
                progress.addBytes(chunk.length);
                yield chunk;
              }
            },
            createWriteStream(temp),
            { signal },
          );
          const actual = hash.digest('hex');
          if (actual !== expected) {
            throw new TransferError(`corrupt or foreign object: s3://${config.bucket}/${key} holds ${counted} bytes whose MD5 is ${actual}, not ${expected}; refused`);
          }
          await objects.adopt(temp, oid);
          return counted;
        } catch (error) {
          await rm(temp, { force: true });
          progress.addBytes(-counted);
          throw error;
        }
      },
      { ...this.options.retry, signal },
    );
  }

  /**
   * Aborts multipart uploads under the remote's content folder started more than `olderThanMs`
   * ago (ours from a crashed run, or a teammate's): their parts cost storage until aborted.
   */
  async abortStaleUploads(olderThanMs: number, signal?: AbortSignal): Promise<number> {
    const { client, config } = this.options;
    const cutoff = Date.now() - olderThanMs;
    const stale: Array<{ key: string; uploadId: string }> = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    try {
      do {
        const page = await withRetry(
          () =>
            client.send(
              new ListMultipartUploadsCommand({
                Bucket: config.bucket,
                Prefix: absoluteKey(config.prefix, contentRoot),
                ...(keyMarker ? { KeyMarker: keyMarker } : {}),
                ...(uploadIdMarker ? { UploadIdMarker: uploadIdMarker } : {}),
              }),
              { abortSignal: signal },
            ),
          { ...this.options.retry, signal },
        );
        for (const upload of page.Uploads ?? []) {
          if (upload.Key && upload.UploadId && upload.Initiated && upload.Initiated.getTime() < cutoff) stale.push({ key: upload.Key, uploadId: upload.UploadId });
        }
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
      } while (keyMarker);
      for (const upload of stale) {
        const relative = relativeKey(config.prefix, upload.key);
        await withRetry(() => abortUpload(this.options, upload.key, upload.uploadId, relative === null ? null : oidOfKey(relative)), { ...this.options.retry, signal });
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      throw s3Failure(error, { operation: 'clean up uploads under', bucket: config.bucket, key: absoluteKey(config.prefix, contentRoot), endpoint: config.endpoint, region: config.region });
    }
    return stale.length;
  }

  private messageOf(error: unknown, operation: string, oid: string): string {
    if (error instanceof TransferError || !(error instanceof Error)) return String(error instanceof Error ? error.message : error);
    const info = errorInfo(error);
    if (info.name === 'BadDigest' || info.name === 'InvalidDigest') return `the endpoint refused the bytes of ${oid}: they do not match their MD5 (${info.name}) — the local copy is damaged or changed during the upload`;
    if (info.systemCode === 'ENOENT') return `the local copy of ${oid} is missing from the object store`;
    if (info.status === null && !isNetworkError(info)) return error.message;
    const { config } = this.options;
    return s3Failure(error, { operation, bucket: config.bucket, key: absoluteKey(config.prefix, contentKey(oid)), endpoint: config.endpoint, region: config.region }).message;
  }
}

function unique(items: readonly TransferItem[]): TransferItem[] {
  const seen = new Map<string, TransferItem>();
  for (const item of items) if (!seen.has(item.oid)) seen.set(item.oid, item);
  return [...seen.values()];
}

function sum(items: readonly TransferItem[]): number {
  return items.reduce((total, item) => total + item.size, 0);
}
