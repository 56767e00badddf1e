#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .electron-native/<electron version>/better_sqlite3.node.
//
// Why a separate build: better-sqlite3 is a V8 addon, and node_modules must keep its build for
// plain Node (tests, CLI, browser mode). The desktop app loads this one through better-sqlite3's
// `nativeBinding` option instead (TOOLCHAIN.md, "Native modules and Electron";
// main/electron/native-binding.ts reads the same layout). So this script compiles a COPY of
// node_modules/better-sqlite3 and never touches node_modules' own build.
//
// Usage: node scripts/prepare-electron-native.mjs   (prints the file, or one line saying why not)
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const defaultRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const electronHeadersUrl = 'https://electronjs.org/headers';

/**
 * @typedef {{ ok: true, file: string, built: boolean }
 *   | { ok: false, reason: 'headers' | 'build' | 'missing', message: string }} PrepareResult
 */

/** The facts the build depends on; a change to any of them means building again. */
function buildIdentity(root) {
  const require = createRequire(join(root, 'package.json'));
  const read = (name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'));
  return {
    electron: read('electron').version,
    betterSqlite3: read('better-sqlite3').version,
    sourceDir: dirname(require.resolve('better-sqlite3/package.json')),
    platform: process.platform,
    arch: process.arch,
  };
}

/** Where the Electron-ABI build of this checkout lives (also read by start.mjs). */
export function electronNativePaths(root = defaultRoot) {
  const identity = buildIdentity(root);
  const base = join(root, '.electron-native');
  const dir = join(base, identity.electron);
  return { identity, base, dir, file: join(dir, 'better_sqlite3.node'), stamp: join(dir, 'build-info.json'), log: join(dir, 'build.log'), headers: join(base, 'headers') };
}

function nodeGypScript(root) {
  try {
    return createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    // npm ships its own node-gyp next to the node binary.
    const bundled = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    return existsSync(bundled) ? bundled : null;
  }
}

function isCurrent(paths) {
  if (!existsSync(paths.file) || !existsSync(paths.stamp)) return false;
  try {
    const stamp = JSON.parse(readFileSync(paths.stamp, 'utf8'));
    const { sourceDir: _ignored, ...identity } = paths.identity;
    return Object.entries(identity).every(([key, value]) => stamp[key] === value);
  } catch {
    return false;
  }
}

/**
 * Makes sure the Electron-ABI build exists; builds it when it is missing or stale.
 * @param {{ root?: string, log?: (line: string) => void, headersTimeoutMs?: number }} [options]
 * @returns {PrepareResult}
 */
export function prepareElectronNative({ root = defaultRoot, log = (line) => console.log(line), headersTimeoutMs = 120_000 } = {}) {
  const paths = electronNativePaths(root);
  const { electron, betterSqlite3, sourceDir } = paths.identity;
  if (isCurrent(paths)) return { ok: true, file: paths.file, built: false };

  const gyp = nodeGypScript(root);
  if (!gyp) return { ok: false, reason: 'missing', message: 'node-gyp is not installed, so better-sqlite3 cannot be built for Electron' };
  mkdirSync(paths.dir, { recursive: true });
  const flags = [`--target=${electron}`, `--dist-url=${electronHeadersUrl}`, `--devdir=${paths.headers}`, `--arch=${process.arch}`];
  // Explicit flags win over npm_config_* that `npm start` exports, but ELECTRON_RUN_AS_NODE and
  // friends have no business in a compiler's environment.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const logLines = [];
  const run = (args, cwd, timeout) => {
    const result = spawnSync(process.execPath, [gyp, ...args], { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
    logLines.push(`$ node-gyp ${args.join(' ')}`, result.stdout ?? '', result.stderr ?? '');
    writeFileSync(paths.log, logLines.join('\n'));
    return result.status === 0 && !result.error;
  };

  // Headers first, on their own: "no network" deserves a plainer message than a compiler log.
  if (!run(['install', ...flags], root, headersTimeoutMs)) {
    return {
      ok: false,
      reason: 'headers',
      message: `Could not download Electron ${electron}'s headers from ${electronHeadersUrl} to build better-sqlite3 for it (offline?; details in ${relative(root, paths.log)})`,
    };
  }

  log(`Building better-sqlite3 ${betterSqlite3} for Electron ${electron} (once; about a minute)…`);
  const work = join(paths.dir, `work-${process.pid}`);
  const copy = join(work, 'better-sqlite3');
  try {
    rmSync(work, { recursive: true, force: true });
    // The copy leaves out node_modules' compiled output so nothing stale is linked in.
    cpSync(sourceDir, copy, {
      recursive: true,
      filter: (source) => {
        const inside = relative(sourceDir, source).split(sep)[0];
        return inside !== 'build' && inside !== 'node_modules';
      },
    });
    if (!run(['rebuild', '--release', `--jobs=max`, ...flags], copy, 15 * 60_000)) {
      return { ok: false, reason: 'build', message: `better-sqlite3 did not compile for Electron ${electron} (details in ${relative(root, paths.log)})` };
    }
    const built = join(copy, 'build', 'Release', basename(paths.file));
    // Temp name then rename, so an interrupted build never leaves a half-written addon behind.
    const temporary = `${paths.file}.tmp-${process.pid}`;
    copyFileSync(built, temporary);
    renameSync(temporary, paths.file);
    const { sourceDir: _ignored, ...identity } = paths.identity;
    writeFileSync(paths.stamp, `${JSON.stringify({ ...identity, builtAt: new Date().toISOString() }, null, 2)}\n`);
    return { ok: true, file: paths.file, built: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = prepareElectronNative();
  if (result.ok) console.log(result.file);
  else {
    console.error(result.message);
    process.exitCode = 1;
  }
}
