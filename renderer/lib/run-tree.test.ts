import { describe, expect, it } from 'vitest';
import type { Run } from '../../shared/tracking';
import { buildFlatRows, buildTreeRows, type ChildrenState } from './run-tree';

const run = (id: string, childCount = 0, parentRunId: string | null = null): Run => ({
  id, name: id, experimentId: '0', parentRunId, status: 'FINISHED', startTime: 0, endTime: 1, deleted: false,
  childCount, source: null, environment: null, params: {}, tags: {}, metrics: {},
});
const loaded = (...runs: Run[]): ChildrenState => ({ runs, loading: false, error: null, more: 0 });
const describeRows = (rows: ReturnType<typeof buildTreeRows>): string[] =>
  rows.map((row) => `${'  '.repeat(row.depth)}${row.kind === 'run' ? `${row.run.id}${row.expandable ? (row.expanded ? ' -' : ' +') : ''}` : `(${row.text})`}`);

describe('buildTreeRows', () => {
  it('shows collapsed parents as expandable and nothing under them', () => {
    expect(describeRows(buildTreeRows([run('a', 2), run('b')], {}, new Set()))).toEqual(['a +', 'b']);
  });

  it('descends into expanded runs depth-first, at any depth', () => {
    const rows = buildTreeRows(
      [run('a', 2), run('b')],
      { a: loaded(run('a1', 1, 'a'), run('a2', 0, 'a')), a1: loaded(run('a1x', 0, 'a1')) },
      new Set(['a', 'a1']),
    );
    expect(describeRows(rows)).toEqual(['a -', '  a1 -', '    a1x', '  a2', 'b']);
  });

  it('puts a loading, error or "more" note where children will go', () => {
    expect(describeRows(buildTreeRows([run('a', 1)], {}, new Set(['a'])))).toEqual(['a -', '  (Loading child runs…)']);
    const failed: ChildrenState = { runs: [], loading: false, error: 'boom', more: 0 };
    expect(describeRows(buildTreeRows([run('a', 1)], { a: failed }, new Set(['a'])))[1]).toContain('boom');
    const partial: ChildrenState = { ...loaded(run('c', 0, 'a')), more: 5 };
    expect(describeRows(buildTreeRows([run('a', 6)], { a: partial }, new Set(['a'])))).toEqual(['a -', '  c', '  (5 more child runs not shown — filter to find them)']);
  });

  it('never loops on a run that is its own ancestor', () => {
    const rows = buildTreeRows([run('a', 1)], { a: loaded(run('a', 1)) }, new Set(['a']));
    expect(describeRows(rows)).toEqual(['a -', '  a +']);
  });

  it('flat rows ignore the tree', () => {
    expect(buildFlatRows([run('a', 3), run('b', 0, 'a')]).map((row) => row.kind === 'run' && row.expandable)).toEqual([false, false]);
  });
});
