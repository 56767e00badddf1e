import { useEffect, useMemo, useRef, useState, type ReactElement, type ReactNode } from 'react';
import type { DagRun, PipelineSummary } from '../../../shared/pipelines';
import { EmptyState } from '../../components/empty-state';
import { BackIcon, PipelineIcon } from '../../components/icons';
import { formatDuration, formatTimestamp, shortId } from '../../lib/format';
import { dagRunHref, dagRunIdHref, pipelineHref } from '../../lib/hash-route';
import { navigationTarget } from '../../lib/list-navigation';
import { outputLink } from '../../lib/pipeline-outputs';
import { formatParams } from '../../lib/pipeline-params';
import { dagRunDurationMs, isDagRunActive, taskDurationMs, tryLabel } from '../../lib/pipeline-states';
import { navigate } from '../../lib/use-route';
import { useNow } from '../../lib/use-now';
import { usePipelinesStore } from '../../stores/pipelines';
import { useUiStore } from '../../stores/ui';
import { isTyping } from '../runs/use-table-keyboard';
import { DagGraph } from './dag-graph';
import { CompareDagRunsButton } from './compare-dag-runs-button';
import { CancelRunDialog, RerunDialog } from './pipeline-dialogs';
import { StateChip } from './state-chip';
import { TaskPanel } from './task-panel';
import './dag-run.css';

/**
 * One DAG run: its header (state, dates, params, what it re-runs), its graph with live states,
 * and either its tasks as a table or, with a task in the route, that task instance: tries,
 * timing, outputs, actions and its log. j/k move between tasks; Esc steps back out.
 */
export function DagRunPage({ pipeline, runId, task }: { pipeline: string; runId: string; task: string | null }): ReactElement {
  const id = `${pipeline}/${runId}`;
  const entry = usePipelinesStore((state) => state.dagRuns[id]);
  const summary = usePipelinesStore((state) => state.pipelines[pipeline]?.detail ?? null);
  const loadDagRun = usePipelinesStore((state) => state.loadDagRun);
  const loadPipeline = usePipelinesStore((state) => state.loadPipeline);
  const [action, setAction] = useState<'cancel' | 'rerun' | null>(null);

  useEffect(() => {
    void loadDagRun(id);
    void loadPipeline(pipeline);
  }, [id, pipeline, loadDagRun, loadPipeline]);

  const run = entry?.run ?? null;
  const steps = useMemo(() => graphSteps(summary?.steps ?? [], run), [summary, run]);
  useRunKeys(pipeline, runId, task, steps.map((step) => step.id));

  if (!run) {
    return (
      <div className="page" data-testid="dag-run-page">
        {entry?.missing ? (
          <EmptyState title={`No DAG run ${runId} in ${pipeline}`} testId="dag-run-missing">
            <a className="button" href={pipelineHref(pipeline, 'runs')}>All runs of {pipeline}</a>
          </EmptyState>
        ) : entry?.error ? (
          <EmptyState title="This DAG run could not be opened" testId="dag-run-error">
            <p>{entry.error}</p>
            <button type="button" className="button" onClick={() => void loadDagRun(id)}>Try again</button>
          </EmptyState>
        ) : (
          <EmptyState title="Loading DAG run…" testId="dag-run-loading" />
        )}
      </div>
    );
  }
  const selected = task ? (run.tasks.find((instance) => instance.taskId === task) ?? null) : null;
  return (
    <div className="page" data-testid="dag-run-page" data-run={run.id} data-state={run.state}>
      <RunHeader run={run} onCancel={() => setAction('cancel')} onRerun={() => setAction('rerun')} />
      {entry?.error ? <div className="page-banner error">Refreshing this run failed: {entry.error}</div> : null}
      <div className="dag-run-body">
        <DagGraph steps={steps} run={run} selected={task} onOpen={(taskId) => navigate(dagRunHref(pipeline, runId, taskId))} />
        {task && !selected ? (
          <EmptyState title={`This run has no task ${task}`} testId="task-missing">
            <a className="button" href={dagRunHref(pipeline, runId)}>All its tasks</a>
          </EmptyState>
        ) : selected ? (
          <TaskPanel key={selected.taskId} run={run} task={selected} steps={steps} />
        ) : (
          <TasksTable run={run} />
        )}
      </div>
      {action === 'cancel' ? <CancelRunDialog run={run} onClose={() => setAction(null)} /> : null}
      {action === 'rerun' ? <RerunDialog run={run} onClose={() => setAction(null)} /> : null}
    </div>
  );
}

/** The pipeline's steps, plus any task this (older) run has that the current spec lost. */
function graphSteps(steps: PipelineSummary['steps'], run: DagRun | null): PipelineSummary['steps'] {
  if (!run) return steps;
  const known = new Set(steps.map((step) => step.id));
  const extra = run.tasks.filter((task) => !known.has(task.taskId)).map((task) => ({ id: task.taskId, kind: task.kind, dependsOn: [] }));
  return extra.length === 0 ? steps : [...steps, ...extra];
}

