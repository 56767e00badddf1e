// Tokens and base styles first: component stylesheets (imported through App) build on them and
// must come later in the cascade to override the shared primitives.
import './styles/tokens.css';
import './styles/base.css';
import './styles/frame.css';
import './styles/page.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { installEventListeners } from './app-events';
import { connect } from './api/connect';
import { setConnection, type Connection } from './api/connection';
import { parseRoute } from './lib/hash-route';
import { useAppStore } from './stores/app';
import { useRunDetailsStore } from './stores/run-details';
import { useDatasetsStore } from './stores/datasets';
import { useExperimentsStore } from './stores/experiments';
import { useJobsStore } from './stores/jobs';
import { useModelsStore } from './stores/models';
import { usePipelinesStore } from './stores/pipelines';
import { useRunsStore } from './stores/runs';
import { useServingStore } from './stores/serving';
import { useSyncStore } from './stores/sync';
import { reportError } from './stores/toasts';
import { effectiveTheme, useUiStore } from './stores/ui';

// The theme is on <html> before the first render; useThemeSync keeps it current afterwards.
document.documentElement.dataset.theme = effectiveTheme(useUiStore.getState());

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root');
const root = createRoot(rootElement);

async function start(): Promise<void> {
  let connection: Connection;
  if (import.meta.env.DEV && new URLSearchParams(window.location.search).has('demo')) {
    // `vite` dev server + ?demo: an in-memory back end with sample data, for UI work alone.
    const { createDemoConnection } = await import('./api/fake-demo');
    connection = await createDemoConnection();
  } else {
    const startup = connect();
    if ('problem' in startup) {
      root.render(<NoToken />);
      return;
    }
    connection = startup.connection;
  }
  setConnection(connection);
  installEventListeners(connection);
  window.addEventListener('unhandledrejection', (event) => reportError('Unexpected error', event.reason));
  // Opened on a comparison link: its code and its runs load while the rest of the app starts,
  // rather than after the first render asks for them.
  const initial = parseRoute(window.location.hash);
  if (initial.section === 'compare') {
    void import('./views/compare/compare-page');
    if (initial.runIds.length > 0) void useRunDetailsStore.getState().loadMany(initial.runIds);
  }
  void useAppStore.getState().loadInfo();
  void useAppStore.getState().refreshRunningCount();
  void useExperimentsStore.getState().load();
  void useRunsStore.getState().reload();
  void useDatasetsStore.getState().load();
  void useModelsStore.getState().load();
  void usePipelinesStore.getState().load();
  void useJobsStore.getState().load();
  void useServingStore.getState().load();
  // The status bar shows the last sync from the start, not only once the Sync section opens.
  void useSyncStore.getState().load();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

/** Browser mode opened without the session token: say where to get the right address. */
function NoToken() {
  return (
    <div className="fatal" data-testid="no-token">
      <h1>Open Trainyard from the address it printed</h1>
      <p>
        This page needs the session token that <code>trainyard ui</code> prints when it starts, as in{' '}
        <code>http://127.0.0.1:PORT/?token=…</code>. Copy that whole line into the address bar.
      </p>
    </div>
  );
}

void start();
