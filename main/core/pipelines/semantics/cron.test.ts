import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../../shared/errors';
import { parseCron } from './cron-expression';
import { firesAt, nextFire, previousFire, wallClock } from './cron';

const utc = (iso: string): number => Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`);
const iso = (instant: number): string => new Date(instant).toISOString().replace('.000Z', 'Z');
const valuesOf = (set: readonly boolean[]): number[] => set.flatMap((on, value) => (on ? [value] : []));

/** The next `count` fire times after `from`, as ISO strings. */
function fires(cron: string, tz: string, from: string, count: number): string[] {
  const out: string[] = [];
  let at = utc(from);
  for (let i = 0; i < count; i += 1) {
    at = nextFire(cron, tz, at);
    out.push(iso(at));
  }
  return out;
}

describe('parseCron', () => {
  it('reads stars, lists, ranges and steps', () => {
    const spec = parseCron('*/15 1-10/3 1,15,31 * *');
    expect(valuesOf(spec.minutes)).toEqual([0, 15, 30, 45]);
    expect(valuesOf(spec.hours)).toEqual([1, 4, 7, 10]);
    expect(valuesOf(spec.daysOfMonth)).toEqual([1, 15, 31]);
    expect(valuesOf(spec.months)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('reads `n/step` as `n-max/step`', () => {
    expect(valuesOf(parseCron('5/20 * * * *').minutes)).toEqual([5, 25, 45]);
  });

  it('reads month and weekday names in any case, and Sunday as 0 or 7', () => {
    const spec = parseCron('0 0 * jan,Jul-SEP mon-FRI');
    expect(valuesOf(spec.months)).toEqual([1, 7, 8, 9]);
    expect(valuesOf(spec.daysOfWeek)).toEqual([1, 2, 3, 4, 5]);
    expect(valuesOf(parseCron('0 0 * * 7').daysOfWeek)).toEqual([0]);
    expect(valuesOf(parseCron('0 0 * * 5-7').daysOfWeek)).toEqual([0, 5, 6]);
    expect(valuesOf(parseCron('0 0 * * SAT,SUN').daysOfWeek)).toEqual([0, 6]);
  });

  it('expands the macros', () => {
    const same = (macro: string, fields: string) => expect({ ...parseCron(macro), source: '' }).toEqual({ ...parseCron(fields), source: '' });
    same('@hourly', '0 * * * *');
    same('@daily', '0 0 * * *');
    same('@midnight', '0 0 * * *');
    same('@weekly', '0 0 * * 0');
    same('@monthly', '0 0 1 * *');
    same('@yearly', '0 0 1 1 *');
    same('@annually', '0 0 1 1 *');
  });

  it.each([
    ['0 25 * * *', 'cron "0 25 * * *": field 2 (hour): 25 is out of range 0–23'],
    ['60 * * * *', 'field 1 (minute): 60 is out of range 0–59'],
    ['* * 0 * *', 'field 3 (day-of-month): 0 is out of range 1–31'],
    ['* * * 13 *', 'field 4 (month): 13 is out of range 1–12'],
    ['* * * * 8', 'field 5 (day-of-week): 8 is out of range 0–7'],
    ['* * * FOO *', "field 4 (month): 'FOO' is not a month (1–12 or JAN–DEC)"],
    ['* * * MON *', "field 4 (month): 'MON' is not a month (1–12 or JAN–DEC)"],
    ['* * * * MON-FUN', "field 5 (day-of-week): 'FUN' is not a day of the week (0–7 or SUN–SAT)"],
    ['x * * * *', "field 1 (minute): 'x' is not a number"],
    ['*/0 * * * *', "field 1 (minute): step '0' in '*/0' must be a whole number of at least 1"],
    ['5-3 * * * *', 'field 1 (minute): range 5-3 runs backwards; write it as two ranges, e.g. 5-59,0-3'],
    ['1,,2 * * * *', "field 1 (minute): empty item in '1,,2'"],
    ['1-2-3 * * * *', "field 1 (minute): cannot read the range '1-2-3'"],
    ['* * *', 'expected 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily, got 3'],
    ['* * * * * *', 'got 6'],
    ['@fortnightly', 'unknown macro; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly'],
    ['0 0 30 2 *', 'field 3 (day-of-month) never falls in the months of field 4, so this never fires'],
  ])('rejects %j naming what is wrong', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(message);
  });

  it('throws an INVALID_ARGUMENT error', () => {
    try {
      parseCron('0 25 * * *');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WorkbenchError);
      expect((error as WorkbenchError).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('accepts 31 in a list that also names a short month, and Feb 29', () => {
    expect(() => parseCron('0 0 31 2,3 *')).not.toThrow();
    expect(() => parseCron('0 0 29 2 *')).not.toThrow();
  });
});

describe('nextFire / previousFire in UTC', () => {
  it('finds the next fire strictly after the given instant', () => {
    expect(iso(nextFire('*/5 * * * *', 'UTC', utc('2026-01-01T10:02:30')))).toBe('2026-01-01T10:05:00Z');
    expect(iso(nextFire('*/5 * * * *', 'UTC', utc('2026-01-01T10:05:00')))).toBe('2026-01-01T10:10:00Z');
    expect(iso(nextFire('@hourly', 'UTC', utc('2026-01-01T23:00:00')))).toBe('2026-01-02T00:00:00Z');
    expect(iso(nextFire('@yearly', 'UTC', utc('2026-06-15T00:00:00')))).toBe('2027-01-01T00:00:00Z');
  });

  it('finds the previous fire strictly before the given instant', () => {
    expect(iso(previousFire('*/5 * * * *', 'UTC', utc('2026-01-01T10:05:00')))).toBe('2026-01-01T10:00:00Z');
    expect(iso(previousFire('*/5 * * * *', 'UTC', utc('2026-01-01T10:05:00.001')))).toBe('2026-01-01T10:05:00Z');
    expect(iso(previousFire('@monthly', 'UTC', utc('2026-01-01T00:00:00')))).toBe('2025-12-01T00:00:00Z');
  });

  it('fires when EITHER day field matches once both are restricted (Vixie)', () => {
    // 2026-01-02 is a Friday; the 13th is a Tuesday.
    expect(fires('0 0 13 * FRI', 'UTC', '2026-01-01T00:00:00', 4)).toEqual(['2026-01-02T00:00:00Z', '2026-01-09T00:00:00Z', '2026-01-13T00:00:00Z', '2026-01-16T00:00:00Z']);
  });

  it('needs BOTH day fields when one is written with a star', () => {
    // days 1, 11, 21, 31 that are Mondays
    expect(fires('0 0 */10 * MON', 'UTC', '2026-01-01T00:00:00', 3)).toEqual(['2026-05-11T00:00:00Z', '2026-06-01T00:00:00Z', '2026-08-31T00:00:00Z']);
    expect(fires('@weekly', 'UTC', '2026-01-01T00:00:00', 2)).toEqual(['2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z']);
  });

  it('treats Sunday as 0 or 7 alike', () => {
    expect(fires('0 12 * * 7', 'UTC', '2026-01-01T00:00:00', 2)).toEqual(fires('0 12 * * 0', 'UTC', '2026-01-01T00:00:00', 2));
  });

  it('waits for the next leap day', () => {
    expect(iso(nextFire('0 0 29 2 *', 'UTC', utc('2026-01-01T00:00:00')))).toBe('2028-02-29T00:00:00Z');
    expect(iso(previousFire('0 0 29 2 *', 'UTC', utc('2026-01-01T00:00:00')))).toBe('2024-02-29T00:00:00Z');
  });

  it('names an unknown time zone', () => {
    expect(() => nextFire('@daily', 'Mars/Olympus', 0)).toThrow('unknown time zone "Mars/Olympus"');
  });

  it('refuses an instant that is not a number', () => {
    expect(() => nextFire('@daily', 'UTC', Number.NaN)).toThrow('afterMs must be a finite epoch-ms number, got NaN');
    expect(() => previousFire('@daily', 'UTC', Number.POSITIVE_INFINITY)).toThrow('beforeMs must be a finite');
  });

  it('says whether an instant is a fire time', () => {
    expect(firesAt('0 3 * * *', 'UTC', utc('2026-01-01T03:00:00'))).toBe(true);
    expect(firesAt('0 3 * * *', 'UTC', utc('2026-01-01T03:00:01'))).toBe(false);
  });
});

// Expected values below were checked against a brute-force walk of every minute with Python's
// zoneinfo (fire iff the wall clock matches and it is the wall time's first occurrence).
describe('daylight saving time', () => {
  describe('Europe/Berlin (2026: spring forward 29 March 02:00 → 03:00, fall back 25 October 03:00 → 02:00)', () => {
    it('skips a wall time that does not exist', () => {
      expect(fires('30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00', 3)).toEqual(['2026-03-28T01:30:00Z', '2026-03-30T00:30:00Z', '2026-03-31T00:30:00Z']);
      expect(iso(previousFire('30 2 * * *', 'Europe/Berlin', utc('2026-03-30T00:30:00')))).toBe('2026-03-28T01:30:00Z');
    });

    it('fires an ambiguous wall time once, at its first occurrence', () => {
      expect(fires('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00', 2)).toEqual(['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z']);
      expect(fires('0 * * * *', 'Europe/Berlin', '2026-10-24T23:30:00', 3)).toEqual(['2026-10-25T00:00:00Z', '2026-10-25T02:00:00Z', '2026-10-25T03:00:00Z']);
      expect(wallClock('Europe/Berlin', utc('2026-10-25T00:00:00'))).toBe('2026-10-25 02:00');
      expect(wallClock('Europe/Berlin', utc('2026-10-25T02:00:00'))).toBe('2026-10-25 03:00');
    });

    it('searches from inside the repeated hour both ways', () => {
      // 01:10Z is 02:10 CET, the second pass; the first pass's 02:15 … 02:45 CEST lie before it.
      expect(iso(previousFire('*/15 * * * *', 'Europe/Berlin', utc('2026-10-25T01:10:00')))).toBe('2026-10-25T00:45:00Z');
      expect(iso(nextFire('*/15 * * * *', 'Europe/Berlin', utc('2026-10-25T01:10:00')))).toBe('2026-10-25T02:00:00Z');
      expect(iso(nextFire('*/15 * * * *', 'Europe/Berlin', utc('2026-10-25T00:50:00')))).toBe('2026-10-25T02:00:00Z');
    });

    it('keeps daily 03:00 at 03:00 local on both sides of a change', () => {
      expect(fires('0 3 * * *', 'Europe/Berlin', '2026-03-28T00:00:00', 3)).toEqual(['2026-03-28T02:00:00Z', '2026-03-29T01:00:00Z', '2026-03-30T01:00:00Z']);
    });
  });

  describe('America/New_York (2026: spring forward 8 March 02:00 → 03:00, fall back 1 November 02:00 → 01:00)', () => {
    it('skips 02:30 on the spring-forward day', () => {
      expect(fires('30 2 * * *', 'America/New_York', '2026-03-07T00:00:00', 2)).toEqual(['2026-03-07T07:30:00Z', '2026-03-09T06:30:00Z']);
    });

    it('fires 01:30 once on the fall-back day', () => {
      expect(fires('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00', 2)).toEqual(['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z']);
      expect(fires('0 * * * *', 'America/New_York', '2026-11-01T03:30:00', 4)).toEqual(['2026-11-01T04:00:00Z', '2026-11-01T05:00:00Z', '2026-11-01T07:00:00Z', '2026-11-01T08:00:00Z']);
    });
  });

  it('skips a midnight that does not exist (America/Sao_Paulo, 4 November 2018)', () => {
    expect(fires('0 0 * * *', 'America/Sao_Paulo', '2018-11-02T12:00:00', 2)).toEqual(['2018-11-03T03:00:00Z', '2018-11-05T02:00:00Z']);
  });

  it('handles half-hour shifts (Australia/Lord_Howe, 5 April 2026 02:00 → 01:30)', () => {
    expect(fires('*/30 * * * *', 'Australia/Lord_Howe', '2026-04-04T14:00:00', 2)).toEqual(['2026-04-04T14:30:00Z', '2026-04-04T15:30:00Z']);
  });

  it('walks back over a year to the same fires it walks forward to', () => {
    const forward: number[] = [];
    for (let at = utc('2026-01-01T00:00:00'); ; ) {
      at = nextFire('15 1,2,12 * * *', 'America/New_York', at);
      if (at >= utc('2027-01-01T00:00:00')) break;
      forward.push(at);
    }
    const backward: number[] = [];
    for (let at = utc('2027-01-01T00:00:00'); ; ) {
      at = previousFire('15 1,2,12 * * *', 'America/New_York', at);
      if (at <= utc('2026-01-01T00:00:00')) break;
      backward.unshift(at);
    }
    expect(backward).toEqual(forward);
    expect(forward).toHaveLength(365 * 3 - 1); // 02:15 is skipped once (spring forward); 01:15's repeat does not fire
  });
});
