import { useEffect, type ReactElement, type ReactNode } from 'react';
import type { Run } from '../../../shared/tracking';
import { fractionOf, formatProgress } from '../../lib/job-progress';
import { runHref } from '../../lib/hash-route';
import { useEvaluationsStore, type EvaluationEntry } from '../../stores/evaluations';
import { useJobsStore } from '../../stores/jobs';
import { useRunDetailsStore } from '../../stores/run-details';
import { EvaluationView } from './evaluation-view';
import './evaluation.css';

const ended = (status: Run['status'] | undefined): boolean => status === 'FINISHED' || status === 'FAILED' || status === 'KILLED';

/**
 * An evaluate run and its results once it has ended, read through the run-details cache (kept
 * live by run.updated) and the evaluations store. Until then: what it scores and how far it is.
 */
export function useEvaluationRun(runId: string | null): { run: Run | null; runError: string | null; entry: EvaluationEntry | undefined } {
  const detail = useRunDetailsStore((state) => (runId ? state.details[runId] : undefined));
  const loadRun = useRunDetailsStore((state) => state.load);
  const entry = useEvaluationsStore((state) => (runId ? state.entries[runId] : undefined));
  const loadReport = useEvaluationsStore((state) => state.load);
  const status = detail?.run?.status;
  useEffect(() => {
    if (runId && !detail) void loadRun(runId);
  }, [runId, detail, loadRun]);
  useEffect(() => {
    // The artifacts are stored before the run ends: an ended run has them (or never will).
    if (runId && ended(status)) void loadReport(runId);
  }, [runId, status, loadReport]);
  return { run: detail?.run ?? null, runError: detail?.error ?? null, entry };
}

/**
 * The results of one evaluate run, with its state around them: running (with the job's progress),
 * failed (the reason; a failed gate still shows its numbers), stopped, or unreadable.
 */
export function EvaluationPanel({ runId, header }: { runId: string; header?: (run: Run) => ReactNode }): ReactElement {
  const { run, runError, entry } = useEvaluationRun(runId);
  const loadReport = useEvaluationsStore((state) => state.load);
  if (!run) {
    return runError ? (
      <div className="eval-state inline-error" data-testid="evaluation-state" data-state="unreadable">The evaluation run could not be read: {runError}</div>
    ) : (
      <div className="eval-state faint" data-testid="evaluation-state" data-state="loading">Loading the evaluation…</div>
    );
  }
  const failure = run.status === 'FAILED' ? run.tags['trainyard.error'] : undefined;
  const gateFailed = failure?.startsWith('The gate failed') ?? false;
  return (
    <div className="evaluation-panel" data-testid="evaluation-panel" data-run-id={run.id} data-status={run.status}>
      {header ? header(run) : null}
      {run.status === 'RUNNING' ? <EvaluationProgress run={run} /> : null}
      {failure ? (
        <div className={`eval-failure${gateFailed ? ' gate' : ''}`} role="alert" data-testid="evaluation-failure">
          {failure}
        </div>
      ) : null}
      {run.status === 'KILLED' ? <div className="eval-state faint" data-testid="evaluation-state" data-state="stopped">The evaluation was stopped before it finished.</div> : null}
      {ended(run.status) ? (
        entry?.report ? (
          <EvaluationView report={entry.report} />
        ) : entry?.error ? (
          <div className="eval-state inline-error" data-testid="evaluation-state" data-state="error">
            The results could not be read: {entry.error}{' '}
            <button type="button" className="button compact" onClick={() => void loadReport(run.id)}>Retry</button>
          </div>
        ) : entry?.missing ? (
          run.status === 'FINISHED' ? (
            <div className="eval-state faint" data-testid="evaluation-state" data-state="missing">This run holds no evaluation results (eval/summary.json).</div>
          ) : null
        ) : (
          <div className="eval-state faint" data-testid="evaluation-state" data-state="loading">Loading the results…</div>
        )
      ) : null}
    </div>
  );
}

/** Scoring in progress: the evaluate job's bar (the same job the status bar shows). */
function EvaluationProgress({ run }: { run: Run }): ReactElement {
  const data = run.params['dataset'] ?? run.tags['trainyard.data'] ?? 'the dataset';
  const modelVersion = run.tags['trainyard.model_version']?.replace(/\/(\d+)$/, ' v$1');
  const job = useJobsStore((state) =>
    Object.values(state.entries).find((entry) => entry.job.kind === 'evaluate' && entry.job.state === 'running' && entry.job.label.endsWith(` on ${data}`) && (!modelVersion || entry.job.label.includes(modelVersion)))?.job,
  );
  const fraction = job ? fractionOf(job.done, job.total) : null;
  return (
    <div className="eval-state eval-progress" data-testid="evaluation-state" data-state="running">
      <span className="spinner" aria-hidden="true" />
      <span>
        Evaluating on <strong>{data}</strong>
        {job ? <span className="faint"> — {job.phase}{job.total !== null ? `, ${formatProgress(job.done, job.total, job.unit)}` : ''}</span> : null}
      </span>
      {job ? (
        <span className={`job-bar${fraction === null ? ' indeterminate' : ''}`} role="progressbar" aria-label="Evaluation progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}>
          <span className="job-bar-fill" style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
        </span>
      ) : null}
      <a href={runHref(run.id)} className="faint">open the run</a>
    </div>
  );
}
