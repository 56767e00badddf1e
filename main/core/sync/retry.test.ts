import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, describeS3Error, isRetryable, withRetry } from './retry';

/** An error shaped like the SDK's: a name (S3 code) and the HTTP status in $metadata. */
function s3Error(name: string, status: number, message = 'UnknownError'): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}
function networkError(code: string, message = `read ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describe('isRetryable', () => {
  it.each([
    ['503 SlowDown', s3Error('SlowDown', 503)],
    ['500 InternalError', s3Error('InternalError', 500)],
    ['429', s3Error('TooManyRequests', 429)],
    ['400 RequestTimeout', s3Error('RequestTimeout', 400)],
    ['409 ConditionalRequestConflict', s3Error('ConditionalRequestConflict', 409)],
    ['ECONNRESET', networkError('ECONNRESET')],
    ['ECONNREFUSED', networkError('ECONNREFUSED')],
    ['EPIPE', networkError('EPIPE')],
    ['ETIMEDOUT', networkError('ETIMEDOUT')],
    ['socket hang up', networkError('ECONNRESET', 'socket hang up')],
    ['TimeoutError', Object.assign(new Error('Connection timed out after 100 ms'), { name: 'TimeoutError' })],
  ])('retries %s', (_, error) => expect(isRetryable(error)).toBe(true));

  it.each([
    ['403 AccessDenied', s3Error('AccessDenied', 403)],
    ['403 SignatureDoesNotMatch', s3Error('SignatureDoesNotMatch', 403)],
    ['404 NoSuchBucket', s3Error('NoSuchBucket', 404)],
    ['400 BadDigest', s3Error('BadDigest', 400)],
    ['412 PreconditionFailed', s3Error('PreconditionFailed', 412)],
    ['ENOTFOUND', networkError('ENOTFOUND', 'getaddrinfo ENOTFOUND nowhere')],
    ['an abort', Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })],
    ['a plain bug', new TypeError('x is undefined')],
  ])('does not retry %s', (_, error) => expect(isRetryable(error)).toBe(false));
});

describe('withRetry', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('retries 503, 429 and network errors with growing waits, then succeeds', async () => {
    const failures = [s3Error('SlowDown', 503), s3Error('TooManyRequests', 429), networkError('ECONNRESET')];
    const operation = vi.fn(async (attempt: number) => {
      if (attempt <= failures.length) throw failures[attempt - 1];
      return 'ok';
    });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const delays: number[] = [];
    const result = withRetry(operation, { baseMs: 100, capMs: 10_000, onRetry: ({ delayMs }) => delays.push(delayMs) });
    await vi.runAllTimersAsync();
    expect(await result).toBe('ok');
    expect(operation).toHaveBeenCalledTimes(4);
    expect(delays).toEqual([50, 100, 200]); // half of 100, 200, 400
  });

  it('does not retry a 403 or a 404', async () => {
    for (const error of [s3Error('AccessDenied', 403), s3Error('NoSuchKey', 404)]) {
      const operation = vi.fn(async () => {
        throw error;
      });
      await expect(withRetry(operation)).rejects.toBe(error);
      expect(operation).toHaveBeenCalledTimes(1);
    }
  });

  it('gives up after `tries` attempts with the last error', async () => {
    const operation = vi.fn(async () => {
      throw s3Error('InternalError', 500);
    });
    const result = withRetry(operation, { tries: 4, baseMs: 10 });
    const settled = expect(result).rejects.toMatchObject({ name: 'InternalError' });
    await vi.runAllTimersAsync();
    await settled;
    expect(operation).toHaveBeenCalledTimes(4);
  });

  it('full jitter: every wait is in [0, min(cap, base·2^n)) and never above the cap', () => {
    for (const random of [0, 0.25, 0.999999]) {
      for (let attempt = 1; attempt <= 40; attempt++) {
        const delay = backoffDelay(attempt, 200, 20_000, () => random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(20_000, 200 * 2 ** (attempt - 1)));
      }
    }
    expect(backoffDelay(30, 200, 20_000, () => 0.999999)).toBe(19_999);
  });

  it('an abort during the wait stops at once', async () => {
    const controller = new AbortController();
    const operation = vi.fn(async () => {
      throw s3Error('SlowDown', 503);
    });
    vi.spyOn(Math, 'random').mockReturnValue(0.99);
    const result = withRetry(operation, { signal: controller.signal, baseMs: 10_000, capMs: 10_000 });
    const settled = expect(result).rejects.toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await settled;
    expect(operation).toHaveBeenCalledTimes(1);
  });
});

describe('describeS3Error', () => {
  const context = { operation: 'list', bucket: 'team-data', key: 'proj/', endpoint: 'http://127.0.0.1:9000' };

  it('says the credentials were refused, naming the endpoint', () => {
    expect(describeS3Error(s3Error('SignatureDoesNotMatch', 403), context)).toMatch(/credentials were refused by http:\/\/127\.0\.0\.1:9000.*secret access key does not match/);
    expect(describeS3Error(s3Error('InvalidAccessKeyId', 403), context)).toMatch(/credentials were refused.*access key ID is not known/);
    expect(describeS3Error(s3Error('AccessDenied', 403), context)).toMatch(/refused list s3:\/\/team-data\/proj\/ \(403 AccessDenied\): the credentials are wrong/);
  });

  it('names a missing bucket', () => {
    expect(describeS3Error(s3Error('NoSuchBucket', 404), { ...context, key: undefined })).toBe(
      'The bucket "team-data" does not exist at http://127.0.0.1:9000 (NoSuchBucket): check the bucket name, the endpoint and the region.',
    );
  });

  it('says an endpoint is unreachable, and why', () => {
    expect(describeS3Error(networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9000'), context)).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:9000 .*connection was refused/);
    expect(describeS3Error(Object.assign(new Error('timed out'), { name: 'TimeoutError' }), { ...context, endpoint: null, region: 'eu-west-1' })).toMatch(
      /Cannot reach AWS S3 \(eu-west-1\).*did not answer in time/,
    );
  });

  it('quotes no server message for credential failures', () => {
    const error = s3Error('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match. StringToSign: AKIASECRETISH');
    expect(describeS3Error(error, context)).not.toMatch(/AKIA|StringToSign/);
  });
});
