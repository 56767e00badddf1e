import { metricDirection } from './evaluation-data';

/** One metric of two evaluations side by side. */
export interface MetricComparison {
  readonly key: string;
  readonly a: number | null;
  readonly b: number | null;
  /** b − a, when both have it. */
  readonly delta: number | null;
  /** Which is better by the metric's direction; 'same' on a tie; null when it cannot be said. */
  readonly better: 'a' | 'b' | 'same' | null;
  /** An overall metric (accuracy, f1_macro, rmse…), as opposed to one class's. */
  readonly overall: boolean;
}

/** Overall metrics in the order a reader scans them; anything else follows alphabetically. */
const overallOrder = [
  'accuracy',
  'f1_macro',
  'f1_weighted',
  'precision_macro',
  'recall_macro',
  'precision_weighted',
  'recall_weighted',
  'roc_auc_macro',
  'average_precision_macro',
  'log_loss',
  'precision',
  'recall',
  'f1',
  'roc_auc',
  'brier_score',
  'rmse',
  'mae',
  'r2',
  'max_error',
];

/**
 * Two metric sets (two versions' evaluations) as rows: every key either has, overall metrics
 * first, each with the delta and which side is better. A side with no evaluation is null.
 */
export function compareMetrics(a: Readonly<Record<string, number>> | null, b: Readonly<Record<string, number>> | null): MetricComparison[] {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  const rank = (key: string): number => {
    const index = overallOrder.indexOf(key);
    return index === -1 ? overallOrder.length : index;
  };
  return [...keys]
    .sort((left, right) => rank(left) - rank(right) || left.localeCompare(right, undefined, { numeric: true }))
    .map((key) => {
      const first = a?.[key] ?? null;
      const second = b?.[key] ?? null;
      const delta = first !== null && second !== null ? second - first : null;
      return { key, a: first, b: second, delta, better: betterOf(key, first, second), overall: overallOrder.includes(key) };
    });
}

function betterOf(key: string, a: number | null, b: number | null): MetricComparison['better'] {
  const direction = metricDirection(key);
  if (a === null || b === null || direction === null || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  if (a === b) return 'same';
  return (direction === 'higher') === b > a ? 'b' : 'a';
}

/** `+0.0123` / `−0.5`: a delta with its sign always shown (a minus, not a hyphen). */
export function formatDelta(delta: number | null, format: (value: number) => string): string {
  if (delta === null) return '—';
  if (delta === 0) return '0';
  return delta > 0 ? `+${format(delta)}` : `−${format(-delta)}`;
}
