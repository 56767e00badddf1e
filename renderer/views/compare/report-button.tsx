import { useState, type ReactElement } from 'react';
import type { Run } from '../../../shared/tracking';
import { downloadText, standaloneSvg } from '../../lib/chart-export';
import { buildCompareReport, reportDate } from '../../lib/compare-report';
import { buildDiffRows, defaultDiffOptions, diffGrid, visibleDiffRows } from '../../lib/run-diff';
import { useAppStore } from '../../stores/app';
import { reportError } from '../../stores/toasts';
import { vectorSvgOf } from './chart-vectors';

/** One chart of the report: its metric key and its standalone SVG (`standaloneSvg`). */
export interface ReportChart {
  readonly key: string;
  readonly svg: string;
}

const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

/** A chart has finished: drawn, or showing why not (an error, no run with the metric). */
function chartSettled(figure: HTMLElement): boolean {
  if (figure.dataset.loading !== 'false') return false;
  return figure.querySelector('svg.compare-svg') !== null || !(figure.textContent ?? '').includes('Loading…');
}

/**
 * The comparison charts under `container` as standalone SVGs, in page order, once each has
 * loaded (at most `timeoutMs`; then whatever is drawn). Each chart's ids get their own prefix,
 * since the report inlines them all into one document.
 */
export async function settledCharts(container: ParentNode, timeoutMs = 10_000): Promise<ReportChart[]> {
  const figures = (): HTMLElement[] => [...container.querySelectorAll<HTMLElement>('[data-testid="compare-chart"]')];
  const deadline = performance.now() + timeoutMs;
  // Two frames: a tab switched to just before has rendered and measured its charts by then.
  await nextFrame();
  await nextFrame();
  while (performance.now() < deadline && !figures().every(chartSettled)) await nextFrame();
  return figures().flatMap((figure, index): ReportChart[] => {
    const svg = vectorSvgOf(figure) ?? figure.querySelector<SVGSVGElement>('svg.compare-svg');
    const key = figure.dataset.metricKey ?? `chart ${index + 1}`;
    return svg ? [{ key, svg: standaloneSvg(svg, { title: key, idPrefix: `chart${index}-` }) }] : [];
  });
}

interface ReportButtonProps {
  readonly runs: readonly Run[];
  /** The charts as shown, in page order; async so charts can be drawn or switched to vectors first. */
  readonly getCharts: () => Promise<readonly ReportChart[]>;
  /** Run colours when the page colours by a param. */
  readonly colors?: ReadonlyMap<string, string> | null;
}

/**
 * Downloads the comparison as one self-contained HTML file (runs, charts, differing rows) that
 * opens offline in any browser. The diff is the table's default view: every section, only the
 * rows that differ, the first run as baseline, values as shown on screen.
 */
export function ReportButton({ runs, getCharts, colors = null }: ReportButtonProps): ReactElement {
  const [busy, setBusy] = useState(false);
  const appVersion = useAppStore((state) => state.info?.version ?? 'unknown version');

  const build = async (): Promise<void> => {
    const charts = await getCharts();
    const rows = visibleDiffRows(buildDiffRows(runs, defaultDiffOptions), true);
    const createdAt = new Date();
    const html = buildCompareReport({
      title: `Comparison of ${runs.length} ${runs.length === 1 ? 'run' : 'runs'}`,
      createdAt,
      runs,
      charts,
      diff: diffGrid(rows, runs),
      appVersion,
      colors,
    });
    downloadText(html, `trainyard-comparison-${reportDate(createdAt)}.html`, 'text/html;charset=utf-8');
  };
  const onClick = (): void => {
    setBusy(true);
    build()
      .catch((error: unknown) => reportError('Building the comparison report failed', error))
      .finally(() => setBusy(false));
  };

  return (
    <button type="button" className="button" onClick={onClick} disabled={busy || runs.length === 0} aria-busy={busy} title="Download the comparison as a self-contained HTML file" data-testid="compare-report">
      {busy ? 'Building report…' : 'Report'}
    </button>
  );
}
