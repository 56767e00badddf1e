import type { ReactElement } from 'react';
import type { PlotSeries } from '../../lib/compare-series';

export interface SeriesPathsProps {
  readonly plot: PlotSeries;
  readonly color: string;
  readonly sx: (x: number) => number;
  readonly sy: (y: number) => number;
  readonly bucketWidth: number;
  readonly visibleMax: number | null;
}

/** One run: band, raw line (faint when a smoothed line is drawn beside it), smoothed line. */
export function SeriesPaths({ plot, color, sx, sy, bucketWidth, visibleMax: high }: SeriesPathsProps): ReactElement {
  const raw = linePath(plot.xs, plot.ys, sx, sy);
  const smoothed = plot.smoothed ? linePath(plot.xs, plot.smoothed, sx, sy) : null;
  const band = bucketWidth > 1 ? bandPath(plot, sx, sy) : '';
  return (
    <g data-testid="compare-series" data-run-id={plot.runId} data-point-count={plot.points.length} data-bucket-width={bucketWidth} data-visible-max={high ?? ''}>
      {band ? <path d={band} fill={color} fillOpacity={0.16} stroke="none" /> : null}
      <path d={raw} fill="none" stroke={color} strokeWidth={smoothed ? 1 : 1.5} strokeOpacity={smoothed ? 0.3 : 1} />
      {smoothed ? <path d={smoothed} fill="none" stroke={color} strokeWidth={1.6} /> : null}
      {plot.points.length === 1 && plot.ys[0] !== null && plot.ys[0] !== undefined ? <circle cx={sx(plot.xs[0]!)} cy={sy(plot.ys[0])} r={2.5} fill={color} /> : null}
    </g>
  );
}

/** An SVG path through the points, broken where a value is null (NaN, ∞, ≤ 0 on a log scale). */
function linePath(xs: readonly number[], ys: readonly (number | null)[], sx: (x: number) => number, sy: (y: number) => number): string {
  let path = '';
  let pen = false;
  ys.forEach((y, index) => {
    if (y === null) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${sx(xs[index]!).toFixed(1)},${sy(y).toFixed(1)}`;
    pen = true;
  });
  return path;
}

/** The min/max envelope as closed shapes, one per run of consecutive buckets that have a band. */
function bandPath(plot: PlotSeries, sx: (x: number) => number, sy: (y: number) => number): string {
  let path = '';
  let segment: { x: number; low: number; high: number }[] = [];
  const flush = (): void => {
    if (segment.length > 0) {
      // A lone bucket still gets a sliver, so its spike shows.
      const top = segment.map((point) => `${sx(point.x).toFixed(1)},${sy(point.high).toFixed(1)}`);
      const bottom = segment.map((point) => `${sx(point.x).toFixed(1)},${sy(point.low).toFixed(1)}`).reverse();
      path += `M${top.join('L')}L${bottom.join('L')}Z`;
    }
    segment = [];
  };
  plot.bands.forEach((band, index) => {
    if (band === null) flush();
    else segment.push({ x: plot.xs[index]!, low: band[0], high: band[1] });
  });
  flush();
  return path;
}
