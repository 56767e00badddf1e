import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { DagRun } from '../../../shared/pipelines';
import { EmptyState } from '../../components/empty-state';
import { formatDuration, formatTimestamp } from '../../lib/format';
import { dagRunHref, dagRunIdHref } from '../../lib/hash-route';
import { navigationTarget } from '../../lib/list-navigation';
import { formatParams } from '../../lib/pipeline-params';
import { dagRunDurationMs, isDagRunActive } from '../../lib/pipeline-states';
import { navigate } from '../../lib/use-route';
import { useNow } from '../../lib/use-now';
import type { PipelineDetail } from '../../stores/pipelines';
import { useUiStore } from '../../stores/ui';
import { isTyping } from '../runs/use-table-keyboard';
import { CancelRunDialog, RerunDialog } from './pipeline-dialogs';
import { StateChip } from './state-chip';

const rowHeight = 30;
const columns = 'minmax(290px, 1.6fr) 84px 112px 150px 150px 84px minmax(140px, 1.4fr) minmax(120px, 1fr) 190px';

type Action = { readonly kind: 'cancel' | 'rerun'; readonly run: DagRun };

/**
 * Every DAG run of the pipeline, newest first, virtualized: id, kind, state, logical date, start,
 * duration, params and what it re-runs; Cancel on an active run, Re-run exactly on any, each
 * after a confirmation. j/k move, Enter opens, `r` re-runs, `c` cancels.
 */
export function RunsPanel({ pipeline, runs }: { pipeline: PipelineDetail; runs: readonly DagRun[] | null }): ReactElement {
  const [selected, setSelected] = useState<string | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const list = runs ?? [];
  const now = useNow(list.some(isDagRunActive));
  const virtualizer = useVirtualizer({ count: list.length, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 12, getItemKey: (index) => list[index]?.id ?? index });
  const current = list.find((run) => run.id === selected) ?? null;
  const open = (run: DagRun): void => navigate(dagRunHref(pipeline.name, run.runId));
  useRunsKeys(list, current, {
    select: (run) => {
      setSelected(run.id);
      virtualizer.scrollToIndex(list.indexOf(run), { align: 'auto' });
    },
    open,
    act: (kind, run) => (kind === 'rerun' || isDagRunActive(run)) && setAction({ kind, run }),
  });

  if (runs === null) return <EmptyState title="Loading DAG runs…" testId="runs-loading" />;
  if (runs.length === 0) {
    return (
      <EmptyState title="No DAG runs yet" testId="dag-runs-empty">
        <p>Trigger… starts one{pipeline.schedule ? `; the schedule (${pipeline.schedule}) starts them too${pipeline.paused ? ' once resumed' : ''}` : ''}.</p>
      </EmptyState>
    );
  }
  return (
    <div className="dag-runs" data-testid="dag-runs">
      <div className="dag-runs-table" ref={scroller} role="table" aria-label="DAG runs" aria-rowcount={runs.length} style={{ ['--dag-runs-columns' as string]: columns }}>
        <div className="dag-runs-header" role="row">
          {['Run', 'Kind', 'State', 'Logical date', 'Started', 'Duration', 'Params', 'Re-run of', ''].map((label, index) => (
            <div key={index} className={`header-cell${label === 'Duration' ? ' cell-right' : ''}`} role="columnheader">{label}</div>
          ))}
        </div>
        <div className="dag-runs-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const run = runs[item.index]!;
            const rerunHref = run.rerunOf ? dagRunIdHref(run.rerunOf) : null;
            const params = formatParams(run.params);
            return (
              <div
                key={item.key}
                className="dag-runs-row"
                role="row"
                aria-selected={run.id === selected}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => setSelected(run.id)}
                onDoubleClick={() => open(run)}
                data-testid="dag-run-row"
                data-run={run.runId}
                data-state={run.state}
              >
                <div className="cell mono">
                  <a href={dagRunHref(pipeline.name, run.runId)} onClick={(event) => event.stopPropagation()} data-testid="dag-run-link">{run.runId}</a>
                </div>
                <div className="cell"><span className="format-badge">{run.kind}</span></div>
                <div className="cell"><StateChip state={run.state} run testId="dag-run-state" /></div>
                <div className="cell numeric muted">{formatTimestamp(run.logicalDate)}</div>
                <div className="cell numeric muted">{formatTimestamp(run.startedAt)}</div>
                <div className="cell numeric cell-right">{formatDuration(dagRunDurationMs(run, now || Date.now()))}</div>
                <div className="cell mono muted" title={params || undefined}>{params || <span className="faint">—</span>}</div>
                <div className="cell mono">{rerunHref ? <a href={rerunHref} onClick={(event) => event.stopPropagation()} title={run.rerunOf ?? undefined}>{run.rerunOf!.slice(run.rerunOf!.indexOf('/') + 1)}</a> : <span className="faint">—</span>}</div>
                <div className="cell cell-right dag-run-actions" onClick={(event) => event.stopPropagation()}>
                  {isDagRunActive(run) ? (
                    <button type="button" className="button compact" onClick={() => setAction({ kind: 'cancel', run })} title="Stop this run: running tasks are killed, the rest skipped (c)" data-testid="dag-run-cancel">Cancel</button>
                  ) : null}
                  <button type="button" className="button compact" onClick={() => setAction({ kind: 'rerun', run })} title="Run again with the same spec, params and dataset versions (r)" data-testid="dag-run-rerun">Re-run exactly…</button>
                </div>
              </div>
            );
          })}
        </div>
      </div>
      <p className="pipelines-hint faint">
        <span className="kbd">j</span> <span className="kbd">k</span> move, <span className="kbd">Enter</span> opens, <span className="kbd">r</span> re-runs exactly, <span className="kbd">c</span> cancels a running run.
      </p>
      {action?.kind === 'cancel' ? <CancelRunDialog run={action.run} onClose={() => setAction(null)} /> : null}
      {action?.kind === 'rerun' ? <RerunDialog run={action.run} onClose={() => setAction(null)} /> : null}
    </div>
  );
}

function useRunsKeys(runs: readonly DagRun[], current: DagRun | null, actions: { select(run: DagRun): void; open(run: DagRun): void; act(kind: Action['kind'], run: DagRun): void }): void {
  const latest = useRef({ runs, current, actions });
  latest.current = { runs, current, actions };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTyping(event.target) || useUiStore.getState().paletteOpen || document.querySelector('[role="dialog"]')) return;
      const { runs: list, current: run, actions: act } = latest.current;
      if (event.key === 'Enter' && event.target instanceof Element && event.target.closest('a, button')) return;
      switch (event.key) {
        case 'Enter':
          if (!run) return;
          act.open(run);
          break;
        case 'r':
        case 'c':
          if (!run) return;
          act.act(event.key === 'r' ? 'rerun' : 'cancel', run);
          break;
        default: {
          const target = navigationTarget(event.key, run ? list.indexOf(run) : -1, list.length);
          if (target === null) return;
          act.select(list[target]!);
        }
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
