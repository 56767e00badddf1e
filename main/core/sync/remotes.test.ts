import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RemoteCapabilities, RemoteConfig } from '../../../shared/sync';
import { openDatabase, type Database } from '../db/database';
import { tempHome } from '../testing/temp-home';
import { normalizePrefix, Remotes } from './remotes';

let home: ReturnType<typeof tempHome>;
let db: Database;
beforeEach(() => {
  home = tempHome();
  db = openDatabase(`${home.path}/trainyard.db`);
});
afterEach(() => {
  db.close();
  home.remove();
});

const config: RemoteConfig = { name: 'team', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', bucket: 'yard', prefix: '/a//b/', pathStyle: true, auth: 'keys', profile: null, scope: { experiments: 'all', datasets: 'all', models: 'all', pipelines: true } };
const tested: RemoteCapabilities = { testedAt: 1, listing: true, write: true, conditionalCreate: true, contentMd5Checked: true, clockSkewMs: 0, notes: [] };

describe('Remotes', () => {
  it('normalizes the prefix and refuses dot parts', () => {
    expect(normalizePrefix('/a//b/')).toBe('a/b');
    expect(() => normalizePrefix('a/../b')).toThrow(/prefix/);
    expect(new Remotes(db).save(config).prefix).toBe('a/b');
  });

  it('keeps the test and the known objects across an edit that does not move the store', () => {
    const remotes = new Remotes(db);
    remotes.save(config);
    remotes.setCapabilities('team', tested);
    db.prepare("INSERT INTO sync_remote_objects (remote, oid) VALUES ('team', 'abc')").run();
    remotes.save({ ...config, scope: { ...config.scope, pipelines: false } });
    expect(remotes.get('team').capabilities).toEqual(tested);
    expect(db.prepare('SELECT count(*) FROM sync_remote_objects').pluck().get()).toBe(1);
    // Another bucket is another store: everything known of the old one goes, and our events start at 1 again.
    db.prepare("INSERT INTO sync_cursors (remote, client_id, last_seq) VALUES ('team', 'bob', 7)").run();
    db.prepare("INSERT INTO sync_pushed (remote, kind, entity, digest, hlc) VALUES ('team', 'run', 'r1', 'd', 'h')").run();
    db.prepare("UPDATE sync_remote_state SET next_seq = 9 WHERE remote = 'team'").run();
    remotes.save({ ...config, bucket: 'other' });
    expect(remotes.get('team').capabilities).toBeNull();
    for (const table of ['sync_remote_objects', 'sync_cursors', 'sync_pushed']) expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(0);
    expect(db.prepare("SELECT next_seq FROM sync_remote_state WHERE remote = 'team'").pluck().get()).toBe(1);
  });

  it('names the known remotes when asked for a missing one, and wants a name when there are several', () => {
    const remotes = new Remotes(db);
    expect(() => remotes.only()).toThrow(/No remote is configured/);
    remotes.save(config);
    remotes.save({ ...config, name: 'backup' });
    expect(() => remotes.get('nope')).toThrow(/Known: backup, team/);
    expect(() => remotes.only()).toThrow(/Several remotes/);
  });

  it('forgets what it read from a remote that is removed, so adding it again reads its log afresh', () => {
    const remotes = new Remotes(db);
    remotes.save(config);
    db.prepare("INSERT INTO sync_events (remote, client_id, seq, hlc, author, format, body, status, received_at) VALUES ('team', 'bob', 1, 'h', 'bob', 1, '{}', 'applied', 0)").run();
    remotes.remove('team');
    expect(db.prepare('SELECT count(*) FROM sync_events').pluck().get()).toBe(0);
  });
});
