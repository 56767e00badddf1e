import { execFile } from 'node:child_process';
import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A `.dvc` file exactly as DVC 3 writes it (SEMANTICS.md §1.3): hash value, meta, `hash: md5`
 * (what marks a 3.x out — without it DVC uses the legacy layout and `dvc pull` fails), then path.
 */
export function dvcFileText(out: { oid: string; size: number; nfiles: number | null; path: string }): string {
  const lines = ['outs:', `- md5: ${out.oid}`, `  size: ${out.size}`];
  if (out.nfiles !== null) lines.push(`  nfiles: ${out.nfiles}`);
  lines.push('  hash: md5', `  path: ${yamlScalar(out.path)}`);
  return `${lines.join('\n')}\n`;
}

/** Plain YAML scalars stay bare; anything YAML could misread is single-quoted. */
function yamlScalar(value: string): string {
  return /^[A-Za-z0-9_./-][A-Za-z0-9 _./-]*$/.test(value) && !/^(true|false|null|yes|no|~)$/i.test(value) && !/\s$/.test(value)
    ? value
    : `'${value.replace(/'/g, "''")}'`;
}

/** Whether `path` is inside a git work tree (the only place a `.dvc` file makes sense). */
export async function insideGitRepository(path: string): Promise<boolean> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dirname(path), timeout: 3000 });
    return stdout.trim() === 'true';
  } catch {
    return false;
  }
}

/** Writes `<path>.dvc` beside the imported file or folder (temp + rename). */
export async function writeDvcFile(sourcePath: string, out: { oid: string; size: number; nfiles: number | null }): Promise<string> {
  const target = `${sourcePath}.dvc`;
  const temp = join(dirname(sourcePath), `.${basename(target)}.tmp-${process.pid}`);
  await writeFile(temp, dvcFileText({ ...out, path: basename(sourcePath) }));
  await rename(temp, target);
  return target;
}
