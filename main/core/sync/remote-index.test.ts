import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ListObjectsV2Command, ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database';
import { tempHome } from '../testing/temp-home';
import { RemoteIndex } from './remote-index';
import { testRemoteConfig } from './testing/targets';

/**
 * How the diff chooses between one sequential listing and parallel shard listings, against an
 * in-memory bucket that pages like S3 (1,000 keys, lexicographic). The real servers are covered
 * by object-transfer.test.ts; here the bucket sizes that matter (2,500 and 40,000) cost nothing.
 */
function fakeBucket(keys: string[]): { client: S3Client; prefixes: string[] } {
  const sorted = [...keys].sort();
  const prefixes: string[] = [];
  const client = {
    send: async (command: ListObjectsV2Command): Promise<Partial<ListObjectsV2CommandOutput>> => {
      const { Prefix = '', ContinuationToken } = command.input;
      prefixes.push(Prefix);
      const matching = sorted.filter((key) => key.startsWith(Prefix) && (!ContinuationToken || key > ContinuationToken));
      const page = matching.slice(0, 1000);
      const truncated = matching.length > 1000;
      return { Contents: page.map((Key) => ({ Key, Size: 1 })), IsTruncated: truncated, ...(truncated ? { NextContinuationToken: page.at(-1)! } : {}) };
    },
  } as unknown as S3Client;
  return { client, prefixes };
}

const oid = (n: number) => createHash('md5').update(`object ${n}`).digest('hex');
const key = (id: string) => `p/files/md5/${id.slice(0, 2)}/${id.slice(2)}`;

describe('RemoteIndex.missing', () => {
  let home: ReturnType<typeof tempHome>;
  let db: Database;
  let remotes = 0;

  beforeAll(() => {
    home = tempHome('trainyard-index-');
    db = openDatabase(join(home.path, 'test.db'));
  });
  afterAll(() => {
    db.close();
    home.remove();
  });

  function index(client: S3Client): RemoteIndex {
    const remote = `r${++remotes}`;
    db.prepare("INSERT INTO sync_remotes (name, region, bucket, auth, created_at) VALUES (?, 'us-east-1', 'b', 'keys', 0)").run(remote);
    return new RemoteIndex({ client, config: testRemoteConfig({ endpoint: 'http://127.0.0.1:1' }, 'b', { prefix: 'p' }), remote, db, concurrency: 8 });
  }

  it('a small bucket (2,500 objects) is read in 3 sequential pages, not 256 shard listings', async () => {
    const present = Array.from({ length: 2_500 }, (_, n) => oid(n));
    const bucket = fakeBucket([...present.map(key), 'p/files/md5/zz-not-an-object', 'p/notes.txt']);
    const remoteIndex = index(bucket.client);
    const wanted = [...present.slice(0, 1_000), oid(-1), oid(-2)];
    expect(await remoteIndex.missing(wanted)).toEqual([oid(-1), oid(-2)]);
    expect(bucket.prefixes).toEqual(['p/files/md5/', 'p/files/md5/', 'p/files/md5/']);
    // Everything listed is cached: the same question (or one about any listed object) costs nothing.
    bucket.prefixes.length = 0;
    expect(await remoteIndex.missing(present)).toEqual([]);
    expect(bucket.prefixes).toEqual([]);
  });

  it('a big bucket (40,000 objects) switches to shard listings after one page, skipping shards it covered', async () => {
    const present = Array.from({ length: 40_000 }, (_, n) => oid(n));
    const bucket = fakeBucket(present.map(key));
    const remoteIndex = index(bucket.client);
    const wanted = [...present.filter((_, n) => n % 10 === 0), oid(-1)];
    expect(await remoteIndex.missing(wanted)).toEqual([oid(-1)]);
    const shardLists = bucket.prefixes.filter((prefix) => prefix !== 'p/files/md5/');
    expect(bucket.prefixes[0]).toBe('p/files/md5/');
    expect(shardLists.length).toBeGreaterThan(200); // ~253 shards of ~156 keys: one page each
    expect(shardLists).not.toContain('p/files/md5/00/'); // the first page covered it
  });

  it('few shards: only those are listed', async () => {
    const present = [oid(1), oid(2)];
    const bucket = fakeBucket(present.map(key));
    const remoteIndex = index(bucket.client);
    expect(await remoteIndex.missing([oid(1), oid(3)])).toEqual([oid(3)]);
    expect(bucket.prefixes.sort()).toEqual([`p/files/md5/${oid(1).slice(0, 2)}/`, `p/files/md5/${oid(3).slice(0, 2)}/`].sort());
  });
});
