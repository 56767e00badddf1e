import { open, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { notFound } from '../../../shared/errors';
import type { ArtifactContent, ArtifactEntry } from '../../../shared/tracking';
import type { Database } from '../db/database';
import type { ObjectStore, StoredObject } from '../objects/object-store';
import { isTextual, mediaTypeOf, normalizeArtifactPath } from './artifact-paths';
import type { TrackingService } from './tracking-service';

interface ArtifactRow {
  path: string;
  md5: string;
  size: number;
  media_type: string;
}

/**
 * Run artifacts: a run-relative path mapped to a content-addressed object. Bytes go into the object
 * store first (temp + rename), then the row is written, so a row never points at a missing object.
 */
export class ArtifactService {
  constructor(
    private readonly db: Database,
    private readonly objects: ObjectStore,
    private readonly tracking: TrackingService,
  ) {}

  async writeBytes(runId: string, path: string, bytes: Uint8Array): Promise<ArtifactEntry> {
    const target = normalizeArtifactPath(path);
    this.tracking.writablePk(runId);
    return this.record(runId, target, await this.objects.putBytes(bytes));
  }

  async logFile(runId: string, file: string, path: string): Promise<ArtifactEntry> {
    const target = normalizeArtifactPath(path);
    this.tracking.writablePk(runId);
    return this.record(runId, target, await this.objects.putFile(file));
  }

  /** Streams bytes (an upload's request body) into the store as one artifact; nothing is kept if the stream fails. */
  async writeStream(runId: string, path: string, source: AsyncIterable<Uint8Array>): Promise<ArtifactEntry> {
    const target = normalizeArtifactPath(path);
    this.tracking.writablePk(runId);
    return this.record(runId, target, await this.objects.putStream(source));
  }

  /**
   * Removes the artifact at `path`, or every artifact below it when it is a folder (the run's root
   * when `path` is empty). Returns how many were removed; the bytes go at the next purge, once no
   * other row references them.
   */
  remove(runId: string, path: string): number {
    const { pk } = this.tracking.writablePk(runId);
    const target = normalizeArtifactPath(path, { allowRoot: true });
    if (target === '') return this.db.prepare('DELETE FROM artifacts WHERE run_pk = ?').run(pk).changes;
    const like = `${target.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
    return this.db.prepare("DELETE FROM artifacts WHERE run_pk = ? AND (path = ? OR path LIKE ? ESCAPE '\\')").run(pk, target, like).changes;
  }

  /** Logs every file under `directory`, keeping its layout below `prefix`. */
  async logDirectory(runId: string, directory: string, prefix = ''): Promise<ArtifactEntry[]> {
    const base = normalizeArtifactPath(prefix, { allowRoot: true });
    this.tracking.writablePk(runId);
    const entries: ArtifactEntry[] = [];
    for (const file of await walk(directory)) {
      const rel = relative(directory, file).split(sep).join('/');
      entries.push(await this.logFile(runId, file, base ? `${base}/${rel}` : rel));
    }
    return entries;
  }

  /** One folder level: files, and sub-folders derived from deeper paths. */
  list(runId: string, folder: string): ArtifactEntry[] {
    const pk = this.tracking.pkOf(runId);
    const prefix = normalizeArtifactPath(folder, { allowRoot: true });
    const like = prefix ? `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}/%` : '%';
    const rows = this.db
      .prepare("SELECT path, md5, size, media_type FROM artifacts WHERE run_pk = ? AND path LIKE ? ESCAPE '\\' ORDER BY path")
      .all(pk, like) as ArtifactRow[];
    const entries = new Map<string, ArtifactEntry>();
    for (const row of rows) {
      const rest = prefix ? row.path.slice(prefix.length + 1) : row.path;
      const slash = rest.indexOf('/');
      if (slash === -1) {
        entries.set(row.path, { path: row.path, isDir: false, size: row.size, mediaType: row.media_type, md5: row.md5 });
        continue;
      }
      const dirPath = (prefix ? `${prefix}/` : '') + rest.slice(0, slash);
      const dir = entries.get(dirPath) ?? { path: dirPath, isDir: true, size: 0, mediaType: null, md5: null };
      dir.size += row.size;
      entries.set(dirPath, dir);
    }
    return [...entries.values()].sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.path.localeCompare(b.path));
  }

  /** Where an artifact's bytes are, for streaming it (HTTP downloads, exports). */
  locate(runId: string, path: string): { file: string; size: number; mediaType: string; md5: string } {
    const row = this.row(runId, path);
    return { file: this.objects.pathOf(row.md5), size: row.size, mediaType: row.media_type, md5: row.md5 };
  }

  /** Fetches the artifact's bytes first if they are not here yet (a teammate's run, pulled lazily). */
  async ensure(runId: string, path: string): Promise<void> {
    await this.objects.ensure([this.row(runId, path).md5]);
  }

  async read(runId: string, path: string, maxBytes: number): Promise<ArtifactContent> {
    const row = this.row(runId, path);
    await this.objects.ensure([row.md5]);
    const length = Math.min(row.size, maxBytes);
    const handle = await open(this.objects.pathOf(row.md5), 'r');
    try {
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, 0);
      const textual = isTextual(row.media_type);
      return {
        path: row.path,
        mediaType: row.media_type,
        size: row.size,
        encoding: textual ? 'utf8' : 'base64',
        content: buffer.toString(textual ? 'utf8' : 'base64'),
        truncated: row.size > length,
      };
    } finally {
      await handle.close();
    }
  }

  /** Every object hash an artifact row still points at (for garbage collection). */
  /** Every file under `folder`, at any depth, with paths relative to the folder (a model directory). */
  files(runId: string, folder: string): Array<{ relpath: string; md5: string; size: number }> {
    const pk = this.tracking.pkOf(runId);
    const prefix = normalizeArtifactPath(folder);
    const like = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
    const rows = this.db.prepare("SELECT path, md5, size FROM artifacts WHERE run_pk = ? AND path LIKE ? ESCAPE '\\' ORDER BY path").all(pk, like) as ArtifactRow[];
    return rows.map((row) => ({ relpath: row.path.slice(prefix.length + 1), md5: row.md5, size: row.size }));
  }

  referencedHashes(): Set<string> {
    const rows = this.db.prepare('SELECT DISTINCT md5 FROM artifacts').all() as Array<{ md5: string }>;
    return new Set(rows.map((row) => row.md5));
  }

  private row(runId: string, path: string): ArtifactRow {
    const pk = this.tracking.pkOf(runId);
    const target = normalizeArtifactPath(path);
    const row = this.db.prepare('SELECT path, md5, size, media_type FROM artifacts WHERE run_pk = ? AND path = ?').get(pk, target) as ArtifactRow | undefined;
    if (!row) throw notFound(`Run ${runId} has no artifact '${target}'.`);
    return row;
  }

  private record(runId: string, path: string, stored: StoredObject): ArtifactEntry {
    const pk = this.tracking.pkOf(runId);
    const mediaType = mediaTypeOf(path);
    this.db
      .prepare(
        `INSERT INTO artifacts (run_pk, path, md5, size, media_type, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_pk, path) DO UPDATE SET md5 = excluded.md5, size = excluded.size, media_type = excluded.media_type, created_at = excluded.created_at`,
      )
      .run(pk, path, stored.md5, stored.size, mediaType, Date.now());
    return { path, isDir: false, size: stored.size, mediaType, md5: stored.md5 };
  }
}

async function walk(directory: string): Promise<string[]> {
  const info = await stat(directory).catch(() => null);
  if (!info?.isDirectory()) throw notFound(`'${directory}' is not a folder.`);
  const files: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const full = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files.sort();
}
