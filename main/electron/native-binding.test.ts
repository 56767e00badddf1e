import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeBindingFailure, locateSqliteBinding, type NativeBindingFacts } from './native-binding';

const facts = (overrides: Partial<NativeBindingFacts> = {}): NativeBindingFacts => ({
  env: {},
  isPackaged: false,
  appPath: '/src/trainyard',
  resourcesPath: '/opt/Trainyard/resources',
  electronVersion: '41.7.1',
  exists: () => true,
  ...overrides,
});

describe('locating the Electron build of better-sqlite3', () => {
  it('uses the prepared build for this Electron version in development and the unpacked resource when packaged', () => {
    expect(locateSqliteBinding(facts()).file).toBe(join('/src/trainyard', '.electron-native', '41.7.1', 'better_sqlite3.node'));
    expect(locateSqliteBinding(facts({ isPackaged: true })).file).toBe(join('/opt/Trainyard/resources', 'native', '41.7.1', 'better_sqlite3.node'));
  });

  it('lets TRAINYARD_SQLITE_BINDING win, and fails plainly when it names nothing', () => {
    expect(locateSqliteBinding(facts({ env: { TRAINYARD_SQLITE_BINDING: '/x/b.node' } })).file).toBe('/x/b.node');
    expect(() => locateSqliteBinding(facts({ env: { TRAINYARD_SQLITE_BINDING: '/x/b.node' }, exists: () => false }))).toThrow(/does not exist/);
  });

  it('falls back to node_modules when nothing was prepared, and explains an ABI mismatch', () => {
    const located = locateSqliteBinding(facts({ exists: () => false }));
    expect(located.file).toBeUndefined();
    const abiError = new Error('The module better_sqlite3.node was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 145.');
    expect(describeBindingFailure(abiError, located, false)).toMatch(/prepare-electron-native\.mjs/);
    expect(describeBindingFailure(new Error('disk full'), located, false)).toBeNull();
  });
});
