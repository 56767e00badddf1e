import { useMemo, useState, type ReactElement } from 'react';
import type { Run } from '../../../shared/tracking';
import { EmptyState } from '../../components/empty-state';
import { seriesColor } from '../../lib/series-color';
import { MetricChart } from './metric-chart';
import './metric-chart.css';

/** One chart per metric key, in the run's colour. */
export function MetricsPanel({ run }: { run: Run }): ReactElement {
  const [query, setQuery] = useState('');
  const keys = useMemo(() => Object.keys(run.metrics).sort((a, b) => a.localeCompare(b, undefined, { numeric: true })), [run.metrics]);
  if (keys.length === 0) {
    return (
      <EmptyState title="No metrics yet" testId="metrics-empty">
        {run.status === 'RUNNING'
          ? 'This run is running; charts appear here as soon as it logs a metric (runs.logBatch or mlflow.log_metric).'
          : 'This run logged no metrics. Log them with runs.logBatch or mlflow.log_metric, with a step for the x-axis.'}
      </EmptyState>
    );
  }
  const needle = query.trim().toLowerCase();
  const shown = needle === '' ? keys : keys.filter((key) => key.toLowerCase().includes(needle));
  return (
    <div className="metrics-panel">
      {keys.length > 6 ? (
        <input className="input metrics-filter" placeholder={`Find among ${keys.length} metrics…`} value={query} onChange={(event) => setQuery(event.target.value)} aria-label="Find a metric" />
      ) : null}
      <div className="chart-grid">
        {shown.map((key) => (
          <MetricChart key={key} runId={run.id} metricKey={key} color={seriesColor(run.id)} latest={run.metrics[key] ?? null} />
        ))}
      </div>
    </div>
  );
}
