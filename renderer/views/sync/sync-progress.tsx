import type { ReactElement } from 'react';
import type { SyncProgress } from '../../../shared/sync';
import { describeProgress, progressFraction } from '../../lib/sync-format';

/**
 * The running sync's bar: phase in words, objects and bytes done of their totals, rate and ETA.
 * Indeterminate until the listing knows the totals. `progress` null: started, nothing heard yet.
 */
export function SyncProgressBar({ progress, onCancel, cancelling }: { progress: SyncProgress | null; onCancel: () => void; cancelling: boolean }): ReactElement {
  const fraction = progress ? progressFraction(progress) : null;
  const words = progress ? describeProgress(progress) : null;
  return (
    <div
      className="sync-progress"
      data-testid="sync-progress"
      data-phase={progress?.phase ?? 'starting'}
      data-objects-done={progress?.objectsDone ?? 0}
      data-objects-total={progress?.objectsTotal ?? 0}
    >
      <div className="sync-progress-top">
        <span className="sync-progress-phase">{words?.phase ?? 'Starting…'}</span>
        {fraction !== null ? <span className="numeric muted">{Math.floor(fraction * 100)}%</span> : null}
        <span className="spacer" />
        <button type="button" className="button compact" onClick={onCancel} disabled={cancelling} data-testid="sync-cancel" title="Stop: what was transferred stays, and the next sync resumes">
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <div
        className={`sync-bar${fraction === null ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-label="Sync progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
        aria-valuetext={words ? `${words.phase}: ${words.objects}, ${words.bytes}` : 'Starting'}
      >
        <span className="sync-bar-fill" style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
      </div>
      {words ? (
        <div className="sync-progress-facts numeric">
          <span data-testid="sync-progress-objects">{words.objects}</span>
          <span data-testid="sync-progress-bytes">{words.bytes}</span>
          {words.rate ? <span data-testid="sync-progress-rate">{words.rate}</span> : null}
          {words.eta ? <span className="faint">{words.eta}</span> : null}
        </div>
      ) : null}
    </div>
  );
}
