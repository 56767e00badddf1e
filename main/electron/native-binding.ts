import { join } from 'node:path';

/**
 * Where the Electron-ABI `better_sqlite3.node` lives. node_modules keeps the build for plain Node
 * (tests, CLI, browser mode), so the desktop app loads its own build through better-sqlite3's
 * `nativeBinding` option (TOOLCHAIN.md, "Native modules and Electron"):
 *  - development: `<app>/.electron-native/<electron version>/better_sqlite3.node`, written by
 *    scripts/prepare-electron-native.mjs (keep the two layouts in step);
 *  - packaged: `<resources>/native/<electron version>/better_sqlite3.node`, copied there by
 *    electron-builder.yml's `extraResources`.
 * The version folder means a build for another Electron is never loaded by mistake.
 */
export interface NativeBindingFacts {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isPackaged: boolean;
  /** `app.getAppPath()`: the project root in development. */
  readonly appPath: string;
  /** `process.resourcesPath`. */
  readonly resourcesPath: string;
  /** `process.versions.electron`. */
  readonly electronVersion: string;
  readonly exists: (file: string) => boolean;
}

export const bindingEnvironmentVariable = 'TRAINYARD_SQLITE_BINDING';
export const bindingFileName = 'better_sqlite3.node';

export interface LocatedBinding {
  /** The file to pass as `nativeBinding`, or undefined to let better-sqlite3 find its own. */
  readonly file: string | undefined;
  /** Where the app looked: named in the error if the database then fails to open. */
  readonly expected: string;
}

export function expectedBindingPath(facts: Pick<NativeBindingFacts, 'isPackaged' | 'appPath' | 'resourcesPath' | 'electronVersion'>): string {
  return facts.isPackaged
    ? join(facts.resourcesPath, 'native', facts.electronVersion, bindingFileName)
    : join(facts.appPath, '.electron-native', facts.electronVersion, bindingFileName);
}

/**
 * The environment variable wins (and must name a real file: a typo should fail here, plainly);
 * then the prepared build; else undefined — node_modules' own build, which only loads if someone
 * rebuilt it for Electron, and otherwise fails with the hint from `describeBindingFailure`.
 */
export function locateSqliteBinding(facts: NativeBindingFacts): LocatedBinding {
  const expected = expectedBindingPath(facts);
  const fromEnvironment = facts.env[bindingEnvironmentVariable];
  if (fromEnvironment) {
    if (!facts.exists(fromEnvironment)) throw new Error(`${bindingEnvironmentVariable} names ${fromEnvironment}, which does not exist.`);
    return { file: fromEnvironment, expected: fromEnvironment };
  }
  return { file: facts.exists(expected) ? expected : undefined, expected };
}

/** Turns Node's "compiled against a different Node.js version" into what to do about it. */
export function describeBindingFailure(error: unknown, located: LocatedBinding, isPackaged: boolean): string | null {
  const message = error instanceof Error ? error.message : String(error);
  if (!/NODE_MODULE_VERSION|was compiled against a different Node\.js version|better_sqlite3\.node/.test(message)) return null;
  const fix = isPackaged
    ? 'This build of Trainyard is missing its Electron build of better-sqlite3; reinstall it.'
    : 'Run `node scripts/prepare-electron-native.mjs` (it needs to download Electron\'s headers once), or start browser mode with `node dist/cli/trainyard.js ui`.';
  return `SQLite's native module does not match this Electron (looked for ${located.expected}). ${fix}`;
}
