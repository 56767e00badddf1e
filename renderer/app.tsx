import { lazy, Suspense, useEffect, type ReactElement } from 'react';
import { CommandPalette } from './components/command-palette';
import { DropZone } from './components/drop-zone';
import { EmptyState } from './components/empty-state';
import { ErrorBoundary } from './components/error-boundary';
import { ImportDialog } from './components/import-dialog';
import { NavRail } from './components/nav-rail';
import { StatusBar } from './components/status-bar';
import { Toasts } from './components/toasts';
import type { Route } from './lib/hash-route';
import { useRoute } from './lib/use-route';
import { useThemeSync } from './lib/use-theme';
import { useUiStore } from './stores/ui';
import { DatasetsSection } from './views/datasets/datasets-section';
import { ModelsSection } from './views/models/models-section';
import { PipelinesSection } from './views/pipelines/pipelines-section';
import { RunsSection } from './views/runs/runs-section';
import { SyncSection } from './views/sync/sync-section';

// The compare page carries its own charting code; nothing else waits for it to download.
const ComparePage = lazy(() => import('./views/compare/compare-page').then((module) => ({ default: module.ComparePage })));

/** The frame: navigation, the current section, status bar, palette, drop zone and toasts. */
export function App(): ReactElement {
  useThemeSync();
  usePaletteShortcut();
  const route = useRoute();
  return (
    <div className="app">
      <NavRail section={route.section} />
      <main className="app-content">
        <ErrorBoundary key={boundaryKey(route)} where={whereOf(route)}>
          {route.section === 'datasets' ? (
            <DatasetsSection route={route} />
          ) : route.section === 'models' ? (
            <ModelsSection route={route} />
          ) : route.section === 'pipelines' ? (
            <PipelinesSection route={route} />
          ) : route.section === 'sync' ? (
            <SyncSection />
          ) : route.section === 'compare' ? (
            <Suspense fallback={<EmptyState title="Loading the comparison…" testId="compare-loading" />}>
              <ComparePage route={route} />
            </Suspense>
          ) : (
            <RunsSection route={route} />
          )}
        </ErrorBoundary>
      </main>
      <StatusBar />
      <CommandPalette />
      <ImportDialog />
      <DropZone />
      <Toasts />
    </div>
  );
}

/** A crash in one page is forgotten when the user goes to another. */
function boundaryKey(route: Route): string {
  if (route.section === 'datasets') return `datasets:${route.dataset ?? ''}`;
  if (route.section === 'models') return `models:${route.model ?? ''}`;
  if (route.section === 'pipelines') return `pipelines:${route.pipeline ?? ''}/${route.dagRun ?? ''}`;
  if (route.section === 'compare' || route.section === 'sync') return route.section;
  return route.runId ?? 'runs';
}

function whereOf(route: Route): string {
  if (route.section === 'datasets') return route.dataset ? 'the dataset page' : 'the datasets view';
  if (route.section === 'models') return route.model ? 'the model page' : 'the models view';
  if (route.section === 'pipelines') return route.dagRun ? 'the DAG run page' : route.pipeline ? 'the pipeline page' : 'the pipelines view';
  if (route.section === 'compare') return 'the compare page';
  if (route.section === 'sync') return 'the sync view';
  return route.runId ? 'the run page' : 'the runs view';
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
