import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Run } from '../../../shared/tracking';
import { seriesColor } from '../../lib/series-color';
import { RunDiffTable } from './diff-table';

// No DOM library in this repo: the first render, as HTML, shows what a user sees on opening.
const run = (id: string, params: Record<string, string>): Run => ({
  id, name: `run ${id}`, experimentId: '0', parentRunId: null, status: 'FINISHED', startTime: 0, endTime: 1, deleted: false,
  childCount: 0, source: null, environment: null, params, tags: {}, metrics: { loss: { value: Number(id), step: 1, timestamp: 1, count: 2, min: 0, max: 9 } },
});
const count = (html: string, needle: string): number => html.split(needle).length - 1;

describe('RunDiffTable', () => {
  it('opens with only differences on, the first run as baseline, and run columns in their series colour', () => {
    const html = renderToStaticMarkup(<RunDiffTable runs={[run('1', { lr: '0.1', seed: '1' }), run('2', { lr: '0.1', seed: '2' })]} />);
    expect(html).toMatch(/data-testid="diff-only-differences"[^>]*checked=""|checked=""[^>]*data-testid="diff-only-differences"/);
    expect(html).toContain('data-key="params:seed"');
    expect(html).not.toContain('data-key="params:lr"'); // equal everywhere: hidden
    expect(html).not.toContain('data-key="metrics:loss:min"');
    expect(html).toContain('data-key="metrics:loss:last"');
    expect(count(html, 'data-testid="diff-run-heading"')).toBe(2);
    expect(html).toContain(`background:${seriesColor('1')}`);
    expect(html).toContain('<option value="1" selected="">run 1</option>');
    expect(html).toMatch(/data-mark="worse"[^>]*>2</); // loss 2 against the baseline's 1
  });

  it('renders only a screenful of rows at 100 runs × 200 keys', () => {
    const runs = Array.from({ length: 100 }, (_, index) => run(String(index), Object.fromEntries(Array.from({ length: 200 }, (_, key) => [`p${key}`, String(index)]))));
    const html = renderToStaticMarkup(<RunDiffTable runs={runs} />);
    const rendered = count(html, 'data-testid="diff-row"');
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(80);
  });

  it('says so when every row is equal, and when there are no runs', () => {
    expect(renderToStaticMarkup(<RunDiffTable runs={[run('1', { lr: '0.1' })]} />)).toContain('All 4 rows are equal');
    expect(renderToStaticMarkup(<RunDiffTable runs={[]} />)).toContain('No runs to compare');
  });
});
