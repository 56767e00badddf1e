// Bundles every runtime: the CLI (plain Node), the Electron main process and its preload, the
// workers, then the renderer with Vite. Native addons stay external: they load from node_modules
// (or, for the packaged app, from app.asar.unpacked).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// `--only=cli,workers` builds a subset (tests need the workers, not the renderer).
const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
const only = new Set(onlyArg ? onlyArg.slice('--only='.length).split(',') : ['cli', 'electron', 'workers', 'renderer']);

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  external: ['better-sqlite3', 'onnxruntime-node', '@duckdb/node-api', 'electron'],
  define: { __TRAINYARD_VERSION__: JSON.stringify(pkg.version) },
  // ESM output still needs `require` for CommonJS dependencies bundled inside.
  banner: { js: "import { createRequire as __trainyardCreateRequire } from 'node:module'; const require = __trainyardCreateRequire(import.meta.url);" },
};

const started = Date.now();
const tasks = {
  cli: () => build({ ...nodeCommon, entryPoints: { trainyard: 'main/cli/trainyard.ts' }, outdir: 'dist/cli' }),
  electron: () => Promise.all([
  build({ ...nodeCommon, entryPoints: { main: 'main/electron/main.ts' }, outdir: 'dist/electron' }),
  // A sandboxed preload cannot be ESM: one self-contained CommonJS file (TOOLCHAIN.md).
  build({
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    entryPoints: { preload: 'main/electron/preload.ts' },
    outExtension: { '.js': '.cjs' },
    outdir: 'dist/electron',
    external: ['electron'],
  }),
  ]),
  workers: () => build({ ...nodeCommon, entryPoints: { probe: 'workers/probe/entry.ts', data: 'workers/data/entry.ts', trainer: 'workers/trainer/entry.ts', model: 'workers/model/entry.ts', serve: 'workers/serve/entry.ts' }, outdir: 'dist/workers' }),
};
await Promise.all(Object.entries(tasks).filter(([name]) => only.has(name)).map(([, task]) => task()));
console.log(`bundled ${[...only].filter((name) => name in tasks).join(', ')} in ${Date.now() - started} ms`);

if (only.has('renderer')) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
  console.log(`built the renderer in ${Date.now() - started} ms total`);
}
