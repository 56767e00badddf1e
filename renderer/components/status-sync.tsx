import { useEffect, type ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { describeStatusBar } from '../lib/sync-format';
import { useNow } from '../lib/use-now';
import { lastFinished, runningRemote, syncNowOrOpen, useSyncStore } from '../stores/sync';
import { SyncIcon } from './icons';
import './status-sync.css';

const isMac = typeof navigator !== 'undefined' && navigator.platform.toLowerCase().includes('mac');
const shortcut = isMac ? '⌘⇧S' : 'Ctrl+Shift+S';

/**
 * "Sync" in the status bar: when the last sync was, a spinner and percentage while one runs, a
 * red dot after a failed one. Click (or Ctrl/Cmd+Shift+S anywhere) syncs now with the first remote.
 */
export function StatusSync(): ReactElement {
  const { remotes, status, progress } = useSyncStore(useShallow((state) => ({ remotes: state.remotes, status: state.status, progress: state.progress })));
  useSyncShortcut();
  const active = runningRemote({ status, progress });
  // "3 min ago" moves on by itself; the shared one-second clock ticks only while there is a time to show.
  const now = useNow(active === null && remotes.length > 0);
  const { label, title, state } = describeStatusBar({ remotes, active, progress, last: lastFinished(status), now: now || Date.now(), shortcut });
  return (
    <button
      type="button"
      className="status-item status-running status-sync"
      onClick={syncNowOrOpen}
      title={title}
      aria-label={`Sync: ${label}`}
      aria-keyshortcuts={isMac ? 'Meta+Shift+S' : 'Control+Shift+S'}
      data-testid="status-sync"
      data-state={state}
    >
      {state === 'running' ? <span className="spinner" aria-hidden="true" /> : <SyncIcon size={12} />}
      {label}
      {state === 'failed' ? <span className="sync-dot" aria-hidden="true" data-testid="status-sync-error" /> : null}
    </button>
  );
}

/** Ctrl+Shift+S / Cmd+Shift+S does what a click on the status bar's Sync does, even inside inputs. */
function useSyncShortcut(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.key.toLowerCase() === 's') {
        event.preventDefault();
        syncNowOrOpen();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
