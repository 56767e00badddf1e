import { memo, useRef, useState, type ReactElement, type ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceDot, ReferenceLine, XAxis, YAxis } from 'recharts';
import { pointAt, type CurveSeries } from '../../lib/evaluation-data';
import { formatMetric } from '../../lib/format';
import { useElementWidth } from '../../lib/use-element-width';
import { formatUnit, unitTicks, usePlotHover, type PlotBox } from './plot-hover';

const chartHeight = 250;
const margin = { top: 8, right: 14, bottom: 4, left: 0 };
const yAxisWidth = 40;
const xAxisHeight = 22;
const domain = [0, 1] as const;

interface CurveChartProps {
  readonly title: string;
  /** roc: a chance diagonal; pr: none (a random model's precision is each class's prevalence). */
  readonly kind: 'roc' | 'pr';
  readonly series: readonly CurveSeries[];
  /** AUC or AP: what each legend entry's number is. */
  readonly scoreLabel: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Above the chart, right of the title: a class picker, say. */
  readonly controls?: ReactNode;
  /** Under the legend: classes without a curve, and why. */
  readonly footnote?: ReactNode;
  readonly testId: string;
}

/**
 * ROC or precision-recall curves over [0, 1]², one line per series (class, or version · class),
 * dashed where a series says so. Hovering shows each curve's nearest point with its threshold;
 * hovering a legend entry brings its curve forward.
 */
export const CurveChart = memo(function CurveChart({ title, kind, series, scoreLabel, xLabel, yLabel, controls, footnote, testId }: CurveChartProps): ReactElement {
  const frame = useRef<HTMLDivElement>(null);
  const width = useElementWidth(frame);
  const box: PlotBox = { width, height: chartHeight, margin, yAxisWidth, xAxisHeight };
  const { hover, handlers } = usePlotHover(box, domain);
  const [focus, setFocus] = useState<string | null>(null);
  const nearest = hover ? series.map((entry) => ({ entry, point: pointAt(entry.points, hover.x) })) : [];

  return (
    <figure className="metric-chart eval-plot" data-testid={testId} data-series={series.length}>
      <figcaption className="chart-caption">
        <span className="chart-key">{title}</span>
        <span className="eval-plot-controls">{controls}</span>
      </figcaption>
      <div className="chart-frame eval-chart-frame" ref={frame} style={{ height: chartHeight }} {...handlers}>
        {width > 0 ? (
          <LineChart width={width} height={chartHeight} margin={margin}>
            <CartesianGrid />
            <XAxis dataKey="x" type="number" domain={[0, 1]} ticks={unitTicks} height={xAxisHeight} tickLine={false} tickFormatter={formatUnit} allowDuplicatedCategory={false} />
            <YAxis dataKey="y" type="number" domain={[0, 1]} ticks={unitTicks} width={yAxisWidth} tickLine={false} axisLine={false} tickFormatter={formatUnit} />
            {kind === 'roc' ? <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} className="eval-reference" strokeDasharray="3 3" ifOverflow="visible" /> : null}
            {series.map((entry) => (
              <Line
                key={entry.id}
                data={entry.points}
                dataKey="y"
                name={entry.label}
                stroke={entry.color}
                strokeWidth={focus === entry.id ? 2.4 : 1.6}
                strokeOpacity={focus === null || focus === entry.id ? 1 : 0.25}
                strokeDasharray={entry.dashed ? '6 4' : undefined}
                dot={false}
                activeDot={false}
                isAnimationActive={false}
              />
            ))}
            {hover ? <ReferenceLine x={hover.x} className="eval-cursor" ifOverflow="hidden" /> : null}
            {nearest.map(({ entry, point }) =>
              point ? <ReferenceDot key={entry.id} x={point.x} y={point.y} r={3.5} fill={entry.color} stroke="var(--bg)" strokeWidth={1} ifOverflow="visible" /> : null,
            )}
          </LineChart>
        ) : null}
        <span className="eval-axis-label x">{xLabel}</span>
        <span className="eval-axis-label y">{yLabel}</span>
        {hover && nearest.length > 0 ? (
          <div className="chart-tooltip eval-tooltip numeric" style={tooltipPosition(hover.left, hover.top, width)} data-testid="curve-tooltip">
            {nearest.map(({ entry, point }) =>
              point ? (
                <div key={entry.id} className="eval-tooltip-row">
                  <span className="eval-swatch" style={{ background: entry.color }} aria-hidden="true" />
                  <span className="eval-tooltip-label">{entry.label}</span>
                  <span>
                    {xLabel} <strong>{formatMetric(point.x)}</strong> · {yLabel} <strong>{formatMetric(point.y)}</strong>
                    <span className="faint"> · threshold {point.threshold === null ? '∞' : formatMetric(point.threshold)}</span>
                  </span>
                </div>
              ) : null,
            )}
          </div>
        ) : null}
      </div>
      <ul className="eval-legend" aria-label={`${title} legend`}>
        {series.map((entry) => (
          <li key={entry.id} className="eval-legend-item" onMouseEnter={() => setFocus(entry.id)} onMouseLeave={() => setFocus(null)} data-testid="curve-legend-item">
            <span className={`eval-legend-line${entry.dashed ? ' dashed' : ''}`} style={{ borderColor: entry.color }} aria-hidden="true" />
            <span className="eval-legend-label">{entry.label}</span>
            <span className="numeric muted">
              {scoreLabel} {formatMetric(entry.score)}
            </span>
          </li>
        ))}
      </ul>
      {footnote ? <div className="eval-footnote faint">{footnote}</div> : null}
    </figure>
  );
});

/** Right of the pointer, or left of it past the middle, so the box stays inside the chart. */
export function tooltipPosition(left: number, top: number, width: number): { left?: number; right?: number; top: number } {
  return left > width / 2 ? { right: width - left + 14, top: Math.max(0, top - 10) } : { left: left + 14, top: Math.max(0, top - 10) };
}
