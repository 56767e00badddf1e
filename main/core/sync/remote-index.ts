import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { RemoteConfig } from '../../../shared/sync';
import type { Database } from '../db/database';
import { absoluteKey, contentRoot, md5OfOid, oidOfKey, relativeKey } from './keys';
import { forEachConcurrent } from './pool';
import { withRetry, type RetryPolicy } from './retry';
import { s3Failure } from './s3-errors';

/** Up to this many pages, one sequential listing of `files/md5/` beats 256 parallel shard listings. */
const sequentialPages = 8;

export interface RemoteIndexOptions {
  readonly client: S3Client;
  readonly config: RemoteConfig;
  /** The remote's name in sync_remotes. */
  readonly remote: string;
  readonly db: Database;
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
}

/**
 * Which content objects the bucket holds (SEMANTICS.md §4.5): a local cache in
 * sync_remote_objects (what we pushed, and what listings showed) in front of listings of the
 * 2-hex shards `files/md5/ab/`, in parallel. Never a HEAD per object, and no request at all when
 * every oid asked about is cached. Blobs are immutable and keyed by content, so a cached oid
 * stays true until someone deletes it from the bucket (a gc must revalidate: `forgetAll`).
 */
export class RemoteIndex {
  private readonly hasStatement;
  private readonly addStatement;
  private readonly forgetStatement;

  constructor(private readonly options: RemoteIndexOptions) {
    const { db } = options;
    this.hasStatement = db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM sync_remote_objects WHERE remote = ? AND oid = ?');
    this.addStatement = db.prepare<[string, string]>('INSERT OR IGNORE INTO sync_remote_objects (remote, oid) VALUES (?, ?)');
    this.forgetStatement = db.prepare<[string, string]>('DELETE FROM sync_remote_objects WHERE remote = ? AND oid = ?');
  }

  /** Whether the cache says the bucket holds the object (no request). */
  cached(oid: string): boolean {
    return this.hasStatement.get(this.options.remote, oid) !== undefined;
  }

  /** Records objects as present in the bucket. */
  add(oids: Iterable<string>): void {
    const { db, remote } = this.options;
    db.transaction(() => {
      for (const oid of oids) this.addStatement.run(remote, oid);
    })();
  }

  forget(oids: Iterable<string>): void {
    const { db, remote } = this.options;
    db.transaction(() => {
      for (const oid of oids) this.forgetStatement.run(remote, oid);
    })();
  }

  /** Drops the whole cache of this remote (before a gc, or after the bucket was emptied). */
  forgetAll(): void {
    this.options.db.prepare('DELETE FROM sync_remote_objects WHERE remote = ?').run(this.options.remote);
  }

  /**
   * The oids (deduplicated, in the order given) that the bucket does not hold. Uncached oids are
   * looked up by listing their shards; every content key a listing shows is cached, so later
   * checks (and pulls of what teammates pushed) need no request.
   */
  async missing(oids: Iterable<string>, signal?: AbortSignal): Promise<string[]> {
    const unknown = [...new Set(oids)].filter((oid) => !this.cached(oid));
    if (unknown.length === 0) return [];
    const shards = [...new Set(unknown.map((oid) => oid.slice(0, 2)))].sort();
    const found = await this.listShards(shards, signal);
    this.add(found);
    return unknown.filter((oid) => !found.has(oid));
  }

  /**
   * Lists the shards. When many are wanted, the whole `files/md5/` is listed first, one page at a
   * time: keys come in hex order, so the first page tells roughly how big the bucket is. A small
   * bucket (≤ ~8 pages) is then read to the end in a few requests instead of up to 256; a big one
   * switches to parallel shard listings, skipping the shards that first page covered
   * (DVC picks between the two the same way — SEMANTICS.md §1.4 step 3).
   */
  private async listShards(shards: readonly string[], signal?: AbortSignal): Promise<Set<string>> {
    const found = new Set<string>();
    let todo = shards;
    if (shards.length > 8) {
      let page = await this.listPage(contentRoot, undefined, signal);
      for (const oid of page.oids) found.add(oid);
      const last = page.oids.at(-1);
      const covered = last ? parseInt(last.slice(0, 2), 16) / 256 : 0;
      if (page.next && covered > 0 && 1 / covered <= sequentialPages) {
        while (page.next) {
          page = await this.listPage(contentRoot, page.next, signal);
          for (const oid of page.oids) found.add(oid);
        }
      }
      if (!page.next) return found;
      // Shards wholly before the page's last key are complete; its own shard may not be.
      if (last) todo = shards.filter((shard) => shard >= last.slice(0, 2));
    }
    await forEachConcurrent(
      todo,
      this.options.concurrency ?? 16,
      async (shard) => {
        let token: string | undefined;
        do {
          const page = await this.listPage(`${contentRoot}${shard}/`, token, signal);
          for (const oid of page.oids) found.add(oid);
          token = page.next;
        } while (token);
      },
      signal,
    );
    return found;
  }

  private async listPage(prefix: string, token: string | undefined, signal?: AbortSignal): Promise<{ oids: string[]; next: string | undefined }> {
    const { client, config } = this.options;
    try {
      const page = await withRetry(
        () =>
          client.send(
            new ListObjectsV2Command({ Bucket: config.bucket, Prefix: absoluteKey(config.prefix, prefix), ...(token ? { ContinuationToken: token } : {}) }),
            { abortSignal: signal },
          ),
        { ...this.options.retry, signal },
      );
      const oids: string[] = [];
      for (const object of page.Contents ?? []) {
        const relative = object.Key === undefined ? null : relativeKey(config.prefix, object.Key);
        const oid = relative === null ? null : oidOfKey(relative);
        // A single-PUT ETag is the content's MD5: one that is not the key's is a corrupt or foreign
        // object, which must not count as present (ours would never be uploaded over it).
        const etag = (object.ETag ?? '').replaceAll('"', '');
        if (oid && /^[0-9a-f]{32}$/.test(etag) && etag !== md5OfOid(oid)) continue;
        if (oid) oids.push(oid);
      }
      return { oids, next: page.IsTruncated ? page.NextContinuationToken : undefined };
    } catch (error) {
      if (signal?.aborted) throw error;
      throw s3Failure(error, { operation: 'list', bucket: config.bucket, key: absoluteKey(config.prefix, prefix), endpoint: config.endpoint, region: config.region });
    }
  }
}
