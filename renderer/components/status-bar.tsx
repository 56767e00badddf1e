import type { ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { navigate } from '../lib/use-route';
import { runsHref } from '../lib/hash-route';
import { useAppStore } from '../stores/app';
import { useRunsStore } from '../stores/runs';
import { StatusJobs } from './status-jobs';
import { StatusMlflow } from './status-mlflow';
import { StatusServers } from './status-servers';
import { StatusSync } from './status-sync';

const connectionLabels = { connecting: 'Connecting…', connected: 'Connected', reconnecting: 'Reconnecting…', offline: 'Offline' } as const;

/** Shell, home folder, connection state, active jobs, sync state, model servers and how many runs are RUNNING right now. */
export function StatusBar(): ReactElement {
  const { info, infoError, connection, runningCount, runningError } = useAppStore(
    useShallow((state) => ({ info: state.info, infoError: state.infoError, connection: state.connection, runningCount: state.runningCount, runningError: state.runningError })),
  );
  const applyFilter = useRunsStore((state) => state.applyFilter);
  const showRunning = (): void => {
    applyFilter("attributes.status = 'RUNNING'");
    navigate(runsHref);
  };
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className="status-item" data-testid="status-connection" data-state={connection} title="Connection to the Trainyard back end">
        <span className="connection-dot" aria-hidden="true" />
        {connectionLabels[connection]}
      </span>
      <span className="status-item" data-testid="status-shell">
        {info ? (info.shell === 'desktop' ? 'Desktop' : 'Browser') : '—'}
      </span>
      <span className="status-item status-home" data-testid="status-home" title={info ? `Home folder: ${info.home}` : (infoError ?? '')}>
        {info ? <code>{info.home}</code> : infoError ? <span className="inline-error">App info unavailable: {infoError}</span> : '…'}
      </span>
      <span className="status-spacer" />
      <StatusJobs />
      <StatusSync />
      <StatusServers />
      <StatusMlflow />
      <button type="button" className="status-item status-running" onClick={showRunning} data-testid="status-running-count" title={runningError ? `Counting running runs failed: ${runningError}` : 'Show RUNNING runs'} data-count={runningCount ?? ''}>
        <span className="running-dot" aria-hidden="true" />
        {runningCount === null ? '— running' : `${runningCount} running`}
      </button>
      {info ? <span className="status-item faint">v{info.version}</span> : null}
    </footer>
  );
}
