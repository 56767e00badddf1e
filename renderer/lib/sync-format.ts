import type { RemoteCapabilities, RemoteSummary, SyncDirection, SyncHistoryEntry, SyncProgress, SyncReport } from '../../shared/sync';
import { formatBytes } from './format';
import { formatEta, formatRate } from './job-progress';

/**
 * Words for the Sync section and the status bar: phases, amounts, rates, "3 min ago", what a
 * sync moved. Pure, so the wording is tested without a window.
 */

const phaseWords: Record<SyncProgress['phase'], string> = {
  listing: 'Comparing with the bucket',
  pushing: 'Uploading',
  'writing-events': 'Writing events',
  'reading-events': 'Reading teammates’ events',
  pulling: 'Downloading',
  applying: 'Applying teammates’ changes',
  done: 'Finishing',
};

export function phaseLabel(phase: SyncProgress['phase']): string {
  return phaseWords[phase];
}

const directionWords: Record<SyncDirection, string> = { both: 'Push and pull', push: 'Push', pull: 'Pull' };

/** `Push and pull`, `Pull (dry run)`. */
export function directionLabel(direction: SyncDirection, dryRun: boolean): string {
  return dryRun ? `${directionWords[direction]} (dry run)` : directionWords[direction];
}

/**
 * 0..1 for a determinate bar, or null while the totals are not known yet (the listing phase).
 * Bytes measure the work better than objects (one large file against many small ones).
 */
export function progressFraction(progress: SyncProgress): number | null {
  if (progress.bytesTotal > 0) return Math.max(0, Math.min(1, progress.bytesDone / progress.bytesTotal));
  if (progress.objectsTotal > 0) return Math.max(0, Math.min(1, progress.objectsDone / progress.objectsTotal));
  return null;
}

const plural = (count: number, word: string): string => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;

/** The progress bar's text: `3 of 10 objects`, `1.5 MB of 4.0 MB`, `2.1 MB/s`, `ETA 12.0s`. */
export function describeProgress(progress: SyncProgress): { phase: string; objects: string; bytes: string; rate: string; eta: string } {
  const totalsKnown = progress.objectsTotal > 0 || progress.bytesTotal > 0;
  return {
    phase: phaseLabel(progress.phase),
    objects: totalsKnown ? `${progress.objectsDone.toLocaleString('en-US')} of ${plural(progress.objectsTotal, 'object')}` : plural(progress.objectsDone, 'object'),
    bytes: totalsKnown ? `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}` : formatBytes(progress.bytesDone),
    // A rate of 0 is "not measured yet", not "stalled": say nothing rather than 0 B/s.
    rate: progress.rate > 0 ? formatRate(progress.rate, 'bytes') : '',
    eta: progress.etaSeconds === null ? '' : formatEta(progress.etaSeconds * 1000),
  };
}

