import type { ReactElement } from 'react';
import type { RemoteCapabilities } from '../../../shared/sync';
import { CheckIcon, CloseIcon } from '../../components/icons';
import { formatTimestamp } from '../../lib/format';
import { describeCapabilities, describeClockSkew } from '../../lib/sync-format';

/** What a connection test found: each check with a tick or a cross, the server's notes, clock skew. */
export function TestResult({ capabilities }: { capabilities: RemoteCapabilities }): ReactElement {
  const checks = describeCapabilities(capabilities);
  const skew = describeClockSkew(capabilities.clockSkewMs);
  const passed = checks.every((check) => check.ok);
  return (
    <div className="sync-test-result" data-testid="test-result" data-ok={passed}>
      <ul className="sync-checks">
        {checks.map((check) => (
          <li key={check.key} data-testid="test-check" data-check={check.key} data-ok={check.ok}>
            {check.ok ? <CheckIcon size={13} className="sync-check-ok" role="img" aria-hidden={false} aria-label="works" /> : <CloseIcon size={13} className="sync-check-fail" role="img" aria-hidden={false} aria-label="does not work" />}
            <span>{check.label}</span>
          </li>
        ))}
      </ul>
      {skew ? <p className="sync-skew" data-testid="test-clock-skew">{skew} Requests are signed with the time: set the clock right if syncs fail.</p> : null}
      {capabilities.notes.length > 0 ? (
        <ul className="sync-notes" data-testid="test-notes">
          {capabilities.notes.map((note) => <li key={note}>{note}</li>)}
        </ul>
      ) : null}
      <p className="faint sync-tested-at">Tested {formatTimestamp(capabilities.testedAt)}</p>
    </div>
  );
}
