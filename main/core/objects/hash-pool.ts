import os from 'node:os';
import { Worker } from 'node:worker_threads';

/** A file's MD5 and size; `created` when storing added a new object (false: the store had it). */
export interface HashedFile {
  readonly md5: string;
  readonly size: number;
  readonly created: boolean;
}

/**
 * The thread body, kept as plain CommonJS source so it needs no bundle of its own. Each job is a
 * batch of files. For each file it streams the bytes through MD5 in 1 MiB chunks; when a store
 * root is given it writes the same bytes to the store's temp folder in that pass and moves the
 * result into `files/md5/<2>/<30>` (or drops it when the object already exists). Doing every
 * per-file syscall here, synchronously, keeps small-file imports off the main event loop and out
 * of libuv's shared fs queue.
 */
const threadSource = `
const { parentPort, threadId } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const buffer = Buffer.allocUnsafe(1 << 20);
const madeDirs = new Set();
let counter = 0;
function ensureDir(dir) { if (!madeDirs.has(dir)) { fs.mkdirSync(dir, { recursive: true }); madeDirs.add(dir); } }
function one(file, storeRoot) {
  let input = null, output = null, temp = null;
  try {
    const hash = createHash('md5');
    input = fs.openSync(file, 'r');
    if (storeRoot) {
      ensureDir(path.join(storeRoot, 'tmp'));
      temp = path.join(storeRoot, 'tmp', process.pid + '-' + threadId + '-' + (counter++) + '-' + Date.now() + '.tmp');
      output = fs.openSync(temp, 'wx');
    }
    let size = 0, read;
    while ((read = fs.readSync(input, buffer, 0, buffer.length, null)) > 0) {
      hash.update(buffer.subarray(0, read));
      if (output !== null) fs.writeSync(output, buffer, 0, read);
      size += read;
    }
    const md5 = hash.digest('hex');
    let created = false;
    if (storeRoot) {
      fs.closeSync(output); output = null;
      const dir = path.join(storeRoot, 'files', 'md5', md5.slice(0, 2));
      const target = path.join(dir, md5.slice(2));
      if (fs.existsSync(target)) {
        fs.unlinkSync(temp);
        const now = new Date();
        fs.utimesSync(target, now, now);
      } else {
        ensureDir(dir);
        fs.renameSync(temp, target);
        created = true;
      }
      temp = null;
    }
    return { md5, size, created };
  } catch (error) {
    if (temp !== null) { try { if (output !== null) fs.closeSync(output); output = null; fs.unlinkSync(temp); } catch {} }
    return { error: error.message, code: error.code };
  } finally {
    if (input !== null) fs.closeSync(input);
    if (output !== null) fs.closeSync(output);
  }
}
parentPort.on('message', ({ id, files, storeRoot }) => {
  parentPort.postMessage({ id, results: files.map((file) => one(file, storeRoot)) });
});
`;

type ThreadResult = { md5: string; size: number; created: boolean } | { error: string; code?: string };

interface Job {
  readonly id: number;
  readonly files: readonly string[];
  readonly storeRoot: string | null;
  resolve(value: HashedFile[]): void;
  reject(error: Error): void;
}

/**
 * Threads to hash with: one per core, at most four (DVC's `checksum_jobs` rule; an extra thread
 * measured no faster here). `TRAINYARD_HASH_THREADS` overrides it.
 */
export const defaultHashThreads = Number(process.env.TRAINYARD_HASH_THREADS) || Math.max(1, Math.min(4, os.availableParallelism()));

/**
 * MD5 hashing on worker threads, so hashing gigabytes never blocks the main process's event loop
 * (the UI's IPC and the HTTP server run there). Batches queue and run one per idle thread.
 */
export class HashPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private nextId = 0;

  constructor(private readonly threads = defaultHashThreads) {}

  /** Hashes files without storing them. */
  hash(files: readonly string[]): Promise<HashedFile[]> {
    return this.submit(files, null);
  }

  /** Hashes files and stores each in the object store rooted at `storeRoot` (DVC layout). */
  store(files: readonly string[], storeRoot: string): Promise<HashedFile[]> {
    return this.submit(files, storeRoot);
  }

  private submit(files: readonly string[], storeRoot: string | null): Promise<HashedFile[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, files, storeRoot, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? this.spawn();
      if (!worker) return;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      worker.postMessage({ id: job.id, files: job.files, storeRoot: job.storeRoot });
    }
  }

  private spawn(): Worker | null {
    if (this.all.length >= this.threads) return null;
    const worker = new Worker(threadSource, { eval: true });
    worker.unref();
    worker.on('message', (message: { results: ThreadResult[] }) => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      this.idle.push(worker);
      if (job) {
        const failedAt = message.results.findIndex((result) => 'error' in result);
        if (failedAt === -1) job.resolve(message.results as HashedFile[]);
        else {
          const failure = message.results[failedAt] as { error: string; code?: string };
          job.reject(Object.assign(new Error(`Could not read ${job.files[failedAt]}: ${failure.error}`), { code: failure.code, stored: message.results.filter((r) => !('error' in r)) }));
        }
      }
      this.pump();
    });
    worker.on('error', (error) => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      this.all.splice(this.all.indexOf(worker), 1);
      job?.reject(error);
      this.pump();
    });
    this.all.push(worker);
    return worker;
  }

  async dispose(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new Error('hashing was cancelled'));
    await Promise.all(this.all.splice(0).map((worker) => worker.terminate()));
    this.idle.length = 0;
  }
}
