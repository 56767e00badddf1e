import { describe, expect, it } from 'vitest';
import { nextRetryAt, pythonUtcDateString, retryDecision, retryDelaySeconds, retryJitterKey } from './retry';

describe('retryDecision', () => {
  it('retries while try_number <= retries, so a task runs retries + 1 times', () => {
    expect(retryDecision({ retries: 2, tryNumber: 1 })).toBe('up_for_retry');
    expect(retryDecision({ retries: 2, tryNumber: 2 })).toBe('up_for_retry');
    expect(retryDecision({ retries: 2, tryNumber: 3 })).toBe('failed');
  });
  it('fails at once with retries = 0', () => {
    expect(retryDecision({ retries: 0, tryNumber: 1 })).toBe('failed');
    expect(retryDecision({ retries: 0, tryNumber: 0 })).toBe('failed');
  });
});

describe('the jitter key', () => {
  it("formats the logical date as Python's str() of a UTC datetime, as Airflow's f-string does", () => {
    expect(pythonUtcDateString(Date.UTC(2026, 0, 1))).toBe('2026-01-01 00:00:00+00:00');
    expect(pythonUtcDateString(Date.UTC(2026, 10, 26, 10, 5, 9, 250))).toBe('2026-11-26 10:05:09.250000+00:00');
    expect(retryJitterKey({ dagId: 'etl', taskId: 'train', logicalDate: Date.UTC(2026, 0, 1), tryNumber: 3 })).toBe('etl#train#2026-01-01 00:00:00+00:00#3');
  });
});

describe('retryDelaySeconds / nextRetryAt', () => {
  const base = { dagId: 'etl', taskId: 'train', logicalDate: Date.UTC(2026, 0, 1), retryDelayS: 300 };
  const endedAt = Date.UTC(2026, 0, 1, 6, 0, 0);

  it('waits retry_delay without backoff, whatever the try', () => {
    expect(retryDelaySeconds({ ...base, backoff: false, tryNumber: 1 })).toBe(300);
    expect(retryDelaySeconds({ ...base, backoff: false, tryNumber: 7 })).toBe(300);
    expect(nextRetryAt({ ...base, backoff: false, tryNumber: 1, endedAt })).toBe(endedAt + 300_000);
  });

  it('does not cap a plain delay (Airflow applies the caps to backed-off delays only)', () => {
    expect(retryDelaySeconds({ ...base, retryDelayS: 100_000, backoff: false, maxRetryDelayS: 60, tryNumber: 1 })).toBe(100_000);
  });

  // Values below: b = max(1, ceil(delay × m^(try−1))); jitter = int(sha1(key).hexdigest(), 16) mod b,
  // worked out with Python's hashlib over the keys shown.
  it('doubles the floor per try with backoff = true and adds the deterministic jitter', () => {
    // 'etl#train#2026-01-01 00:00:00+00:00#1': b = 300, jitter 54
    expect(retryDelaySeconds({ ...base, backoff: true, tryNumber: 1 })).toBe(354);
    // …#2: b = 600, jitter 91
    expect(retryDelaySeconds({ ...base, backoff: true, tryNumber: 2 })).toBe(691);
    // …#3: b = 1200, jitter 1130
    expect(retryDelaySeconds({ ...base, backoff: true, tryNumber: 3 })).toBe(2330);
    expect(nextRetryAt({ ...base, backoff: true, tryNumber: 3, endedAt })).toBe(endedAt + 2_330_000);
  });

  it('uses a numeric multiplier and rounds the floor up', () => {
    // m = 3, try 2, delay 10: b = 30, jitter 1
    expect(retryDelaySeconds({ ...base, retryDelayS: 10, backoff: 3, tryNumber: 2 })).toBe(31);
    // m = 1.5, try 3, delay 7.5: 16.875 → b = 17, jitter 9
    expect(retryDelaySeconds({ ...base, retryDelayS: 7.5, backoff: 1.5, tryNumber: 3 })).toBe(26);
  });

  it('treats multiplier 1 as no backoff, as Airflow 3 does', () => {
    expect(retryDelaySeconds({ ...base, backoff: 1, tryNumber: 3 })).toBe(300);
  });

  it('floors the backed-off delay at one second', () => {
    expect(retryDelaySeconds({ ...base, retryDelayS: 0, backoff: true, tryNumber: 1 })).toBe(1);
  });

  it('keys the jitter on the logical date down to the microsecond', () => {
    // '…#2026-01-01 00:00:00.250000+00:00#1': b = 300, jitter 72
    expect(retryDelaySeconds({ ...base, logicalDate: Date.UTC(2026, 0, 1, 0, 0, 0, 250), backoff: true, tryNumber: 1 })).toBe(372);
  });

  it('caps at one day, then at max_retry_delay', () => {
    // try 20: b = 300 × 2^19 = 157,286,400 → capped at 86,400
    expect(retryDelaySeconds({ ...base, backoff: true, tryNumber: 20 })).toBe(86_400);
    expect(retryDelaySeconds({ ...base, backoff: true, tryNumber: 2000 })).toBe(86_400); // 2^1999 overflows to Infinity
    expect(retryDelaySeconds({ ...base, backoff: true, tryNumber: 3, maxRetryDelayS: 600 })).toBe(600);
    expect(retryDelaySeconds({ ...base, backoff: true, tryNumber: 1, maxRetryDelayS: 600 })).toBe(354);
  });

  it('keeps every jittered delay within [b, 2b)', () => {
    for (let tryNumber = 1; tryNumber <= 8; tryNumber += 1) {
      for (const taskId of ['a', 'b', 'c', 'features', 'evaluate']) {
        const floor = 30 * 2 ** (tryNumber - 1);
        const delay = retryDelaySeconds({ ...base, taskId, retryDelayS: 30, backoff: true, tryNumber });
        expect(delay).toBeGreaterThanOrEqual(floor);
        expect(delay).toBeLessThan(2 * floor);
      }
    }
  });
});
