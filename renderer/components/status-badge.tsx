import type { ReactElement } from 'react';
import type { RunStatus } from '../../shared/tracking';
import './status-badge.css';

const labels: Record<RunStatus, string> = { RUNNING: 'Running', FINISHED: 'Finished', FAILED: 'Failed', KILLED: 'Killed' };

/** A run's status, in the one status palette (tokens.css), the same in the table and the page. */
export function StatusBadge({ status, compact = false }: { status: RunStatus; compact?: boolean }): ReactElement {
  return (
    <span className={`status-badge${compact ? ' compact' : ''}`} data-status={status} data-testid="run-status" title={status}>
      <span className="status-dot" aria-hidden="true" />
      {labels[status]}
    </span>
  );
}
