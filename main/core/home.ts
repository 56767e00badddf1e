import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { WorkbenchError } from '../../shared/errors';

/**
 * The data folder: `--home`, else `TRAINYARD_HOME`, else the OS app-data folder — the same one
 * Electron's `app.getPath('userData')` gives for "Trainyard", so the CLI and the desktop app share
 * one store.
 */
export function resolveHome(explicit?: string): string {
  if (explicit) return resolve(explicit);
  if (process.env.TRAINYARD_HOME) return resolve(process.env.TRAINYARD_HOME);
  const home = os.homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Trainyard');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Trainyard');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Trainyard');
}

export interface HomeLayout {
  readonly root: string;
  readonly database: string;
  readonly objects: string;
  readonly logs: string;
  readonly lock: string;
  /** Uploads and worker outputs in progress; emptied at every start. */
  readonly staging: string;
}

export function homeLayout(root: string): HomeLayout {
  return {
    root,
    database: join(root, 'trainyard.db'),
    objects: join(root, 'objects'),
    logs: join(root, 'logs'),
    lock: join(root, 'trainyard.lock'),
    staging: join(root, 'staging'),
  };
}

/**
 * Makes this process the home's single writer (DESIGN.md §1). A lock left by a process that is no
 * longer alive is taken over; a live one is a clear error rather than "database is locked" later.
 */
export function acquireHomeLock(layout: HomeLayout): { release(): void } {
  mkdirSync(layout.root, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(layout.lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(layout.lock, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(layout.lock, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new WorkbenchError(
          'CONFLICT',
          `Trainyard is already running on ${layout.root} (process ${pid}). Close it, or pass another --home.`,
        );
      }
      rmSync(layout.lock, { force: true });
    }
  }
  throw new WorkbenchError('CONFLICT', `Could not lock ${layout.lock}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