/** `just now`, `3 min ago`, `2 h ago`, `yesterday`, `5 days ago`; '' for never. */
export function formatAgo(at: number | null, now: number): string {
  if (at === null) return '';
  const seconds = Math.max(0, (now - at) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** The later of a remote's last push and pull, or null when it never synced. */
export function lastSyncAt(remote: Pick<RemoteSummary, 'lastPushAt' | 'lastPullAt'>): number | null {
  if (remote.lastPushAt === null) return remote.lastPullAt;
  if (remote.lastPullAt === null) return remote.lastPushAt;
  return Math.max(remote.lastPushAt, remote.lastPullAt);
}

/** `2 runs, 1 dataset version` from `{ run: 2, 'dataset-version': 1 }`; kinds from newer apps read as they are. */
export function describeRecords(records: Readonly<Record<string, number>>): string {
  return Object.entries(records)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => plural(count, kind.replace(/[-_]/g, ' ')))
    .join(', ');
}

/** `4 objects (4.0 MB), 2 events: 1 run, 1 dataset version`, or `nothing` when nothing moved. */
export function describeTransfer(transfer: SyncReport['pushed']): string {
  if (transfer.objects === 0 && transfer.events === 0) return 'nothing';
  const parts: string[] = [];
  if (transfer.objects > 0) parts.push(`${plural(transfer.objects, 'object')} (${formatBytes(transfer.bytes)})`);
  if (transfer.events > 0) parts.push(plural(transfer.events, 'event'));
  const records = describeRecords(transfer.records);
  return records ? `${parts.join(', ')}: ${records}` : parts.join(', ');
}

/** What the history row says it did, one phrase per direction that ran. */
export function describeReport(entry: Pick<SyncHistoryEntry, 'direction' | 'report'>): { pushed: string | null; pulled: string | null } {
  const report = entry.report;
  if (!report) return { pushed: null, pulled: null };
  return {
    pushed: entry.direction === 'pull' ? null : describeTransfer(report.pushed),
    pulled: entry.direction === 'push' ? null : describeTransfer(report.pulled),
  };
}

const statusWords: Record<SyncHistoryEntry['status'], string> = { running: 'Running', succeeded: 'Synced', failed: 'Failed', cancelled: 'Cancelled' };

export function statusLabel(entry: Pick<SyncHistoryEntry, 'status' | 'dryRun'>): string {
  return entry.dryRun && entry.status === 'succeeded' ? 'Dry run' : statusWords[entry.status];
}

/** One line per connection check, in words, with whether it passed. */
export function describeCapabilities(capabilities: RemoteCapabilities): { key: string; label: string; ok: boolean }[] {
  return [
    { key: 'listing', label: 'List the bucket (it exists and the credentials work)', ok: capabilities.listing },
    { key: 'write', label: 'Write and remove a test object', ok: capabilities.write },
    { key: 'conditionalCreate', label: 'Refuse to overwrite an existing object (If-None-Match)', ok: capabilities.conditionalCreate },
    { key: 'contentMd5Checked', label: 'Check uploads against their Content-MD5', ok: capabilities.contentMd5Checked },
  ];
}

/** Signing fails once clocks drift by minutes; say so from one second on, with the direction. */
export function describeClockSkew(skewMs: number | null): string | null {
  if (skewMs === null || Math.abs(skewMs) <= 1000) return null;
  const seconds = Math.abs(skewMs) / 1000;
  const amount = seconds < 90 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds / 60)} min`;
  return `The server’s clock is ${amount} ${skewMs > 0 ? 'ahead of' : 'behind'} this computer’s.`;
}

/** `N events from a newer Trainyard were kept unapplied`, or null when there are none. */
export function describeUnsupported(count: number): string | null {
  if (count <= 0) return null;
  return `${count === 1 ? '1 event' : `${count.toLocaleString('en-US')} events`} from a newer Trainyard ${count === 1 ? 'was' : 'were'} kept unapplied. Update Trainyard to apply ${count === 1 ? 'it' : 'them'}.`;
}

/** What the status bar's Sync entry needs to know. */
export interface StatusBarInput {
  readonly remotes: readonly Pick<RemoteSummary, 'name' | 'lastPushAt' | 'lastPullAt'>[];
  /** The remote whose sync runs, or null. */
  readonly active: string | null;
  readonly progress: SyncProgress | null;
  /** The newest finished sync. */
  readonly last: Pick<SyncHistoryEntry, 'status' | 'error'> | null;
  readonly now: number;
  readonly shortcut: string;
}

/** The status bar's Sync entry: its words, its tooltip, and a state for the dot and the tests. */
export function describeStatusBar({ remotes, active, progress, last, now, shortcut }: StatusBarInput): { label: string; title: string; state: 'running' | 'failed' | 'idle' | 'none' } {
  if (active !== null) {
    const fraction = progress ? progressFraction(progress) : null;
    return {
      label: fraction === null ? 'Syncing…' : `Syncing ${Math.floor(fraction * 100)}%`,
      title: `Syncing with ${active}${progress ? ` — ${phaseLabel(progress.phase)}` : ''}. Click to see it in the Sync section.`,
      state: 'running',
    };
  }
  const first = remotes[0];
  if (!first) return { label: 'Sync', title: `No team bucket yet: click to add one (${shortcut})`, state: 'none' };
  const syncedAt = remotes.map(lastSyncAt).reduce<number | null>((latest, at) => (at !== null && (latest === null || at > latest) ? at : latest), null);
  const failed = last?.status === 'failed';
  return {
    label: syncedAt === null ? 'Not synced' : `synced ${formatAgo(syncedAt, now)}`,
    title: `${failed && last.error ? `The last sync failed: ${last.error}\n` : ''}Sync now with ${first.name} (${shortcut})`,
    state: failed ? 'failed' : 'idle',
  };
}
