/**
 * When a cron expression fires, read in an IANA time zone. Daylight-saving rules:
 * - a wall time the clocks skip (spring forward) does not fire that day;
 * - a wall time the clocks show twice (fall back) fires once, at its first occurrence; so an
 *   hourly job fires at 02:00 summer time but not again at 02:00 winter time.
 * Fire instants are therefore the first instants of matching wall minutes, and they rise with
 * the wall time; both searches below walk wall minutes and map them to instants.
 */
import { dayMatches, parseCron, type CronSpec } from './cron-expression';
import { instantsAt, timeZone, wallOf, wallValue, type TimeZone } from './time-zone';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Past the longest possible wait (a leap day on a given weekday recurs within the 400-year cycle). */
const SEARCH_YEARS = 500;

const specs = new Map<string, CronSpec>();

/** Parsed specs are cached: schedules are evaluated every tick with the same few expressions. */
function specOf(expression: string): CronSpec {
  let spec = specs.get(expression);
  if (!spec) {
    spec = parseCron(expression);
    if (specs.size >= 256) specs.clear();
    specs.set(expression, spec);
  }
  return spec;
}

const nextSet = (set: readonly boolean[], from: number): number => {
  for (let value = from; value < set.length; value += 1) if (set[value]) return value;
  return -1;
};
const previousSet = (set: readonly boolean[], from: number): number => {
  for (let value = from; value >= 0; value -= 1) if (set[value]) return value;
  return -1;
};

function searchFailed(spec: CronSpec): Error {
  return new Error(`cron "${spec.source}": no matching time within ${SEARCH_YEARS} years`);
}

/** The first matching wall minute at or after `wall` (a minute-aligned wall value). */
function nextMatchingWall(spec: CronSpec, wall: number): number {
  const limit = new Date(wall).getUTCFullYear() + SEARCH_YEARS;
  let at = wall;
  for (;;) {
    const date = new Date(at);
    const [year, month, day, hour] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours()];
    if (year > limit) throw searchFailed(spec);
    if (!spec.months[month + 1]) at = wallValue(year, month + 1, 1);
    else if (!dayMatches(spec, day, date.getUTCDay())) at = wallValue(year, month, day + 1);
    else if (!spec.hours[hour]) at = wallValue(year, month, day, hour + 1);
    else {
      const minute = nextSet(spec.minutes, date.getUTCMinutes());
      if (minute >= 0) return wallValue(year, month, day, hour, minute);
      at = wallValue(year, month, day, hour + 1);
    }
  }
}

/** The last matching wall minute at or before `wall` (a minute-aligned wall value). */
function previousMatchingWall(spec: CronSpec, wall: number): number {
  const limit = new Date(wall).getUTCFullYear() - SEARCH_YEARS;
  let at = wall;
  for (;;) {
    const date = new Date(at);
    const [year, month, day, hour] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours()];
    if (year < limit) throw searchFailed(spec);
    if (!spec.months[month + 1]) at = wallValue(year, month, 1) - MINUTE;
    else if (!dayMatches(spec, day, date.getUTCDay())) at = wallValue(year, month, day) - MINUTE;
    else if (!spec.hours[hour]) at = wallValue(year, month, day, hour) - MINUTE;
    else {
      const minute = previousSet(spec.minutes, date.getUTCMinutes());
      if (minute >= 0) return wallValue(year, month, day, hour, minute);
      at = wallValue(year, month, day, hour) - MINUTE;
    }
  }
}

const floorMinute = (value: number): number => Math.floor(value / MINUTE) * MINUTE;

function assertInstant(name: string, value: number): void {
  // NaN would never match and never pass the year limit: refuse it rather than loop forever.
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite epoch-ms number, got ${value}`);
}

/** The offsets in force a day either side of `instant`: the range the answer's offset lies in. */
function nearbyOffsets(zone: TimeZone, instant: number): number[] {
  return [zone.offsetAt(instant - DAY), zone.offsetAt(instant), zone.offsetAt(instant + DAY)];
}

/**
 * The first instant strictly after `afterMs` (epoch ms) at which `cron` fires in `tz`. Throws
 * INVALID_ARGUMENT for a bad expression (naming the field) or an unknown zone.
 */
export function nextFire(cron: string, tz: string, afterMs: number): number {
  assertInstant('afterMs', afterMs);
  const spec = specOf(cron);
  const zone = timeZone(tz);
  // Any fire t > afterMs shows a wall time above afterMs + offset(t), and offset(t) is no lower
  // than the lowest offset nearby; start there and skip the (at most an hour of) matches whose
  // first occurrence is not after afterMs.
  let wall = floorMinute(afterMs + Math.min(...nearbyOffsets(zone, afterMs)));
  for (;;) {
    wall = nextMatchingWall(spec, wall);
    const first = instantsAt(zone, wall)[0];
    if (first !== undefined && first > afterMs) return first;
    wall += MINUTE;
  }
}

/** The last instant strictly before `beforeMs` (epoch ms) at which `cron` fires in `tz`. */
export function previousFire(cron: string, tz: string, beforeMs: number): number {
  assertInstant('beforeMs', beforeMs);
  const spec = specOf(cron);
  const zone = timeZone(tz);
  let wall = floorMinute(beforeMs + Math.max(...nearbyOffsets(zone, beforeMs)));
  for (;;) {
    wall = previousMatchingWall(spec, wall);
    const first = instantsAt(zone, wall)[0];
    if (first !== undefined && first < beforeMs) return first;
    wall -= MINUTE;
  }
}

/** Whether `cron` fires at exactly `instant` in `tz`. */
export function firesAt(cron: string, tz: string, instant: number): boolean {
  return nextFire(cron, tz, instant - 1) === instant;
}

/** The wall clock of `instant` in `tz` as `YYYY-MM-DD HH:MM` (for messages and tests). */
export function wallClock(tz: string, instant: number): string {
  return new Date(wallOf(timeZone(tz), instant)).toISOString().slice(0, 16).replace('T', ' ');
}
