import type { Run } from '../../shared/tracking';

/** One line of the compared-runs list: a run id and how deep it sits under other compared runs. */
export interface TreeEntry {
  readonly id: string;
  /** 0 unless the run's parent is compared too; then one more than the parent's. */
  readonly depth: number;
}

/**
 * Orders the compared runs as a tree: a run whose parent is also compared comes right after it
 * (after the parent's earlier children), indented one level more; everything else keeps the
 * selection order at depth 0. Runs not loaded yet count as top level until they are. A corrupt
 * parent chain that loops is cut where it closes, so every id appears exactly once.
 */
export function compareTreeOrder(ids: readonly string[], runs: readonly Pick<Run, 'id' | 'parentRunId'>[]): TreeEntry[] {
  const compared = new Set(ids);
  const parentOf = new Map(runs.map((run) => [run.id, run.parentRunId]));
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const id of ids) {
    const parent = parentOf.get(id) ?? null;
    if (parent !== null && parent !== id && compared.has(parent)) {
      const list = children.get(parent) ?? [];
      list.push(id);
      children.set(parent, list);
    } else roots.push(id);
  }
  const entries: TreeEntry[] = [];
  const placed = new Set<string>();
  const visit = (id: string, depth: number): void => {
    if (placed.has(id)) return;
    placed.add(id);
    entries.push({ id, depth });
    for (const child of children.get(id) ?? []) visit(child, depth + 1);
  };
  for (const id of roots) visit(id, 0);
  // Runs on a parent cycle have no root above them: start from the first of each, in selection order.
  for (const id of ids) visit(id, 0);
  return entries;
}
