/**
 * Retries (SEMANTICS.md §2.3; Airflow models/taskinstance.py `next_retry_datetime`). Durations
 * are plain seconds here: turning `5m` into 300 is the spec parser's job.
 */
import { createHash } from 'node:crypto';

/** Airflow's hard cap on a backed-off delay (`MAX_RETRY_DELAY`, one day). */
export const maxRetryDelayCapS = 86_400;

/** Airflow's default `retry_delay` (5 minutes). */
export const defaultRetryDelayS = 300;

export interface RetryInput {
  /** The task's `retries` (Airflow's `max_tries`). */
  readonly retries: number;
  /** The attempt that just failed, counted from 1. */
  readonly tryNumber: number;
}

/**
 * What a failed attempt leads to: another try while `tryNumber <= retries`, so a task runs at
 * most `retries + 1` times. (A failure that must not be retried, Airflow's
 * `AirflowFailException`, is `failed` without asking.)
 */
export function retryDecision({ retries, tryNumber }: RetryInput): 'up_for_retry' | 'failed' {
  return retries > 0 && tryNumber <= retries ? 'up_for_retry' : 'failed';
}

export interface RetryDelayInput {
  /** `retry_delay` in seconds. */
  readonly retryDelayS: number;
  /** `retry_exponential_backoff`: off, on (multiplier 2), or the multiplier itself. */
  readonly backoff: boolean | number;
  /** `max_retry_delay` in seconds; applies to backed-off delays only, as in Airflow. */
  readonly maxRetryDelayS?: number | null;
  /** The attempt that just failed, counted from 1. */
  readonly tryNumber: number;
  readonly dagId: string;
  readonly taskId: string;
  /** The DAG run's logical date, epoch ms. Part of the jitter key. */
  readonly logicalDate: number;
}

export interface NextRetryInput extends RetryDelayInput {
  /** When the failed attempt ended, epoch ms. */
  readonly endedAt: number;
}

/**
 * `str(datetime)` of an aware UTC datetime in Python: `2026-11-26 10:00:00+00:00`, with
 * `.ffffff` only when there are sub-second digits. Airflow interpolates the TaskInstance's
 * `logical_date` into the jitter key with an f-string, and the ORM hands it back as such a
 * datetime (UTC), so this form makes our jitter equal Airflow's for the same
 * dag/task/logical date/try.
 */
export function pythonUtcDateString(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2026-11-26T10:00:00.000Z
  const milliseconds = iso.slice(20, 23);
  const fraction = milliseconds === '000' ? '' : `.${milliseconds}000`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction}+00:00`;
}

/** The jitter key Airflow hashes: `dag_id#task_id#logical_date#try_number`. */
export function retryJitterKey(input: Pick<RetryDelayInput, 'dagId' | 'taskId' | 'logicalDate' | 'tryNumber'>): string {
  return `${input.dagId}#${input.taskId}#${pythonUtcDateString(input.logicalDate)}#${input.tryNumber}`;
}

function multiplierOf(backoff: boolean | number): number {
  if (backoff === false) return 1;
  if (backoff === true) return 2;
  // Airflow 3 treats 0 as "no backoff" too (`multiplier if multiplier != 0 else 1.0`).
  return backoff === 0 ? 1 : backoff;
}

/**
 * Seconds to wait before the next attempt. Without backoff: `retry_delay`. With multiplier m
 * (Airflow 3 skips the whole branch for m = 1, and so do we):
 * `b = max(1, ceil(retry_delay × m^(try−1)))`, `delay = b + sha1(key) mod b` (so in [b, 2b)),
 * capped at one day, then at `max_retry_delay` when that is set (and not 0, which Airflow's
 * truthiness test ignores).
 */
export function retryDelaySeconds(input: RetryDelayInput): number {
  const multiplier = multiplierOf(input.backoff);
  if (multiplier === 1 || multiplier <= 0) return input.retryDelayS;
  // Infinity (Python's OverflowError) and anything past the cap end at the cap either way, since
  // the jittered delay is never below the floor; skipping the hash keeps BigInt() off Infinity.
  const floor = Math.max(1, Math.ceil(input.retryDelayS * multiplier ** (input.tryNumber - 1)));
  let delay = maxRetryDelayCapS;
  if (floor < maxRetryDelayCapS) {
    const hash = BigInt(`0x${createHash('sha1').update(retryJitterKey(input), 'utf8').digest('hex')}`);
    delay = Math.min(floor + Number(hash % BigInt(floor)), maxRetryDelayCapS);
  }
  if (input.maxRetryDelayS) delay = Math.min(delay, input.maxRetryDelayS);
  return delay;
}

/** Epoch ms before which the task is not retried (`next_retry_datetime = end_date + delay`). */
export function nextRetryAt(input: NextRetryInput): number {
  return input.endedAt + retryDelaySeconds(input) * 1000;
}
