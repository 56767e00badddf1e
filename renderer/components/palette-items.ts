/** One entry of the command palette. */
export interface PaletteItem {
  readonly id: string;
  readonly group: 'Actions' | 'Datasets' | 'Pipelines' | 'Models' | 'Experiments' | 'Runs';
  readonly label: string;
  /** Grey text on the right: a short id, a keyboard hint. */
  readonly detail?: string;
  readonly run: () => void;
}

/**
 * Scores how well `query` matches `label`: a substring beats a scattered subsequence, an early
 * match beats a late one; null when the letters are not all there in order.
 */
export function matchScore(label: string, query: string): number | null {
  const text = label.toLowerCase();
  const needle = query.trim().toLowerCase();
  if (needle === '') return 0;
  const index = text.indexOf(needle);
  if (index >= 0) return 1000 - index * 2 - (text.length - needle.length) * 0.1;
  let at = 0;
  let gaps = 0;
  for (const char of needle) {
    const found = text.indexOf(char, at);
    if (found < 0) return null;
    gaps += found - at;
    at = found + 1;
  }
  return 500 - gaps;
}

const groupOrder: readonly PaletteItem['group'][] = ['Actions', 'Datasets', 'Pipelines', 'Models', 'Experiments', 'Runs'];

/**
 * Items matching the query, best first within each group. The group holding the best match comes
 * first (typing a run's name puts runs on top); with no query the fixed order applies.
 */
export function rankItems(items: readonly PaletteItem[], query: string, limitPerGroup = 8): PaletteItem[] {
  const groups = groupOrder.map((group) => {
    const scored = items
      .filter((item) => item.group === group)
      .map((item) => ({ item, score: matchScore(item.label, query) }))
      .filter((entry): entry is { item: PaletteItem; score: number } => entry.score !== null)
      .sort((a, b) => b.score - a.score);
    const seen = new Set<string>();
    const kept: PaletteItem[] = [];
    for (const { item } of scored) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      kept.push(item);
      if (kept.length >= limitPerGroup) break;
    }
    return { group, kept, best: scored[0]?.score ?? Number.NEGATIVE_INFINITY };
  });
  // Array.prototype.sort is stable, so ties keep the fixed order.
  return groups.sort((a, b) => b.best - a.best).flatMap((entry) => entry.kept);
}

/** A name as a single-quoted string of the search grammar (quotes doubled). */
export function quoteFilterString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
