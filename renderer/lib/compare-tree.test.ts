import { describe, expect, it } from 'vitest';
import { compareTreeOrder } from './compare-tree';

const run = (id: string, parentRunId: string | null = null) => ({ id, parentRunId });
const lines = (entries: ReturnType<typeof compareTreeOrder>): string[] => entries.map((entry) => `${'  '.repeat(entry.depth)}${entry.id}`);

describe('the compared runs as a tree', () => {
  it('puts each run under its compared parent, parents first, at any depth', () => {
    const runs = [run('sweep'), run('trial-1', 'sweep'), run('trial-2', 'sweep'), run('fold-1a', 'trial-1'), run('fold-2a', 'trial-2'), run('fold-1b', 'trial-1')];
    // Picked children first, as a selection built by hand might be.
    const ids = ['fold-1a', 'fold-2a', 'fold-1b', 'trial-2', 'trial-1', 'sweep'];
    expect(lines(compareTreeOrder(ids, runs))).toEqual(['sweep', '  trial-2', '    fold-2a', '  trial-1', '    fold-1a', '    fold-1b']);
  });

  it('keeps a run whose parent is not compared at the top level, in selection order', () => {
    const runs = [run('fold-a', 'trial'), run('fold-b', 'trial'), run('other')];
    expect(lines(compareTreeOrder(['fold-b', 'other', 'fold-a'], runs))).toEqual(['fold-b', 'other', 'fold-a']);
  });

  it('shows runs not loaded yet at the top level', () => {
    expect(lines(compareTreeOrder(['a', 'b'], [run('a')]))).toEqual(['a', 'b']);
  });

  it('lists every run once even when the parent links loop', () => {
    const runs = [run('a', 'b'), run('b', 'a'), run('c', 'c')];
    // c (its own parent) is a root; the a ⇄ b loop has none, so it follows the roots, cut at b.
    expect(lines(compareTreeOrder(['a', 'b', 'c'], runs))).toEqual(['c', 'a', '  b']);
  });
});
