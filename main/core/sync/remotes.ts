import { WorkbenchError, invalid, notFound } from '../../../shared/errors';
import { remoteCapabilitiesSchema, remoteConfigSchema, syncScopeSchema, type RemoteCapabilities, type RemoteConfig } from '../../../shared/sync';
import type { Database } from '../db/database';

interface RemoteRow {
  name: string;
  endpoint: string | null;
  region: string;
  bucket: string;
  prefix: string;
  path_style: number;
  auth: RemoteConfig['auth'];
  profile: string | null;
  scope: string;
  capabilities: string | null;
  created_at: number;
}

/** A remote as listed: its settings and what its last connection test found. */
export interface RemoteInfo extends RemoteConfig {
  readonly capabilities: RemoteCapabilities | null;
  readonly createdAt: number;
}

/** `a//b/` → `a/b`: a prefix is a folder path inside the bucket, never with empty parts. */
export function normalizePrefix(prefix: string): string {
  const parts = prefix.split('/').filter((part) => part !== '');
  if (parts.some((part) => part === '.' || part === '..')) throw invalid(`prefix: '${prefix}' may not contain '.' or '..' parts`);
  return parts.join('/');
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function toInfo(row: RemoteRow): RemoteInfo {
  const capabilities = remoteCapabilitiesSchema.safeParse(parseJson(row.capabilities));
  const scope = syncScopeSchema.safeParse(parseJson(row.scope) ?? {});
  return {
    name: row.name,
    endpoint: row.endpoint,
    region: row.region,
    bucket: row.bucket,
    prefix: row.prefix,
    pathStyle: row.path_style === 1,
    auth: row.auth,
    profile: row.profile,
    scope: scope.success ? scope.data : syncScopeSchema.parse({}),
    capabilities: capabilities.success ? capabilities.data : null,
    createdAt: row.created_at,
  };
}

/** The configured team buckets (sync_remotes). Credentials live in the secret store, not here. */
export class Remotes {
  constructor(private readonly db: Database) {}

  list(): RemoteInfo[] {
    return (this.db.prepare('SELECT * FROM sync_remotes ORDER BY name').all() as RemoteRow[]).map(toInfo);
  }

  get(name: string): RemoteInfo {
    const row = this.db.prepare('SELECT * FROM sync_remotes WHERE name = ?').get(name) as RemoteRow | undefined;
    if (!row) {
      const known = this.list().map((remote) => remote.name);
      throw notFound(`No remote named '${name}'.${known.length > 0 ? ` Known: ${known.join(', ')}.` : ' Add one with `trainyard remote add`.'}`);
    }
    return toInfo(row);
  }

  /** The remote to use when none is named: the only one there is. */
  only(): RemoteInfo {
    const remotes = this.list();
    if (remotes.length === 1) return remotes[0]!;
    if (remotes.length === 0) throw notFound('No remote is configured. Add one with `trainyard remote add` or in the Sync section.');
    throw invalid(`Several remotes are configured (${remotes.map((remote) => remote.name).join(', ')}): name one.`);
  }

  /** Adds or replaces a remote (the same name keeps its sync state: cursors, known objects). */
  save(input: RemoteConfig): RemoteInfo {
    const config = remoteConfigSchema.parse({ ...input, prefix: normalizePrefix(input.prefix) });
    if (config.auth === 'keys' && config.profile !== null) throw invalid('profile: only used with auth "profile"');
    const existing = this.db.prepare('SELECT * FROM sync_remotes WHERE name = ?').get(config.name) as RemoteRow | undefined;
    const values = [config.endpoint, config.region, config.bucket, config.prefix, config.pathStyle ? 1 : 0, config.auth, config.profile, JSON.stringify(config.scope)];
    this.db.transaction(() => {
      if (existing) {
        const before = toInfo(existing);
        // Another endpoint, bucket or prefix is another store: its test and what we knew of its
        // objects no longer hold. Other edits (scope, keys) keep both.
        const moved = before.endpoint !== config.endpoint || before.region !== config.region || before.bucket !== config.bucket || before.prefix !== config.prefix || before.pathStyle !== config.pathStyle;
        const retest = moved || before.auth !== config.auth || before.profile !== config.profile;
        this.db.prepare(`UPDATE sync_remotes SET endpoint = ?, region = ?, bucket = ?, prefix = ?, path_style = ?, auth = ?, profile = ?, scope = ?${retest ? ', capabilities = NULL' : ''} WHERE name = ?`).run(...values, config.name);
        if (moved) this.forgetState(config.name);
      } else {
        this.db.prepare('INSERT INTO sync_remotes (name, endpoint, region, bucket, prefix, path_style, auth, profile, scope, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(config.name, ...values, Date.now());
        this.db.prepare('INSERT INTO sync_remote_state (remote) VALUES (?)').run(config.name);
      }
    })();
    return this.get(config.name);
  }

  setCapabilities(name: string, capabilities: RemoteCapabilities): void {
    this.db.prepare('UPDATE sync_remotes SET capabilities = ? WHERE name = ?').run(JSON.stringify(capabilities), name);
  }

  remove(name: string): void {
    this.db.transaction(() => {
      this.forgetState(name);
      const { changes } = this.db.prepare('DELETE FROM sync_remotes WHERE name = ?').run(name);
      if (changes === 0) throw new WorkbenchError('NOT_FOUND', `No remote named '${name}'.`);
    })();
  }

  /**
   * Everything this home knew about a store: objects seen there, uploads in progress, how far
   * each log was read, the events read and written, what was pushed, and our next event number.
   * A remote moved to another endpoint, bucket or prefix (or removed and added again) starts
   * over — otherwise old cursors would skip a new store's events and old digests would push nothing.
   */
  private forgetState(name: string): void {
    for (const table of ['sync_remote_objects', 'sync_uploads', 'sync_cursors', 'sync_events', 'sync_pushed']) this.db.prepare(`DELETE FROM ${table} WHERE remote = ?`).run(name);
    this.db.prepare('UPDATE sync_remote_state SET next_seq = 1, last_push_at = NULL, last_pull_at = NULL WHERE remote = ?').run(name);
  }
}
