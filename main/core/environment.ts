import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { promisify } from 'node:util';
import type { Environment, RunSource } from '../../shared/tracking';
import { trainyardVersion } from './version';

const run = promisify(execFile);

async function output(file: string, args: readonly string[], cwd?: string): Promise<string | null> {
  try {
    const { stdout } = await run(file, [...args], { timeout: 3000, cwd, windowsHide: true });
    return stdout.trim();
  } catch {
    return null;
  }
}

/** GPU names, best effort: NVIDIA's tool first, then the PCI list; none found is a valid answer. */
async function detectGpus(): Promise<string[]> {
  const nvidia = await output('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader']);
  if (nvidia) return nvidia.split('\n').map((line) => line.trim()).filter(Boolean);
  if (process.platform === 'linux') {
    const pci = await output('lspci', []);
    if (pci) {
      return pci
        .split('\n')
        .filter((line) => /VGA compatible|3D controller|Display controller/.test(line))
        .map((line) => line.replace(/^\S+\s+[^:]+:\s*/, ''));
    }
  }
  if (process.platform === 'win32') {
    const names = await output('powershell', ['-NoProfile', '-Command', '(Get-CimInstance Win32_VideoController).Name']);
    if (names) return names.split(/\r?\n/).filter(Boolean);
  }
  return [];
}

function onnxruntimeVersion(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return (require('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return null;
  }
}

/** The machine facts recorded on every run. */
export async function captureEnvironment(): Promise<Environment> {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${process.platform}`,
    osRelease: os.release(),
    arch: process.arch,
    hostname: os.hostname(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCores: cpus.length,
    totalMemoryBytes: os.totalmem(),
    gpus: await detectGpus(),
    nodeVersion: process.versions.node,
    onnxruntimeVersion: onnxruntimeVersion(),
    trainyardVersion,
  };
}

/** The git commit (and whether the tree has uncommitted changes) of `cwd`, or null outside a repo. */
export async function captureGitSource(cwd: string, entryPoint?: string): Promise<RunSource | null> {
  const commit = await output('git', ['rev-parse', 'HEAD'], cwd);
  if (!commit) return null;
  const [status, branch, top] = await Promise.all([
    output('git', ['status', '--porcelain', '--untracked-files=no'], cwd),
    output('git', ['rev-parse', '--abbrev-ref', 'HEAD'], cwd),
    output('git', ['rev-parse', '--show-toplevel'], cwd),
  ]);
  return {
    gitCommit: commit,
    gitDirty: status === null ? null : status.length > 0,
    gitBranch: branch,
    repository: top,
    entryPoint: entryPoint ?? null,
  };
}
