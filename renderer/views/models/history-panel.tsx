import type { ReactElement } from 'react';
import type { RegistryEvent } from '../../../shared/registry';
import { EmptyState } from '../../components/empty-state';
import { formatTimestamp } from '../../lib/format';
import { runHref } from '../../lib/hash-route';
import { runIdOfSource } from '../../lib/model-names';
import { describeRegistryEvent, registryEventLabel } from '../../lib/registry-events';

/** Every change to the model, newest first, in plain words: who did what to which version, when. */
export function HistoryPanel({ events }: { events: readonly RegistryEvent[] }): ReactElement {
  if (events.length === 0) return <EmptyState title="No history yet" testId="history-empty" />;
  return (
    <table className="data-table history-table" data-testid="history-panel" aria-label="History">
      <colgroup>
        <col style={{ width: 170 }} />
        <col style={{ width: 110 }} />
        <col />
        <col style={{ width: 160 }} />
      </colgroup>
      <thead>
        <tr>
          <th>When</th>
          <th>Change</th>
          <th>What happened</th>
          <th>By</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => {
          const runId = event.kind === 'create_version' ? runIdOfSource(event.to) : null;
          return (
            <tr key={event.id} data-testid="history-event" data-kind={event.kind} data-version={event.version ?? ''}>
              <td className="numeric muted">{formatTimestamp(event.at)}</td>
              <td><span className="history-kind" data-kind={event.kind}>{registryEventLabel(event.kind)}</span></td>
              <td data-testid="history-text" title={event.from || event.to ? `${event.from ?? '—'} → ${event.to ?? '—'}` : undefined}>
                {describeRegistryEvent(event)}
                {runId ? <> · <a href={runHref(runId)}>open the run</a></> : null}
              </td>
              <td className="muted">{event.actor}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
