// Hashing + storing a folder (10,000 small files and a few large ones, 2 GB by default) through the
// import path (hash threads, copy into the store) against `md5sum` over the same files in the same
// run; then a second import of the unchanged folder (the stat cache).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../main/core/db/database';
import { HashCache } from '../main/core/objects/hash-cache';
import { HashPool } from '../main/core/objects/hash-pool';
import { ObjectStore } from '../main/core/objects/object-store';
import { listSourceFiles } from '../main/core/objects/source-files';
import { storeFiles } from '../main/core/objects/store-importer';
import { report, round, scratch } from './harness';

const totalMb = Number(process.env.BENCH_HASH_MB ?? 2048);
const smallFiles = 10_000;
const smallSize = 16 * 1024;
const largeCount = 4;
const largeSize = Math.max(1, Math.floor((totalMb * 1024 * 1024 - smallFiles * smallSize) / largeCount));

const dir = scratch('hash');
const source = join(dir, 'source');
for (let i = 0; i < smallFiles; i++) {
  const sub = join(source, 'small', String(i % 100).padStart(2, '0'));
  if (i < 100) mkdirSync(sub, { recursive: true });
  writeFileSync(join(sub, `${i}.bin`), randomBytes(smallSize));
}
mkdirSync(join(source, 'large'), { recursive: true });
const chunk = randomBytes(8 * 1024 * 1024);
for (let i = 0; i < largeCount; i++) {
  const parts: Buffer[] = [];
  for (let written = 0; written < largeSize; written += chunk.length) parts.push(chunk.subarray(0, Math.min(chunk.length, largeSize - written)));
  writeFileSync(join(source, 'large', `${i}.bin`), Buffer.concat([randomBytes(16), ...parts]));
}

const listing = await listSourceFiles(source);
const bytes = listing.files.reduce((sum, file) => sum + file.size, 0);
// Warm the page cache equally for both: each reads the files once beforehand.
execFileSync('sh', ['-c', `find '${source}' -type f -print0 | xargs -0 cat > /dev/null`]);

let started = performance.now();
execFileSync('sh', ['-c', `find '${source}' -type f -print0 | xargs -0 md5sum > /dev/null`], { maxBuffer: 1 << 30 });
const md5sumSeconds = (performance.now() - started) / 1000;

const db = openDatabase(join(dir, 'bench.db'));
const deps = { store: new ObjectStore(join(dir, 'objects'), 0), pool: new HashPool(), cache: new HashCache(db) };
started = performance.now();
const tree = await storeFiles(listing.files, true, deps);
const importSeconds = (performance.now() - started) / 1000;

started = performance.now();
const again = await storeFiles((await listSourceFiles(source)).files, true, deps);
const reimportSeconds = (performance.now() - started) / 1000;
await deps.pool.dispose();
db.close();

report({
  benchmark: 'dataset-hash',
  files: listing.files.length,
  megabytes: round(bytes / 1e6, 0),
  md5sumMBps: round(bytes / 1e6 / md5sumSeconds, 0),
  trainyardHashAndStoreMBps: round(bytes / 1e6 / importSeconds, 0),
  ratioToMd5sum: round(md5sumSeconds / importSeconds),
  secondImportSeconds: round(reimportSeconds, 3),
  sameObjectId: tree.oid === again.oid,
  goal: 'ratio >= 0.8, second import <= 1 s',
});
