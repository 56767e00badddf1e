import { describe, expect, it } from 'vitest';
import type { Run } from '../../shared/tracking';
import { buildCompareReport, escapeHtml, reportContentSecurityPolicy, reportDate, type CompareReportInput } from './compare-report';
import { buildDiffRows, defaultDiffOptions, diffGrid, visibleDiffRows } from './run-diff';
import { seriesColor } from './series-color';

const run = (id: string, name: string, params: Record<string, string>): Run => ({
  id, name, experimentId: '0', parentRunId: null, status: 'FINISHED', startTime: Date.UTC(2026, 10, 20, 10), endTime: Date.UTC(2026, 10, 20, 11), deleted: false,
  childCount: 0, source: null, environment: null, params, tags: {}, metrics: { loss: { value: Number(id), step: 1, timestamp: 1, count: 2, min: 0, max: 9 } },
});
const chartSvg = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="220" viewBox="0 0 400 220"><title>loss</title><path d="M0,0L1,1" style="stroke:rgb(59, 130, 246)"/></svg>';

function report(runs: readonly Run[], overrides: Partial<CompareReportInput> = {}): string {
  const rows = visibleDiffRows(buildDiffRows(runs, defaultDiffOptions), true);
  return buildCompareReport({
    title: 'Comparison of 2 runs', createdAt: new Date(2026, 10, 26, 9, 5), runs, charts: [{ key: 'loss', svg: chartSvg }],
    diff: diffGrid(rows, runs), appVersion: '1.2.3', ...overrides,
  });
}

describe('buildCompareReport', () => {
  const runs = [run('1', 'baseline', { lr: '0.1', seed: '1' }), run('2', 'bigger lr', { lr: '0.3', seed: '1' })];
  const html = report(runs);

  it('is one HTML document with a header, the runs in their colours, the charts and the differing rows', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<h1>Comparison of 2 runs</h1>');
    expect(html).toContain('2 runs · created 2026-11-26 09:05 · Trainyard 1.2.3');
    for (const one of runs) {
      expect(html).toContain(`style="background:${seriesColor(one.id)}"></span>${one.name}</td>`);
      expect(html).toContain(`<td class="mono">${one.id}</td>`);
    }
    expect(html).toContain('<td>FINISHED</td>');
    expect(html).toContain('<td>1h 00m</td>');
    expect(html).toContain(`<figcaption class="mono">loss</figcaption>${chartSvg}</figure>`);
    expect(html).toContain('<th>section</th><th>key</th><th>baseline</th><th>bigger lr</th>');
    expect(html).toContain('<td>params</td><td>lr</td><td>0.1</td><td>0.3</td>');
    expect(html).not.toContain('<td>seed</td>'); // equal in both runs: not a difference
  });

  it('loads and runs nothing: strict CSP, no script, no external reference', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${reportContentSecurityPolicy}">`);
    expect(reportContentSecurityPolicy).toContain("default-src 'none'");
    expect(reportContentSecurityPolicy).toContain("style-src 'unsafe-inline'");
    expect(reportContentSecurityPolicy).toContain('img-src data:');
    expect(html).not.toMatch(/<script|<link|<iframe|\s(?:src|href)\s*=|@import|url\(/i);
    // The SVG namespace is a name, not a fetch; it is the only URL in the file.
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:/);
  });

  it('escapes every string that comes from a run', () => {
    const hostile = [run('1', '<script>alert(1)</script>', { '<img src=x onerror=alert(1)>': '"><script>alert(2)</script>' }), run('2', 'b & "c"', {})];
    const out = report(hostile, { title: '</title><script>alert(3)</script>', charts: [{ key: '<b>loss</b>', svg: chartSvg }], appVersion: '"><script>' });
    expect(out).not.toMatch(/<script|<img|<b>/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(out).toContain('b &amp; &quot;c&quot;');
    expect(out).toContain('<title>&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;</title>');
    expect(out).toContain('&lt;b&gt;loss&lt;/b&gt;');
  });

  it('leaves out a chart that would run or fetch something, and keeps the rest', () => {
    const bad = [
      '<svg><script>alert(1)</script></svg>',
      '<svg><rect onload="alert(1)"/></svg>',
      '<svg><image href="https://example.com/x.png"/></svg>',
      '<svg><rect style="fill:url(//example.com/p.svg#a)"/></svg>',
      '<div>not an svg</div>',
    ];
    const out = report(runs, { charts: [...bad.map((svg, index) => ({ key: `bad${index}`, svg })), { key: 'loss', svg: `<?xml version="1.0"?>${chartSvg}` }] });
    expect(out.split('This chart could not be included.')).toHaveLength(bad.length + 1);
    expect(out).not.toMatch(/alert|example\.com|<\?xml|<div>not/);
    expect(out).toContain(chartSvg);
  });

  it('uses the colour-by-param colours when given, and never an unsafe one', () => {
    const out = report(runs, { colors: new Map([['1', '#123456'], ['2', 'red;background-image:url(x)']]) });
    expect(out).toContain('style="background:#123456"');
    expect(out).toContain('style="background:#888888"');
    expect(out).not.toContain('background-image');
  });

  it('says so when there is nothing to show', () => {
    const out = report([], { charts: [], diff: { header: ['section', 'key'], body: [] } });
    expect(out).toContain('0 runs');
    expect(out).toContain('No runs.');
    expect(out).toContain('No charts.');
    expect(out).toContain('do not differ');
  });
});

describe('escapeHtml', () => {
  it('escapes markup and both quotes', () => {
    expect(escapeHtml(`<a href='x'>"&"</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;');
  });
});

describe('reportDate', () => {
  it('is the local calendar date, zero-padded', () => {
    expect(reportDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});
