import { describe, expect, it } from 'vitest';
import { parseRoute, runHref } from './hash-route';

describe('parseRoute', () => {
  it('reads the runs list, a run page and its tab', () => {
    expect(parseRoute('')).toEqual({ section: 'runs', runId: null, tab: 'metrics' });
    expect(parseRoute('#/runs')).toEqual({ section: 'runs', runId: null, tab: 'metrics' });
    expect(parseRoute('#/runs/abc')).toEqual({ section: 'runs', runId: 'abc', tab: 'metrics' });
    expect(parseRoute('#/runs/abc/artifacts')).toEqual({ section: 'runs', runId: 'abc', tab: 'artifacts' });
    expect(parseRoute('#/runs/abc/nonsense').tab).toBe('metrics');
  });

  it('round-trips hrefs', () => {
    expect(parseRoute(runHref('a b', 'params'))).toEqual({ section: 'runs', runId: 'a b', tab: 'params' });
  });
});
