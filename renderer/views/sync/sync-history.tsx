import type { ReactElement } from 'react';
import type { SyncHistoryEntry } from '../../../shared/sync';
import { formatBytes, formatDuration, formatTimestamp } from '../../lib/format';
import { describeReport, directionLabel, formatAgo, statusLabel } from '../../lib/sync-format';

interface SyncHistoryProps {
  /** Newest first. */
  readonly entries: readonly SyncHistoryEntry[];
  readonly now: number;
  /** Starts the same sync again; absent while another sync runs. */
  readonly onRetry: ((entry: SyncHistoryEntry) => void) | null;
  /** Show which remote each entry went to (when there are several). */
  readonly showRemote: boolean;
}

/** Recent syncs: what each did, what it refused and why, and its error with a Retry. */
export function SyncHistory({ entries, now, onRetry, showRemote }: SyncHistoryProps): ReactElement {
  if (entries.length === 0) {
    return <p className="faint sync-none" data-testid="sync-history-empty">No syncs yet. <strong>Sync now</strong> pushes what is new here and pulls what teammates pushed.</p>;
  }
  return (
    <ol className="sync-history" data-testid="sync-history">
      {entries.map((entry) => (
        <HistoryEntry key={entry.id} entry={entry} now={now} onRetry={onRetry} showRemote={showRemote} />
      ))}
    </ol>
  );
}

function HistoryEntry({ entry, now, onRetry, showRemote }: { entry: SyncHistoryEntry; now: number; onRetry: SyncHistoryProps['onRetry']; showRemote: boolean }): ReactElement {
  const { pushed, pulled } = describeReport(entry);
  const report = entry.report;
  const duration = entry.endedAt === null ? null : entry.endedAt - entry.startedAt;
  return (
    <li className="sync-history-entry" data-testid="sync-history-entry" data-status={entry.status} data-id={entry.id}>
      <div className="sync-history-top">
        <span className={`sync-status ${entry.status}`}>{statusLabel(entry)}</span>
        <span className="muted">{directionLabel(entry.direction, entry.dryRun)}</span>
        {showRemote ? <span className="mono faint">{entry.remote}</span> : null}
        <span className="spacer" />
        <span className="numeric faint" title={formatTimestamp(entry.startedAt)}>
          {formatAgo(entry.startedAt, now)}
          {duration !== null ? ` · took ${formatDuration(duration)}` : ''}
        </span>
      </div>
      {report ? (
        <dl className="sync-report">
          {pushed !== null ? (
            <>
              <dt>{entry.dryRun ? 'Would push' : 'Pushed'}</dt>
              <dd data-testid="sync-report-pushed">{pushed}</dd>
            </>
          ) : null}
          {pulled !== null ? (
            <>
              <dt>{entry.dryRun ? 'Would pull' : 'Pulled'}</dt>
              <dd data-testid="sync-report-pulled">{pulled}</dd>
            </>
          ) : null}
          {report.skippedObjects > 0 ? (
            <>
              <dt>Skipped</dt>
              <dd>{report.skippedObjects.toLocaleString('en-US')} already in the bucket</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {report && report.refusedObjects.length > 0 ? (
        <details className="sync-refused" data-testid="sync-refused">
          <summary className="inline-error">
            {report.refusedObjects.length === 1 ? '1 object refused' : `${report.refusedObjects.length} objects refused`} (its content does not match its name)
          </summary>
          <ul>
            {report.refusedObjects.map((refused) => (
              <li key={refused.oid}>
                <code title={refused.oid}>{refused.oid.slice(0, 12)}</code> — {refused.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {entry.error && entry.status === 'failed' ? (
        <div className="sync-history-error" role="alert">
          <span className="inline-error" data-testid="sync-error">{entry.error}</span>
          {onRetry ? (
            <button type="button" className="button compact" onClick={() => onRetry(entry)} data-testid="sync-retry" title={`${directionLabel(entry.direction, entry.dryRun)} with ${entry.remote} again`}>
              Retry
            </button>
          ) : null}
        </div>
      ) : null}
      {entry.status === 'cancelled' && report ? <p className="faint sync-note">Stopped after {formatBytes(report.pushed.bytes + report.pulled.bytes)}; the next sync resumes.</p> : null}
    </li>
  );
}
