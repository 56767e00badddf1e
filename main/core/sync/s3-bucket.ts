import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { notFound } from '../../../shared/errors';
import type { RemoteCapabilities, RemoteConfig } from '../../../shared/sync';
import type { Bucket, BucketEntry } from './bucket';
import { absoluteKey, relativeKey } from './keys';
import { withRetry, type RetryPolicy } from './retry';
import { isNotFound, isPreconditionFailed, s3Failure, type S3ErrorContext } from './s3-errors';

/**
 * The `Bucket` of the event log over an S3-compatible endpoint. Keys are relative to the
 * remote's prefix; every request retries transient failures (retry.ts) and fails with a message
 * that names the bucket, the key and the endpoint.
 */
export class S3Bucket implements Bucket {
  constructor(
    private readonly client: S3Client,
    private readonly config: RemoteConfig,
    private readonly capabilities: Pick<RemoteCapabilities, 'conditionalCreate'>,
    private readonly options: { retry?: RetryPolicy; signal?: AbortSignal } = {},
  ) {}

  /**
   * With `If-None-Match: *` where the endpoint honours it (412 → 'exists'). Elsewhere a HEAD then
   * a PUT: two writers racing for one key can both see it free and the later PUT wins — safe for
   * the event log only because its keys are unique per client (SEMANTICS.md §4.6 fallback).
   * A retry after an attempt whose answer was lost may find the key taken by that very attempt:
   * then the stored bytes are compared, and equal bytes count as 'created'.
   */
  async putNew(key: string, bytes: Uint8Array, options: { contentType?: string } = {}): Promise<'created' | 'exists'> {
    const Key = absoluteKey(this.config.prefix, key);
    const md5 = createHash('md5').update(bytes).digest();
    const context = this.context('write', key);
    let failedBefore = false;
    const taken = async (): Promise<'created' | 'exists'> => (failedBefore && (await this.sameBytes(Key, md5)) ? 'created' : 'exists');
    return this.retry(context, async () => {
      try {
        if (!this.capabilities.conditionalCreate) {
          const head = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key }), { abortSignal: this.options.signal }).catch((error: unknown) => {
            if (isNotFound(error)) return null;
            throw error;
          });
          if (head) return await taken();
        }
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.config.bucket,
            Key,
            Body: bytes,
            ContentLength: bytes.byteLength,
            ContentMD5: md5.toString('base64'),
            ...(options.contentType ? { ContentType: options.contentType } : {}),
            ...(this.capabilities.conditionalCreate ? { IfNoneMatch: '*' } : {}),
          }),
          { abortSignal: this.options.signal },
        );
        return 'created';
      } catch (error) {
        if (isPreconditionFailed(error)) return await taken();
        failedBefore = true;
        throw error;
      }
    });
  }

  async *list(prefix: string, options: { startAfter?: string; delimiter?: string } = {}): AsyncIterable<BucketEntry> {
    let continuationToken: string | undefined;
    const context = this.context('list', prefix);
    do {
      const page = await this.retry(context, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.config.bucket,
            Prefix: absoluteKey(this.config.prefix, prefix),
            ContinuationToken: continuationToken,
            ...(options.startAfter && !continuationToken ? { StartAfter: absoluteKey(this.config.prefix, options.startAfter) } : {}),
            ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
          }),
          { abortSignal: this.options.signal },
        ),
      );
      const entries: BucketEntry[] = [];
      for (const object of page.Contents ?? []) {
        const key = object.Key === undefined ? null : relativeKey(this.config.prefix, object.Key);
        if (key !== null) entries.push({ key, size: object.Size ?? 0, etag: object.ETag ?? null });
      }
      for (const common of page.CommonPrefixes ?? []) {
        const key = common.Prefix === undefined ? null : relativeKey(this.config.prefix, common.Prefix);
        if (key !== null) entries.push({ key, size: -1, etag: null });
      }
      // Objects and common prefixes come as two sorted lists; one page is one sorted run.
      entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      yield* entries;
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  async get(key: string): Promise<Uint8Array> {
    const Key = absoluteKey(this.config.prefix, key);
    try {
      return await withRetry(
        async () => {
          const response = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key }), { abortSignal: this.options.signal });
          return response.Body!.transformToByteArray();
        },
        { ...this.options.retry, signal: this.options.signal },
      );
    } catch (error) {
      if (isNotFound(error) && !/NoSuchBucket/.test(String((error as Error).name))) throw notFound(`${key} is not in the bucket "${this.config.bucket}".`);
      throw s3Failure(error, this.context('download', key));
    }
  }

  private async sameBytes(Key: string, md5: Buffer): Promise<boolean> {
    const response = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key }), { abortSignal: this.options.signal });
    const stored = await response.Body!.transformToByteArray();
    return createHash('md5').update(stored).digest().equals(md5);
  }

  private async retry<T>(context: S3ErrorContext, operation: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(operation, { ...this.options.retry, signal: this.options.signal });
    } catch (error) {
      if (this.options.signal?.aborted) throw error;
      throw s3Failure(error, context);
    }
  }

  private context(operation: string, key: string): S3ErrorContext {
    return { operation, bucket: this.config.bucket, key: absoluteKey(this.config.prefix, key), endpoint: this.config.endpoint, region: this.config.region };
  }
}
