import type { Run } from '../../shared/tracking';
import { ApiError } from './api-error';

/**
 * A deliberately small subset of the search grammar for the fake back end: comparisons joined by
 * `and`. Enough for component tests and the demo; the real grammar lives in main/core.
 */
type Comparison = { entity: 'metrics' | 'params' | 'tags' | 'attributes'; key: string; operator: string; value: string | number };

const clausePattern = /^\s*(metrics|params|tags|attributes)\.([A-Za-z_][\w./-]*)\s*(<=|>=|!=|=|<|>|ilike|like)\s*('(?:[^']|'')*'|[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*$/i;

export function parseFakeFilter(filter: string): Comparison[] {
  if (filter.trim() === '') return [];
  let column = 1;
  return filter.split(/\band\b/i).map((clause) => {
    const match = clausePattern.exec(clause);
    if (!match) throw new ApiError('INVALID_ARGUMENT', `Invalid filter at column ${column}: expected a comparison like metrics.loss < 0.5`, 'runs.search');
    column += clause.length + 3;
    const [, entity, key, operator, raw] = match as unknown as [string, Comparison['entity'], string, string, string];
    const value = raw.startsWith("'") ? raw.slice(1, -1).replaceAll("''", "'") : Number(raw);
    return { entity: entity.toLowerCase() as Comparison['entity'], key, operator: operator.toLowerCase(), value };
  });
}

export function matchesFakeFilter(run: Run, comparisons: readonly Comparison[]): boolean {
  return comparisons.every((comparison) => {
    const actual = fieldOf(run, comparison.entity, comparison.key);
    if (actual === undefined) return false;
    return compare(actual, comparison.operator, comparison.value);
  });
}

export function fieldOf(run: Run, entity: string, key: string): string | number | undefined {
  if (entity === 'metrics') return run.metrics[key]?.value;
  if (entity === 'params') return run.params[key];
  if (entity === 'tags') return run.tags[key];
  const attributes: Record<string, string | number | null> = {
    run_name: run.name,
    name: run.name,
    status: run.status,
    start_time: run.startTime,
    end_time: run.endTime,
    run_id: run.id,
  };
  return attributes[key] ?? undefined;
}

function compare(actual: string | number, operator: string, expected: string | number): boolean {
  if (operator === 'like' || operator === 'ilike') {
    const flags = operator === 'ilike' ? 'i' : '';
    const pattern = String(expected).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('%', '.*').replaceAll('_', '.');
    return new RegExp(`^${pattern}$`, flags).test(String(actual));
  }
  const left = typeof expected === 'number' ? Number(actual) : String(actual);
  switch (operator) {
    case '=':
      return left === expected;
    case '!=':
      return left !== expected;
    case '<':
      return left < expected;
    case '<=':
      return left <= expected;
    case '>':
      return left > expected;
    default:
      return left >= expected;
  }
}
