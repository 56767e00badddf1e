import { describe, expect, it } from 'vitest';
import type { Lineage } from '../../shared/datasets';
import { layoutLineage, nodeHeight, nodeWidth } from './lineage-layout';

const version = (id: number, dataset: string, number: number, kind: 'user' | 'transform' = 'user'): Lineage['versions'][number] => ({
  id, dataset, version: number, rowCount: 100, createdBy: { kind, detail: null },
});

describe('lineage layout', () => {
  it('places parents left of children and runs after the versions they read', () => {
    const layout = layoutLineage({
      versions: [version(1, 'raw', 1), version(2, 'clean', 1, 'transform'), version(3, 'features', 1, 'transform'), version(4, 'labels', 1)],
      runs: [{ id: 'run-a', name: 'train', status: 'FINISHED' }],
      edges: [
        { from: 'v:1', to: 'v:2' },
        { from: 'v:2', to: 'v:3' },
        { from: 'v:4', to: 'v:3' },
        { from: 'v:3', to: 'r:run-a' },
        { from: 'v:1', to: 'r:run-a' },
      ],
    });
    const layer = Object.fromEntries(layout.nodes.map((node) => [node.id, node.layer]));
    expect(layer).toEqual({ 'v:1': 0, 'v:4': 0, 'v:2': 1, 'v:3': 2, 'r:run-a': 3 });
    for (const edge of layout.edges) {
      const from = layout.nodes.find((node) => node.id === edge.from)!;
      const to = layout.nodes.find((node) => node.id === edge.to)!;
      expect(from.x + nodeWidth).toBeLessThan(to.x);
      expect(edge.path.startsWith(`M${from.x + nodeWidth},${from.y + nodeHeight / 2} `)).toBe(true);
    }
    expect(layout.width).toBe(12 * 2 + 4 * nodeWidth + 3 * 56);
    // Nodes of a column never overlap.
    const firstColumn = layout.nodes.filter((node) => node.layer === 0).map((node) => node.y).sort((a, b) => a - b);
    expect(firstColumn[1]! - firstColumn[0]!).toBeGreaterThanOrEqual(nodeHeight);
  });

  it('orders a column by its parents so edges do not cross needlessly', () => {
    const layout = layoutLineage({
      versions: [version(1, 'a', 1), version(2, 'b', 1), version(3, 'z-from-a', 1), version(4, 'y-from-b', 1)],
      runs: [],
      edges: [{ from: 'v:1', to: 'v:3' }, { from: 'v:2', to: 'v:4' }],
    });
    const y = Object.fromEntries(layout.nodes.map((node) => [node.id, node.y]));
    expect(y['v:1']!).toBeLessThan(y['v:2']!);
    expect(y['v:3']!).toBeLessThan(y['v:4']!);
  });

  it('survives a lone version, dangling edges and a cycle', () => {
    const lone = layoutLineage({ versions: [version(7, 'iris', 2)], runs: [], edges: [{ from: 'v:7', to: 'v:99' }] });
    expect(lone.nodes).toHaveLength(1);
    expect(lone.edges).toHaveLength(0);
    expect(lone.height).toBe(12 * 2 + nodeHeight);
    const cyclic = layoutLineage({ versions: [version(1, 'a', 1), version(2, 'b', 1)], runs: [], edges: [{ from: 'v:1', to: 'v:2' }, { from: 'v:2', to: 'v:1' }] });
    expect(cyclic.nodes).toHaveLength(2);
    expect(layoutLineage({ versions: [], runs: [], edges: [] })).toEqual({ nodes: [], edges: [], width: 0, height: 0 });
  });
});
