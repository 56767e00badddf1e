import type { BigIntStats } from 'node:fs';
import type { Database, Statement } from '../db/database';

/**
 * Remembers the MD5 of files by (device, inode) with the size and mtime they had, so importing an
 * unchanged folder again costs one stat per file instead of reading every byte (DVC keeps the same
 * kind of state database).
 */
export class HashCache {
  private readonly select: Statement<[string, string], { size: number; mtime_ns: string; md5: string }>;
  private readonly upsert: Statement<[string, string, number, string, string]>;

  constructor(private readonly db: Database) {
    this.select = db.prepare('SELECT size, mtime_ns, md5 FROM file_hash_cache WHERE dev = ? AND ino = ?');
    this.upsert = db.prepare(
      `INSERT INTO file_hash_cache (dev, ino, size, mtime_ns, md5) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (dev, ino) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, md5 = excluded.md5`,
    );
  }

  get(stats: BigIntStats): string | null {
    const row = this.select.get(String(stats.dev), String(stats.ino));
    if (!row || row.size !== Number(stats.size) || row.mtime_ns !== String(stats.mtimeNs)) return null;
    return row.md5;
  }

  put(stats: BigIntStats, md5: string): void {
    this.upsert.run(String(stats.dev), String(stats.ino), Number(stats.size), String(stats.mtimeNs), md5);
  }

  /** Many entries in one transaction (one commit instead of one per file). */
  putMany(entries: ReadonlyArray<readonly [BigIntStats, string]>): void {
    this.db.transaction(() => {
      for (const [stats, md5] of entries) this.put(stats, md5);
    })();
  }
}
