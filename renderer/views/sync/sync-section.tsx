import { useEffect, useState, type ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RemoteSummary } from '../../../shared/sync';
import { CopyButton } from '../../components/copy-text';
import { EmptyState } from '../../components/empty-state';
import { PlusIcon } from '../../components/icons';
import { shortId } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { retryRequest, runningRemote, useSyncStore } from '../../stores/sync';
import { RemoteCard } from './remote-card';
import { RemoteFormDialog } from './remote-form-dialog';
import { SyncConflicts } from './sync-conflicts';
import { SyncHistory } from './sync-history';
import './sync.css';

/** The dialog open: adding (null) or editing a remote. */
type FormTarget = { readonly editing: RemoteSummary | null } | null;

/** Team buckets: the remotes with their actions and progress, conflicts, recent syncs, who this home is. */
export function SyncSection(): ReactElement {
  const { remotes, status, progress, loaded, error, busy } = useSyncStore(
    useShallow((state) => ({ remotes: state.remotes, status: state.status, progress: state.progress, loaded: state.loaded, error: state.error, busy: state.busy })),
  );
  const { load, start, cancel, dismissConflict } = useSyncStore.getState();
  const [form, setForm] = useState<FormTarget>(null);
  const now = useNow(true);

  // Kept live by sync.changed; coming here re-reads anyway, in case the event stream was down.
  useEffect(() => {
    void load();
  }, [load]);

  const active = runningRemote({ status, progress });
  const conflicts = status?.conflicts ?? [];
  const history = status?.history ?? [];
  const addButton = (
    <button type="button" className="button primary" onClick={() => setForm({ editing: null })} data-testid="sync-add-remote">
      <PlusIcon size={13} /> Add a remote
    </button>
  );

  return (
    <section className="section-frame sync-section" aria-label="Sync">
      <div className="section-toolbar sync-toolbar">
        <h1 className="section-title">Sync</h1>
        {status ? (
          <span className="sync-identity muted" data-testid="sync-identity" title="What teammates see as the author of what this home pushes">
            You are <strong data-testid="sync-author">{status.author}</strong> · client{' '}
            <code title={status.clientId} data-testid="sync-client-id">{shortId(status.clientId, 12)}</code>
            <CopyButton text={status.clientId} label="client id" testId="sync-copy-client-id" />
          </span>
        ) : null}
        <span className="spacer" />
        {remotes.length > 0 ? addButton : null}
      </div>
      <div className="sync-body">
        {error && remotes.length === 0 ? (
          <EmptyState title="Sync settings could not be loaded" testId="sync-error">
            <p>{error}</p>
            <button type="button" className="button" onClick={() => void load()}>Try again</button>
          </EmptyState>
        ) : loaded && remotes.length === 0 ? (
          <EmptyState title="No team bucket yet" testId="sync-empty">
            <p>
              A team bucket is an S3-compatible bucket your team already has — AWS S3, MinIO, Cloudflare R2, Ceph, Backblaze B2. Sync pushes the runs,
              datasets, models and pipelines made here and pulls what teammates pushed: no server to run, and it works offline and catches up later.
            </p>
            <p className="faint">
              Files are stored as DVC stores them, so <code>dvc pull</code> works on the same bucket. From a terminal: <code>trainyard remote add</code>.
            </p>
            {addButton}
          </EmptyState>
        ) : (
          <>
            {remotes.map((remote) => (
              <RemoteCard
                key={remote.name}
                remote={remote}
                now={now}
                running={active === remote.name ? { progress } : null}
                blocked={(active !== null && active !== remote.name) || busy}
                busy={busy}
                onStart={(request) => void start(request)}
                onCancel={() => void cancel()}
                onEdit={() => setForm({ editing: remote })}
              />
            ))}
            <SyncConflicts conflicts={conflicts} unsupportedEvents={status?.unsupportedEvents ?? 0} now={now} onDismiss={(id) => void dismissConflict(id)} />
            {loaded ? (
              <section className="sync-panel" aria-label="Last syncs">
                <h2 className="panel-heading">Last syncs</h2>
                <SyncHistory
                  entries={history}
                  now={now}
                  showRemote={remotes.length > 1}
                  onRetry={active === null && !busy ? (entry) => void start(retryRequest(entry)) : null}
                />
              </section>
            ) : null}
          </>
        )}
      </div>
      {form ? <RemoteFormDialog editing={form.editing} onClose={() => setForm(null)} /> : null}
    </section>
  );
}
