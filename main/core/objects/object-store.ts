import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WorkbenchError } from '../../../shared/errors';

/** A stored object: its MD5 (the address) and size in bytes. */
export interface StoredObject {
  readonly md5: string;
  readonly size: number;
}

/** An object id: a file's MD5, or a directory manifest's MD5 + `.dir` (DVC 3). */
const oidPattern = /^[0-9a-f]{32}(\.dir)?$/;

/**
 * Content-addressed files in DVC 3's exact layout: `<root>/files/md5/<2 hex>/<30 hex>`. Every write
 * goes to `<root>/tmp/` first and is renamed into place, so a crash never leaves a half-written
 * object under its final name; identical content is stored once.
 */
export class ObjectStore {
  private readonly tmpDir: string;
  /** Folders known to exist, so a 10,000-file import does not mkdir 20,000 times. */
  private readonly madeDirs = new Set<string>();
  private fetcher: ((oids: readonly string[]) => Promise<void>) | null = null;

  /**
   * @param gcGraceMs objects touched more recently than this survive garbage collection, so an
   * artifact whose bytes are stored but whose row is not yet written is never collected.
   */
  constructor(
    readonly root: string,
    private readonly gcGraceMs = 60_000,
  ) {
    this.tmpDir = join(root, 'tmp');
  }

  /**
   * Where missing objects can come from (team sync: a teammate's artifacts are rows until first
   * read). Set once by the composition root; without it a missing object is an error.
   */
  setFetcher(fetcher: ((oids: readonly string[]) => Promise<void>) | null): void {
    this.fetcher = fetcher;
  }

  /** Makes sure the objects are here, fetching the missing ones; a clear NOT_FOUND otherwise. */
  async ensure(oids: readonly string[]): Promise<void> {
    const missing = [...new Set(oids)].filter((oid) => !this.hasSync(oid));
    if (missing.length === 0) return;
    if (!this.fetcher) throw new WorkbenchError('NOT_FOUND', `${missing.length} object(s) are not in this home (first: ${missing[0]}).`);
    await this.fetcher(missing);
  }

  pathOf(oid: string): string {
    if (!oidPattern.test(oid)) throw new Error(`not an object id: ${oid}`);
    return join(this.root, 'files', 'md5', oid.slice(0, 2), oid.slice(2));
  }

  /** Removes temp files left by a crash. Safe only while nothing else writes (at start-up). */
  async clearTemp(): Promise<number> {
    const names = await readdir(this.tmpDir).catch(() => [] as string[]);
    await Promise.all(names.map((name) => rm(join(this.tmpDir, name), { force: true, recursive: true })));
    return names.length;
  }

  async putBytes(bytes: Uint8Array): Promise<StoredObject> {
    const md5 = createHash('md5').update(bytes).digest('hex');
    const target = this.pathOf(md5);
    if (await touch(target)) return { md5, size: bytes.byteLength };
    const temp = await this.tempPath();
    await writeFile(temp, bytes);
    await this.moveIntoPlace(temp, target);
    return { md5, size: bytes.byteLength };
  }

  /** Streams a file into the store, hashing as it copies (no whole-file buffering). */
  async putFile(source: string): Promise<StoredObject> {
    return this.putStream(createReadStream(source));
  }

  /**
   * Streams bytes (an HTTP request body, say) into the store, hashing as it copies. If the source
   * fails or is aborted midway, the temp file is removed and nothing is stored.
   */
  async putStream(source: AsyncIterable<Uint8Array>): Promise<StoredObject> {
    const temp = await this.tempPath();
    const hash = createHash('md5');
    let size = 0;
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Uint8Array>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(temp),
      );
      const md5 = hash.digest('hex');
      const target = this.pathOf(md5);
      if (await touch(target)) await unlink(temp);
      else await this.moveIntoPlace(temp, target);
      return { md5, size };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async has(oid: string): Promise<boolean> {
    return exists(this.pathOf(oid));
  }

  /** Stores a directory manifest under `<md5>.dir`, as DVC does; returns its object id. */
  async putManifest(bytes: Uint8Array): Promise<string> {
    const oid = `${createHash('md5').update(bytes).digest('hex')}.dir`;
    const target = this.pathOf(oid);
    if (await touch(target)) return oid;
    const temp = await this.tempPath();
    await writeFile(temp, bytes);
    await this.moveIntoPlace(temp, target);
    return oid;
  }

  /** A fresh path in the store's temp folder, for a writer that hashes while it copies. */
  async tempPath(): Promise<string> {
    await this.ensureDir(this.tmpDir);
    return join(this.tmpDir, `${Date.now()}-${randomBytes(6).toString('hex')}.tmp`);
  }

  /** Whether the object exists, without yielding (for tight loops over thousands of cached files). */
  hasSync(oid: string): boolean {
    return existsSync(this.pathOf(oid));
  }

  /**
   * Moves a temp file whose MD5 the caller computed into place. Returns false (and deletes the
   * temp file) when the store already had the object: identical content is stored once.
   */
  async adopt(temp: string, md5: string): Promise<boolean> {
    const target = this.pathOf(md5);
    if (await touch(target)) {
      await rm(temp, { force: true });
      return false;
    }
    await this.moveIntoPlace(temp, target);
    return true;
  }

  /** Deletes objects now (an import that failed removes the objects only it had created). */
  async remove(oids: Iterable<string>): Promise<void> {
    for (const oid of oids) await rm(this.pathOf(oid), { force: true });
  }

  /** Deletes every object whose id `isReferenced` rejects (ids keep their `.dir`); returns what it freed. */
  async collectGarbage(isReferenced: (oid: string) => boolean): Promise<{ objectsDeleted: number; bytesFreed: number }> {
    const base = join(this.root, 'files', 'md5');
    let objectsDeleted = 0;
    let bytesFreed = 0;
    const prefixes = await readdir(base).catch(() => [] as string[]);
    for (const prefix of prefixes) {
      const names = await readdir(join(base, prefix)).catch(() => [] as string[]);
      for (const name of names) {
        const oid = prefix + name;
        if (isReferenced(oid)) continue;
        const file = join(base, prefix, name);
        const info = await stat(file).catch(() => null);
        if (!info || Date.now() - info.mtimeMs < this.gcGraceMs) continue;
        await unlink(file);
        objectsDeleted++;
        bytesFreed += info.size;
      }
    }
    return { objectsDeleted, bytesFreed };
  }

  private async moveIntoPlace(temp: string, target: string): Promise<void> {
    await this.ensureDir(dirname(target));
    await rename(temp, target);
  }

  private async ensureDir(path: string): Promise<void> {
    if (this.madeDirs.has(path)) return;
    await mkdir(path, { recursive: true });
    this.madeDirs.add(path);
  }
}

/** Marks an existing object as just used (see `gcGraceMs`); false when it does not exist. */
async function touch(path: string): Promise<boolean> {
  const now = new Date();
  return utimes(path, now, now).then(
    () => true,
    () => false,
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
