import BetterSqlite3 from 'better-sqlite3';
import { migrations } from './migrations';

/**
 * The one module that imports better-sqlite3 (DESIGN.md §2). Everything else sees these aliases,
 * so swapping the driver or loading an Electron-ABI build touches this file only.
 */
export type Database = BetterSqlite3.Database;
export type Statement<P extends unknown[] | object = unknown[], R = unknown> = BetterSqlite3.Statement<P, R>;

export interface OpenOptions {
  readonly readonly?: boolean;
  /**
   * Path of a better_sqlite3.node built for Electron's ABI. The desktop app passes it because the
   * build in node_modules targets plain Node (TOOLCHAIN.md, "Native modules").
   */
  readonly nativeBinding?: string;
}

export function openDatabase(file: string, options: OpenOptions = {}): Database {
  const db = new BetterSqlite3(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the
    // last transactions, which is the trade SQLite documents for WAL.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  if (!options.readonly) migrate(db);
  return db;
}

/** Runs every migration past `user_version`, each in its own transaction. */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `The database schema is version ${current}, newer than this Trainyard (${migrations.length}). Update Trainyard to open it.`,
    );
  }
  for (let version = current; version < migrations.length; version++) {
    const sql = migrations[version]!;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
