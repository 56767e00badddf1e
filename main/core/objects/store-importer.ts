import { statSync, type BigIntStats } from 'node:fs';
import type { ManifestEntry } from './dvc-manifest';
import { directoryOid } from './dvc-manifest';
import type { HashCache } from './hash-cache';
import type { HashedFile, HashPool } from './hash-pool';
import type { ObjectStore } from './object-store';
import type { SourceFile } from './source-files';

export interface ImportProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export interface StoredTree {
  /** The file's md5, or the folder manifest's `<md5>.dir`. */
  readonly oid: string;
  readonly entries: Array<ManifestEntry & { size: number }>;
  readonly size: number;
  /** Objects this import created (so a failed import can remove exactly those). */
  readonly created: string[];
}

/** Batches in flight at once: enough to keep every hashing thread fed. */
const concurrency = 8;
/** Cached files are checked synchronously in slices this size, yielding between slices. */
const syncSlice = 512;
const progressIntervalMs = 50;

/**
 * Copies files into the content-addressed store, hashing each in the same read pass (on the hash
 * threads). Unchanged files — same device, inode, size and mtime as a previous import — whose
 * object exists are skipped without reading a byte; that check is a tight synchronous loop
 * (a stat and an index lookup per file), because 10,000 files through the async fs queue cost
 * most of a second of overhead alone.
 */
export async function storeFiles(
  files: readonly SourceFile[],
  asDirectory: boolean,
  deps: { store: ObjectStore; pool: HashPool; cache: HashCache },
  onProgress: (progress: ImportProgress) => void = () => undefined,
): Promise<StoredTree> {
  const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
  const entries: Array<ManifestEntry & { size: number }> = new Array(files.length);
  const created: string[] = [];
  const toCache: Array<[BigIntStats, string]> = [];
  const pending: Array<{ index: number; stats: BigIntStats }> = [];
  let filesDone = 0;
  let bytesDone = 0;
  let lastProgress = 0;
  const advance = (size: number, force = false): void => {
    filesDone++;
    bytesDone += size;
    const now = Date.now();
    if (force || now - lastProgress >= progressIntervalMs || filesDone === files.length) {
      lastProgress = now;
      onProgress({ filesDone, filesTotal: files.length, bytesDone, bytesTotal });
    }
  };

  for (let start = 0; start < files.length; start += syncSlice) {
    for (let index = start; index < Math.min(files.length, start + syncSlice); index++) {
      const file = files[index]!;
      const stats = statSync(file.absolute, { bigint: true });
      const md5 = deps.cache.get(stats);
      if (md5 && deps.store.hasSync(md5)) {
        entries[index] = { md5, relpath: file.relpath, size: Number(stats.size) };
        advance(Number(stats.size));
      } else pending.push({ index, stats });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }

  // Small files travel to the threads in batches (one message per ~64 files or 4 MB); large
  // ones alone, so both threads stay busy and progress moves smoothly.
  const batches: Array<Array<{ index: number; stats: BigIntStats }>> = [];
  let batch: Array<{ index: number; stats: BigIntStats }> = [];
  let batchBytes = 0;
  for (const item of pending) {
    const size = Number(item.stats.size);
    if (batch.length > 0 && (batch.length >= 64 || batchBytes + size > 4 * 1024 * 1024)) {
      batches.push(batch);
      batch = [];
      batchBytes = 0;
    }
    batch.push(item);
    batchBytes += size;
  }
  if (batch.length > 0) batches.push(batch);

  const storeOne = async (items: Array<{ index: number; stats: BigIntStats }>): Promise<void> => {
    let results: HashedFile[];
    try {
      results = await deps.pool.store(items.map((item) => files[item.index]!.absolute), deps.store.root);
    } catch (error) {
      const stored = (error as { stored?: HashedFile[] }).stored ?? [];
      created.push(...stored.filter((result) => result.created).map((result) => result.md5));
      throw error;
    }
    results.forEach((hashed, position) => {
      const { index, stats } = items[position]!;
      if (hashed.created) created.push(hashed.md5);
      toCache.push([stats, hashed.md5]);
      entries[index] = { md5: hashed.md5, relpath: files[index]!.relpath, size: hashed.size };
      advance(hashed.size);
    });
  };
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, batches.length) }, async () => {
        while (next < batches.length) await storeOne(batches[next++]!);
      }),
    );
  } catch (error) {
    await deps.store.remove(created);
    throw error;
  }
  deps.cache.putMany(toCache);

  const size = entries.reduce((sum, entry) => sum + entry.size, 0);
  if (!asDirectory) return { oid: entries[0]!.md5, entries, size, created };
  const manifest = directoryOid(entries.map(({ md5, relpath }) => ({ md5, relpath })));
  const existed = await deps.store.has(manifest.oid);
  const oid = await deps.store.putManifest(manifest.bytes);
  if (!existed) created.push(oid);
  return { oid, entries, size, created };
}
