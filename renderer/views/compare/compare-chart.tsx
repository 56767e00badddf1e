import { memo, useCallback, useEffect, useMemo, useRef, useState, type MouseEvent, type ReactElement } from 'react';
import { flushSync } from 'react-dom';
import type { Run } from '../../../shared/tracking';
import { compareBudget, niceTicks } from '../../lib/chart-data';
import { useCompareSeries } from '../../lib/compare-loader';
import { nearestIndex, toPlotSeries, visibleMax, xExtent, yExtent, type HoverRow, type XAxisMode } from '../../lib/compare-series';
import { formatMetric } from '../../lib/format';
import type { BandMode, RunGroup } from '../../lib/run-groups';
import { seriesColor } from '../../lib/series-color';
import { useElementWidth } from '../../lib/use-element-width';
import { drawGroups, GroupHoverTable, groupHoverRows, GroupPaths, groupsYExtent } from './group-bands';
import { ChartExportMenu } from '../../components/chart-export-menu';
import { registerVectorSvg } from './chart-vectors';
import { HoverTable } from './hover-table';
import { SeriesCanvas, type CanvasSeries } from './series-canvas';
import { SeriesPaths } from './series-paths';

const chartHeight = 220;
const yAxisWidth = 58;
const rightPad = 12;
const topPad = 8;
const xAxisHeight = 22;
const plotHeight = chartHeight - topPad - xAxisHeight;
/** A drag shorter than this is a click (pins the hover table), not a zoom. */
const dragThresholdPx = 4;

interface CompareChartProps {
  readonly metricKey: string;
  readonly runs: readonly Run[];
  readonly axis: XAxisMode;
  readonly log: boolean;
  /** EMA weight; 0 draws the raw lines only. */
  readonly smoothing: number;
  /** Draw one band + mean line per group instead of a line per run; null (or absent) keeps per-run lines. */
  readonly groups?: readonly RunGroup[] | null;
  readonly band?: BandMode;
  /** With groups: the member runs drawn faintly behind the bands. */
  readonly showRuns?: boolean;
  /** Run colours (colour by a param); absent runs keep their own stable colour. */
  readonly colors?: ReadonlyMap<string, string> | null;
}

/**
 * One metric, every run a line in its own colour with the min/max band of each down-sampled
 * bucket (so a spike inside a bucket is never lost). The overview is one batched read per chart
 * (live; compare-loader.ts); dragging zooms and re-reads the visible steps from the level-of-detail table at the
 * chart's point budget, so a zoomed chart is at full resolution once the window is narrow enough.
 */
