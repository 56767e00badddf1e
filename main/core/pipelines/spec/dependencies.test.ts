import { describe, expect, it } from 'vitest';
import { ancestorsOf, findCycles, resolveDependencies, topologicalOrder } from './dependencies';

describe('step graph', () => {
  it('finds one cycle per tangle, shortest way round, from its first step in the file', () => {
    const order = ['a', 'b', 'c', 'd', 'e', 'f'];
    // a → b → c → a, with d also inside (c → d → b); e ↔ f on their own.
    const upstream = { a: ['c'], b: ['a', 'd'], c: ['b'], d: ['c'], e: ['f'], f: ['e'] };
    expect(findCycles(order, upstream)).toEqual([
      ['a', 'b', 'c', 'a'],
      ['e', 'f', 'e'],
    ]);
    expect(findCycles(['x', 'y'], { x: [], y: ['x'] })).toEqual([]);
  });

  it('handles a long chain without running out of stack', () => {
    const order = Array.from({ length: 20_000 }, (_, index) => `s${index}`);
    const { upstream, issues } = resolveDependencies(order, {});
    expect(issues).toEqual([]);
    expect(findCycles(order, upstream)).toEqual([]);
    expect(ancestorsOf('s19999', upstream).size).toBe(19_999);
  });

  it('orders upstream first and file order among steps ready together', () => {
    expect(topologicalOrder(['d', 'c', 'b', 'a'], { d: ['b', 'c'], c: ['a'], b: ['a'], a: [] })).toEqual(['a', 'c', 'b', 'd']);
    expect(() => topologicalOrder(['a', 'b'], { a: ['b'], b: ['a'] })).toThrow('cycle');
  });

  it('ignores a depends_on of the wrong type (the schema reports it) and repeats in a list', () => {
    expect(resolveDependencies(['a', 'b', 'c'], { b: 5, c: ['a', 'a', 7] }).upstream).toEqual({ a: [], b: [], c: ['a'] });
  });
});
