// The import table of DESIGN.md §2 as a lint rule, so a wrong import fails CI instead of relying
// on review (VS Code's `local/code-layering`: "Do not relax these rules").
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
const uiLibraries = ['react', 'react-dom', 'zustand', 'recharts', '@tanstack/'];
const nativeEngines = ['onnxruntime-node', '@duckdb/', 'better-sqlite3'];

/** Layer of a repo-relative path, or null for files outside the table (scripts, configs). */
export function layerOf(path) {
  const p = path.split(sep).join('/');
  if (/(^|\/)vite\.config\.ts$/.test(p)) return null; // build configuration runs in Node
  if (p.startsWith('shared/')) return 'shared';
  if (p.startsWith('main/core/') || p.startsWith('main/cli/')) return 'core';
  if (p.startsWith('main/electron/')) return 'electron';
  if (p.startsWith('workers/')) return 'workers';
  if (p.startsWith('renderer/')) return 'renderer';
  if (p.startsWith('e2e/')) return 'e2e';
  if (p.startsWith('bench/')) return 'bench';
  return null;
}

const allowedLayers = {
  shared: ['shared'],
  core: ['shared', 'core'],
  electron: ['shared', 'core', 'electron'],
  workers: ['shared', 'workers'],
  renderer: ['shared', 'renderer'],
  e2e: ['shared', 'e2e'],
  bench: ['shared', 'core', 'workers', 'bench'],
};

/** Test fixtures (S3 servers, fault proxy): for tests, other fixtures and benchmarks only, never product code. */
const isFixture = (p) => p.split(sep).join('/').startsWith('main/core/sync/testing/');
const mayUseFixtures = (p) => /\.test\.tsx?$/.test(p) || isFixture(p) || layerOf(p) === 'bench';

const starts = (name, prefixes) => prefixes.some((prefix) => name === prefix || name.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));

/** Why `layer` (in file `file`) may not import package `name`, or null when it may. */
export function packageViolation(layer, file, name) {
  if (name.endsWith('/package.json')) return null; // reading a version number loads no code
  const isTest = /\.test\.tsx?$/.test(file);
  switch (layer) {
    case 'shared':
      return name === 'zod' || (isTest && name === 'vitest') ? null : 'shared/ may import zod only';
    case 'core':
      if (name === 'electron') return 'main/core/ never imports electron: pass the capability in as an interface';
      if (name === 'better-sqlite3' && !file.endsWith('main/core/db/database.ts')) return 'better-sqlite3 is imported only by main/core/db/database.ts';
      // A test may load a stored model the way its user would, to check what main kept.
      if (name === 'onnxruntime-node' && isTest) return null;
      if (starts(name, ['onnxruntime-node', '@duckdb/'])) return 'onnxruntime and DuckDB run in workers, not in main';
      if (starts(name, uiLibraries)) return 'main/core/ does not import UI libraries';
      if (name === 'fauxqs' && !mayUseFixtures(file)) return 'the fauxqs emulator is for tests: use it through main/core/sync/testing/';
      return null;
    case 'electron':
      if (starts(name, nativeEngines)) return 'main/electron/ reaches the database and engines through main/core only';
      if (starts(name, uiLibraries)) return 'main/electron/ does not import UI libraries';
      return null;
    case 'workers':
      if (name === 'electron') return 'workers never import electron';
      if (name === 'better-sqlite3') return 'workers never open the database: main is the only writer';
      if (starts(name, uiLibraries)) return 'workers do not import UI libraries';
      return null;
    case 'renderer':
      if (nodeBuiltins.has(name)) return 'the renderer runs in a sandboxed page: no Node modules';
      if (name === 'electron') return 'the renderer speaks only the WorkbenchApi contract, never electron';
      if (starts(name, nativeEngines)) return 'the renderer never loads native engines';
      return null;
    default:
      return null;
  }
}

/** @type {import('eslint').Rule.RuleModule} */
export const layeringRule = {
  meta: { type: 'problem', docs: { description: 'Enforce the import table of DESIGN.md §2' }, schema: [] },
  create(context) {
    const file = relative(root, context.filename);
    const layer = layerOf(file);
    if (!layer) return {};
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (source.startsWith('.')) {
        const target = relative(root, resolve(dirname(context.filename), source));
        const targetLayer = layerOf(target);
        if (targetLayer && !allowedLayers[layer].includes(targetLayer)) {
          context.report({ node, message: `Bad layering: ${layer} may not import ${targetLayer} ('${source}'); see DESIGN.md §2.` });
        } else if (isFixture(target) && !mayUseFixtures(file)) {
          context.report({ node, message: `Bad layering: '${source}' is a test fixture; only tests and benchmarks import main/core/sync/testing/ (DESIGN.md §2).` });
        }
        return;
      }
      const why = packageViolation(layer, file, source);
      if (why) context.report({ node, message: `Bad layering: '${source}' — ${why} (DESIGN.md §2).` });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') check(node, node.arguments[0].value);
      },
    };
  },
};
