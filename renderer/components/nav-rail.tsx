import type { ReactElement } from 'react';
import { datasetsHref, modelsHref, pipelinesHref, runsHref, syncHref, type Section } from '../lib/hash-route';
import { effectiveTheme, useUiStore } from '../stores/ui';
import { DatasetIcon, ModelIcon, MoonIcon, PipelineIcon, RunsIcon, SearchIcon, SunIcon, SyncIcon } from './icons';

/**
 * The left navigation, in DESIGN.md §10's order (Datasets, Pipelines, Runs, Models, Sync).
 */
export function NavRail({ section }: { section: Section }): ReactElement {
  const theme = useUiStore(effectiveTheme);
  const toggleTheme = useUiStore((state) => state.toggleTheme);
  const openPalette = useUiStore((state) => state.setPaletteOpen);
  const isMac = navigator.platform.toLowerCase().includes('mac');
  return (
    <nav className="nav-rail" aria-label="Sections">
      <div className="nav-logo" aria-hidden="true">
        <svg width="22" height="22" viewBox="0 0 22 22">
          <rect x="1" y="1" width="20" height="20" rx="5" fill="var(--accent)" />
          <path d="M6 15.5h10M7 6.5h8M11 6.5v9" stroke="var(--accent-text)" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
      </div>
      <a className="nav-item" href={datasetsHref} aria-current={section === 'datasets' ? 'page' : undefined} data-testid="nav-datasets">
        <DatasetIcon size={18} />
        <span>Datasets</span>
      </a>
      <a className="nav-item" href={pipelinesHref} aria-current={section === 'pipelines' ? 'page' : undefined} data-testid="nav-pipelines">
        <PipelineIcon size={18} />
        <span>Pipelines</span>
      </a>
      <a className="nav-item" href={runsHref} aria-current={section === 'runs' || section === 'compare' ? 'page' : undefined} data-testid="nav-runs">
        <RunsIcon size={18} />
        <span>Runs</span>
      </a>
      <a className="nav-item" href={modelsHref} aria-current={section === 'models' ? 'page' : undefined} data-testid="nav-models">
        <ModelIcon size={18} />
        <span>Models</span>
      </a>
      <a className="nav-item" href={syncHref} aria-current={section === 'sync' ? 'page' : undefined} data-testid="nav-sync">
        <SyncIcon size={18} />
        <span>Sync</span>
      </a>
      <div className="nav-spacer" />
      <button type="button" className="nav-item" onClick={() => openPalette(true)} title={`Command palette (${isMac ? '⌘' : 'Ctrl+'}K)`} data-testid="nav-palette">
        <SearchIcon size={18} />
        <span>Find</span>
      </button>
      <button
        type="button"
        className="nav-item"
        onClick={toggleTheme}
        title={theme === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme'}
        data-testid="theme-toggle"
      >
        {theme === 'dark' ? <SunIcon size={18} /> : <MoonIcon size={18} />}
        <span>Theme</span>
      </button>
    </nav>
  );
}
