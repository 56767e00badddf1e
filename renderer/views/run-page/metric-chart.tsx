import { memo, useEffect, useMemo, useRef, type ReactElement } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { LatestMetric } from '../../../shared/tracking';
import { niceTicks, pointBudget, toChartData, valueExtent, type ChartDatum } from '../../lib/chart-data';
import { formatMetric } from '../../lib/format';
import { useElementWidth } from '../../lib/use-element-width';
import { seriesId, useMetricsStore } from '../../stores/metrics';

const chartHeight = 190;
const yAxisWidth = 54;

interface MetricChartProps {
  readonly runId: string;
  readonly metricKey: string;
  readonly color: string;
  readonly latest: LatestMetric | null;
}

/**
 * One metric over steps: the value line plus the min/max band of each down-sampled bucket, so a
 * spike inside a bucket still shows. Asks for ~2 points per pixel and re-reads the series when
 * `metrics.logged` names its key (the store throttles that).
 */
export const MetricChart = memo(function MetricChart({ runId, metricKey, color, latest }: MetricChartProps): ReactElement {
  const frame = useRef<HTMLDivElement>(null);
  const width = useElementWidth(frame);
  const maxPoints = pointBudget(Math.max(0, width - yAxisWidth));
  const entry = useMetricsStore((state) => state.entries[seriesId(runId, metricKey)]);
  const ensureSeries = useMetricsStore((state) => state.ensureSeries);
  const version = entry?.version ?? 0;

  useEffect(() => {
    if (width > 0) ensureSeries(runId, metricKey, maxPoints);
  }, [runId, metricKey, maxPoints, version, width, ensureSeries]);

  const series = entry?.series ?? null;
  const { data, drawn, gaps } = useMemo(() => toChartData(series?.points ?? []), [series]);
  const bucketed = (series?.bucketWidth ?? 1) > 1;
  // Own tick computation: recharts' automatic ticks start at the first step (63, 5063, …).
  const axes = useMemo(() => {
    const first = data[0]?.step ?? 0;
    const last = data[data.length - 1]?.step ?? 0;
    const xTicks = niceTicks(first, last, Math.max(2, Math.floor(width / 110)), true);
    const extent = valueExtent(data);
    const yTicks = extent ? niceTicks(extent[0], extent[1], 4) : [];
    return { xTicks, yTicks };
  }, [data, width]);
  const domainOf = (ticks: number[]): [number, number] | ['auto', 'auto'] =>
    ticks.length > 1 ? [ticks[0]!, ticks[ticks.length - 1]!] : ['auto', 'auto'];

  return (
    <figure className="metric-chart" data-testid="metric-chart" data-metric-key={metricKey} data-point-count={drawn} data-total-count={series?.totalCount ?? 0}>
      <figcaption className="chart-caption">
        <span className="chart-key mono" title={metricKey}>{metricKey}</span>
        <span className="chart-latest numeric" title={latest ? `step ${latest.step}` : undefined}>{latest ? formatMetric(latest.value) : ''}</span>
        <span className="chart-meta numeric">
          {series ? `${series.totalCount.toLocaleString()} pts${bucketed ? ` · ${series.bucketWidth}/bucket` : ''}${gaps > 0 ? ` · ${gaps} NaN/∞` : ''}` : ''}
        </span>
      </figcaption>
      <div className="chart-frame" ref={frame} style={{ height: chartHeight }}>
        {entry?.error && !series ? (
          <div className="chart-message inline-error">Could not load {metricKey}: {entry.error}</div>
        ) : !series ? (
          <div className="chart-message faint">Loading…</div>
        ) : width > 0 ? (
          <ComposedChart width={width} height={chartHeight} data={data} margin={{ top: 6, right: 10, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} />
            <XAxis
              dataKey="step"
              type="number"
              domain={domainOf(axes.xTicks)}
              ticks={axes.xTicks}
              allowDataOverflow
              tickLine={false}
              tickMargin={4}
              tickFormatter={(value: number) => formatStep(value)}
            />
            <YAxis
              width={yAxisWidth}
              domain={domainOf(axes.yTicks)}
              ticks={axes.yTicks}
              allowDataOverflow
              tickLine={false}
              axisLine={false}
              tickFormatter={(value: number) => formatMetric(value)}
            />
            <Tooltip content={<ChartTooltip />} isAnimationActive={false} cursor={{ className: 'chart-cursor' }} />
            {bucketed ? <Area dataKey="band" stroke="none" fill={color} fillOpacity={0.2} isAnimationActive={false} connectNulls={false} activeDot={false} /> : null}
            <Line
              dataKey="value"
              stroke={color}
              strokeWidth={1.6}
              dot={drawn === 1 ? { r: 2.5, fill: color, stroke: color } : false}
              activeDot={{ r: 3 }}
              isAnimationActive={false}
              connectNulls={false}
            />
          </ComposedChart>
        ) : null}
        {entry?.error && series ? <div className="chart-stale inline-error" title={entry.error}>update failed</div> : null}
      </div>
    </figure>
  );
});

/** Steps on the x-axis: 20k rather than 20000 once they get long. */
function formatStep(step: number): string {
  if (Math.abs(step) >= 1e6) return `${Number((step / 1e6).toPrecision(3))}M`;
  if (Math.abs(step) >= 1e4) return `${Number((step / 1e3).toPrecision(3))}k`;
  return String(step);
}

function ChartTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: ChartDatum }[] }): ReactElement | null {
  const datum = payload?.[0]?.payload;
  if (!active || !datum) return null;
  return (
    <div className="chart-tooltip numeric">
      <div>step <strong>{datum.step}</strong></div>
      <div>value <strong>{formatMetric(datum.raw)}</strong></div>
      {datum.count > 1 && datum.band ? (
        <div className="faint">
          {datum.count} pts, min {formatMetric(datum.band[0])} max {formatMetric(datum.band[1])}
        </div>
      ) : null}
      {datum.nanCount > 0 ? <div className="faint">{datum.nanCount} NaN</div> : null}
    </div>
  );
}
