import type { ExpectationResult } from '../../shared/expectations';
import { expectationColumn } from '../../shared/expectation-text';

/** One section of a validation report, as GE's Data Docs lay it out. */
export interface ReportSection {
  /** Null for the "Table-level expectations" section. */
  readonly column: string | null;
  readonly results: readonly ExpectationResult[];
  readonly failed: number;
}

/**
 * Data Docs' grouping: table-level expectations first, then one section per column in the order
 * the suite first names it; results keep their suite order inside a section.
 */
export function groupResults(results: readonly ExpectationResult[]): ReportSection[] {
  const sections = new Map<string | null, ExpectationResult[]>([[null, []]]);
  for (const result of results) {
    const column = expectationColumn(result.expectation_config);
    const list = sections.get(column) ?? [];
    list.push(result);
    sections.set(column, list);
  }
  return [...sections]
    .filter(([, list]) => list.length > 0)
    .map(([column, list]) => ({ column, results: list, failed: list.filter((result) => !result.success).length }));
}

/** `partial_unexpected_counts` as rows for the "Unexpected value | Count" table, if there are any. */
export function unexpectedCounts(result: ExpectationResult): { value: string; count: number }[] {
  const raw = result.result.partial_unexpected_counts;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { value, count } = entry as { value?: unknown; count?: unknown };
    if (typeof count !== 'number') return [];
    return [{ value: value === null || value === undefined ? 'null' : typeof value === 'string' ? value : JSON.stringify(value), count }];
  });
}

/** `99.5` → `99.5%`, null (nothing evaluated) → `—`. */
export function formatPercent(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return `${Number(value.toFixed(value === 100 || value === 0 ? 0 : 2))}%`;
}
