import type { Run } from '../../shared/tracking';
import { formatDuration, formatTimestamp, runDuration } from './format';
import { runLabel, type DiffGrid } from './run-diff';
import { seriesColor } from './series-color';

/** Everything a comparison report shows; the caller gathers it from the comparison page. */
export interface CompareReportInput {
  /** The report's heading and the document title. */
  readonly title: string;
  readonly createdAt: Date;
  readonly runs: readonly Run[];
  /** One standalone SVG per chart (`standaloneSvg` output), by metric key, in page order. */
  readonly charts: readonly { readonly key: string; readonly svg: string }[];
  /** The diff table as the page shows it (`diffGrid` of the visible rows). */
  readonly diff: DiffGrid;
  readonly appVersion: string;
  /** Run colours when the page colours by a param; absent runs keep their own series colour. */
  readonly colors?: ReadonlyMap<string, string> | null;
}

/**
 * Nothing may load or run: the report is opened from a mail or a shared folder, offline, maybe
 * years later, and a run name is user input. Inline styles and `data:` images are all it needs.
 */
export const reportContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Text and double-quoted attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/**
 * A colour as it may appear in a style attribute: hex or an rgb()/hsl() function, else a
 * neutral grey. The palette is ours, but colour-by-param colours pass through here too.
 */
function safeColor(color: string): string {
  return /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\([0-9.,%\s/]+\))$/i.test(color.trim()) ? color.trim() : '#888888';
}

/**
 * A chart's SVG ready to inline. `standaloneSvg` output never holds scripts, handlers or foreign
 * HTML; anything that does is not ours, so it is left out rather than trusted (the CSP would
 * block a script anyway, but not an external reference).
 */
function inlineSvg(svg: string): string | null {
  const body = svg.replace(/^\s*<\?xml[^>]*\?>/, '').replace(/^\s*<!DOCTYPE[^>]*>/i, '').trim();
  if (!body.startsWith('<svg')) return null;
  if (/<script|<foreignObject|<iframe|\son[a-z]+\s*=|javascript:|(?:href|src)\s*=\s*["']?\s*(?:https?:)?\/\/|url\(\s*["']?\s*(?:https?:)?\/\//i.test(body)) return null;
  return body;
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** `2026-11-26`, local date: the report's file name and its header agree. */
export function reportDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const styles = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 32px 24px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1b1f24; background: #ffffff; }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { margin: 32px 0 12px; font-size: 16px; border-bottom: 1px solid #e3e6ea; padding-bottom: 4px; }
.meta { margin: 0; color: #5b6470; font-size: 13px; }
.mono, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e3e6ea; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f6f7f9; font-weight: 600; }
tbody tr:nth-child(even) td { background: #fafbfc; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; vertical-align: baseline; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 16px; }
figure { margin: 0; padding: 8px; border: 1px solid #e3e6ea; border-radius: 6px; break-inside: avoid; }
figcaption { margin-bottom: 4px; font-weight: 600; }
figure svg { display: block; max-width: 100%; height: auto; }
.empty { color: #5b6470; font-style: italic; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
`;

function runsSection(runs: readonly Run[], colors: ReadonlyMap<string, string> | null, now: number): string {
  if (runs.length === 0) return '<p class="empty">No runs.</p>';
  const rows = runs.map((run) => {
    const color = safeColor(colors?.get(run.id) ?? seriesColor(run.id));
    return (
      '<tr>' +
      `<td><span class="swatch" style="background:${escapeHtml(color)}"></span>${escapeHtml(runLabel(run))}</td>` +
      `<td class="mono">${escapeHtml(run.id)}</td>` +
      `<td>${escapeHtml(run.status)}</td>` +
      `<td>${escapeHtml(formatTimestamp(run.startTime))}</td>` +
      `<td>${escapeHtml(formatDuration(runDuration(run, now)))}</td>` +
      '</tr>'
    );
  });
  return `<table><thead><tr><th>Run</th><th>Id</th><th>Status</th><th>Started</th><th>Duration</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function chartsSection(charts: CompareReportInput['charts']): string {
  if (charts.length === 0) return '<p class="empty">No charts.</p>';
  const figures = charts.map((chart) => {
    const svg = inlineSvg(chart.svg);
    const body = svg ?? '<p class="empty">This chart could not be included.</p>';
    return `<figure><figcaption class="mono">${escapeHtml(chart.key)}</figcaption>${body}</figure>`;
  });
  return `<div class="charts">${figures.join('')}</div>`;
}

function diffSection(diff: DiffGrid): string {
  if (diff.body.length === 0) return '<p class="empty">The runs do not differ in any param, metric, tag or environment field.</p>';
  const head = diff.header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('');
  const body = diff.body.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/**
 * The comparison as one self-contained HTML file: runs with their colours, every chart as inline
 * SVG and the differing rows of the diff table. No script, no external reference, a CSP that
 * forbids loading anything, so it opens offline and safely in any browser, and prints.
 */
export function buildCompareReport(input: CompareReportInput): string {
  const { title, createdAt, runs, charts, diff, appVersion } = input;
  const created = `${reportDate(createdAt)} ${pad(createdAt.getHours())}:${pad(createdAt.getMinutes())}`;
  const runCount = `${runs.length} ${runs.length === 1 ? 'run' : 'runs'}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${reportContentSecurityPolicy}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="Trainyard ${escapeHtml(appVersion)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${styles}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(runCount)} · created ${escapeHtml(created)} · Trainyard ${escapeHtml(appVersion)}</p>`,
    '</header>',
    `<section><h2>Runs</h2>${runsSection(runs, input.colors ?? null, createdAt.getTime())}</section>`,
    `<section><h2>Charts</h2>${chartsSection(charts)}</section>`,
    `<section><h2>Differences</h2>${diffSection(diff)}</section>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
