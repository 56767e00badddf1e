import { memo, useLayoutEffect, useRef, type ReactElement } from 'react';
import type { PlotSeries } from '../../lib/compare-series';

/** One run as the canvas draws it. */
export interface CanvasSeries {
  readonly plot: PlotSeries;
  readonly color: string;
  readonly bucketWidth: number;
}

interface SeriesCanvasProps {
  readonly series: readonly CanvasSeries[];
  /** The plot area, in CSS pixels of the chart: where the canvas sits and what it clips to. */
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly sx: (x: number) => number;
  readonly sy: (y: number) => number;
  /** Drawn faintly (members behind group bands). */
  readonly opacity: number;
}

/**
 * Every run's envelope and lines on one canvas. An SVG path per run (plus one per envelope)
 * made the browser lay out and paint hundreds of 400-vertex shapes on every open and zoom —
 * most of a 100-run chart's time; a canvas draws the same in a few milliseconds. The chart
 * switches back to SVG paths (series-paths.tsx) when it is exported as a vector image.
 */
export const SeriesCanvas = memo(function SeriesCanvas({ series, left, top, width, height, sx, sy, opacity }: SeriesCanvasProps): ReactElement {
  const canvas = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const ratio = window.devicePixelRatio || 1;
    element.width = Math.round(width * ratio);
    element.height = Math.round(height * ratio);
    // Chart coordinates in, device pixels out: the plot's origin is (left, top) of the chart.
    context.setTransform(ratio, 0, 0, ratio, -left * ratio, -top * ratio);
    context.clearRect(left, top, width, height);
    context.globalAlpha = opacity;
    for (const one of series) drawSeries(context, one, sx, sy);
  }, [series, left, top, width, height, sx, sy, opacity]);
  return <canvas ref={canvas} className="compare-canvas" style={{ left, top, width, height }} aria-hidden="true" />;
});

function drawSeries(context: CanvasRenderingContext2D, { plot, color, bucketWidth }: CanvasSeries, sx: (x: number) => number, sy: (y: number) => number): void {
  const alpha = context.globalAlpha;
  context.fillStyle = color;
  context.strokeStyle = color;
  if (bucketWidth > 1) {
    context.globalAlpha = alpha * 0.16;
    fillBands(context, plot, sx, sy);
  }
  context.globalAlpha = alpha * (plot.smoothed ? 0.3 : 1);
  context.lineWidth = plot.smoothed ? 1 : 1.5;
  strokeLine(context, plot.xs, plot.ys, sx, sy);
  context.globalAlpha = alpha;
  if (plot.smoothed) {
    context.lineWidth = 1.6;
    strokeLine(context, plot.xs, plot.smoothed, sx, sy);
  }
  const only = plot.ys[0];
  if (plot.points.length === 1 && only !== null && only !== undefined) {
    context.beginPath();
    context.arc(sx(plot.xs[0]!), sy(only), 2.5, 0, Math.PI * 2);
    context.fill();
  }
}

/** The line through the points, broken where a value is null (NaN, ∞, ≤ 0 on a log scale). */
function strokeLine(context: CanvasRenderingContext2D, xs: readonly number[], ys: readonly (number | null)[], sx: (x: number) => number, sy: (y: number) => number): void {
  context.beginPath();
  let pen = false;
  ys.forEach((y, index) => {
    if (y === null) {
      pen = false;
      return;
    }
    if (pen) context.lineTo(sx(xs[index]!), sy(y));
    else context.moveTo(sx(xs[index]!), sy(y));
    pen = true;
  });
  context.stroke();
}

/** The min/max envelope, one closed shape per run of consecutive buckets that have a band. */
function fillBands(context: CanvasRenderingContext2D, plot: PlotSeries, sx: (x: number) => number, sy: (y: number) => number): void {
  context.beginPath();
  let start = -1;
  const close = (end: number): void => {
    if (start < 0) return;
    for (let index = start; index < end; index += 1) {
      const band = plot.bands[index]!;
      if (index === start) context.moveTo(sx(plot.xs[index]!), sy(band[1]));
      else context.lineTo(sx(plot.xs[index]!), sy(band[1]));
    }
    for (let index = end - 1; index >= start; index -= 1) context.lineTo(sx(plot.xs[index]!), sy(plot.bands[index]![0]));
    context.closePath();
    start = -1;
  };
  plot.bands.forEach((band, index) => {
    if (band === null) close(index);
    else if (start < 0) start = index;
  });
  close(plot.bands.length);
  context.fill();
}
