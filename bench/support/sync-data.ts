/**
 * Bench-only: writes the sync benchmark's data set — many small files of varied sizes and a few
 * large ones, every byte deterministic (xorshift32 seeded per file, so no two files share an
 * MD5) — plus a small labels.csv, so the folder imports as a dataset version (the CSV is the
 * table; the other files are versioned as they are).
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface SyncData {
  readonly dir: string;
  readonly files: number;
  readonly bytes: number;
  readonly smallFiles: number;
  readonly smallBytes: number;
  readonly largeFiles: number;
  readonly largeBytes: number;
}

/** Fills `buffer` (length a multiple of 4) with xorshift32 output; returns the next state. */
function fill(buffer: Buffer, state: number): number {
  const words = new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.length >>> 2);
  let x = state >>> 0 || 0x9e3779b9;
  for (let index = 0; index < words.length; index += 1) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    words[index] = x;
  }
  return x;
}

export function writeSyncData(dir: string, options: { small: number; largeCount: number; largeMb: number }): SyncData {
  const kib = 1024;
  const scratchBuffer = Buffer.alloc(64 * kib);
  let smallBytes = 0;
  for (let index = 0; index < options.small; index += 1) {
    // 4–64 KB, spread over the range (and not multiples of 4 KB only).
    const size = 4 * kib + ((index * 7919) % (60 * kib + 1));
    fill(scratchBuffer, 0x1234567 + index * 2654435761);
    const folder = join(dir, 'small', String(index % 100).padStart(2, '0'));
    if (index < 100) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${String(index).padStart(5, '0')}.bin`), scratchBuffer.subarray(0, size));
    smallBytes += size;
  }
  const largeSize = options.largeMb * 1024 * kib;
  const chunk = Buffer.alloc(8 * 1024 * kib);
  mkdirSync(join(dir, 'large'), { recursive: true });
  for (let index = 0; index < options.largeCount; index += 1) {
    const fd = openSync(join(dir, 'large', `shard-${index}.bin`), 'w');
    try {
      let state = 0xabcdef + index * 40503;
      for (let written = 0; written < largeSize; written += chunk.length) {
        state = fill(chunk, state);
        writeSync(fd, chunk, 0, Math.min(chunk.length, largeSize - written));
      }
    } finally {
      closeSync(fd);
    }
  }
  const labels = 'file,label\n' + Array.from({ length: 20 }, (_, index) => `small/${String(index % 100).padStart(2, '0')}/${String(index).padStart(5, '0')}.bin,${index % 3}`).join('\n') + '\n';
  writeFileSync(join(dir, 'labels.csv'), labels);
  const largeBytes = largeSize * options.largeCount;
  return {
    dir,
    files: options.small + options.largeCount + 1,
    bytes: smallBytes + largeBytes + Buffer.byteLength(labels),
    smallFiles: options.small,
    smallBytes,
    largeFiles: options.largeCount,
    largeBytes,
  };
}
