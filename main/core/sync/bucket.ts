/**
 * The few bucket operations sync needs, over keys relative to the remote's prefix. The S3
 * implementation (s3-bucket.ts) speaks to any S3-compatible endpoint; tests of the event log may
 * use an in-memory one. Every method retries transient failures itself (SEMANTICS.md §4.2).
 */
export interface Bucket {
  /**
   * Writes an object only if the key is free: `If-None-Match: *` where the endpoint honours it,
   * else a check then a write. 'exists' when the key was taken (the bytes were not written).
   */
  putNew(key: string, bytes: Uint8Array, options?: { contentType?: string }): Promise<'created' | 'exists'>;
  /** Keys under a prefix in lexicographic order, after `startAfter` when given. */
  list(prefix: string, options?: { startAfter?: string; delimiter?: string }): AsyncIterable<BucketEntry>;
  /** The object's bytes; a NOT_FOUND WorkbenchError when it is missing. */
  get(key: string): Promise<Uint8Array>;
}

export interface BucketEntry {
  /** Relative to the remote's prefix. With a delimiter, a common prefix ends with it and has size -1. */
  readonly key: string;
  readonly size: number;
  readonly etag: string | null;
}
