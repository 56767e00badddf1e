import os from 'node:os';
import { Worker } from 'node:worker_threads';

/** A file's MD5 and size, as hashed by the pool. */
export interface HashedFile {
  readonly md5: string;
  readonly size: number;
}

/**
 * The thread body, kept as plain CommonJS source so it needs no bundle of its own. Synchronous
 * reads in 1 MiB chunks are the fastest way to stream a file through MD5 on a dedicated thread;
 * with `copyTo`, the same pass writes the bytes into the object store's temp folder, so a file
 * is read once whether or not it is new.
 */
const threadSource = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const buffer = Buffer.allocUnsafe(1 << 20);
parentPort.on('message', ({ id, file, copyTo }) => {
  let input = null, output = null;
  try {
    const hash = createHash('md5');
    input = fs.openSync(file, 'r');
    output = copyTo ? fs.openSync(copyTo, 'wx') : null;
    let size = 0, read;
    while ((read = fs.readSync(input, buffer, 0, buffer.length, null)) > 0) {
      hash.update(buffer.subarray(0, read));
      if (output !== null) fs.writeSync(output, buffer, 0, read);
      size += read;
    }
    parentPort.postMessage({ id, md5: hash.digest('hex'), size });
  } catch (error) {
    parentPort.postMessage({ id, error: error.message, code: error.code });
  } finally {
    if (input !== null) fs.closeSync(input);
    if (output !== null) fs.closeSync(output);
  }
});
`;

interface Job {
  readonly id: number;
  readonly file: string;
  readonly copyTo: string | null;
  resolve(value: HashedFile): void;
  reject(error: Error): void;
}

/** Threads to hash with: DVC's `checksum_jobs` rule, at least one, at most four. */
export const defaultHashThreads = Math.max(1, Math.min(4, os.availableParallelism()));

/**
 * MD5 hashing on worker threads, so hashing gigabytes never blocks the main process's event loop
 * (the UI's IPC and the HTTP server run there). Jobs queue and run one per idle thread.
 */
export class HashPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private nextId = 0;

  constructor(private readonly threads = defaultHashThreads) {}

  /** Hashes `file`; with `copyTo`, also writes its bytes there (the file must not exist). */
  hash(file: string, copyTo: string | null = null): Promise<HashedFile> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, file, copyTo, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? this.spawn();
      if (!worker) return;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      worker.postMessage({ id: job.id, file: job.file, copyTo: job.copyTo });
    }
  }

  private spawn(): Worker | null {
    if (this.all.length >= this.threads) return null;
    const worker = new Worker(threadSource, { eval: true });
    worker.unref();
    worker.on('message', (message: { md5?: string; size?: number; error?: string; code?: string }) => {
      const job = this.running.get(worker);
      this.running.delete(worker);
      this.idle.push(worker);
      if (job) {
        if (message.error !== undefined) job.reject(Object.assign(new Error(`Could not read ${job.file}: ${message.error}`), { code: message.code }));
        else job.resolve({ md5: message.md5!, size: message.size! });
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
