import { useState, type ReactElement } from 'react';
import type { ServedModelInfo } from '../../shared/serving';
import { describeError } from '../api/api-error';
import { useServingStore } from '../stores/serving';
import { Dialog } from './dialog';

/** Stop… a model server: clients calling its URL get refused once the requests in flight are answered. */
export function StopServerDialog({ server, onClose }: { server: ServedModelInfo; onClose: () => void }): ReactElement {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stop = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await useServingStore.getState().stop(server.id);
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={`Stop serving ${server.label}?`}
      onClose={onClose}
      testId="stop-server-dialog"
      footer={
        <>
          {error ? <span className="inline-error spacer" role="alert" data-testid="stop-server-error">{error}</span> : <span className="spacer" />}
          <button type="button" className="button" onClick={onClose}>Keep serving</button>
          <button type="button" className="button primary" onClick={() => void stop()} disabled={busy} data-testid="stop-server-confirm">
            {busy ? 'Stopping…' : 'Stop server'}
          </button>
        </>
      }
    >
      <p className="dialog-text">
        <code>{server.url}</code> stops answering once the requests in flight are done; anything calling it then gets refused. Serve the model again
        later for a new server (its port may differ).
      </p>
    </Dialog>
  );
}