export const CompareChart = memo(function CompareChart({ metricKey, runs, axis, log, smoothing, groups = null, band = 'std', showRuns = false, colors = null }: CompareChartProps): ReactElement {
  const frame = useRef<HTMLDivElement>(null);
  const width = useElementWidth(frame);
  const plotWidth = Math.max(0, width - yAxisWidth - rightPad);
  const withMetric = useMemo(() => runs.filter((run) => metricKey in run.metrics), [runs, metricKey]);
  const maxPoints = compareBudget(plotWidth, withMetric.length);
  const [zoom, setZoom] = useState<readonly [number, number] | null>(null);
  // One metrics.seriesBatch per chart: the overview (live) and, when zoomed, the visible window.
  const { overview, zoomed: zoomedData, loading, error: failed } = useCompareSeries({ runs: withMetric, metricKey, maxPoints, enabled: plotWidth > 0, axis, zoom });

  const drawn = useMemo(
    () => overview.map(({ run, series }) => {
      const shown = zoomedData?.series[run.id] ?? series;
      return { run, bucketWidth: shown.bucketWidth, plot: toPlotSeries(run.id, shown.points, { axis, startTime: run.startTime, log, smoothing }) };
    }),
    [overview, zoomedData, axis, log, smoothing],
  );
  const plots = useMemo(() => drawn.map((one) => one.plot), [drawn]);
  const grouped = useMemo(() => (groups ? drawGroups(groups, plots, band) : null), [groups, plots, band]);
  const colorOf = (runId: string): string => colors?.get(runId) ?? seriesColor(runId);

  // Shift+drag pans a zoomed chart: the window follows the mouse and is re-read when released.
  const [pan, setPan] = useState<{ readonly fromPx: number; readonly window: readonly [number, number] } | null>(null);
  const [panPx, setPanPx] = useState<number | null>(null);
  const view = useMemo((): readonly [number, number] | null => {
    if (!pan || panPx === null) return zoom;
    const shift = ((pan.fromPx - panPx) / (plotWidth || 1)) * (pan.window[1] - pan.window[0]);
    return [pan.window[0] + shift, pan.window[1] + shift];
  }, [pan, panPx, zoom, plotWidth]);

  const xDomain = useMemo((): [number, number] | null => {
    const extent = view ?? xExtent(plots);
    if (!extent) return null;
    return extent[0] === extent[1] ? [extent[0] - 1, extent[1] + 1] : [extent[0], extent[1]];
  }, [view, plots]);
  const yTicks = useMemo(() => {
    const runExtent = grouped && !showRuns ? null : yExtent(plots, view);
    const groupExtent = grouped ? groupsYExtent(grouped, view, log) : null;
    const extent = runExtent && groupExtent ? [Math.min(runExtent[0], groupExtent[0]), Math.max(runExtent[1], groupExtent[1])] : (runExtent ?? groupExtent);
    return extent ? niceTicks(extent[0]!, extent[1]!, 4) : [];
  }, [plots, view, grouped, showRuns, log]);
  const xTicks = useMemo(() => (xDomain ? niceTicks(xDomain[0], xDomain[1], Math.max(2, Math.floor(plotWidth / 110)), axis === 'step') : []), [xDomain, plotWidth, axis]);

  const yLow = yTicks.length > 1 ? yTicks[0]! : 0;
  const yHigh = yTicks.length > 1 ? yTicks[yTicks.length - 1]! : 1;
  // Stable scales: the canvas redraws only when the data or the axes change, not on every hover.
  const sx = useCallback((x: number): number => (xDomain ? yAxisWidth + ((x - xDomain[0]) / (xDomain[1] - xDomain[0])) * plotWidth : 0), [xDomain, plotWidth]);
  const sy = useCallback((y: number): number => topPad + (1 - (y - yLow) / (yHigh - yLow || 1)) * plotHeight, [yLow, yHigh]);
  const xAt = (px: number): number => (xDomain ? xDomain[0] + ((px - yAxisWidth) / (plotWidth || 1)) * (xDomain[1] - xDomain[0]) : 0);

  // Hover / drag, in pixels relative to the SVG.
  const [hoverPx, setHoverPx] = useState<number | null>(null);
  const [pinnedX, setPinnedX] = useState<number | null>(null);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const pxOf = (event: MouseEvent<SVGRectElement>): number => {
    const box = event.currentTarget.getBoundingClientRect();
    return Math.max(yAxisWidth, Math.min(yAxisWidth + plotWidth, event.clientX - box.left + yAxisWidth));
  };
  const finishDrag = (px: number): void => {
    if (dragFrom === null) return;
    if (Math.abs(px - dragFrom) >= dragThresholdPx) {
      const a = xAt(Math.min(px, dragFrom));
      const b = xAt(Math.max(px, dragFrom));
      setZoom([a, b]);
      setPinnedX(null);
    } else {
      setPinnedX((pinned) => (pinned === null ? xAt(px) : null));
    }
    setDragFrom(null);
  };

  const hoverX = pinnedX ?? (hoverPx !== null ? xAt(hoverPx) : null);
  const hoverRows = useMemo((): HoverRow[] => {
    if (hoverX === null) return [];
    return drawn.flatMap(({ run, plot }) => {
      const index = nearestIndex(plot.xs, hoverX);
      const point = plot.points[index];
      if (index < 0 || !point) return [];
      const smoothed = plot.smoothed?.[index] ?? null;
      return [{ runId: run.id, name: run.name, color: colors?.get(run.id) ?? seriesColor(run.id), step: point.step, value: point.value, smoothed: smoothed === null ? null : log ? 10 ** smoothed : smoothed }];
    });
  }, [drawn, hoverX, log, colors]);

  const spikeMax = drawn.reduce<number | null>((high, { plot }) => {
    const value = visibleMax(plot, zoom);
    return value === null ? high : high === null ? value : Math.max(high, value);
  }, null);
  const pointCount = plots.reduce((sum, plot) => sum + plot.points.length, 0);
  const canvasSeries = useMemo((): CanvasSeries[] => drawn.map(({ run, bucketWidth, plot }) => ({ plot, bucketWidth, color: colors?.get(run.id) ?? seriesColor(run.id) })), [drawn, colors]);

  // Exporting as SVG: the runs are drawn as paths for one synchronous render, captured, then the
  // canvas comes back (a vector file cannot hold a canvas).
  const [vector, setVector] = useState(false);
  const svgRef = useRef<SVGSVGElement>(null);
  const vectorSvg = useCallback((): SVGSVGElement | null => {
    flushSync(() => setVector(true));
    setTimeout(() => setVector(false), 0);
    return svgRef.current;
  }, []);
  const figureRef = useRef<HTMLElement>(null);
  useEffect(() => (figureRef.current ? registerVectorSvg(figureRef.current, vectorSvg) : undefined), [vectorSvg]);
  const clipId = `clip-${metricKey.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  const runsShown = !grouped || showRuns;
  // Above the runs: group bands, the hover cursor and the zoom brush.
  const foreground = (
    <>
      {grouped?.map((one) => <GroupPaths key={one.group.label} drawn={one} log={log} sx={sx} sy={sy} />)}
      {hoverX !== null && !vector ? <line data-export="skip" className="compare-cursor" x1={sx(hoverX)} x2={sx(hoverX)} y1={topPad} y2={topPad + plotHeight} /> : null}
      {dragFrom !== null && hoverPx !== null ? <rect data-export="skip" className="compare-brush" x={Math.min(dragFrom, hoverPx)} y={topPad} width={Math.abs(hoverPx - dragFrom)} height={plotHeight} /> : null}
    </>
  );

  return (
    <figure
      ref={figureRef}
      className="metric-chart compare-chart"
      data-testid="compare-chart"
      data-metric-key={metricKey}
      data-series-count={plots.filter((plot) => plot.points.length > 0).length}
      data-point-count={pointCount}
      data-zoomed={zoom !== null}
      data-zoom={zoom ? `${Math.round(zoom[0])}:${Math.round(zoom[1])}` : ''}
      data-group-count={grouped?.length ?? ''}
      data-loading={loading}
      data-visible-max={spikeMax ?? ''}
    >
      <figcaption className="chart-caption">
        <span className="chart-key mono" title={metricKey}>{metricKey}</span>
        <span className="chart-meta numeric">
          {withMetric.length < runs.length ? `${runs.length - withMetric.length} without it · ` : ''}
          {pointCount.toLocaleString('en-US')} pts drawn{loading ? ' · loading…' : ''}
        </span>
        {zoom !== null ? (
          <button type="button" className="button compact" onClick={() => setZoom(null)} data-testid="reset-zoom" title="Reset zoom (double-click the chart); Shift+drag pans">
            Reset zoom
          </button>
        ) : null}
        {overview.length > 0 ? <ChartExportMenu name={metricKey} getSvg={vectorSvg} /> : null}
      </figcaption>
      <div className="chart-frame" ref={frame} style={{ height: chartHeight }}>
        {failed ? <div className="chart-message inline-error">Could not load {metricKey}: {failed}</div> : null}
        {!failed && withMetric.length === 0 ? <div className="chart-message faint">No selected run logged {metricKey}.</div> : null}
        {!failed && withMetric.length > 0 && overview.length === 0 ? <div className="chart-message faint">Loading…</div> : null}
        {!failed && overview.length > 0 && width > 0 && xDomain ? (
          <>
          <svg ref={svgRef} width={width} height={chartHeight} className="compare-svg" role="img" aria-label={`${metricKey} for ${plots.length} runs`}>
            <defs>
              <clipPath id={clipId}>
                <rect x={yAxisWidth} y={topPad} width={plotWidth} height={plotHeight} />
              </clipPath>
            </defs>
            {yTicks.map((tick) => (
              <g key={`y${tick}`}>
                <line className="compare-grid" x1={yAxisWidth} x2={yAxisWidth + plotWidth} y1={sy(tick)} y2={sy(tick)} />
                <text className="compare-tick" x={yAxisWidth - 6} y={sy(tick)} textAnchor="end" dominantBaseline="middle">
                  {formatMetric(log ? 10 ** tick : tick)}
                </text>
              </g>
            ))}
            {xTicks.filter((tick) => tick >= xDomain[0] && tick <= xDomain[1]).map((tick) => (
              <text key={`x${tick}`} className="compare-tick" x={sx(tick)} y={chartHeight - 6} textAnchor="middle">
                {formatX(tick, axis)}
              </text>
            ))}
            {vector ? (
              <g clipPath={`url(#${clipId})`}>
                {runsShown ? (
                  <g opacity={grouped ? 0.3 : 1}>
                    {drawn.map(({ run, bucketWidth, plot }) => (
                      <SeriesPaths key={run.id} plot={plot} color={colorOf(run.id)} sx={sx} sy={sy} bucketWidth={bucketWidth} visibleMax={visibleMax(plot, zoom)} />
                    ))}
                  </g>
                ) : null}
                {foreground}
              </g>
            ) : runsShown ? (
              // What each run drew, for tests and tools; the lines themselves are on the canvas.
              <g>
                {drawn.map(({ run, bucketWidth, plot }) => (
                  <g key={run.id} data-testid="compare-series" data-run-id={run.id} data-point-count={plot.points.length} data-bucket-width={bucketWidth} data-visible-max={visibleMax(plot, zoom) ?? ''} />
                ))}
              </g>
            ) : null}
            <rect
              className="compare-overlay"
              x={yAxisWidth}
              y={topPad}
              width={plotWidth}
              height={plotHeight}
              data-testid="compare-plot"
              onMouseDown={(event) => {
                event.preventDefault();
                if (event.shiftKey && zoom) setPan({ fromPx: pxOf(event), window: zoom });
                else setDragFrom(pxOf(event));
              }}
              onMouseMove={(event) => {
                if (pan) setPanPx(pxOf(event));
                else setHoverPx(pxOf(event));
              }}
              onMouseUp={(event) => {
                if (!pan) return finishDrag(pxOf(event));
                if (view && view !== zoom) setZoom(view);
                setPan(null);
                setPanPx(null);
              }}
              onMouseLeave={() => {
                setHoverPx(null);
                setDragFrom(null);
                setPan(null);
                setPanPx(null);
              }}
              onDoubleClick={() => setZoom(null)}
              data-export="skip"
            />
          </svg>
          {vector ? null : (
            <>
              {runsShown ? <SeriesCanvas series={canvasSeries} left={yAxisWidth} top={topPad} width={plotWidth} height={plotHeight} sx={sx} sy={sy} opacity={grouped ? 0.3 : 1} /> : null}
              <svg width={width} height={chartHeight} className="compare-svg compare-foreground" aria-hidden="true">
                <g clipPath={`url(#${clipId})`}>{foreground}</g>
              </svg>
            </>
          )}
          </>
        ) : null}
      </div>
      {grouped && hoverX !== null ? (
        <GroupHoverTable rows={groupHoverRows(grouped, hoverX)} xLabel={axis === 'step' ? 'step' : axis === 'wall' ? 'time' : 'seconds'} xText={formatX(hoverX, axis)} pinned={pinnedX !== null} onUnpin={() => setPinnedX(null)} />
      ) : null}
      {!grouped && hoverX !== null && hoverRows.length > 0 ? <HoverTable rows={hoverRows} x={hoverX} xLabel={axis === 'step' ? 'step' : axis === 'wall' ? 'time' : 'seconds'} xText={formatX(hoverX, axis)} pinned={pinnedX !== null} onUnpin={() => setPinnedX(null)} /> : null}
    </figure>
  );
});

/** x-axis labels: 20k steps, a time of day, or elapsed seconds/minutes/hours. */
export function formatX(x: number, axis: XAxisMode): string {
  if (axis === 'wall') return new Date(x).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (axis === 'relative') {
    if (Math.abs(x) >= 3600) return `${Number((x / 3600).toPrecision(3))}h`;
    if (Math.abs(x) >= 120) return `${Number((x / 60).toPrecision(3))}m`;
    return `${Number(x.toPrecision(4))}s`;
  }
  if (Math.abs(x) >= 1e6) return `${Number((x / 1e6).toPrecision(3))}M`;
  if (Math.abs(x) >= 1e4) return `${Number((x / 1e3).toPrecision(3))}k`;
  return String(Math.round(x));
}
