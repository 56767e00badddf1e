import { describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../shared/sync';
import {
  describeCapabilities, describeClockSkew, describeProgress, describeRecords, describeReport, describeStatusBar, describeTransfer, describeUnsupported,
  directionLabel, formatAgo, lastSyncAt, progressFraction, statusLabel,
} from './sync-format';

const progress = (change: Partial<SyncProgress> = {}): SyncProgress => ({
  remote: 'team', phase: 'pushing', objectsDone: 3, objectsTotal: 10, bytesDone: 1_572_864, bytesTotal: 4_194_304, rate: 2_202_009, etaSeconds: 12, ...change,
});
const transfer = (objects: number, bytes: number, events: number, records: Record<string, number> = {}) => ({ objects, bytes, events, records });

describe('sync progress', () => {
  it('measures the bar by bytes, by objects when no bytes are known, and is indeterminate while listing', () => {
    expect(progressFraction(progress())).toBeCloseTo(0.375);
    expect(progressFraction(progress({ bytesTotal: 0, bytesDone: 0 }))).toBeCloseTo(0.3);
    expect(progressFraction(progress({ phase: 'listing', objectsTotal: 0, bytesTotal: 0, objectsDone: 0, bytesDone: 0 }))).toBeNull();
    expect(progressFraction(progress({ bytesDone: 5_000_000 }))).toBe(1);
  });

  it('says the phase, objects and bytes of their totals, the rate and the ETA', () => {
    expect(describeProgress(progress())).toEqual({ phase: 'Uploading', objects: '3 of 10 objects', bytes: '1.5 MB of 4.0 MB', rate: '2.1 MB/s', eta: 'ETA 12s' });
    const listing = describeProgress(progress({ phase: 'listing', objectsDone: 1, objectsTotal: 0, bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: null }));
    expect(listing).toEqual({ phase: 'Comparing with the bucket', objects: '1 object', bytes: '0 B', rate: '', eta: '' });
  });
});

describe('sync times', () => {
  const now = 1_000_000_000_000;
  it('reads times as "ago", and takes the later of push and pull', () => {
    expect(formatAgo(null, now)).toBe('');
    expect(formatAgo(now - 10_000, now)).toBe('just now');
    expect(formatAgo(now - 3 * 60_000, now)).toBe('3 min ago');
    expect(formatAgo(now - 2 * 3_600_000, now)).toBe('2 h ago');
    expect(formatAgo(now - 26 * 3_600_000, now)).toBe('yesterday');
    expect(formatAgo(now - 5 * 86_400_000, now)).toBe('5 days ago');
    expect(lastSyncAt({ lastPushAt: 5, lastPullAt: 9 })).toBe(9);
    expect(lastSyncAt({ lastPushAt: 5, lastPullAt: null })).toBe(5);
    expect(lastSyncAt({ lastPushAt: null, lastPullAt: null })).toBeNull();
  });
});

describe('sync reports', () => {
  it('says what moved, with records by kind in words', () => {
    expect(describeRecords({ run: 2, 'dataset-version': 1, model_version: 0 })).toBe('1 dataset version, 2 runs');
    expect(describeTransfer(transfer(4, 4_194_304, 2, { run: 1, experiment: 1 }))).toBe('4 objects (4.0 MB), 2 events: 1 experiment, 1 run');
    expect(describeTransfer(transfer(0, 0, 0))).toBe('nothing');
    expect(describeTransfer(transfer(0, 0, 1, { 'registry-event': 1 }))).toBe('1 event: 1 registry event');
  });

  it('describes only the directions that ran, and names a dry run', () => {
    const report = { remote: 'team', dryRun: false, pushed: transfer(1, 10, 0), pulled: transfer(0, 0, 0), skippedObjects: 0, refusedObjects: [], conflicts: [], unsupportedEvents: 0, durationMs: 5 };
    expect(describeReport({ direction: 'push', report })).toEqual({ pushed: '1 object (10 B)', pulled: null });
    expect(describeReport({ direction: 'both', report })).toEqual({ pushed: '1 object (10 B)', pulled: 'nothing' });
    expect(describeReport({ direction: 'both', report: null })).toEqual({ pushed: null, pulled: null });
    expect(directionLabel('pull', true)).toBe('Pull (dry run)');
    expect(statusLabel({ status: 'succeeded', dryRun: true })).toBe('Dry run');
    expect(statusLabel({ status: 'failed', dryRun: false })).toBe('Failed');
  });

  it('counts events from a newer Trainyard in a sentence, and says nothing for none', () => {
    expect(describeUnsupported(0)).toBeNull();
    expect(describeUnsupported(1)).toMatch(/^1 event from a newer Trainyard was kept unapplied/);
    expect(describeUnsupported(3)).toMatch(/^3 events from a newer Trainyard were kept unapplied/);
  });
});

describe('connection test', () => {
  it('lists every check in words, and the clock only when it is off by more than a second', () => {
    const checks = describeCapabilities({ testedAt: 0, listing: true, write: true, conditionalCreate: false, contentMd5Checked: true, clockSkewMs: 400, notes: [] });
    expect(checks.map((check) => [check.key, check.ok])).toEqual([['listing', true], ['write', true], ['conditionalCreate', false], ['contentMd5Checked', true]]);
    expect(describeClockSkew(400)).toBeNull();
    expect(describeClockSkew(null)).toBeNull();
    expect(describeClockSkew(3200)).toBe('The server’s clock is 3.2 s ahead of this computer’s.');
    expect(describeClockSkew(-300_000)).toBe('The server’s clock is 5 min behind this computer’s.');
  });
});

describe('status bar', () => {
  const now = 1_000_000_000_000;
  const remote = { name: 'team', lastPushAt: now - 180_000, lastPullAt: null };
  it('shows the last sync, a percentage while running, and a failure', () => {
    expect(describeStatusBar({ remotes: [], active: null, progress: null, last: null, now, shortcut: 'Ctrl+Shift+S' })).toMatchObject({ label: 'Sync', state: 'none' });
    expect(describeStatusBar({ remotes: [remote], active: null, progress: null, last: null, now, shortcut: 'Ctrl+Shift+S' })).toEqual({
      label: 'synced 3 min ago', title: 'Sync now with team (Ctrl+Shift+S)', state: 'idle',
    });
    expect(describeStatusBar({ remotes: [remote], active: 'team', progress: progress(), last: null, now, shortcut: '' })).toMatchObject({ label: 'Syncing 37%', state: 'running' });
    expect(describeStatusBar({ remotes: [remote], active: 'team', progress: null, last: null, now, shortcut: '' }).label).toBe('Syncing…');
    const failed = describeStatusBar({ remotes: [{ ...remote, lastPushAt: null }], active: null, progress: null, last: { status: 'failed', error: 'Access denied' }, now, shortcut: 'Ctrl+Shift+S' });
    expect(failed).toEqual({ label: 'Not synced', title: 'The last sync failed: Access denied\nSync now with team (Ctrl+Shift+S)', state: 'failed' });
  });
});
