import type { ReactElement } from 'react';
import type { ModelVersion } from '../../../shared/registry';
import type { Run } from '../../../shared/tracking';
import { summaryMetrics } from '../../lib/evaluation-data';
import { formatMetric, formatTimestamp } from '../../lib/format';
import { runHref } from '../../lib/hash-route';
import { shownEvaluation, useEvaluationsStore } from '../../stores/evaluations';
import { EvaluationPanel, useEvaluationRun } from '../evaluation/evaluation-panel';

/** The evaluate run a version's page shows: the newest one started here, else its `trainyard.last_evaluation`. */
export function useVersionEvaluation(version: ModelVersion): string | null {
  const pending = useEvaluationsStore((state) => state.pending[`${version.name}/${version.version}`]);
  return shownEvaluation(pending, version.tags['trainyard.last_evaluation'] ?? null);
}

/** "accuracy 0.95 · f1_macro 0.94 · roc_auc_macro 0.99 · open": the last evaluation in one line. */
export function LastEvaluation({ version }: { version: ModelVersion }): ReactElement {
  const runId = useVersionEvaluation(version);
  const { run, runError } = useEvaluationRun(runId);
  if (runId === null) return <span className="faint" data-testid="last-evaluation" data-state="none">not evaluated yet</span>;
  const link = (
    <a href={runHref(runId, 'evaluation')} data-testid="last-evaluation-open">
      open
    </a>
  );
  if (!run) return <span className="faint" data-testid="last-evaluation" data-state="loading">{runError ? 'its run could not be read' : '…'}</span>;
  if (run.status === 'RUNNING') return <span data-testid="last-evaluation" data-state="running">running · {link}</span>;
  const metrics = summaryMetrics(run.metrics);
  return (
    <span className="key-metrics last-evaluation" data-testid="last-evaluation" data-state={run.status} title={`${run.params['dataset'] ?? ''} · ${formatTimestamp(run.endTime ?? run.startTime)}`}>
      {run.status === 'FAILED' ? <span className="inline-error">{metrics.length > 0 ? 'gate failed' : 'failed'}</span> : null}
      {metrics.map((metric) => (
        <span key={metric.key} className="key-metric" data-metric={metric.key}>
          <span className="faint">{metric.key}</span> <span className="numeric">{formatMetric(metric.value)}</span>
        </span>
      ))}
      <span className="faint">·</span>
      {link}
    </span>
  );
}

/** A version's Evaluation section: its last (or running) evaluation drawn in full, and Evaluate…. */
export function VersionEvaluation({ version, onEvaluate }: { version: ModelVersion; onEvaluate: () => void }): ReactElement {
  const runId = useVersionEvaluation(version);
  return (
    <section className="version-evaluation" data-testid="version-evaluation" data-run-id={runId ?? ''}>
      <div className="version-evaluation-heading">
        <h3 className="panel-heading">Evaluation</h3>
        <button type="button" className="button compact" onClick={onEvaluate} title="Evaluate on a dataset… (e)" data-testid="version-evaluate-again">
          {runId ? 'Evaluate again…' : 'Evaluate…'}
        </button>
      </div>
      {runId ? (
        <EvaluationPanel key={runId} runId={runId} header={(run) => <EvaluationFacts run={run} />} />
      ) : (
        <p className="faint version-no-signature" data-testid="evaluation-none">
          Not evaluated yet. <strong>Evaluate…</strong> (<span className="kbd">e</span>) scores it on a dataset version — its test part when it is split — and draws the confusion matrix, ROC, precision–recall and calibration (or residuals).
        </p>
      )}
    </section>
  );
}

function EvaluationFacts({ run }: { run: Run }): ReactElement {
  return (
    <p className="version-evaluation-facts faint">
      On <span className="mono">{run.params['dataset'] ?? '—'}</span>, target <span className="mono">{run.params['target'] ?? '—'}</span>
      {run.params['fail_if'] ? (
        <>
          , gate <code>{run.params['fail_if']}</code>
        </>
      ) : null}{' '}
      · {formatTimestamp(run.startTime)} · <a href={runHref(run.id, 'evaluation')}>{run.name}</a>
    </p>
  );
}
