/**
 * A left-to-right layered drawing of a pipeline's DAG (Sugiyama's scheme, small-graph edition):
 * 1. each step goes in the column of its longest path from a root, so every edge points right;
 * 2. an edge that skips columns gets a waypoint in each column it crosses, so it can bend around
 *    the steps there instead of running through them;
 * 3. columns are reordered by the barycenter of their neighbours, sweeping right then left a few
 *    times, keeping the order with the fewest crossings seen;
 * 4. columns are stacked and centred; edges are cubic curves through their waypoints.
 * Pipelines have tens of steps, so none of this needs to be clever about speed.
 */

export interface DagStep {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

export const dagNodeWidth = 184;
export const dagNodeHeight = 58;
const gapX = 64;
const gapY = 18;
/** A waypoint takes a slot this tall in its column. */
const waypointHeight = 14;
const padding = 16;
const sweeps = 8;

export interface DagNode {
  readonly id: string;
  readonly layer: number;
  /** Position in its column, top first. */
  readonly order: number;
  readonly x: number;
  readonly y: number;
}

export interface DagEdge {
  readonly from: string;
  readonly to: string;
  /** An SVG path from the source's right edge to the target's left edge, through its waypoints. */
  readonly path: string;
}

export interface DagLayout {
  readonly nodes: readonly DagNode[];
  readonly edges: readonly DagEdge[];
  /** Column by column, top first: steps and waypoints (`~from>to#layer`). */
  readonly columns: readonly (readonly string[])[];
  readonly width: number;
  readonly height: number;
}

/** Longest path from a root, per step; an upstream that is not a step is ignored, a cycle is cut where found. */
export function layersOf(steps: readonly DagStep[]): Map<string, number> {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const layers = new Map<string, number>();
  const visiting = new Set<string>();
  const layerOf = (id: string): number => {
    const known = layers.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const upstream = (byId.get(id)?.dependsOn ?? []).filter((up) => byId.has(up) && up !== id);
    const layer = upstream.length === 0 ? 0 : Math.max(...upstream.map(layerOf)) + 1;
    visiting.delete(id);
    layers.set(id, layer);
    return layer;
  };
  for (const step of steps) layerOf(step.id);
  return layers;
}

const waypointId = (from: string, to: string, layer: number): string => `~${from}>${to}#${layer}`;
const isWaypoint = (id: string): boolean => id.startsWith('~');

/** Crossings between two adjacent columns, given the links from the left one to the right one. */
function crossingsBetween(left: readonly string[], right: readonly string[], links: ReadonlyMap<string, readonly string[]>): number {
  const leftRank = new Map(left.map((id, index) => [id, index]));
  const rightRank = new Map(right.map((id, index) => [id, index]));
  const pairs: [number, number][] = [];
  for (const id of left) for (const target of links.get(id) ?? []) if (rightRank.has(target)) pairs.push([leftRank.get(id)!, rightRank.get(target)!]);
  let count = 0;
  for (let i = 0; i < pairs.length; i += 1) {
    for (let j = i + 1; j < pairs.length; j += 1) {
      const [a1, b1] = pairs[i]!;
      const [a2, b2] = pairs[j]!;
      if ((a1 - a2) * (b1 - b2) < 0) count += 1;
    }
  }
  return count;
}

/** Edge crossings of a column ordering (what the ordering minimizes; exported for tests). */
export function countCrossings(columns: readonly (readonly string[])[], links: ReadonlyMap<string, readonly string[]>): number {
  let total = 0;
  for (let layer = 0; layer + 1 < columns.length; layer += 1) total += crossingsBetween(columns[layer]!, columns[layer + 1]!, links);
  return total;
}

export function layoutDag(steps: readonly DagStep[]): DagLayout {
  if (steps.length === 0) return { nodes: [], edges: [], columns: [], width: 0, height: 0 };
  const known = new Set(steps.map((step) => step.id));
  const layers = layersOf(steps);
  const fileOrder = new Map(steps.map((step, index) => [step.id, index]));

  // Columns of steps in file order, then one waypoint per column an edge skips.
  const columns: string[][] = [];
  for (const step of steps) (columns[layers.get(step.id)!] ??= []).push(step.id);
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  const link = (from: string, to: string): void => {
    (forward.get(from) ?? forward.set(from, []).get(from)!).push(to);
    (backward.get(to) ?? backward.set(to, []).get(to)!).push(from);
  };
  const chains: { from: string; to: string; through: string[] }[] = [];
  for (const step of steps) {
    for (const up of new Set(step.dependsOn)) {
      if (!known.has(up) || up === step.id) continue;
      const start = layers.get(up)!;
      const end = layers.get(step.id)!;
      if (end <= start) continue; // only a cycle does this; its edge is left out
      const through: string[] = [];
      let previous = up;
      for (let layer = start + 1; layer < end; layer += 1) {
        const waypoint = waypointId(up, step.id, layer);
        columns[layer]!.push(waypoint);
        through.push(waypoint);
        link(previous, waypoint);
        previous = waypoint;
      }
      link(previous, step.id);
      chains.push({ from: up, to: step.id, through });
    }
  }

  // Barycenter sweeps; ties keep file order, so the drawing follows how the file reads.
  const tieBreak = (id: string): number => (isWaypoint(id) ? fileOrder.get(id.slice(1, id.indexOf('>')))! + 0.5 : fileOrder.get(id)!);
  const reorder = (layer: number, neighbours: ReadonlyMap<string, readonly string[]>, reference: readonly string[]): void => {
    const rank = new Map(reference.map((id, index) => [id, index]));
    const current = new Map(columns[layer]!.map((id, index) => [id, index]));
    const center = (id: string): number => {
      const ranks = (neighbours.get(id) ?? []).map((other) => rank.get(other)).filter((value): value is number => value !== undefined);
      return ranks.length === 0 ? current.get(id)! : ranks.reduce((sum, value) => sum + value, 0) / ranks.length;
    };
    columns[layer]!.sort((a, b) => center(a) - center(b) || tieBreak(a) - tieBreak(b));
  };
  let best = columns.map((column) => [...column]);
  let fewest = countCrossings(columns, forward);
  for (let sweep = 0; sweep < sweeps && fewest > 0; sweep += 1) {
    if (sweep % 2 === 0) for (let layer = 1; layer < columns.length; layer += 1) reorder(layer, backward, columns[layer - 1]!);
    else for (let layer = columns.length - 2; layer >= 0; layer -= 1) reorder(layer, forward, columns[layer + 1]!);
    const crossings = countCrossings(columns, forward);
    if (crossings < fewest) {
      fewest = crossings;
      best = columns.map((column) => [...column]);
    }
  }

  const slot = (id: string): number => (isWaypoint(id) ? waypointHeight : dagNodeHeight);
  const columnHeight = (column: readonly string[]): number => column.reduce((sum, id) => sum + slot(id), 0) + Math.max(0, column.length - 1) * gapY;
  const height = padding * 2 + Math.max(...best.map(columnHeight));
  const width = padding * 2 + best.length * dagNodeWidth + (best.length - 1) * gapX;
  const centers = new Map<string, { x: number; y: number }>();
  const nodes: DagNode[] = [];
  best.forEach((column, layer) => {
    let y = (height - columnHeight(column)) / 2;
    const x = padding + layer * (dagNodeWidth + gapX);
    let order = 0;
    for (const id of column) {
      centers.set(id, { x, y: y + slot(id) / 2 });
      if (!isWaypoint(id)) nodes.push({ id, layer, order: order++, x, y });
      y += slot(id) + gapY;
    }
  });

  const edges = chains.map(({ from, to, through }): DagEdge => {
    const source = centers.get(from)!;
    const points = [{ x: source.x + dagNodeWidth, y: source.y }];
    // A waypoint is crossed straight, from its column's left edge to its right edge.
    for (const id of through) {
      const point = centers.get(id)!;
      points.push({ x: point.x, y: point.y }, { x: point.x + dagNodeWidth, y: point.y });
    }
    const target = centers.get(to)!;
    points.push({ x: target.x, y: target.y });
    let path = `M${points[0]!.x},${points[0]!.y}`;
    for (let index = 1; index < points.length; index += 1) {
      const a = points[index - 1]!;
      const b = points[index]!;
      if (index % 2 === 0) {
        path += ` L${b.x},${b.y}`;
        continue;
      }
      const bend = Math.max(16, (b.x - a.x) / 2);
      path += ` C${a.x + bend},${a.y} ${b.x - bend},${b.y} ${b.x},${b.y}`;
    }
    return { from, to, path };
  });
  return { nodes, edges, columns: best, width, height };
}

/** Every step below `taskId`, in the steps' order (what a clear with downstream resets). */
export function downstreamOf(steps: readonly DagStep[], taskId: string): string[] {
  const found = new Set([taskId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const step of steps) {
      if (!found.has(step.id) && step.dependsOn.some((up) => found.has(up))) {
        found.add(step.id);
        grew = true;
      }
    }
  }
  found.delete(taskId);
  return steps.map((step) => step.id).filter((id) => found.has(id));
}
