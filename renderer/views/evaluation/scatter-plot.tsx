import { memo, useMemo, useRef, type ReactElement } from 'react';
import { CartesianGrid, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import { extentOf } from '../../lib/evaluation-data';
import { niceTicks } from '../../lib/chart-data';
import { formatMetric } from '../../lib/format';
import { useElementWidth } from '../../lib/use-element-width';

const chartHeight = 250;

export interface ScatterSeries {
  readonly id: string;
  readonly label: string;
  readonly color: string;
  readonly points: readonly { x: number; y: number }[];
}

interface ScatterPlotProps {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ScatterSeries[];
  /** zero: the y = 0 line (residuals); diagonal: y = x (predicted against actual). */
  readonly reference: 'zero' | 'diagonal';
  readonly testId: string;
}

interface Datum {
  readonly x: number;
  readonly y: number;
  readonly series: string;
}

/** A regression plot: up to 2,000 sampled rows per series, with the line a perfect model sits on. */
export const ScatterPlot = memo(function ScatterPlot({ title, xLabel, yLabel, series, reference, testId }: ScatterPlotProps): ReactElement {
  const frame = useRef<HTMLDivElement>(null);
  const width = useElementWidth(frame);
  const axes = useMemo(() => {
    const xs = series.flatMap((entry) => entry.points.map((point) => point.x));
    const ys = series.flatMap((entry) => entry.points.map((point) => point.y));
    // y = x reads only on equal axes.
    const x = reference === 'diagonal' ? extentOf(xs, ys) : extentOf(xs);
    const y = reference === 'diagonal' ? x : extentOf(ys, [0]);
    const ticks = (extent: [number, number] | null, count: number): number[] => (extent ? niceTicks(extent[0], extent[1], count).filter((tick) => tick >= extent[0] && tick <= extent[1]) : []);
    return { x, y, xTicks: ticks(x, Math.max(2, Math.floor(width / 90))), yTicks: ticks(y, 4) };
  }, [series, reference, width]);
  const data = useMemo(() => series.map((entry) => ({ entry, points: entry.points.map((point): Datum => ({ ...point, series: entry.label })) })), [series]);
  const count = series.reduce((sum, entry) => sum + entry.points.length, 0);

  return (
    <figure className="metric-chart eval-plot" data-testid={testId} data-points={count}>
      <figcaption className="chart-caption">
        <span className="chart-key">{title}</span>
        <span className="chart-meta numeric">{count.toLocaleString()} rows drawn</span>
      </figcaption>
      <div className="chart-frame eval-chart-frame" ref={frame} style={{ height: chartHeight }}>
        {width > 0 && axes.x && axes.y ? (
          <ScatterChart width={width} height={chartHeight} margin={{ top: 8, right: 14, bottom: 4, left: 0 }}>
            <CartesianGrid />
            <XAxis dataKey="x" type="number" name={xLabel} domain={axes.x} ticks={axes.xTicks} height={22} tickLine={false} tickFormatter={(value: number) => formatMetric(value)} allowDataOverflow />
            <YAxis dataKey="y" type="number" name={yLabel} domain={axes.y} ticks={axes.yTicks} width={52} tickLine={false} axisLine={false} tickFormatter={(value: number) => formatMetric(value)} allowDataOverflow />
            <ZAxis range={[14, 14]} />
            {reference === 'zero' ? (
              <ReferenceLine y={0} className="eval-reference" strokeDasharray="3 3" />
            ) : (
              <ReferenceLine segment={[{ x: axes.x[0], y: axes.x[0] }, { x: axes.x[1], y: axes.x[1] }]} className="eval-reference" strokeDasharray="3 3" ifOverflow="hidden" />
            )}
            {data.map(({ entry, points }) => (
              <Scatter key={entry.id} name={entry.label} data={points} fill={entry.color} fillOpacity={series.length > 1 ? 0.45 : 0.6} isAnimationActive={false} />
            ))}
            <Tooltip content={<PointTooltip xLabel={xLabel} yLabel={yLabel} named={series.length > 1} />} isAnimationActive={false} cursor={{ className: 'chart-cursor', strokeDasharray: '3 3' }} />
          </ScatterChart>
        ) : null}
        <span className="eval-axis-label x">{xLabel}</span>
        <span className="eval-axis-label y">{yLabel}</span>
      </div>
      {series.length > 1 ? (
        <ul className="eval-legend">
          {series.map((entry) => (
            <li key={entry.id} className="eval-legend-item">
              <span className="eval-legend-dot" style={{ background: entry.color }} aria-hidden="true" />
              <span className="eval-legend-label">{entry.label}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </figure>
  );
});

function PointTooltip({ active, payload, xLabel, yLabel, named }: { active?: boolean; payload?: readonly { payload?: Datum }[]; xLabel: string; yLabel: string; named: boolean }): ReactElement | null {
  const datum = payload?.[0]?.payload;
  if (!active || !datum) return null;
  return (
    <div className="chart-tooltip numeric">
      {named ? <div className="faint">{datum.series}</div> : null}
      <div>{xLabel} <strong>{formatMetric(datum.x)}</strong></div>
      <div>{yLabel} <strong>{formatMetric(datum.y)}</strong></div>
    </div>
  );
}
