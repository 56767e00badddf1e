import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { PipelineSummary } from '../../../shared/pipelines';
import { EmptyState } from '../../components/empty-state';
import { PipelineIcon, PlusIcon } from '../../components/icons';
import { formatTimestamp } from '../../lib/format';
import { SortHeader, useStoredSort } from '../../lib/use-stored-sort';
import { dagRunIdHref, pipelineHref } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { usePipelinesStore } from '../../stores/pipelines';
import { useListKeyboard } from '../datasets/use-list-keyboard';
import { AddPipelineDialog } from './add-pipeline-dialog';
import { StateChip } from './state-chip';

type SortKey = 'name' | 'steps' | 'lastRun' | 'runCount';

const sortStorageKey = 'trainyard.pipelines.sort';
const sortable: readonly SortKey[] = ['name', 'steps', 'lastRun', 'runCount'];

function sortValue(pipeline: PipelineSummary, key: SortKey): number | string {
  if (key === 'steps') return pipeline.steps.length;
  if (key === 'lastRun') return pipeline.lastRun?.createdAt ?? 0;
  return pipeline[key];
}

/** Every registered pipeline with its last run: sortable, keyboard-navigable, Enter opens. */
export function PipelinesList(): ReactElement {
  const summaries = usePipelinesStore((state) => state.summaries);
  const loaded = usePipelinesStore((state) => state.loaded);
  const error = usePipelinesStore((state) => state.error);
  const load = usePipelinesStore((state) => state.load);
  const { sort, sortBy } = useStoredSort<SortKey>(sortStorageKey, sortable, { key: 'name', descending: false }, ['name']);
  const [selected, setSelected] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const body = useRef<HTMLTableSectionElement>(null);

  // Kept live by `pipeline.changed`; coming back re-reads it anyway, in case the stream was down.
  useEffect(() => {
    void load();
  }, [load]);

  const rows = useMemo(() => {
    const sorted = [...summaries].sort((a, b) => {
      const left = sortValue(a, sort.key);
      const right = sortValue(b, sort.key);
      const order = typeof left === 'number' && typeof right === 'number' ? left - right : String(left).localeCompare(String(right), undefined, { numeric: true });
      return order || a.name.localeCompare(b.name);
    });
    return sort.descending ? sorted.reverse() : sorted;
  }, [summaries, sort]);
  const names = useMemo(() => rows.map((row) => row.name), [rows]);
  const open = (name: string): void => navigate(pipelineHref(name));
  useListKeyboard(names, selected, { select: setSelected, open });

  useEffect(() => {
    body.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const header = (key: SortKey, label: string, right = false): ReactElement => <SortHeader column={key} label={label} sort={sort} onSort={sortBy} right={right} />;

  return (
    <div className="section-frame pipelines-list-view">
      <div className="section-toolbar pipelines-toolbar">
        <h1 className="section-title pipelines-title">Pipelines</h1>
        <span className="pipelines-count numeric" data-testid="pipelines-count">
          {loaded ? `${summaries.length} ${summaries.length === 1 ? 'pipeline' : 'pipelines'}` : ''}
        </span>
        <span className="spacer" />
        <button type="button" className="button" onClick={() => setAdding(true)} data-testid="add-pipeline" title="Add a pipeline from its pipeline.yaml">
          <PlusIcon size={14} />
          Add pipeline…
        </button>
      </div>
      {error && summaries.length === 0 ? (
        <EmptyState title="Pipelines could not be loaded" testId="pipelines-error">
          <p>{error}</p>
          <button type="button" className="button" onClick={() => void load()}>Try again</button>
        </EmptyState>
      ) : loaded && summaries.length === 0 ? (
        <EmptyState title="No pipelines yet" testId="pipelines-empty">
          <p>
            A pipeline is a <code>pipeline.yaml</code>: steps (ingest, validate, preprocess, train, evaluate, register or any command) and what each depends on. Paste one
            with <strong>Add pipeline…</strong>, or run <code>trainyard run pipeline.yaml</code> on the command line.
          </p>
          <button type="button" className="button primary" onClick={() => setAdding(true)} data-testid="add-pipeline-empty">Add pipeline…</button>
        </EmptyState>
      ) : (
        <div className="pipelines-table-scroll">
          <table className="data-table pipelines-table" data-testid="pipelines-table" aria-label="Pipelines">
            <thead>
              <tr>
                {header('name', 'Name')}
                <th>Description</th>
                {header('steps', 'Steps', true)}
                <th>Schedule</th>
                <th>Status</th>
                {header('lastRun', 'Last run')}
                {header('runCount', 'Runs', true)}
              </tr>
            </thead>
            <tbody ref={body}>
              {rows.map((row) => {
                const lastHref = row.lastRun ? dagRunIdHref(row.lastRun.id) : null;
                return (
                  <tr key={row.name} aria-selected={row.name === selected} onClick={() => setSelected(row.name)} onDoubleClick={() => open(row.name)} data-testid="pipeline-row" data-pipeline={row.name}>
                    <td>
                      <span className="name-cell">
                        <PipelineIcon size={13} className="row-icon" />
                        <a href={pipelineHref(row.name)} onClick={(event) => event.stopPropagation()} data-testid="pipeline-name">{row.name}</a>
                      </span>
                    </td>
                    <td className="muted pipelines-description" title={row.description ?? undefined}>{row.description ?? <span className="faint">—</span>}</td>
                    <td className="right numeric" data-testid="pipeline-steps">{row.steps.length}</td>
                    <td className="mono pipelines-schedule" data-testid="pipeline-schedule">{row.schedule ?? <span className="faint">manual</span>}</td>
                    <td data-testid="pipeline-paused">{row.paused ? <span className="paused-badge">paused</span> : <span className="faint">active</span>}</td>
                    <td data-testid="pipeline-last-run">
                      {row.lastRun ? (
                        <span className="last-run">
                          <StateChip state={row.lastRun.state} run />
                          {lastHref ? (
                            <a className="numeric muted" href={lastHref} onClick={(event) => event.stopPropagation()}>{formatTimestamp(row.lastRun.createdAt)}</a>
                          ) : (
                            <span className="numeric muted">{formatTimestamp(row.lastRun.createdAt)}</span>
                          )}
                        </span>
                      ) : (
                        <span className="faint">never run</span>
                      )}
                    </td>
                    <td className="right numeric" data-testid="pipeline-run-count">{row.runCount.toLocaleString('en-US')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="pipelines-hint faint">
            Add a pipeline from its YAML (<strong>Add pipeline…</strong>) or with <code>trainyard run pipeline.yaml</code>. <span className="kbd">j</span> <span className="kbd">k</span> move,{' '}
            <span className="kbd">Enter</span> opens.
          </p>
        </div>
      )}
      {adding ? <AddPipelineDialog onClose={() => setAdding(false)} /> : null}
    </div>
  );
}
