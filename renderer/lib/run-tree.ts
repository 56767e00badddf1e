import type { Run } from '../../shared/tracking';

/** The children of one expanded run, as loaded by `runs.search({parentRunId})`. */
export interface ChildrenState {
  readonly runs: readonly Run[];
  readonly loading: boolean;
  readonly error: string | null;
  /** More children exist than were loaded. */
  readonly more: number;
}

/** One line of the runs table: a run at some depth, or a placeholder under an expanded parent. */
export type TreeRow =
  | { readonly kind: 'run'; readonly key: string; readonly run: Run; readonly depth: number; readonly expandable: boolean; readonly expanded: boolean }
  | { readonly kind: 'note'; readonly key: string; readonly depth: number; readonly text: string; readonly tone: 'muted' | 'error' };

/**
 * Flattens top-level runs plus the children of expanded runs into the rows the virtualized table
 * draws, depth-first. A run that shows up among its own ancestors (a corrupt parent chain) is not
 * descended into again, so the table can never loop.
 */
export function buildTreeRows(
  roots: readonly Run[],
  children: Readonly<Record<string, ChildrenState>>,
  expanded: ReadonlySet<string>,
): TreeRow[] {
  const rows: TreeRow[] = [];
  const visit = (run: Run, depth: number, ancestors: ReadonlySet<string>): void => {
    const expandable = run.childCount > 0;
    const isExpanded = expandable && expanded.has(run.id) && !ancestors.has(run.id);
    rows.push({ kind: 'run', key: run.id, run, depth, expandable, expanded: isExpanded });
    if (!isExpanded) return;
    const state = children[run.id];
    const childDepth = depth + 1;
    if (!state || (state.loading && state.runs.length === 0)) {
      rows.push({ kind: 'note', key: `${run.id}:loading`, depth: childDepth, text: 'Loading child runs…', tone: 'muted' });
      return;
    }
    if (state.error) {
      rows.push({ kind: 'note', key: `${run.id}:error`, depth: childDepth, text: `Could not load child runs: ${state.error}`, tone: 'error' });
      return;
    }
    const lineage = new Set(ancestors).add(run.id);
    for (const child of state.runs) visit(child, childDepth, lineage);
    if (state.more > 0) {
      rows.push({ kind: 'note', key: `${run.id}:more`, depth: childDepth, text: `${state.more} more child runs not shown — filter to find them`, tone: 'muted' });
    }
  };
  for (const run of roots) visit(run, 0, new Set());
  return rows;
}

/** Flat rows for a filtered search: every matching run at depth 0, no tree. */
export function buildFlatRows(runs: readonly Run[]): TreeRow[] {
  return runs.map((run) => ({ kind: 'run', key: run.id, run, depth: 0, expandable: false, expanded: false }));
}
