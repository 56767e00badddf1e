/**
 * An in-memory `Bucket` with S3's listing semantics (lexicographic keys, `startAfter`, a
 * delimiter folding keys into common prefixes), for tests of the event log. Several homes share
 * one instance as teammates share one bucket.
 */
import { notFound } from '../../../../shared/errors';
import type { Bucket, BucketEntry } from '../bucket';

export class MemoryBucket implements Bucket {
  readonly objects = new Map<string, Uint8Array>();
  /** How many `putNew` calls wrote (tests check that a no-change sync writes nothing). */
  writes = 0;

  putNew(key: string, bytes: Uint8Array): Promise<'created' | 'exists'> {
    if (this.objects.has(key)) return Promise.resolve('exists');
    this.objects.set(key, Uint8Array.from(bytes));
    this.writes++;
    return Promise.resolve('created');
  }

  async *list(prefix: string, options: { startAfter?: string; delimiter?: string } = {}): AsyncIterable<BucketEntry> {
    const keys = [...this.objects.keys()].filter((key) => key.startsWith(prefix) && (options.startAfter === undefined || key > options.startAfter)).sort();
    const seen = new Set<string>();
    for (const key of keys) {
      if (options.delimiter) {
        const cut = key.indexOf(options.delimiter, prefix.length);
        if (cut >= 0) {
          const common = key.slice(0, cut + options.delimiter.length);
          if (!seen.has(common)) {
            seen.add(common);
            yield { key: common, size: -1, etag: null };
          }
          continue;
        }
      }
      yield { key, size: this.objects.get(key)!.byteLength, etag: null };
    }
  }

  get(key: string): Promise<Uint8Array> {
    const bytes = this.objects.get(key);
    return bytes ? Promise.resolve(Uint8Array.from(bytes)) : Promise.reject(notFound(`No object at '${key}'.`));
  }
}
