/**
 * Which scheduled runs are due: Airflow 2's CronDataIntervalTimetable, the model SEMANTICS.md
 * §2.4 recommends. Fire times t_0 < t_1 < … of the cron cut time into intervals; the run for
 * [t_i, t_{i+1}) is created once t_{i+1} has come, with logical_date = t_i. So a `0 3 * * *`
 * pipeline's run for Monday's data starts on Tuesday at 03:00 and is labelled Monday 03:00.
 */
import { nextFire, previousFire } from './cron';

export interface ScheduleInput {
  /** Five-field cron or macro (see cron-expression.ts). */
  readonly cron: string;
  /** IANA zone the cron is read in. */
  readonly tz: string;
  /** true: one run per interval missed since the start; false: only the latest complete one. */
  readonly catchup: boolean;
  /** Epoch ms; the first interval is the first one starting at or after it. */
  readonly startDate: number;
  /** Logical date (interval start) of the latest scheduled run created so far; null if none. */
  readonly lastLogicalDate: number | null;
  /** Epoch ms. */
  readonly now: number;
  /**
   * At most this many runs are returned (default 1000). Pass the free `max_active_runs` slots:
   * a year of minutely runs should not be created in one go; the rest come on later calls, once
   * `lastLogicalDate` has moved on.
   */
  readonly limit?: number;
}

/** A run to create. */
export interface DueRun {
  /** `scheduled__<ISO-8601 logical date>`, e.g. `scheduled__2026-11-26T03:00:00.000Z`. */
  readonly runId: string;
  /** Equals dataIntervalStart. */
  readonly logicalDate: number;
  readonly dataIntervalStart: number;
  /** When the run became due. */
  readonly dataIntervalEnd: number;
}

export const scheduledRunId = (logicalDate: number): string => `scheduled__${new Date(logicalDate).toISOString()}`;

/** The first fire time at or after `instant` (Airflow's `_align_to_next`). */
const alignToNext = (input: ScheduleInput, instant: number): number => nextFire(input.cron, input.tz, instant - 1);

/**
 * The earliest logical date a run may have, whatever ran before: the first fire time at or after
 * the start date, and without catchup also the start of the latest complete interval (the one
 * that ended at the last fire time ≤ now). Airflow's `_align_to_next` / `_skip_to_latest`.
 */
function earliestStart(input: ScheduleInput): number {
  const first = alignToNext(input, input.startDate);
  if (input.catchup) return first;
  const latestEnd = previousFire(input.cron, input.tz, input.now + 1);
  return Math.max(first, previousFire(input.cron, input.tz, latestEnd));
}

/**
 * The interval of the next run after the one at `lastLogicalDate`, due or not (Airflow's
 * `next_dagrun_info`). The run after the last one starts at the next fire time after its logical
 * date; Airflow aligns the last interval's *end* instead, which differs only once the cron has
 * changed, and then this choice never repeats a logical date.
 */
function nextInterval(input: ScheduleInput, earliest: number, lastLogicalDate: number | null): { start: number; end: number } {
  const start = lastLogicalDate === null ? earliest : Math.max(earliest, nextFire(input.cron, input.tz, lastLogicalDate));
  return { start, end: nextFire(input.cron, input.tz, start) };
}

/**
 * The scheduled runs to create now, oldest first: with catchup, every complete interval since
 * the start (or since the last run), up to `limit`; without, at most the latest complete one,
 * and none if it exists already.
 */
export function dueRuns(input: ScheduleInput): DueRun[] {
  const limit = input.limit ?? 1000;
  const runs: DueRun[] = [];
  let { start, end } = nextInterval(input, earliestStart(input), input.lastLogicalDate);
  while (runs.length < limit && end <= input.now) {
    runs.push({ runId: scheduledRunId(start), logicalDate: start, dataIntervalStart: start, dataIntervalEnd: end });
    // Intervals tile time: each one starts where the previous one ended.
    start = end;
    end = nextFire(input.cron, input.tz, start);
  }
  return runs;
}

/**
 * When the next scheduled run after `lastLogicalDate` becomes due (its interval's end): the
 * instant a scheduler should wake up at. Earlier than or equal to `now` means one is due already.
 */
export function nextDueAt(input: ScheduleInput): number {
  return nextInterval(input, earliestStart(input), input.lastLogicalDate).end;
}
