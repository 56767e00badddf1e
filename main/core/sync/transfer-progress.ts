import type { SyncProgress } from '../../../shared/sync';

/**
 * Counts a transfer's objects and bytes and reports them at most every `intervalMs` (a push of
 * 10,000 small files must not send 10,000 messages to a window), with the rate over the last
 * few seconds and an ETA. `finish()` always reports.
 */
export class TransferProgress {
  private objectsDone = 0;
  private bytesDone = 0;
  private lastEmit = 0;
  private readonly samples: Array<{ at: number; bytes: number }> = [];

  constructor(
    private readonly remote: string,
    private readonly phase: SyncProgress['phase'],
    private readonly totals: { objects: number; bytes: number },
    private readonly onProgress?: (progress: SyncProgress) => void,
    private readonly intervalMs = 200,
    private readonly windowMs = 5_000,
  ) {
    this.samples.push({ at: performance.now(), bytes: 0 });
  }

  addBytes(bytes: number): void {
    this.bytesDone += bytes;
    this.maybeEmit();
  }

  objectDone(): void {
    this.objectsDone++;
    this.maybeEmit();
  }

  finish(): void {
    this.emit(performance.now());
  }

  private maybeEmit(): void {
    const now = performance.now();
    if (now - this.lastEmit >= this.intervalMs) this.emit(now);
  }

  private emit(now: number): void {
    if (!this.onProgress) return;
    this.lastEmit = now;
    this.samples.push({ at: now, bytes: this.bytesDone });
    while (this.samples.length > 2 && now - this.samples[0]!.at > this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const seconds = (now - first.at) / 1000;
    const rate = seconds > 0 ? (this.bytesDone - first.bytes) / seconds : 0;
    const left = Math.max(0, this.totals.bytes - this.bytesDone);
    this.onProgress({
      remote: this.remote,
      phase: this.phase,
      objectsDone: this.objectsDone,
      objectsTotal: this.totals.objects,
      bytesDone: this.bytesDone,
      bytesTotal: this.totals.bytes,
      rate,
      etaSeconds: left === 0 ? 0 : rate > 0 ? left / rate : null,
    });
  }
}
