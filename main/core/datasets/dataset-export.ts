import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { invalid } from '../../../shared/errors';
import type { ObjectStore } from '../objects/object-store';

/**
 * Materializes a version's files under `directory` (the `git checkout` + `dvc pull` of the data).
 * Each file is copied to a temp name and renamed, and nothing is overwritten unless asked.
 */
export async function exportFiles(
  files: ReadonlyArray<{ relpath: string; md5: string; size: number }>,
  objects: ObjectStore,
  directory: string,
  options: { overwrite?: boolean } = {},
): Promise<{ files: number; bytes: number }> {
  const root = resolve(directory);
  for (const file of files) {
    const target = resolve(root, file.relpath);
    if (!target.startsWith(root + sep)) throw invalid(`Refusing to write '${file.relpath}' outside '${directory}'.`);
    if (!options.overwrite && (await stat(target).catch(() => null))) {
      throw invalid(`'${target}' already exists; export into an empty folder or pass --force.`);
    }
  }
  let bytes = 0;
  for (const file of files) {
    const target = resolve(root, file.relpath);
    await mkdir(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.trainyard-tmp`);
    try {
      await copyFile(objects.pathOf(file.md5), temp);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    bytes += file.size;
  }
  return { files: files.length, bytes };
}
