/**
 * A hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014): physical ms plus a
 * counter, so every event this home writes sorts after every event it has seen, whatever the
 * wall clocks say. Encoded as fixed-width text ("<ms 15 digits>.<counter 6 digits>") so string
 * order is time order — event bodies and SQLite compare them as plain strings.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/database';

/** A remote clock further ahead of ours than this is still received, but reported. */
export const clockWarningMs = 5 * 60_000;

export interface HlcValue {
  readonly ms: number;
  readonly counter: number;
}

const hlcPattern = /^(\d{15})\.(\d{6})$/;

export function encodeHlc(value: HlcValue): string {
  return `${String(value.ms).padStart(15, '0')}.${String(value.counter).padStart(6, '0')}`;
}

export function decodeHlc(text: string): HlcValue {
  const match = hlcPattern.exec(text);
  if (!match) throw new Error(`not a hybrid logical clock value: '${text}'`);
  return { ms: Number(match[1]), counter: Number(match[2]) };
}

export function isHlc(text: string): boolean {
  return hlcPattern.test(text);
}

/** "3 h", "12 min", "40 s": how far a clock is off, for a warning a person reads. */
export function describeSkew(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 3_600_000) return `${Math.round(abs / 3_600_000)} h`;
  if (abs >= 60_000) return `${Math.round(abs / 60_000)} min`;
  return `${Math.round(abs / 1000)} s`;
}

/** What `receive` noticed about a teammate's clock. */
export interface ClockWarning {
  readonly client: string;
  readonly author: string;
  /** Their clock minus ours, in ms (positive: ahead). */
  readonly skewMs: number;
  readonly message: string;
}

/**
 * This home's clock, persisted in `sync_clock` (one row, created on first use with a random
 * client id). `now()` for every event written; `receive()` for every event read.
 */
export class Hlc {
  private state: HlcValue;
  readonly clientId: string;

  constructor(
    private readonly db: Database,
    private readonly wallClock: () => number = Date.now,
  ) {
    let row = db.prepare('SELECT client_id, hlc_ms, hlc_counter FROM sync_clock WHERE id = 1').get() as
      | { client_id: string; hlc_ms: number; hlc_counter: number }
      | undefined;
    if (!row) {
      row = { client_id: randomBytes(8).toString('hex'), hlc_ms: 0, hlc_counter: 0 };
      db.prepare('INSERT INTO sync_clock (id, client_id, hlc_ms, hlc_counter) VALUES (1, ?, ?, ?)').run(row.client_id, 0, 0);
    }
    this.clientId = row.client_id;
    this.state = { ms: row.hlc_ms, counter: row.hlc_counter };
  }

  /** A fresh value, later than every value this home has produced or received. */
  now(): string {
    const wall = this.wallClock();
    this.state = wall > this.state.ms ? { ms: wall, counter: 0 } : { ms: this.state.ms, counter: this.state.counter + 1 };
    this.save();
    return encodeHlc(this.state);
  }

  /**
   * Merges a teammate's clock value into ours. A value far ahead of our wall clock is still
   * taken (refusing it would stall the order), but comes back as a warning to show.
   */
  receive(remote: string, from: { client: string; author: string }): ClockWarning | null {
    const value = decodeHlc(remote);
    const wall = this.wallClock();
    const ms = Math.max(wall, this.state.ms, value.ms);
    let counter: number;
    if (ms === this.state.ms && ms === value.ms) counter = Math.max(this.state.counter, value.counter) + 1;
    else if (ms === this.state.ms) counter = this.state.counter + 1;
    else if (ms === value.ms) counter = value.counter + 1;
    else counter = 0;
    this.state = { ms, counter };
    this.save();
    const skewMs = value.ms - wall;
    if (skewMs <= clockWarningMs) return null;
    return { client: from.client, author: from.author, skewMs, message: `${from.author}'s clock is ${describeSkew(skewMs)} ahead` };
  }

  current(): string {
    return encodeHlc(this.state);
  }

  private save(): void {
    this.db.prepare('UPDATE sync_clock SET hlc_ms = ?, hlc_counter = ? WHERE id = 1').run(this.state.ms, this.state.counter);
  }
}
