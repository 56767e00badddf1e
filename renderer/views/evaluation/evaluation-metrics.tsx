import type { ReactElement } from 'react';
import { classRows, headlineMetricKeys, metricDirection, type ConfusionData, type EvaluationSummary } from '../../lib/evaluation-data';
import { formatMetric } from '../../lib/format';

const metricLabels: Record<string, string> = {
  accuracy: 'Accuracy',
  f1_macro: 'F1 macro',
  f1_weighted: 'F1 weighted',
  roc_auc_macro: 'ROC AUC macro',
  average_precision_macro: 'AP macro',
  log_loss: 'Log loss',
  rmse: 'RMSE',
  mae: 'MAE',
  r2: 'R²',
  max_error: 'Max error',
};

/** The key metrics in large type, then (for a classifier) precision, recall, F1, AUC and AP per class. */
export function EvaluationMetrics({ summary, confusion }: { summary: EvaluationSummary; confusion: ConfusionData | undefined }): ReactElement {
  const keys = headlineMetricKeys(summary.task, summary.metrics);
  const classes = summary.task === 'classification' ? classRows(summary, confusion) : [];
  const others = Object.entries(summary.metrics).sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }));
  return (
    <section className="eval-metrics" data-testid="eval-metrics">
      <div className="eval-tiles">
        {keys.map((key) => {
          const direction = metricDirection(key);
          return (
            <div key={key} className="eval-tile" data-testid="eval-metric" data-metric={key} title={`${key}${direction ? ` — ${direction} is better` : ''}`}>
              <span className="eval-tile-label">{metricLabels[key] ?? key}</span>
              <span className="eval-tile-value numeric">{formatMetric(summary.metrics[key])}</span>
            </div>
          );
        })}
        <div className="eval-tile rows" title="Rows the metrics are computed on">
          <span className="eval-tile-label">Rows</span>
          <span className="eval-tile-value numeric" data-testid="eval-rows">{summary.rows.toLocaleString()}</span>
          {summary.skippedRows > 0 ? <span className="eval-tile-note numeric">{summary.skippedRows.toLocaleString()} left out</span> : null}
        </div>
      </div>
      {classes.length > 0 ? (
        <table className="data-table eval-class-table" aria-label="Per-class metrics" data-testid="eval-class-table">
          <thead>
            <tr>
              <th>Class</th>
              <th className="right">Support</th>
              <th className="right">Precision</th>
              <th className="right">Recall</th>
              <th className="right">F1</th>
              <th className="right">ROC AUC</th>
              <th className="right">AP</th>
            </tr>
          </thead>
          <tbody>
            {classes.map((row) => (
              <tr key={row.name} data-testid="eval-class-row" data-class={row.name}>
                <td className="mono" title={row.name}>{row.name}</td>
                <td className="right numeric">{row.support === null ? '—' : row.support.toLocaleString()}</td>
                <Cell value={row.precision} />
                <Cell value={row.recall} />
                <Cell value={row.f1} />
                <Cell value={row.rocAuc} />
                <Cell value={row.averagePrecision} />
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <details className="eval-all-metrics">
        <summary className="field-hint">All {others.length} metrics</summary>
        <table className="data-table eval-all-table">
          <tbody>
            {others.map(([key, value]) => (
              <tr key={key}>
                <td className="mono">{key}</td>
                <td className="right numeric">{formatMetric(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

/** A 0..1 score with a bar behind it, so a weak class stands out in a long table. */
function Cell({ value }: { value: number | null }): ReactElement {
  if (value === null) return <td className="right faint">—</td>;
  return (
    <td className="right numeric eval-score-cell">
      <span className="eval-score-bar" style={{ width: `${Math.max(0, Math.min(1, value)) * 100}%` }} aria-hidden="true" />
      <span className="eval-score-text">{formatMetric(value)}</span>
    </td>
  );
}
