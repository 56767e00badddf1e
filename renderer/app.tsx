import { useEffect, type ReactElement } from 'react';
import { CommandPalette } from './components/command-palette';
import { ErrorBoundary } from './components/error-boundary';
import { NavRail } from './components/nav-rail';
import { StatusBar } from './components/status-bar';
import { Toasts } from './components/toasts';
import { useRoute } from './lib/use-route';
import { useThemeSync } from './lib/use-theme';
import { useUiStore } from './stores/ui';
import { RunsSection } from './views/runs/runs-section';

/** The frame: navigation, the current section, status bar, palette and toasts. */
export function App(): ReactElement {
  useThemeSync();
  usePaletteShortcut();
  const route = useRoute();
  return (
    <div className="app">
      <NavRail section={route.section} />
      <main className="app-content">
        <ErrorBoundary key={route.runId ?? 'runs'} where={route.runId ? 'the run page' : 'the runs view'}>
          <RunsSection route={route} />
        </ErrorBoundary>
      </main>
      <StatusBar />
      <CommandPalette />
      <Toasts />
    </div>
  );
}

/** Ctrl-K / Cmd-K opens (or closes) the command palette from anywhere, even inside inputs. */
function usePaletteShortcut(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        const ui = useUiStore.getState();
        ui.setPaletteOpen(!ui.paletteOpen);
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
