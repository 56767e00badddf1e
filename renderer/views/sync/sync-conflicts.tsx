import type { ReactElement } from 'react';
import type { SyncConflict } from '../../../shared/sync';
import { formatTimestamp } from '../../lib/format';
import { describeUnsupported, formatAgo } from '../../lib/sync-format';

interface SyncConflictsProps {
  readonly conflicts: readonly SyncConflict[];
  readonly unsupportedEvents: number;
  readonly now: number;
  readonly onDismiss: (id: number) => void;
}

/**
 * What merging teammates' changes had to decide (two registrations of one version number, an
 * alias moved twice): shown until dismissed, never silently dropped. Renders nothing when there
 * is nothing to say.
 */
export function SyncConflicts({ conflicts, unsupportedEvents, now, onDismiss }: SyncConflictsProps): ReactElement | null {
  const unsupported = describeUnsupported(unsupportedEvents);
  if (conflicts.length === 0 && unsupported === null) return null;
  return (
    <section className="sync-panel" aria-label="Conflicts" data-testid="sync-conflicts">
      <h2 className="panel-heading">Conflicts</h2>
      {unsupported ? (
        <p className="sync-unsupported" data-testid="sync-unsupported" data-count={unsupportedEvents}>
          {unsupported}
        </p>
      ) : null}
      {conflicts.length > 0 ? (
        <ul className="sync-conflicts">
          {conflicts.map((conflict) => (
            <li key={conflict.id} className="sync-conflict" data-testid="conflict-row" data-id={conflict.id}>
              <span className="sync-conflict-kind mono faint" title={`${conflict.kind} on ${conflict.remote}`}>{conflict.entity}</span>
              <span className="sync-conflict-message">{conflict.message}</span>
              <span className="numeric faint" title={formatTimestamp(conflict.createdAt)}>{formatAgo(conflict.createdAt, now)}</span>
              <button type="button" className="button compact" onClick={() => onDismiss(conflict.id)} data-testid="conflict-dismiss" title="Hide it: the merge already resolved it">
                Dismiss
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
