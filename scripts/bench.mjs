// `npm run bench`: bundles each bench/*.ts (not the harness) and runs it in its own process, so one
// benchmark's heap and caches never colour another's. Prints one JSON array, also written to
// bench/results/latest.json.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';

const only = process.argv.slice(2);
const names = readdirSync('bench').filter((name) => name.endsWith('.ts') && name !== 'harness.ts' && !name.endsWith('.test.ts')).map((name) => name.slice(0, -3)).filter((name) => only.length === 0 || only.includes(name));
await build({
  entryPoints: names.map((name) => `bench/${name}.ts`),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outdir: '.tmp/bench',
  external: ['better-sqlite3', 'onnxruntime-node', '@duckdb/node-api', 'electron'],
  define: { __TRAINYARD_VERSION__: '"bench"' },
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
  logLevel: 'warning',
});
const results = [];
for (const name of names) {
  process.stderr.write(`running ${name}…\n`);
  const output = execFileSync(process.execPath, [`.tmp/bench/${name}.js`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  results.push(JSON.parse(output.trim().split('\n').pop()));
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', JSON.stringify(results, null, 2));
console.log(JSON.stringify(results, null, 2));
