import type { WorkerContext } from '../../runtime';

/**
 * Progress over an ingest's passes, in bytes read: the status bar shows a rate and an ETA, so
 * every pass over a file counts its size (DuckDB's scans are credited when they finish).
 * Messages are throttled to a few per second: a 10 GB scan must not flood the worker channel.
 */
export class IngestProgress {
  private done = 0;
  private lastPost = 0;

  constructor(
    private readonly context: WorkerContext | undefined,
    private readonly total: number,
  ) {}

  advance(units: number, message: string, force = false): void {
    this.done = Math.min(this.total, this.done + units);
    const now = Date.now();
    if (!force && now - this.lastPost < 200) return;
    this.lastPost = now;
    this.context?.progress(this.done, this.total, message);
  }

  finish(message: string): void {
    this.done = this.total;
    this.context?.progress(this.total, this.total, message);
  }

  throwIfCancelled(): void {
    if (this.context?.cancelled()) throw new IngestCancelled();
  }
}

/** Main asked the attempt to stop; thrown between passes and between chunks. */
export class IngestCancelled extends Error {
  constructor() {
    super('Ingest cancelled');
  }
}
