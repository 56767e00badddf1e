import { describe, expect, it } from 'vitest';
import { dueRuns, nextDueAt, scheduledRunId, type ScheduleInput } from './schedule';

const utc = (iso: string): number => Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`);
const iso = (instant: number): string => new Date(instant).toISOString().replace('.000Z', 'Z');
/** Each due run as `logical date → interval end`. */
const intervals = (input: ScheduleInput): string[] => dueRuns(input).map((run) => `${iso(run.logicalDate)} → ${iso(run.dataIntervalEnd)}`);
const hours = (input: ScheduleInput): number[] => dueRuns(input).map((run) => (run.dataIntervalEnd - run.dataIntervalStart) / 3_600_000);

describe('dueRuns: hourly, UTC', () => {
  const hourly: ScheduleInput = { cron: '@hourly', tz: 'UTC', catchup: false, startDate: utc('2026-01-03T00:00:00'), lastLogicalDate: null, now: utc('2026-01-10T10:20:00') };

  it('creates the run for the latest complete interval, labelled with its start', () => {
    expect(dueRuns(hourly)).toEqual([
      { runId: 'scheduled__2026-01-10T09:00:00.000Z', logicalDate: utc('2026-01-10T09:00:00'), dataIntervalStart: utc('2026-01-10T09:00:00'), dataIntervalEnd: utc('2026-01-10T10:00:00') },
    ]);
  });

  it('creates nothing when that run exists, and says when the next one is due', () => {
    const input = { ...hourly, lastLogicalDate: utc('2026-01-10T09:00:00') };
    expect(dueRuns(input)).toEqual([]);
    expect(iso(nextDueAt(input))).toBe('2026-01-10T11:00:00Z');
  });

  it('counts an interval as complete at the very instant it ends', () => {
    expect(intervals({ ...hourly, lastLogicalDate: utc('2026-01-10T08:00:00'), now: utc('2026-01-10T10:00:00') })).toEqual(['2026-01-10T09:00:00Z → 2026-01-10T10:00:00Z']);
    expect(intervals({ ...hourly, lastLogicalDate: utc('2026-01-10T08:00:00'), now: utc('2026-01-10T09:59:59.999') })).toEqual([]);
  });
});

describe('dueRuns: daily, after the app was closed for three days', () => {
  // The run for 10 January was created at 11 January 00:00; the app then stayed closed until 14 January 08:00.
  const daily: ScheduleInput = { cron: '0 0 * * *', tz: 'UTC', catchup: true, startDate: utc('2026-01-01T00:00:00'), lastLogicalDate: utc('2026-01-10T00:00:00'), now: utc('2026-01-14T08:00:00') };

  it('with catchup creates every missed interval, oldest first', () => {
    expect(intervals(daily)).toEqual(['2026-01-11T00:00:00Z → 2026-01-12T00:00:00Z', '2026-01-12T00:00:00Z → 2026-01-13T00:00:00Z', '2026-01-13T00:00:00Z → 2026-01-14T00:00:00Z']);
  });

  it('without catchup creates only the latest', () => {
    expect(intervals({ ...daily, catchup: false })).toEqual(['2026-01-13T00:00:00Z → 2026-01-14T00:00:00Z']);
  });

  it('hands out at most `limit` runs and the rest on the next call', () => {
    const first = dueRuns({ ...daily, limit: 2 });
    expect(first.map((run) => run.runId)).toEqual(['scheduled__2026-01-11T00:00:00.000Z', 'scheduled__2026-01-12T00:00:00.000Z']);
    expect(dueRuns({ ...daily, limit: 2, lastLogicalDate: first[1]!.logicalDate }).map((run) => run.runId)).toEqual(['scheduled__2026-01-13T00:00:00.000Z']);
  });

  it('with catchup and no run yet starts at the first fire time at or after the start date', () => {
    const fresh = { ...daily, lastLogicalDate: null, now: utc('2026-01-04T01:00:00') };
    expect(intervals({ ...fresh, startDate: utc('2026-01-01T12:00:00') }).map((text) => text.slice(0, 10))).toEqual(['2026-01-02', '2026-01-03']);
    expect(intervals({ ...fresh, startDate: utc('2026-01-01T00:00:00') }).map((text) => text.slice(0, 10))).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
  });
});

describe('dueRuns: a start date in the future', () => {
  const future: ScheduleInput = { cron: '@daily', tz: 'UTC', catchup: true, startDate: utc('2026-02-01T00:00:00'), lastLogicalDate: null, now: utc('2026-01-14T08:00:00') };

  it('creates nothing yet, with or without catchup', () => {
    expect(dueRuns(future)).toEqual([]);
    expect(dueRuns({ ...future, catchup: false })).toEqual([]);
  });

  it('is first due when the first interval after the start date ends', () => {
    expect(iso(nextDueAt(future))).toBe('2026-02-02T00:00:00Z');
    expect(iso(nextDueAt({ ...future, catchup: false }))).toBe('2026-02-02T00:00:00Z');
    expect(intervals({ ...future, now: utc('2026-02-02T00:00:00') })).toEqual(['2026-02-01T00:00:00Z → 2026-02-02T00:00:00Z']);
  });
});

describe('dueRuns across daylight-saving changes', () => {
  it('gives Europe/Berlin a 23-hour day in spring and a 25-hour day in autumn', () => {
    const spring: ScheduleInput = { cron: '0 0 * * *', tz: 'Europe/Berlin', catchup: true, startDate: utc('2026-03-26T23:00:00'), lastLogicalDate: null, now: utc('2026-03-31T10:00:00') };
    expect(intervals(spring)).toEqual([
      '2026-03-26T23:00:00Z → 2026-03-27T23:00:00Z',
      '2026-03-27T23:00:00Z → 2026-03-28T23:00:00Z',
      '2026-03-28T23:00:00Z → 2026-03-29T22:00:00Z',
      '2026-03-29T22:00:00Z → 2026-03-30T22:00:00Z',
    ]);
    expect(hours(spring)).toEqual([24, 24, 23, 24]);
    const autumn: ScheduleInput = { ...spring, startDate: utc('2026-10-23T22:00:00'), now: utc('2026-10-27T00:00:00') };
    expect(hours(autumn)).toEqual([24, 25, 24]);
  });

  it('stretches an interval over a skipped 02:30 (Europe/Berlin)', () => {
    const input: ScheduleInput = { cron: '30 2 * * *', tz: 'Europe/Berlin', catchup: true, startDate: utc('2026-03-27T00:00:00'), lastLogicalDate: null, now: utc('2026-03-31T00:00:00') };
    expect(intervals(input)).toEqual(['2026-03-27T01:30:00Z → 2026-03-28T01:30:00Z', '2026-03-28T01:30:00Z → 2026-03-30T00:30:00Z']);
  });

  it('runs the repeated hour once (America/New_York, 1 November 2026)', () => {
    const input: ScheduleInput = { cron: '@hourly', tz: 'America/New_York', catchup: true, startDate: utc('2026-11-01T03:00:00'), lastLogicalDate: null, now: utc('2026-11-01T08:30:00') };
    expect(intervals(input)).toEqual([
      '2026-11-01T03:00:00Z → 2026-11-01T04:00:00Z',
      '2026-11-01T04:00:00Z → 2026-11-01T05:00:00Z',
      '2026-11-01T05:00:00Z → 2026-11-01T07:00:00Z',
      '2026-11-01T07:00:00Z → 2026-11-01T08:00:00Z',
    ]);
  });

  it('without catchup picks the 25-hour day that just ended (America/New_York)', () => {
    const input: ScheduleInput = { cron: '@daily', tz: 'America/New_York', catchup: false, startDate: utc('2026-01-01T00:00:00'), lastLogicalDate: utc('2026-10-30T04:00:00'), now: utc('2026-11-02T05:00:00') };
    expect(dueRuns(input).map((run) => run.runId)).toEqual(['scheduled__2026-11-01T04:00:00.000Z']);
    expect(hours(input)).toEqual([25]);
  });
});

describe('scheduledRunId', () => {
  it('is scheduled__ and the ISO logical date', () => {
    expect(scheduledRunId(utc('2026-11-26T03:00:00'))).toBe('scheduled__2026-11-26T03:00:00.000Z');
  });
});
