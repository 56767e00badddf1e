import { useState, type ReactElement } from 'react';
import type { RemoteSummary, SyncProgress } from '../../../shared/sync';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { Dialog } from '../../components/dialog';
import { formatTimestamp } from '../../lib/format';
import { describeCapabilities, formatAgo } from '../../lib/sync-format';
import type { SyncRequest } from '../../stores/sync';
import { SyncProgressBar } from './sync-progress';

interface RemoteCardProps {
  readonly remote: RemoteSummary;
  readonly now: number;
  /** This remote's sync is running (its progress, null until the first event). */
  readonly running: { progress: SyncProgress | null } | null;
  /** Another remote's sync runs, or a start is in flight: one sync at a time. */
  readonly blocked: boolean;
  readonly busy: boolean;
  readonly onStart: (request: SyncRequest) => void;
  readonly onCancel: () => void;
  readonly onEdit: () => void;
}

const authWords: Record<RemoteSummary['auth'], string> = { keys: 'access key', profile: 'AWS profile', environment: 'environment variables' };

/** Where a remote points, when it last synced, and its actions: Sync now, one way only, dry run. */
export function RemoteCard({ remote, now, running, blocked, busy, onStart, onCancel, onEdit }: RemoteCardProps): ReactElement {
  const [removing, setRemoving] = useState(false);
  const start = (direction: SyncRequest['direction'], dryRun = false) => (): void => onStart({ remote: remote.name, direction, dryRun });
  const disabled = blocked || running !== null;
  const checks = remote.capabilities ? describeCapabilities(remote.capabilities) : null;
  const failing = checks?.filter((check) => !check.ok) ?? [];
  const when = (at: number | null): string => (at === null ? 'never' : formatAgo(at, now));
  return (
    <article className="sync-remote" data-testid="remote-card" data-remote={remote.name}>
      <div className="sync-remote-top">
        <h2 className="sync-remote-name">{remote.name}</h2>
        <span className="mono muted sync-remote-where" data-testid="remote-where">
          {remote.endpoint ?? `AWS S3 (${remote.region})`} · {remote.bucket}
          {remote.prefix ? `/${remote.prefix}` : ''}
        </span>
        <span className="spacer" />
        <button type="button" className="button compact" onClick={onEdit} data-testid="remote-edit">Edit…</button>
        <button type="button" className="button compact" onClick={() => setRemoving(true)} disabled={running !== null} data-testid="remote-remove">Remove…</button>
      </div>
      <dl className="sync-remote-facts">
        <dt>Last push</dt>
        <dd className="numeric" title={formatTimestamp(remote.lastPushAt)} data-testid="remote-last-push">{when(remote.lastPushAt)}</dd>
        <dt>Last pull</dt>
        <dd className="numeric" title={formatTimestamp(remote.lastPullAt)} data-testid="remote-last-pull">{when(remote.lastPullAt)}</dd>
        <dt>Credentials</dt>
        <dd>{remote.auth === 'profile' ? `AWS profile ${remote.profile ?? 'default'}` : authWords[remote.auth]}{remote.auth === 'keys' && !remote.hasCredentials ? <span className="inline-error"> — none stored: Edit to enter them</span> : null}</dd>
        <dt>Connection</dt>
        <dd data-testid="remote-tested">
          {checks === null ? <span className="faint">not tested</span> : failing.length === 0 ? 'every check passed' : <span className="warning-text">{failing.length} of {checks.length} checks failed (Edit → Test connection)</span>}
        </dd>
      </dl>
      {running ? (
        <SyncProgressBar progress={running.progress} onCancel={onCancel} cancelling={busy} />
      ) : (
        <div className="sync-actions button-group">
          <button type="button" className="button primary" onClick={start('both')} disabled={disabled} data-testid="sync-now" title="Push what is new here, then pull what teammates pushed">
            Sync now
          </button>
          <button type="button" className="button" onClick={start('push')} disabled={disabled} data-testid="sync-push" title="Only upload">Push only</button>
          <button type="button" className="button" onClick={start('pull')} disabled={disabled} data-testid="sync-pull" title="Only download">Pull only</button>
          <button type="button" className="button" onClick={start('both', true)} disabled={disabled} data-testid="sync-dry-run" title="Say what a sync would move, and move nothing">
            Dry run
          </button>
          {blocked ? <span className="faint">Another sync is running.</span> : null}
        </div>
      )}
      {removing ? <RemoveRemoteDialog name={remote.name} onClose={() => setRemoving(false)} /> : null}
    </article>
  );
}

/** Forgetting a remote leaves the bucket as it is; say so before doing it. */
function RemoveRemoteDialog({ name, onClose }: { name: string; onClose: () => void }): ReactElement {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const remove = async (): Promise<void> => {
    setBusy(true);
    try {
      await getApi()['sync.removeRemote']({ name });
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={`Remove ${name}?`}
      onClose={onClose}
      testId="remove-remote-dialog"
      footer={
        <>
          {error ? <span className="inline-error spacer" role="alert">{error}</span> : null}
          <button type="button" className="button" onClick={onClose}>Keep it</button>
          <button type="button" className="button primary" onClick={() => void remove()} disabled={busy} data-testid="remove-remote-confirm">Remove</button>
        </>
      }
    >
      <p className="dialog-text">Trainyard forgets this remote and its stored keys. The bucket and everything in it stay as they are; add the remote again to sync with it.</p>
    </Dialog>
  );
}
