/**
 * Wall clocks of IANA time zones through Intl.DateTimeFormat (the ICU data Node ships), so no
 * time-zone dependency. A "wall" value is the local date and time encoded as if it were UTC
 * epoch ms: `Date.UTC(2026, 2, 29, 2, 30)` stands for 02:30 on 29 March, whatever the zone.
 */
import { invalid } from '../../../../shared/errors';

const DAY = 86_400_000;

export interface TimeZone {
  /** The canonical IANA name (`UTC` for `Etc/UTC`, `utc`, …). */
  readonly name: string;
  /** Wall value minus instant, in ms, at `instant`. */
  offsetAt(instant: number): number;
}

const zones = new Map<string, TimeZone>();

function intlZone(name: string, format: Intl.DateTimeFormat): TimeZone {
  return {
    name,
    offsetAt(instant) {
      const values: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
      for (const part of format.formatToParts(instant)) if (part.type !== 'literal') values[part.type] = Number(part.value);
      // Intl drops the milliseconds; offsets are whole seconds, so add them back from the instant.
      const milliseconds = ((instant % 1000) + 1000) % 1000;
      const wall = wallValue(values.year!, values.month! - 1, values.day!, values.hour!, values.minute!, values.second!) + milliseconds;
      return wall - instant;
    },
  };
}

/** The zone named `name`; throws INVALID_ARGUMENT for a name Intl does not know. */
export function timeZone(name: string): TimeZone {
  const cached = zones.get(name);
  if (cached) return cached;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw invalid(`unknown time zone "${name}"; use an IANA name such as UTC, Europe/Berlin or America/New_York`);
  }
  const canonical = format.resolvedOptions().timeZone;
  const zone: TimeZone = canonical === 'UTC' ? { name: canonical, offsetAt: () => 0 } : intlZone(canonical, format);
  zones.set(name, zone);
  return zone;
}

/** Date.UTC without its 1900 shift for years 0–99. */
export function wallValue(year: number, monthIndex: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

export const wallOf = (zone: TimeZone, instant: number): number => instant + zone.offsetAt(instant);

/**
 * The instants at which the zone's clocks show `wall`, earliest first: none in a gap (spring
 * forward), two in an overlap (fall back), else one. The candidates are the offsets a day either
 * side, which bracket any one transition near the answer.
 */
export function instantsAt(zone: TimeZone, wall: number): number[] {
  const before = zone.offsetAt(wall - DAY);
  const after = zone.offsetAt(wall + DAY);
  const candidates = before === after ? [wall - before] : [wall - before, wall - after].sort((a, b) => a - b);
  return candidates.filter((instant) => wallOf(zone, instant) === wall);
}
