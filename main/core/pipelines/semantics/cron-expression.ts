/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week) as Vixie cron reads
 * them, plus the @hourly … @yearly macros. Parsing and wall-clock matching only; time zones and
 * fire instants live in cron.ts.
 */
import { invalid } from '../../../../shared/errors';

/** A parsed expression: for each field, which values match (indexed by the value itself). */
export interface CronSpec {
  /** The expression as written (a macro stays a macro). */
  readonly source: string;
  readonly minutes: readonly boolean[];
  readonly hours: readonly boolean[];
  /** Index 1–31. */
  readonly daysOfMonth: readonly boolean[];
  /** Index 1–12. */
  readonly months: readonly boolean[];
  /** Index 0–6, Sunday = 0 (7 is folded into 0). */
  readonly daysOfWeek: readonly boolean[];
  /**
   * Vixie's DOM_STAR / DOW_STAR: a field written starting with `*` (a plain star, or a step over
   * the star) does not "restrict" the day. When both day fields restrict, a day matches if EITHER does; otherwise
   * both must match.
   */
  readonly dayOfMonthStar: boolean;
  readonly dayOfWeekStar: boolean;
}

export const cronMacros: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted in place of numbers (JAN = 1, SUN = 0), and how to say so in an error. */
  readonly names?: readonly string[];
  readonly nameOffset?: number;
  readonly expected: string;
}

const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const weekdays = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const fields: readonly FieldRule[] = [
  { name: 'minute', min: 0, max: 59, expected: 'a number' },
  { name: 'hour', min: 0, max: 23, expected: 'a number' },
  { name: 'day-of-month', min: 1, max: 31, expected: 'a number' },
  { name: 'month', min: 1, max: 12, names: months, nameOffset: 1, expected: 'a month (1–12 or JAN–DEC)' },
  // 7 is Sunday too; it is folded into 0 after parsing.
  { name: 'day-of-week', min: 0, max: 7, names: weekdays, nameOffset: 0, expected: 'a day of the week (0–7 or SUN–SAT)' },
];

/** Longest day-of-month each month can have (February's leap day counts: it does occur). */
const longestMonth = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

class FieldError extends Error {}

function parseValue(text: string, rule: FieldRule): number {
  let value: number;
  if (/^\d+$/.test(text)) value = Number(text);
  else {
    const index = rule.names?.indexOf(text.toUpperCase()) ?? -1;
    if (index < 0) throw new FieldError(`'${text}' is not ${rule.expected}`);
    value = index + (rule.nameOffset ?? 0);
  }
  if (value < rule.min || value > rule.max) throw new FieldError(`${value} is out of range ${rule.min}–${rule.max}`);
  return value;
}

function parseField(text: string, rule: FieldRule): boolean[] {
  const set = new Array<boolean>(rule.max + 1).fill(false);
  for (const item of text.split(',')) {
    if (item === '') throw new FieldError(`empty item in '${text}'`);
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined || range === '' || stepText === '') throw new FieldError(`cannot read '${item}'; write a value, a range a-b, or a step */n or a-b/n`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new FieldError(`step '${stepText}' in '${item}' must be a whole number of at least 1`);
      step = Number(stepText);
    }
    let low: number;
    let high: number;
    if (range === '*') {
      low = rule.min;
      high = rule.name === 'day-of-week' ? 6 : rule.max;
    } else if (range!.includes('-')) {
      const [from, to, more] = range!.split('-');
      if (more !== undefined || !from || !to) throw new FieldError(`cannot read the range '${range}'`);
      low = parseValue(from, rule);
      high = parseValue(to, rule);
      if (low > high) throw new FieldError(`range ${range} runs backwards; write it as two ranges, e.g. ${from}-${rule.max},${rule.min}-${to}`);
    } else {
      low = parseValue(range!, rule);
      // `5/15` reads as `5-max/15`, as croniter and cronie read it; a bare value is just itself.
      high = stepText === undefined ? low : rule.max;
    }
    for (let value = low; value <= high; value += step) set[value] = true;
  }
  return set;
}

/**
 * Parses a cron expression, throwing an INVALID_ARGUMENT error that names the field:
 * `cron "0 25 * * *": field 2 (hour): 25 is out of range 0–23`.
 */
export function parseCron(expression: string): CronSpec {
  const source = expression.trim();
  const fail = (detail: string) => invalid(`cron "${source}": ${detail}`);
  let text = source;
  if (source.startsWith('@')) {
    const expanded = cronMacros[source.toLowerCase()];
    if (expanded === undefined) throw fail(`unknown macro; use one of ${Object.keys(cronMacros).join(', ')}`);
    text = expanded;
  }
  const parts = text.split(/\s+/).filter((part) => part !== '');
  if (parts.length !== 5) throw fail(`expected 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily, got ${parts.length}`);
  const sets = parts.map((part, index) => {
    const rule = fields[index]!;
    try {
      return parseField(part, rule);
    } catch (error) {
      if (error instanceof FieldError) throw fail(`field ${index + 1} (${rule.name}): ${error.message}`);
      throw error;
    }
  });
  const [minutes, hours, daysOfMonth, monthSet, daysOfWeek] = sets as [boolean[], boolean[], boolean[], boolean[], boolean[]];
  if (daysOfWeek[7]) daysOfWeek[0] = true;
  daysOfWeek.length = 7;
  const spec: CronSpec = { source, minutes, hours, daysOfMonth, months: monthSet, daysOfWeek, dayOfMonthStar: parts[2]!.startsWith('*'), dayOfWeekStar: parts[4]!.startsWith('*') };
  assertCanFire(spec, fail);
  return spec;
}

/**
 * Rejects expressions that name only days a month never has (`0 0 30 2 *`), which would
 * otherwise search forever. When the day-of-week restricts too (OR), any month has such a day;
 * when it is a `*` step (AND), every date meets each weekday within the 400-year cycle.
 */
function assertCanFire(spec: CronSpec, fail: (detail: string) => Error): void {
  if (!spec.dayOfMonthStar && !spec.dayOfWeekStar) return;
  for (let month = 1; month <= 12; month += 1) {
    if (!spec.months[month]) continue;
    for (let day = 1; day <= longestMonth[month]!; day += 1) if (spec.daysOfMonth[day]) return;
  }
  throw fail('field 3 (day-of-month) never falls in the months of field 4, so this never fires');
}

/** Whether a calendar day matches the two day fields (Vixie's rule, see `CronSpec`). */
export function dayMatches(spec: CronSpec, dayOfMonth: number, dayOfWeek: number): boolean {
  const byDate = spec.daysOfMonth[dayOfMonth] === true;
  const byWeekday = spec.daysOfWeek[dayOfWeek] === true;
  return spec.dayOfMonthStar || spec.dayOfWeekStar ? byDate && byWeekday : byDate || byWeekday;
}
