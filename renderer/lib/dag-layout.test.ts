import { describe, expect, it } from 'vitest';
import { countCrossings, dagNodeHeight, dagNodeWidth, downstreamOf, layersOf, layoutDag, type DagStep } from './dag-layout';

const step = (id: string, ...dependsOn: string[]): DagStep => ({ id, dependsOn });

/** Links between adjacent columns as the layout placed them (waypoints included), for counting crossings. */
function linksOf(steps: readonly DagStep[], columns: readonly (readonly string[])[]): Map<string, string[]> {
  const layer = new Map<string, number>();
  columns.forEach((column, index) => column.forEach((id) => layer.set(id, index)));
  const links = new Map<string, string[]>();
  const add = (from: string, to: string): void => void links.set(from, [...(links.get(from) ?? []), to]);
  for (const { id, dependsOn } of steps) {
    for (const up of dependsOn) {
      let previous = up;
      for (let at = layer.get(up)! + 1; at < layer.get(id)!; at += 1) {
        const waypoint = `~${up}>${id}#${at}`;
        add(previous, waypoint);
        previous = waypoint;
      }
      add(previous, id);
    }
  }
  return links;
}

describe('layoutDag', () => {
  it('puts each step in the column of its longest path from a root', () => {
    const steps = [step('ingest'), step('validate', 'ingest'), step('prepare', 'validate'), step('train', 'prepare'), step('evaluate', 'train', 'prepare'), step('notify', 'ingest')];
    expect(Object.fromEntries(layersOf(steps))).toEqual({ ingest: 0, validate: 1, prepare: 2, train: 3, evaluate: 4, notify: 1 });
    const layout = layoutDag(steps);
    const byId = new Map(layout.nodes.map((node) => [node.id, node]));
    // Every edge points right.
    for (const { id, dependsOn } of steps) for (const up of dependsOn) expect(byId.get(id)!.x).toBeGreaterThan(byId.get(up)!.x + dagNodeWidth);
    expect(layout.width).toBe(16 * 2 + 5 * dagNodeWidth + 4 * 64);
  });

  it('reorders columns so edges do not cross when they need not', () => {
    // In file order, a→y and b→x cross; the layout swaps one column.
    const steps = [step('a'), step('b'), step('x', 'b'), step('y', 'a')];
    const layout = layoutDag(steps);
    expect(countCrossings(layout.columns, linksOf(steps, layout.columns))).toBe(0);
    expect(countCrossings([['a', 'b'], ['x', 'y']], linksOf(steps, [['a', 'b'], ['x', 'y']]))).toBe(1);
  });

  it('untangles a wider graph and routes long edges around the steps they skip', () => {
    const steps = [
      step('r1'), step('r2'), step('r3'),
      step('m1', 'r3'), step('m2', 'r1'), step('m3', 'r2'),
      step('l1', 'm3'), step('l2', 'm1'), step('l3', 'm2'),
      step('sink', 'l1', 'l2', 'l3', 'r2'),
    ];
    const layout = layoutDag(steps);
    expect(countCrossings(layout.columns, linksOf(steps, layout.columns))).toBe(0);
    // r2 → sink skips the two middle columns: a waypoint sits in each of them.
    expect(layout.columns[1]).toContain('~r2>sink#1');
    expect(layout.columns[2]).toContain('~r2>sink#2');
    const edge = layout.edges.find((candidate) => candidate.from === 'r2' && candidate.to === 'sink')!;
    expect(edge.path.match(/ L/g)).toHaveLength(2);
  });

  it('never overlaps two steps of a column, and fits them in its height', () => {
    const steps = [step('root'), ...Array.from({ length: 6 }, (_, index) => step(`child${index}`, 'root')), step('join', ...Array.from({ length: 6 }, (_, index) => `child${index}`))];
    const layout = layoutDag(steps);
    const children = layout.nodes.filter((node) => node.layer === 1).sort((a, b) => a.y - b.y);
    expect(children).toHaveLength(6);
    for (let index = 1; index < children.length; index += 1) expect(children[index]!.y).toBeGreaterThanOrEqual(children[index - 1]!.y + dagNodeHeight);
    expect(children.at(-1)!.y + dagNodeHeight).toBeLessThanOrEqual(layout.height);
    // The single steps of the other columns sit in the middle.
    const root = layout.nodes.find((node) => node.id === 'root')!;
    expect(root.y + dagNodeHeight / 2).toBeCloseTo(layout.height / 2);
  });

  it('is deterministic, keeps file order on ties, and survives bad input', () => {
    const steps = [step('b'), step('a'), step('c', 'a', 'b')];
    expect(layoutDag(steps)).toEqual(layoutDag(steps));
    expect(layoutDag(steps).columns[0]).toEqual(['b', 'a']);
    expect(layoutDag([])).toEqual({ nodes: [], edges: [], columns: [], width: 0, height: 0 });
    // A cycle (the spec parser refuses them) and a dangling upstream do not hang or throw.
    const odd = layoutDag([step('x', 'y'), step('y', 'x'), step('z', 'ghost')]);
    expect(odd.nodes.map((node) => node.id).sort()).toEqual(['x', 'y', 'z']);
  });
});

describe('downstreamOf', () => {
  it('finds every step below a step, in file order', () => {
    const steps = [step('a'), step('b', 'a'), step('c'), step('d', 'b', 'c'), step('e', 'c')];
    expect(downstreamOf(steps, 'a')).toEqual(['b', 'd']);
    expect(downstreamOf(steps, 'c')).toEqual(['d', 'e']);
    expect(downstreamOf(steps, 'd')).toEqual([]);
  });
});
