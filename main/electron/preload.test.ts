import { buildSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext, Script } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { operationNames } from '../../shared/api';
import { bridgeGlobalName, ipcChannelOf, ipcEventChannel } from '../../shared/bridge';

const root = join(__dirname, '..', '..');

type Listener = (...args: unknown[]) => void;

/** What the preload's `require('electron')` returns here: records what it was asked to do. */
function fakeElectron() {
  const exposed = new Map<string, unknown>();
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipcRenderer = {
    invoke: (channel: string, ...args: unknown[]) => {
      invoked.push({ channel, args });
      return Promise.resolve({ ok: true, result: channel });
    },
    on: (channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(listener);
      return ipcRenderer;
    },
    removeListener: (channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  const contextBridge = { exposeInMainWorld: (name: string, value: unknown) => exposed.set(name, value) };
  const emit = (channel: string, ...args: unknown[]) => {
    for (const listener of listeners.get(channel) ?? []) listener(...args);
  };
  const webUtils = { getPathForFile: (file: { path: string }) => file.path };
  return { module: { contextBridge, ipcRenderer, webUtils }, exposed, invoked, listeners, emit, ipcRenderer };
}

/** Every value reachable from `value`, to prove ipcRenderer is not among them. */
function reachable(value: unknown, seen = new Set<unknown>()): Set<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return seen;
  seen.add(value);
  for (const key of Object.getOwnPropertyNames(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && 'value' in descriptor) reachable(descriptor.value, seen);
  }
  return seen;
}

describe('the built preload (dist/electron/preload.cjs)', () => {
  let code: string;

  beforeAll(() => {
    // The real build script, so a change to its preload options is caught here too.
    execFileSync(process.execPath, ['scripts/build.mjs', '--only=electron'], { cwd: root, stdio: 'pipe' });
    code = readFileSync(join(root, 'dist/electron/preload.cjs'), 'utf8');
  });

  it('is CommonJS and self-contained: no import statements, no require but electron', () => {
    // A classic script with a static `import`/`export` does not even compile.
    expect(() => new Script(code, { filename: 'preload.cjs' })).not.toThrow();
    // esbuild's parser lists every require() and import() left in the bundle.
    const scan = buildSync({
      stdin: { contents: code, loader: 'js' },
      bundle: true,
      write: false,
      metafile: true,
      external: ['*'],
      format: 'cjs',
      platform: 'neutral',
      logLevel: 'silent',
    });
    const imports = scan.metafile.inputs['<stdin>']?.imports ?? [];
    expect(imports.map(({ path, kind }) => ({ path, kind }))).toEqual([{ path: 'electron', kind: 'require-call' }]);
  });

  it('exposes one function per operation plus onEvent and pathForFile, and never ipcRenderer', async () => {
    const electron = fakeElectron();
    const requested: string[] = [];
    const sandboxRequire = (name: string): unknown => {
      requested.push(name);
      if (name === 'electron') return electron.module;
      throw new Error(`module not found: ${name}`);
    };
    const module = { exports: {} };
    // A bare context: no process, Buffer or Node globals, like a sandboxed renderer.
    runInContext(code, createContext({ require: sandboxRequire, module, exports: module.exports }), { filename: 'preload.cjs' });

    expect(requested).toEqual(['electron']);
    expect([...electron.exposed.keys()]).toEqual([bridgeGlobalName]);
    const bridge = electron.exposed.get(bridgeGlobalName) as { operations: Record<string, unknown>; onEvent: unknown; pathForFile: (file: object) => string };
    expect(Object.keys(bridge).sort()).toEqual(['onEvent', 'operations', 'pathForFile']);
    expect(bridge.pathForFile({ path: '/data/iris.csv' })).toBe('/data/iris.csv');
    expect(typeof bridge.onEvent).toBe('function');
    expect(Object.keys(bridge.operations).sort()).toEqual([...operationNames].sort());
    for (const operation of operationNames) expect(typeof bridge.operations[operation]).toBe('function');
    expect(reachable(bridge).has(electron.ipcRenderer)).toBe(false);

    const call = bridge.operations['runs.get'] as (input: unknown) => Promise<unknown>;
    await expect(call({ id: 'r1' })).resolves.toEqual({ ok: true, result: ipcChannelOf('runs.get') });
    expect(electron.invoked).toEqual([{ channel: ipcChannelOf('runs.get'), args: [{ id: 'r1' }] }]);
  });

  it('delivers events without the IpcRendererEvent and unsubscribes', () => {
    const electron = fakeElectron();
    const module = { exports: {} };
    runInContext(code, createContext({ require: () => electron.module, module, exports: module.exports }));
    const bridge = electron.exposed.get(bridgeGlobalName) as { onEvent: (listener: Listener) => () => void };

    const heard: unknown[][] = [];
    const unsubscribe = bridge.onEvent((...args) => heard.push(args));
    const event = { name: 'params.logged', payload: { runId: 'r1' } };
    electron.emit(ipcEventChannel, { sender: electron.ipcRenderer }, event);
    expect(heard).toEqual([[event]]);

    unsubscribe();
    electron.emit(ipcEventChannel, { sender: electron.ipcRenderer }, event);
    expect(heard).toHaveLength(1);
    expect(electron.listeners.get(ipcEventChannel)?.size).toBe(0);
  });

  it('leaves the main process an ES module that imports electron from outside the bundle', () => {
    const main = readFileSync(join(root, 'dist/electron/main.js'), 'utf8');
    expect(main).toMatch(/from\s*["']electron["']/);
    expect(main).not.toMatch(/\bmodule\.exports\b\s*=/);
  });
});
