import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database';
import { tempHome } from '../testing/temp-home';
import { HashCache } from './hash-cache';
import { HashPool } from './hash-pool';
import { ObjectStore } from './object-store';
import { listSourceFiles } from './source-files';
import { storeFiles } from './store-importer';

let home: { path: string; remove(): void };
let db: Database;
let deps: { store: ObjectStore; pool: HashPool; cache: HashCache };
const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

beforeEach(() => {
  home = tempHome();
  db = openDatabase(join(home.path, 'test.db'));
  deps = { store: new ObjectStore(join(home.path, 'objects'), 0), pool: new HashPool(2), cache: new HashCache(db) };
});
afterEach(async () => {
  await deps.pool.dispose();
  db.close();
  home.remove();
});

function folder(files: Record<string, string | Buffer>): string {
  const root = join(home.path, 'source');
  for (const [relpath, content] of Object.entries(files)) {
    mkdirSync(join(root, relpath, '..'), { recursive: true });
    writeFileSync(join(root, relpath), content);
  }
  return root;
}

describe('storing a folder like DVC', () => {
  it('gives the DVC directory object id and stores each file at files/md5/<2>/<30>', async () => {
    const root = folder({ one: 'one', two: 'two' });
    const listing = await listSourceFiles(root);
    const tree = await storeFiles(listing.files, true, deps);
    expect(tree.oid).toBe('6b18131dc289fd37006705affe961ef8.dir');
    expect(readFileSync(deps.store.pathOf(md5('one')), 'utf8')).toBe('one');
    expect(readFileSync(deps.store.pathOf(tree.oid), 'utf8')).toBe(
      '[{"md5": "f97c5d29941bfb1b2fdab0874906ab82", "relpath": "one"}, {"md5": "b8a9f715dbb64fd5c56e7783c6820a61", "relpath": "two"}]',
    );
    expect(tree.created.sort()).toEqual([md5('one'), md5('two'), tree.oid].sort());
  });

  it('stores identical content once and streams large files through the hash threads', async () => {
    const big = randomBytes(5 * 1024 * 1024 + 7);
    const root = folder({ 'a/big.bin': big, 'b/copy.bin': big, 'c.txt': 'x' });
    const tree = await storeFiles((await listSourceFiles(root)).files, true, deps);
    expect(tree.entries.map((entry) => entry.md5)).toEqual([md5(big), md5(big), md5('x')]);
    expect(tree.size).toBe(big.length * 2 + 1);
    expect(tree.created.filter((oid) => oid === md5(big))).toHaveLength(1);
    expect(readdirSync(join(home.path, 'objects', 'tmp'))).toEqual([]);
  });

  it('skips re-hashing unchanged files (device, inode, size, mtime) and notices changed ones', async () => {
    const root = folder({ 'data.csv': 'a,b\n1,2\n' });
    const files = (await listSourceFiles(root)).files;
    let hashed = 0;
    const counting = { ...deps, pool: { store: (list: string[], root: string) => ((hashed += list.length), deps.pool.store(list, root)) } as HashPool };
    await storeFiles(files, false, counting);
    await storeFiles(files, false, counting);
    expect(hashed).toBe(1);
    writeFileSync(join(root, 'data.csv'), 'a,b\n1,3\n');
    const changed = await storeFiles((await listSourceFiles(root)).files, false, counting);
    expect(hashed).toBe(2);
    expect(changed.oid).toBe(md5('a,b\n1,3\n'));
  });

  it('refuses a symbolic link that points outside the folder, follows one inside', async () => {
    const root = folder({ 'inside.csv': 'a\n1\n' });
    writeFileSync(join(home.path, 'secret.txt'), 'secret');
    symlinkSync(join(root, 'inside.csv'), join(root, 'alias.csv'));
    expect((await listSourceFiles(root)).files.map((file) => file.relpath)).toEqual(['alias.csv', 'inside.csv']);
    symlinkSync(join(home.path, 'secret.txt'), join(root, 'escape.txt'));
    await expect(listSourceFiles(root)).rejects.toThrow(/escape\.txt' is a symbolic link to .*outside the folder/);
  });
});
