import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RemoteSummary, SyncHistoryEntry, SyncProgress } from '../../../shared/sync';
import { useSyncStore } from '../../stores/sync';
import { RemoteCard } from './remote-card';
import { RemoteFormDialog } from './remote-form-dialog';
import { SyncConflicts } from './sync-conflicts';
import { SyncHistory } from './sync-history';
import { SyncProgressBar } from './sync-progress';
import { TestResult } from './test-result';

// No DOM library in this repo: the first render, as HTML, shows what a user sees.
const now = 1_000_000_000_000;
const noop = (): void => undefined;
const count = (html: string, needle: string): number => html.split(needle).length - 1;
const remote: RemoteSummary = {
  name: 'team', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', bucket: 'ml-bucket', prefix: 'shared', pathStyle: true, auth: 'keys', profile: null,
  scope: { experiments: 'all', datasets: 'all', models: 'all', pipelines: true }, capabilities: null, hasCredentials: true,
  credentialStore: 'the OS keychain', lastPushAt: now - 180_000, lastPullAt: null, createdAt: 0,
};
const transfer = { objects: 4, bytes: 4_194_304, events: 2, records: { run: 2 } };
const entry = (change: Partial<SyncHistoryEntry>): SyncHistoryEntry => ({
  id: 1, remote: 'team', direction: 'both', dryRun: false, startedAt: now - 60_000, endedAt: now - 55_000, status: 'succeeded', error: null,
  report: { remote: 'team', dryRun: false, pushed: transfer, pulled: { ...transfer, objects: 0, events: 0, records: {} }, skippedObjects: 7, refusedObjects: [], conflicts: [], unsupportedEvents: 0, durationMs: 5000 },
  ...change,
});

describe('sync views', () => {
  it('shows progress with its phase and counts for e2e, determinate once totals are known', () => {
    const progress: SyncProgress = { remote: 'team', phase: 'pushing', objectsDone: 3, objectsTotal: 10, bytesDone: 1_048_576, bytesTotal: 4_194_304, rate: 1_048_576, etaSeconds: 3 };
    const html = renderToStaticMarkup(<SyncProgressBar progress={progress} onCancel={noop} cancelling={false} />);
    expect(html).toContain('data-phase="pushing"');
    expect(html).toContain('data-objects-done="3"');
    expect(html).toContain('data-objects-total="10"');
    expect(html).toContain('aria-valuenow="25"');
    expect(html).toContain('3 of 10 objects');
    expect(html).toContain('1.0 MB/s');
    expect(html).toContain('ETA 3s');
    expect(html).toContain('data-testid="sync-cancel"');
    const starting = renderToStaticMarkup(<SyncProgressBar progress={null} onCancel={noop} cancelling={false} />);
    expect(starting).toContain('sync-bar indeterminate');
    expect(starting).not.toContain('aria-valuenow');
  });

  it('lists syncs with what they moved, refused objects with reasons, and Retry on a failure', () => {
    const refused = entry({ id: 2, report: { ...entry({}).report!, refusedObjects: [{ oid: 'ab'.repeat(16), reason: 'content hashes to cd12…, not ab…' }] } });
    const failed = entry({ id: 3, status: 'failed', report: null, error: 'Access Denied: check the keys', direction: 'pull' });
    const html = renderToStaticMarkup(<SyncHistory entries={[failed, refused, entry({})]} now={now} onRetry={noop} showRemote={false} />);
    expect(count(html, 'data-testid="sync-history-entry"')).toBe(3);
    expect(html).toContain('data-status="failed"');
    expect(html).toContain('Access Denied: check the keys');
    expect(count(html, 'data-testid="sync-retry"')).toBe(1);
    expect(html).toContain('4 objects (4.0 MB), 2 events: 2 runs');
    expect(html).toContain('7 already in the bucket');
    expect(html).toContain('1 object refused');
    expect(html).toContain('content hashes to cd12…');
    expect(renderToStaticMarkup(<SyncHistory entries={[failed]} now={now} onRetry={null} showRemote={false} />)).not.toContain('sync-retry');
  });

  it('lists conflicts with Dismiss, and events from a newer Trainyard', () => {
    const conflict = { id: 5, remote: 'team', kind: 'model-version', entity: 'churn', message: 'Two homes registered churn v3; theirs became v4.', createdAt: now - 1000 };
    const html = renderToStaticMarkup(<SyncConflicts conflicts={[conflict]} unsupportedEvents={2} now={now} onDismiss={noop} />);
    expect(html).toContain('data-testid="conflict-row"');
    expect(html).toContain('theirs became v4');
    expect(html).toContain('2 events from a newer Trainyard were kept unapplied');
    expect(renderToStaticMarkup(<SyncConflicts conflicts={[]} unsupportedEvents={0} now={now} onDismiss={noop} />)).toBe('');
  });

  it('says what the connection test found, with the clock when it is off', () => {
    const html = renderToStaticMarkup(<TestResult capabilities={{ testedAt: now, listing: true, write: true, conditionalCreate: false, contentMd5Checked: true, clockSkewMs: -4000, notes: ['RGW ignores If-None-Match on multipart completion.'] }} />);
    expect(html).toContain('data-testid="test-result"');
    expect(html).toContain('data-check="conditionalCreate" data-ok="false"');
    expect(count(html, 'data-ok="true"')).toBe(3);
    expect(html).toContain('4.0 s behind');
    expect(html).toContain('RGW ignores If-None-Match');
  });

  it('shows a remote with its sync buttons, or its progress while it syncs', () => {
    const idle = renderToStaticMarkup(<RemoteCard remote={remote} now={now} running={null} blocked={false} busy={false} onStart={noop} onCancel={noop} onEdit={noop} />);
    for (const id of ['sync-now', 'sync-push', 'sync-pull', 'sync-dry-run']) expect(idle).toContain(`data-testid="${id}"`);
    expect(idle).toContain('http://127.0.0.1:9000 · ml-bucket/shared');
    expect(idle).toContain('3 min ago');
    expect(idle).toContain('not tested');
    const running = renderToStaticMarkup(<RemoteCard remote={remote} now={now} running={{ progress: null }} blocked={false} busy={false} onStart={noop} onCancel={noop} onEdit={noop} />);
    expect(running).toContain('data-testid="sync-progress"');
    expect(running).not.toContain('data-testid="sync-now"');
  });

  it('edits a remote without showing its keys, and says where they are kept', () => {
    useSyncStore.setState({ remotes: [remote] });
    const html = renderToStaticMarkup(<RemoteFormDialog editing={remote} onClose={noop} />);
    for (const id of ['remote-name', 'remote-endpoint', 'remote-region', 'remote-bucket', 'remote-prefix', 'remote-path-style', 'remote-auth', 'remote-access-key', 'remote-secret', 'remote-save', 'remote-test']) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    expect(html).toMatch(/value="team"[^>]*readOnly=""|readOnly=""[^>]*value="team"/);
    expect(html).toContain('stored — blank keeps it');
    expect(html).toContain('Keys are kept in the OS keychain');
    expect(html).toMatch(/type="password"[^>]*data-testid="remote-secret" value=""/);
  });
});