function RunHeader({ run, onCancel, onRerun }: { run: DagRun; onCancel: () => void; onRerun: () => void }): ReactElement {
  const active = isDagRunActive(run);
  const now = useNow(active);
  const rerunHref = run.rerunOf ? dagRunIdHref(run.rerunOf) : null;
  const params = formatParams(run.params);
  return (
    <header className="page-header">
      <div className="page-header-top">
        <a className="icon-button back-button" href={pipelineHref(run.pipeline, 'runs')} title={`Back to the runs of ${run.pipeline} (Esc)`} aria-label="Back to the pipeline's runs" data-testid="dag-run-back">
          <BackIcon size={16} />
        </a>
        <PipelineIcon size={16} className="row-icon" />
        <h1 className="page-title" title={run.id}>
          <a className="title-link" href={pipelineHref(run.pipeline)}>{run.pipeline}</a>
          <span className="faint"> / </span>
          <span className="mono" data-testid="dag-run-title">{run.runId}</span>
        </h1>
        <StateChip state={run.state} run testId="dag-run-state" />
        <span className="format-badge">{run.kind}</span>
        <span className="pipeline-header-actions">
          {active ? <button type="button" className="button" onClick={onCancel} data-testid="cancel-run" title="Stop this run: running tasks are killed, the rest skipped">Cancel run…</button> : null}
          <CompareDagRunsButton run={run} />
          <button type="button" className="button" onClick={onRerun} data-testid="rerun-button" title="Run again with the same spec, params and dataset versions">Re-run exactly…</button>
        </span>
      </div>
      <dl className="page-facts">
        <Fact label="Logical date"><span className="numeric">{formatTimestamp(run.logicalDate)}</span></Fact>
        <Fact label="Started"><span className="numeric">{formatTimestamp(run.startedAt)}</span></Fact>
        <Fact label="Ended"><span className="numeric">{formatTimestamp(run.endedAt)}</span></Fact>
        <Fact label="Duration"><span className="numeric" data-testid="dag-run-duration">{formatDuration(dagRunDurationMs(run, now || Date.now()))}</span></Fact>
        <Fact label="Params"><span className="mono" title={params}>{params || <span className="faint">none</span>}</span></Fact>
        {rerunHref ? <Fact label="Re-run of"><a className="mono" href={rerunHref} data-testid="dag-run-rerun-of">{run.rerunOf}</a></Fact> : null}
        {run.codeVersion ? <Fact label="Code"><code title={run.codeVersion}>{shortId(run.codeVersion)}{run.codeVersion.endsWith('-dirty') ? '-dirty' : ''}</code></Fact> : null}
        {run.inputs.length > 0 ? (
          <Fact label="Read">
            <span className="chip-list">
              {run.inputs.map((input) => {
                const link = outputLink('dataset', input);
                return link ? <a key={input} className="mono" href={link.href}>{input}</a> : <code key={input}>{input}</code>;
              })}
            </span>
          </Fact>
        ) : null}
      </dl>
    </header>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <div className="page-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Every task instance of the run: state, try, start and duration; a row opens the task. */
function TasksTable({ run }: { run: DagRun }): ReactElement {
  const now = useNow(isDagRunActive(run));
  return (
    <section className="dag-run-tasks">
      <h2 className="panel-heading">Tasks</h2>
      <table className="data-table" aria-label="Task instances" data-testid="task-table">
        <thead>
          <tr>
            <th>Task</th>
            <th>Kind</th>
            <th>State</th>
            <th>Try</th>
            <th>Started</th>
            <th className="right">Duration</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {run.tasks.map((task) => (
            <tr key={task.taskId} onClick={() => navigate(dagRunHref(run.pipeline, run.runId, task.taskId))} className="clickable" data-testid="task-row" data-task={task.taskId} data-state={task.state}>
              <td className="mono"><a href={dagRunHref(run.pipeline, run.runId, task.taskId)} onClick={(event) => event.stopPropagation()}>{task.taskId}</a></td>
              <td><span className="format-badge">{task.kind}</span></td>
              <td><StateChip state={task.state} /></td>
              <td className="numeric">{task.tryNumber > 0 ? tryLabel(task) : <span className="faint">—</span>}</td>
              <td className="numeric muted">{formatTimestamp(task.startedAt)}</td>
              <td className="right numeric">{formatDuration(taskDurationMs(task, now || Date.now()))}</td>
              <td className="muted" title={task.message ?? undefined}>{task.message ?? (task.cachedFrom ? `cached from ${task.cachedFrom}` : '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="pipelines-hint faint">
        Click a task (or a step of the graph) for its tries and logs. <span className="kbd">j</span> <span className="kbd">k</span> move between tasks, <span className="kbd">Esc</span> goes back.
      </p>
    </section>
  );
}

/** j/k step through the tasks in graph order (the arrows stay with the log's scrolling); Esc leaves the task, then the run. */
function useRunKeys(pipeline: string, runId: string, task: string | null, order: readonly string[]): void {
  const latest = useRef({ task, order });
  latest.current = { task, order };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTyping(event.target) || useUiStore.getState().paletteOpen || document.querySelector('[role="dialog"]')) return;
      const { task: current, order: tasks } = latest.current;
      if (event.key === 'Escape') {
        navigate(current ? dagRunHref(pipeline, runId) : pipelineHref(pipeline, 'runs'));
      } else if (event.key === 'j' || event.key === 'k') {
        const target = navigationTarget(event.key, current ? tasks.indexOf(current) : -1, tasks.length);
        if (target === null) return;
        navigate(dagRunHref(pipeline, runId, tasks[target]!));
      } else {
        return;
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [pipeline, runId]);
}
