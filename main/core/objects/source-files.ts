import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { invalid, notFound } from '../../../shared/errors';

/** One file of an import: where it is, and its path below the imported folder (with `/`). */
export interface SourceFile {
  readonly absolute: string;
  readonly relpath: string;
  readonly size: number;
}

/** Files no one means to version: OS litter and tool folders. */
const ignoredNames = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini', '.git', '.dvc', '.trainyard']);

/**
 * The files of a dropped file or folder, sorted by path. A symbolic link is followed only when it
 * points inside the dropped folder: a link out of it (say to ~/.ssh) is an error, never a silent
 * copy of something the user did not drop.
 */
export async function listSourceFiles(path: string): Promise<{ root: string; isDirectory: boolean; files: SourceFile[] }> {
  const root = resolve(path);
  const info = await stat(root).catch(() => null);
  if (!info) throw notFound(`Nothing to import at '${path}': no such file or folder.`);
  if (info.isFile()) return { root, isDirectory: false, files: [{ absolute: root, relpath: basename(root), size: info.size }] };
  if (!info.isDirectory()) throw invalid(`'${path}' is neither a file nor a folder.`);
  const realRoot = await realpath(root);
  const files: SourceFile[] = [];
  await walk(root, realRoot, root, files);
  if (files.length === 0) throw invalid(`The folder '${path}' has no files to import.`);
  return { root, isDirectory: true, files: files.sort((a, b) => (a.relpath < b.relpath ? -1 : a.relpath > b.relpath ? 1 : 0)) };
}

async function walk(root: string, realRoot: string, directory: string, out: SourceFile[]): Promise<void> {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (ignoredNames.has(entry.name)) continue;
    const absolute = join(directory, entry.name);
    const relpath = relative(root, absolute).split(sep).join('/');
    let info = await lstat(absolute);
    if (info.isSymbolicLink()) {
      const target = await realpath(absolute).catch(() => null);
      if (!target) throw invalid(`'${relpath}' is a broken symbolic link.`);
      if (target !== realRoot && !target.startsWith(realRoot + sep)) {
        throw invalid(`'${relpath}' is a symbolic link to '${target}', outside the folder being imported; copy the file in instead.`);
      }
      info = await stat(absolute);
    }
    if (info.isDirectory()) await walk(root, realRoot, absolute, out);
    else if (info.isFile()) out.push({ absolute, relpath, size: info.size });
  }
}
