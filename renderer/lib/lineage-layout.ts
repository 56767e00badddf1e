import type { Lineage } from '../../shared/datasets';

/**
 * A left-to-right layered layout of a version's lineage: sources on the left, each node one
 * column right of its furthest parent, runs after the versions they read. Small graphs only
 * (tens of nodes), so a longest-path layering plus one barycenter pass is plenty.
 */

export const nodeWidth = 168;
export const nodeHeight = 44;
const gapX = 56;
const gapY = 14;
const padding = 12;

export type LineageNodeData =
  | { readonly kind: 'version'; readonly dataset: string; readonly version: number; readonly rowCount: number; readonly createdBy: string }
  | { readonly kind: 'run'; readonly runId: string; readonly name: string; readonly status: string };

export interface PlacedNode {
  /** `v:<version id>` or `r:<run id>`, as the lineage edges name them. */
  readonly id: string;
  readonly data: LineageNodeData;
  readonly layer: number;
  readonly x: number;
  readonly y: number;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  /** An SVG path from the source's right edge to the target's left edge. */
  readonly path: string;
}

export interface LineageLayout {
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
  readonly width: number;
  readonly height: number;
}

export function layoutLineage(lineage: Lineage): LineageLayout {
  const data = new Map<string, LineageNodeData>();
  for (const version of lineage.versions) {
    data.set(`v:${version.id}`, { kind: 'version', dataset: version.dataset, version: version.version, rowCount: version.rowCount, createdBy: version.createdBy.kind });
  }
  for (const run of lineage.runs) data.set(`r:${run.id}`, { kind: 'run', runId: run.id, name: run.name, status: run.status });
  const edges = lineage.edges.filter((edge) => data.has(edge.from) && data.has(edge.to) && edge.from !== edge.to);
  const parents = new Map<string, string[]>();
  for (const edge of edges) parents.set(edge.to, [...(parents.get(edge.to) ?? []), edge.from]);

  // Longest path from a source; a cycle (which lineage should never have) is cut where found.
  const layers = new Map<string, number>();
  const visiting = new Set<string>();
  const layerOf = (id: string): number => {
    const known = layers.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const layer = Math.max(-1, ...(parents.get(id) ?? []).map(layerOf)) + 1;
    visiting.delete(id);
    layers.set(id, layer);
    return layer;
  };
  const columns: string[][] = [];
  for (const id of data.keys()) {
    const layer = layerOf(id);
    (columns[layer] ??= []).push(id);
  }

  // Order each column by where its parents sit, so edges cross as little as one pass can manage.
  const rank = new Map<string, number>();
  const sortKey = (id: string): string => {
    const node = data.get(id)!;
    return node.kind === 'version' ? `0${node.dataset}\u0000${String(node.version).padStart(9, '0')}` : `1${node.name}\u0000${node.runId}`;
  };
  columns.forEach((column, layer) => {
    const center = (id: string): number => {
      const ranks = (parents.get(id) ?? []).map((parent) => rank.get(parent)).filter((value): value is number => value !== undefined);
      return layer === 0 || ranks.length === 0 ? Number.POSITIVE_INFINITY : ranks.reduce((sum, value) => sum + value, 0) / ranks.length;
    };
    column.sort((a, b) => center(a) - center(b) || (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
    column.forEach((id, index) => rank.set(id, index));
  });

  const tallest = Math.max(0, ...columns.map((column) => column.length));
  const height = tallest === 0 ? 0 : padding * 2 + tallest * nodeHeight + (tallest - 1) * gapY;
  const nodes: PlacedNode[] = [];
  const position = new Map<string, { x: number; y: number }>();
  columns.forEach((column, layer) => {
    const columnHeight = column.length * nodeHeight + (column.length - 1) * gapY;
    const top = (height - columnHeight) / 2;
    column.forEach((id, index) => {
      const x = padding + layer * (nodeWidth + gapX);
      const y = top + index * (nodeHeight + gapY);
      position.set(id, { x, y });
      nodes.push({ id, data: data.get(id)!, layer, x, y });
    });
  });
  const placedEdges = edges.map((edge) => {
    const from = position.get(edge.from)!;
    const to = position.get(edge.to)!;
    const x1 = from.x + nodeWidth;
    const y1 = from.y + nodeHeight / 2;
    const x2 = to.x;
    const y2 = to.y + nodeHeight / 2;
    const bend = Math.max(20, (x2 - x1) / 2);
    return { from: edge.from, to: edge.to, path: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` };
  });
  const width = columns.length === 0 ? 0 : padding * 2 + columns.length * nodeWidth + (columns.length - 1) * gapX;
  return { nodes, edges: placedEdges, width, height };
}
