import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import type { Run } from '../../shared/tracking';
import { describeError } from '../api/api-error';
import { getApi } from '../api/connection';
import { shortId } from '../lib/format';
import { datasetHref, datasetsHref, modelHref, modelsHref, pipelineHref, pipelinesHref, runHref, runsHref, syncHref } from '../lib/hash-route';
import { newestVersion } from '../lib/model-names';
import { navigate } from '../lib/use-route';
import { useDatasetsStore } from '../stores/datasets';
import { useExperimentsStore } from '../stores/experiments';
import { useModelsStore } from '../stores/models';
import { usePipelinesStore } from '../stores/pipelines';
import { pickFilesToImport } from '../stores/imports';
import { loadedRuns, useRunsStore } from '../stores/runs';
import { syncNowOrOpen } from '../stores/sync';
import { useUiStore } from '../stores/ui';
import { quoteFilterString, rankItems, type PaletteItem } from './palette-items';
import './command-palette.css';

/** Ctrl/Cmd-K: jump to any dataset, registered model, experiment or run by name, or run an action. */
export function CommandPalette(): ReactElement | null {
  const open = useUiStore((state) => state.paletteOpen);
  return open ? <PaletteDialog /> : null;
}

function PaletteDialog(): ReactElement {
  const close = (): void => useUiStore.getState().setPaletteOpen(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [found, setFound] = useState<readonly Run[]>([]);
  const [searchError, setSearchError] = useState<string | null>(null);
  const experiments = useExperimentsStore((state) => state.experiments);
  const datasets = useDatasetsStore((state) => state.summaries);
  const models = useModelsStore((state) => state.summaries);
  const pipelines = usePipelinesStore((state) => state.summaries);
  const listRef = useRef<HTMLDivElement>(null);

  // The table holds only loaded pages; the server finds runs by name anywhere.
  useEffect(() => {
    const text = query.trim();
    if (text === '') {
      setFound([]);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      getApi()['runs.search']({ filter: `attributes.run_name ILIKE ${quoteFilterString(`%${text}%`)}`, maxResults: 20 }).then(
        (result) => {
          if (stale) return;
          setFound(result.runs);
          setSearchError(null);
        },
        // Said inline, not as a toast: the loaded runs still match locally.
        (error: unknown) => {
          if (stale) return;
          setFound([]);
          setSearchError(describeError(error));
        },
      );
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [query]);

  const items = useMemo((): PaletteItem[] => {
    const runs = useRunsStore.getState();
    const go = (href: string) => (): void => navigate(href);
    const actions: PaletteItem[] = [
      { id: 'theme', group: 'Actions', label: 'Toggle theme', detail: 'light / dark', run: () => useUiStore.getState().toggleTheme() },
      { id: 'runs', group: 'Actions', label: 'Go to runs', run: go(runsHref) },
      { id: 'datasets', group: 'Actions', label: 'Go to datasets', run: go(datasetsHref) },
      { id: 'models', group: 'Actions', label: 'Go to models', detail: 'registered models', run: go(modelsHref) },
      { id: 'pipelines', group: 'Actions', label: 'Go to pipelines', detail: 'DAGs and their runs', run: go(pipelinesHref) },
      { id: 'sync', group: 'Actions', label: 'Go to sync', detail: 'team buckets', run: go(syncHref) },
      { id: 'sync-now', group: 'Actions', label: 'Sync now', detail: 'Ctrl+Shift+S', run: syncNowOrOpen },
      { id: 'import', group: 'Actions', label: 'Import a dataset…', detail: 'CSV, Parquet, JSON lines', run: () => pickFilesToImport(false) },
      { id: 'import-folder', group: 'Actions', label: 'Import a folder as a dataset…', run: () => pickFilesToImport(true) },
      { id: 'all', group: 'Actions', label: 'Show all experiments', run: () => { runs.selectExperiment(null); navigate(runsHref); } },
      { id: 'running', group: 'Actions', label: 'Show running runs', run: () => { runs.applyFilter("attributes.status = 'RUNNING'"); navigate(runsHref); } },
      { id: 'clear', group: 'Actions', label: 'Clear the runs filter', run: () => { runs.applyFilter(''); navigate(runsHref); } },
      { id: 'reload', group: 'Actions', label: 'Reload runs', run: () => void runs.reload() },
    ];
    const datasetItems: PaletteItem[] = datasets.map((dataset) => ({
      id: `dataset:${dataset.name}`,
      group: 'Datasets',
      label: dataset.name,
      detail: `v${dataset.latestVersion} · ${dataset.latestRowCount.toLocaleString('en-US')} rows`,
      run: go(datasetHref(dataset.name)),
    }));
    const modelItems: PaletteItem[] = models.map((model) => {
      const newest = newestVersion(model);
      return {
        id: `model:${model.name}`,
        group: 'Models',
        label: model.name,
        detail: [newest === null ? 'no versions' : `v${newest}`, ...model.aliases.map((entry) => `@${entry.alias}`)].join(' · '),
        run: go(modelHref(model.name)),
      };
    });
    const pipelineItems: PaletteItem[] = pipelines.map((pipeline) => ({
      id: `pipeline:${pipeline.name}`,
      group: 'Pipelines',
      label: pipeline.name,
      detail: [pipeline.lastRun ? `last run ${pipeline.lastRun.state}` : 'never run', pipeline.paused ? 'paused' : null].filter(Boolean).join(' · '),
      run: go(pipelineHref(pipeline.name)),
    }));
    const experimentItems: PaletteItem[] = experiments.map((experiment) => ({
      id: `experiment:${experiment.id}`,
      group: 'Experiments',
      label: experiment.name,
      detail: `${experiment.runCount} runs`,
      run: () => { runs.selectExperiment(experiment.id); navigate(runsHref); },
    }));
    const runItems: PaletteItem[] = [...found, ...loadedRuns(runs)].map((run) => ({
      id: `run:${run.id}`, group: 'Runs', label: run.name, detail: shortId(run.id), run: go(runHref(run.id)),
    }));
    return rankItems([...actions, ...datasetItems, ...pipelineItems, ...modelItems, ...experimentItems, ...runItems], query);
  }, [experiments, datasets, pipelines, models, found, query]);

  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const choose = (item: PaletteItem | undefined): void => {
    if (!item) return;
    close();
    item.run();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'ArrowDown') setActive((index) => Math.min(items.length - 1, index + 1));
    else if (event.key === 'ArrowUp') setActive((index) => Math.max(0, index - 1));
    else if (event.key === 'Enter') choose(items[active]);
    else if (event.key === 'Escape') close();
    else return;
    event.preventDefault();
  };

  let previousGroup: string | null = null;
  return (
    <div className="palette-backdrop" onMouseDown={close}>
      <div className="palette" role="dialog" aria-label="Command palette" data-testid="command-palette" onMouseDown={(event) => event.stopPropagation()}>
        <input
          className="palette-input"
          autoFocus
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder="Jump to a dataset, model, experiment or run, or type an action…"
          aria-label="Command"
          data-testid="palette-input"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
        />
        <div className="palette-list" id="palette-list" role="listbox" ref={listRef}>
          {searchError ? <div className="palette-empty inline-error">Searching runs on the server failed: {searchError}</div> : null}
          {items.length === 0 ? <div className="palette-empty">Nothing matches “{query}”.</div> : null}
          {items.map((item, index) => {
            const heading = item.group !== previousGroup ? <div className="palette-group">{item.group}</div> : null;
            previousGroup = item.group;
            return (
              <div key={item.id}>
                {heading}
                <div
                  className="palette-item"
                  role="option"
                  aria-selected={index === active}
                  data-testid="palette-item"
                  onMouseMove={() => setActive(index)}
                  onClick={() => choose(item)}
                >
                  <span className="palette-label">{item.label}</span>
                  {item.detail ? <span className="palette-detail">{item.detail}</span> : null}
                </div>
              </div>
            );
          })}
        </div>
        <div className="palette-footer">
          <span><span className="kbd">↑</span> <span className="kbd">↓</span> move</span>
          <span><span className="kbd">Enter</span> open</span>
          <span><span className="kbd">Esc</span> close</span>
        </div>
      </div>
    </div>
  );
}
