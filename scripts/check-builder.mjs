#!/usr/bin/env node
// Validates electron-builder.yml offline, the way `electron-builder` itself does before packaging:
// app-builder-lib's getConfig (finds and loads the yml, applies `extends`), checkMetadata
// (package.json) and validateConfiguration (the JSON schema: unknown keys fail). It then checks
// the project's own packaging rules, which a schema cannot know. Prints one line on success; the
// error and a non-zero exit otherwise.
//   node scripts/check-builder.mjs [config file]   (default: electron-builder.yml, found as electron-builder does)
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
const { checkMetadata } = require('app-builder-lib/out/util/packageMetadata');
const { DebugLogger, log } = require('builder-util');
const builderVersion = JSON.parse(readFileSync(require.resolve('app-builder-lib/package.json'), 'utf8')).version;

/** Fuses the packaged app must have (CONVENTIONS.md, Electron security). */
const requiredFuses = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
};

/** Rules of this project a schema cannot express; each returns an error or null. */
function projectRules(config) {
  const errors = [];
  for (const [fuse, value] of Object.entries(requiredFuses)) {
    if (config.electronFuses?.[fuse] !== value) errors.push(`electronFuses.${fuse} must be ${value}`);
  }
  if (config.npmRebuild !== false) {
    errors.push('npmRebuild must be false: an in-place rebuild breaks node_modules\' Node build of better-sqlite3 (TOOLCHAIN.md); the app ships its Electron build via extraResources');
  }
  const unpacked = (config.asarUnpack ?? []).join(' ');
  for (const module of ['better-sqlite3', 'onnxruntime-node', '@duckdb/', 'sharp', '@img/']) {
    if (!unpacked.includes(`node_modules/${module}`)) errors.push(`asarUnpack must cover node_modules/${module} (native libraries cannot load from inside the asar)`);
  }
  for (const platform of ['linux', 'win', 'mac']) {
    const icon = config[platform]?.icon;
    if (icon && !existsSync(resolve(root, icon))) errors.push(`${platform}.icon ${icon} does not exist`);
  }
  return errors;
}

async function main() {
  const configPath = process.argv[2] ?? null;
  // electron-builder logs "loaded configuration" and metadata warnings; keep them for the one line.
  const notes = [];
  log.stream = { write: (text) => notes.push(text) };
  const metadata = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const config = await getConfig(root, configPath, null, { value: Promise.resolve(metadata) });
  checkMetadata(metadata, metadata, join(root, 'package.json'), join(root, 'package.json'));
  await validateConfiguration(config, new DebugLogger(false));
  const errors = projectRules(config);
  if (errors.length > 0) throw new Error(`electron-builder configuration breaks project rules:\n  - ${errors.join('\n  - ')}`);
  // The text written around "•" markers: the warnings electron-builder would print (e.g. a missing author).
  const warnings = notes.join('').split('\n').map((line) => line.replace(/\u001b\[[0-9;]*m/g, '').trim()).filter((line) => line.startsWith('•') && !line.includes('loaded configuration'));
  const file = configPath ? relative(root, resolve(root, configPath)) : 'electron-builder.yml';
  console.log(`${file} is valid for electron-builder ${builderVersion}${warnings.length ? ` (warnings: ${warnings.map((line) => line.slice(1).trim().split(/\s{2,}/)[0]).join('; ')})` : ''}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
