import { describe, expect, it } from 'vitest';
import { escapeXmlAttribute, safeFileName, serializeSvg, svgDataUrl, type NodeLike, type StyleLike } from './chart-export';

// No DOM library in this repo: a chart is modelled by plain nodes plus a style per node, which is
// all the serializer reads; the e2e test runs the same code on a live chart in Chromium.
interface FakeElement extends NodeLike {
  readonly style: Readonly<Record<string, string>>;
}
const element = (nodeName: string, attributes: Record<string, string>, style: Record<string, string>, children: NodeLike[] = []): FakeElement => ({
  nodeType: 1,
  nodeName,
  textContent: null,
  childNodes: children,
  attributes: Object.entries(attributes).map(([name, value]) => ({ name, value })),
  style,
});
const text = (value: string): NodeLike => ({ nodeType: 3, nodeName: '#text', textContent: value, childNodes: [] });
const styleOf = (node: NodeLike): StyleLike => ({ getPropertyValue: (property) => (node as FakeElement).style[property] ?? '' });

const inherited = { fill: 'rgb(0, 0, 0)', stroke: 'none', 'font-family': '"Inter", system-ui', 'font-size': '11px', 'stroke-width': '1px' };

/** A chart as compare-chart draws it: a clip path, a tick, a series, a transparent overlay. */
function chart(): FakeElement {
  return element('svg', { width: '400', height: '220', class: 'compare-svg', role: 'img', 'aria-label': 'loss for 2 runs' }, inherited, [
    element('defs', {}, inherited, [element('clipPath', { id: 'clip-loss' }, inherited, [element('rect', { x: '58', y: '8', width: '330', height: '190' }, inherited)])]),
    element('text', { class: 'compare-tick', x: '52', y: '20', 'text-anchor': 'end' }, { ...inherited, fill: 'rgb(107, 114, 128)', 'text-anchor': 'end' }, [text('1 < 2 & "3"')]),
    element('g', { 'clip-path': 'url(#clip-loss)' }, inherited, [
      element('g', { 'data-testid': 'compare-series', 'data-run-id': 'a' }, inherited, [
        element('path', { d: 'M0,0L1,1', fill: 'none', stroke: '#3b82f6', onclick: 'alert(1)' }, { ...inherited, fill: 'none', stroke: 'rgb(59, 130, 246)', 'stroke-width': '1.5px', opacity: '1' }),
      ]),
      element('line', { class: 'compare-cursor' }, { ...inherited, display: 'none' }),
      element('script', {}, inherited, [text('alert(1)')]),
    ]),
    element('rect', { class: 'compare-overlay', 'data-export': 'skip', 'data-testid': 'compare-plot' }, { ...inherited, fill: 'rgba(0, 0, 0, 0)' }),
  ]);
}

describe('serializeSvg', () => {
  const svg = serializeSvg(chart(), { title: 'val/loss <chart>', width: 400, height: 220, background: 'rgb(255, 255, 255)', styleOf });

  it('writes a standalone document: namespace, size, view box, title, background first', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="220" viewBox="0 0 400 220"')).toBe(true);
    expect(svg).toContain('<title>val/loss &lt;chart&gt;</title><rect x="0" y="0" width="400" height="220" fill="rgb(255, 255, 255)" stroke="none"/>');
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).not.toContain('xmlns:xlink'); // only when some attribute needs it
  });

  it('inlines the computed drawing styles, each only where it changes from the parent', () => {
    // The root carries the inherited defaults once…
    expect(svg).toMatch(/<svg [^>]*style="fill:rgb\(0, 0, 0\);stroke:none;stroke-width:1px;font-family:&quot;Inter&quot;, system-ui;font-size:11px"/);
    // …and the series line only what differs from its group.
    expect(svg).toContain('<path d="M0,0L1,1" fill="none" stroke="#3b82f6" style="fill:none;stroke:rgb(59, 130, 246);stroke-width:1.5px"/>');
    expect(svg).toContain('style="fill:rgb(107, 114, 128);text-anchor:end"');
    expect(svg.match(/font-size/g)).toHaveLength(1);
  });

  it('leaves out interaction-only, hidden and executable parts, and app-only attributes', () => {
    expect(svg).not.toContain('compare-overlay');
    expect(svg).not.toContain('<line'); // display: none
    expect(svg).not.toMatch(/<script|alert|onclick/);
    expect(svg).not.toMatch(/data-|class=/);
    expect(svg).toContain('role="img" aria-label="loss for 2 runs"');
  });

  it('escapes text and keeps references intact', () => {
    expect(svg).toContain('>1 &lt; 2 &amp; "3"</text>');
    expect(svg).toContain('<clipPath id="clip-loss">');
    expect(svg).toContain('clip-path="url(#clip-loss)"');
  });

  it('prefixes ids and their references, so charts inlined into one page keep their clip paths apart', () => {
    const prefixed = serializeSvg(chart(), { title: 't', width: 400, height: 220, idPrefix: 'c1-', styleOf });
    expect(prefixed).toContain('<clipPath id="c1-clip-loss">');
    expect(prefixed).toContain('clip-path="url(#c1-clip-loss)"');
    expect(prefixed).not.toContain('<rect x="0" y="0" width="400"'); // no background asked for
  });

  it('turns paint references the engine made absolute back into local ones', () => {
    const root = element('svg', {}, inherited, [element('path', { d: 'M0,0' }, { ...inherited, fill: 'url("http://127.0.0.1:5173/#/compare?runs=a#grad")' })]);
    expect(serializeSvg(root, { title: 't', width: 1, height: 1, styleOf })).toContain('style="fill:url(#grad)"');
    expect(serializeSvg(root, { title: 't', width: 1, height: 1, idPrefix: 'c1-', styleOf })).toContain('style="fill:url(#c1-grad)"');
  });

  it('keeps an existing view box and declares xlink when an attribute uses it', () => {
    const root = element('svg', { viewBox: '10 20 100 50' }, inherited, [element('use', { 'xlink:href': '#dot' }, inherited)]);
    const out = serializeSvg(root, { title: 't', width: 200.4, height: 99.6, background: '#fff', styleOf });
    expect(out).toContain('xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100" viewBox="10 20 100 50"');
    expect(out).toContain('<rect x="10" y="20" width="100" height="50" fill="#fff" stroke="none"/>');
    expect(out).toContain('<use xlink:href="#dot"/>');
  });
});

describe('escapeXmlAttribute', () => {
  it('escapes quotes, markup and line breaks', () => {
    expect(escapeXmlAttribute('a "b" <c> & d\ne')).toBe('a &quot;b&quot; &lt;c&gt; &amp; d&#10;e');
  });
});

describe('svgDataUrl', () => {
  it('percent-encodes the document so #, % and quotes survive', () => {
    const url = svgDataUrl('<svg><path fill="#f00"/></svg>');
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(url).not.toContain('#');
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe('<svg><path fill="#f00"/></svg>');
  });
});

describe('safeFileName', () => {
  it('turns metric keys and run names into portable file names', () => {
    expect(safeFileName('val/loss')).toBe('val-loss');
    expect(safeFileName('train\\acc: top-1?')).toBe('train-acc-top-1');
    expect(safeFileName('a  b\tc')).toBe('a-b-c');
    expect(safeFileName('..hidden')).toBe('hidden');
    expect(safeFileName('loss.v2')).toBe('loss.v2');
    expect(safeFileName('///')).toBe('chart');
    expect(safeFileName('', 'report')).toBe('report');
    expect(safeFileName('x'.repeat(300))).toHaveLength(120);
  });
});
