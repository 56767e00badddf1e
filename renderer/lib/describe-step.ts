import { fittedStepSchema, transformStepSchema } from '../../shared/transforms';
import { formatMetric } from './format';

/**
 * One line per transform step, as a derived version's "how it was made" list shows it, and what
 * fitting it learned. Versions store steps untyped (the schema may grow), so unknown shapes are
 * shown as JSON rather than hidden.
 */

const list = (names: readonly string[]): string => names.join(', ');
const percent = (fraction: number): string => `${Number((fraction * 100).toFixed(1))}%`;

export function describeStep(raw: unknown): string {
  const parsed = transformStepSchema.safeParse(raw);
  if (!parsed.success) return JSON.stringify(raw);
  const step = parsed.data;
  switch (step.op) {
    case 'drop':
      return `Drop ${list(step.columns)}`;
    case 'rename':
      return `Rename ${Object.entries(step.mapping).map(([from, to]) => `${from} → ${to}`).join(', ')}`;
    case 'cast':
      return `Cast ${Object.entries(step.types).map(([column, type]) => `${column} to ${type}`).join(', ')}`;
    case 'filter':
      return `Keep rows where ${step.where}`;
    case 'impute':
      return step.strategy === 'constant'
        ? `Fill nulls in ${list(step.columns)} with ${JSON.stringify(step.value ?? null)}`
        : `Fill nulls in ${list(step.columns)} with the ${step.strategy === 'mode' ? 'most frequent value' : step.strategy}`;
    case 'scale':
      return `Scale ${list(step.columns)} (${step.method === 'standard' ? 'standard: (x − mean) / std' : 'min-max to [0, 1]'})`;
    case 'encode':
      return `${step.method === 'onehot' ? 'One-hot encode' : 'Ordinal-encode'} ${list(step.columns)}`;
    case 'derive':
      return `Add ${step.column} = ${step.expression}`;
    case 'split': {
      const parts = Object.entries(step.fractions).map(([name, fraction]) => `${name} ${percent(fraction)}`).join(' · ');
      return `Split ${parts} (seed ${step.seed}${step.stratify ? `, stratified by ${step.stratify}` : ''})`;
    }
  }
}

const value = (item: unknown): string => (typeof item === 'number' ? formatMetric(item) : JSON.stringify(item));

/** What a step fitted, or null for steps that fit nothing. */
export function describeFitted(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  const parsed = fittedStepSchema.safeParse(raw);
  if (!parsed.success) return JSON.stringify(raw);
  const fitted = parsed.data;
  switch (fitted.op) {
    case 'impute':
      return Object.entries(fitted.values).map(([column, fill]) => `${column} ← ${value(fill)}`).join(' · ');
    case 'scale':
      return Object.entries(fitted.columns).map(([column, { center, scale }]) => `${column}: center ${value(center)}, scale ${value(scale)}`).join(' · ');
    case 'encode':
      return Object.entries(fitted.categories)
        .map(([column, categories]) => `${column}: ${categories.length > 6 ? `${categories.slice(0, 6).join(', ')} … (${categories.length})` : categories.join(', ')}`)
        .join(' · ');
  }
}
