import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalid, notFound } from '../../../shared/errors';

/**
 * Files dropped on the browser-mode UI, streamed to main before an import (a page cannot hand main
 * a path). Each upload is a folder under the staging area; relative paths keep a dropped folder's
 * layout and may never climb out of it.
 */
export class Uploads {
  constructor(private readonly root: string) {}

  async create(): Promise<string> {
    const id = randomUUID();
    await mkdir(join(this.root, id), { recursive: true });
    return id;
  }

  /** Streams one file of an upload to disk (temp name, then rename). */
  async write(id: string, relpath: string, body: Readable, maxBytes = Number.POSITIVE_INFINITY): Promise<number> {
    const folder = await this.folder(id);
    const clean = relpath.replace(/\\/g, '/');
    const segments = clean.split('/').filter((segment) => segment !== '' && segment !== '.');
    if (segments.length === 0 || segments.includes('..') || clean.startsWith('/') || clean.includes('\0')) {
      throw invalid(`'${relpath}' is not a valid path inside an upload (no '..', no absolute paths).`);
    }
    const target = resolve(folder, ...segments);
    if (!target.startsWith(folder + sep)) throw invalid(`'${relpath}' would be written outside the upload.`);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.part-${randomUUID()}`;
    let size = 0;
    try {
      await pipeline(
        body,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > maxBytes) throw invalid(`'${relpath}' is larger than the upload limit of ${maxBytes} bytes.`);
            yield chunk;
          }
        },
        createWriteStream(temp),
      );
      await rename(temp, target);
      return size;
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** What to import: the single uploaded file itself, or the folder when there are several. */
  async importPath(id: string): Promise<string> {
    const folder = await this.folder(id);
    const entries = await readdir(folder, { withFileTypes: true });
    if (entries.length === 0) throw invalid(`Upload ${id} is empty: send its files first.`);
    const only = entries[0]!;
    return entries.length === 1 && only.isFile() ? join(folder, only.name) : folder;
  }

  async remove(id: string): Promise<void> {
    await rm(join(this.root, id), { recursive: true, force: true });
  }

  private async folder(id: string): Promise<string> {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw invalid(`'${id}' is not an upload id.`);
    const folder = resolve(this.root, id);
    if (!(await stat(folder).catch(() => null))) throw notFound(`No upload with id '${id}' (uploads are discarded when the app restarts).`);
    return folder;
  }
}
