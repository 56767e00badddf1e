import { describe, expect, it } from 'vitest';
import { buildOrderBy, nextSort, parseKeyedColumn, quoteKey, sortDirectionOf, type SortState } from './columns';

describe('buildOrderBy', () => {
  it('maps columns to the search grammar', () => {
    expect(buildOrderBy({ column: 'metrics.loss', direction: 'ASC' })).toEqual(['metrics.loss ASC']);
    expect(buildOrderBy({ column: 'params.lr', direction: 'DESC' })).toEqual(['params.lr DESC']);
    expect(buildOrderBy({ column: 'start', direction: 'DESC' })).toEqual(['attributes.start_time DESC']);
    expect(buildOrderBy({ column: 'name', direction: 'ASC' })).toEqual(['attributes.run_name ASC']);
    expect(buildOrderBy(null)).toEqual([]);
  });

  it('quotes keys the grammar cannot read bare', () => {
    expect(buildOrderBy({ column: 'metrics.train/loss', direction: 'ASC' })).toEqual(['metrics.train/loss ASC']);
    expect(buildOrderBy({ column: 'metrics.val acc', direction: 'DESC' })).toEqual(['metrics.`val acc` DESC']);
    expect(quoteKey('odd`key')).toBe('`odd``key`');
  });

  it('does not send a sort the server cannot do', () => {
    expect(buildOrderBy({ column: 'duration', direction: 'ASC' })).toEqual(['attributes.duration ASC']);
  });
});

describe('nextSort', () => {
  it('cycles first direction, the other, then the default order', () => {
    let sort: SortState | null = null;
    sort = nextSort(sort, 'metrics.acc');
    expect(sort).toEqual({ column: 'metrics.acc', direction: 'DESC' });
    sort = nextSort(sort, 'metrics.acc');
    expect(sort).toEqual({ column: 'metrics.acc', direction: 'ASC' });
    expect(nextSort(sort, 'metrics.acc')).toBeNull();
    expect(nextSort(null, 'name')).toEqual({ column: 'name', direction: 'ASC' });
    // Start is sorted newest first by default, so its first click shows oldest first.
    expect(nextSort(null, 'start')).toEqual({ column: 'start', direction: 'ASC' });
    expect(nextSort({ column: 'start', direction: 'ASC' }, 'start')).toBeNull();
  });

  it('sorts duration longest first and shows the implicit default', () => {
    expect(nextSort(null, 'duration')).toEqual({ column: 'duration', direction: 'DESC' });
    expect(sortDirectionOf(null, 'start')).toBe('DESC');
    expect(sortDirectionOf({ column: 'name', direction: 'ASC' }, 'start')).toBeNull();
  });

  it('keeps dots inside keys', () => {
    expect(parseKeyedColumn('metrics.val.acc')).toEqual({ kind: 'metric', key: 'val.acc' });
    expect(parseKeyedColumn('status')).toBeNull();
  });
});
