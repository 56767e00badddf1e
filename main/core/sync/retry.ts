import { errorInfo, isAbort, isNetworkError } from './s3-errors';

export { describeS3Error } from './s3-errors';

/** How hard to retry one request (SEMANTICS.md §4.2). */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly tries?: number;
  /** The first backoff's ceiling; each retry doubles it up to `capMs`. */
  readonly baseMs?: number;
  readonly capMs?: number;
}

export interface RetryOptions extends RetryPolicy {
  readonly signal?: AbortSignal;
  /** Called before each wait: the failure, the attempt that failed (1-based), and the wait. */
  readonly onRetry?: (event: { error: unknown; attempt: number; delayMs: number }) => void;
}

/** S3 codes that mean "later": throttling, a server-side timeout, a write race (§4.6). */
const transientNames = new Set([
  'SlowDown',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'ConditionalRequestConflict',
]);

/**
 * Whether a failure is worth another attempt: 5xx, 429, the transient S3 codes, and network
 * failures (reset, timed out, broken pipe, socket hang up, a connection cut short, refused).
 * ECONNREFUSED counts: a gateway restarting, a load balancer swapping backends or a laptop
 * waking up refuse for seconds and then work, and an endpoint that is simply wrong is caught by
 * the connection test (which does not retry) before any sync runs. ENOTFOUND (the name does not
 * resolve) does not count; EAI_AGAIN (the resolver is down) does. Other 4xx never: the same
 * request would get the same answer. A cancellation never.
 */
export function isRetryable(error: unknown): boolean {
  if (isAbort(error)) return false;
  const info = errorInfo(error);
  if (info.status !== null) return info.status >= 500 || info.status === 429 || transientNames.has(info.name);
  if (info.systemCode === 'ENOTFOUND') return false;
  return transientNames.has(info.name) || isNetworkError(info);
}

/** The wait before retry `attempt` (1-based): full jitter, uniform in [0, min(cap, base·2^(attempt-1))). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(random() * ceiling);
}

/**
 * Runs `operation` until it succeeds, fails for good, or `tries` attempts are spent, waiting with
 * exponential backoff and full jitter between attempts (AWS Architecture Blog, "Exponential
 * Backoff And Jitter"). The operation gets the attempt number and must rebuild its request
 * (re-open its body) each time. An abort stops the wait at once and rethrows the abort.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const tries = Math.max(1, options.tries ?? 10);
  const baseMs = options.baseMs ?? 200;
  const capMs = options.capMs ?? 20_000;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await operation(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (attempt >= tries || !isRetryable(error)) throw error;
      const delayMs = backoffDelay(attempt, baseMs, capMs);
      options.onRetry?.({ error, attempt, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}

/** Waits `ms`; an abort ends the wait with the signal's reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
