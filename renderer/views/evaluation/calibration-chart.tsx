import { memo, useMemo, useRef, useState, type ReactElement } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, XAxis, YAxis } from 'recharts';
import { binAt, type CalibrationData } from '../../lib/evaluation-data';
import { formatMetric } from '../../lib/format';
import { seriesPalette } from '../../lib/series-color';
import { useElementWidth } from '../../lib/use-element-width';
import { tooltipPosition } from './curve-chart';
import { formatUnit, plotArea, unitTicks, usePlotHover, type PlotBox } from './plot-hover';

const chartHeight = 210;
const stripHeight = 44;
const margin = { top: 8, right: 14, bottom: 4, left: 0 };
const yAxisWidth = 40;
const xAxisHeight = 22;
const domain = [0, 1] as const;

type Bin = CalibrationData['bins'][number];

/**
 * Reliability diagram: each bin's mean predicted probability against how often it was right
 * (a binary model: the positive class's rate; otherwise the top class's accuracy), with the
 * diagonal a perfectly calibrated model follows and, under it, how many rows each bin holds.
 */
export const CalibrationChart = memo(function CalibrationChart({ data }: { data: CalibrationData }): ReactElement {
  const frame = useRef<HTMLDivElement>(null);
  const width = useElementWidth(frame);
  const box: PlotBox = { width, height: chartHeight, margin, yAxisWidth, xAxisHeight };
  const area = plotArea(box);
  const { hover, handlers } = usePlotHover(box, domain);
  const [stripBin, setStripBin] = useState<number | null>(null);
  const points = useMemo(
    () => data.bins.flatMap((bin) => (bin.meanPredicted !== null && bin.fractionPositive !== null ? [{ x: bin.meanPredicted, y: bin.fractionPositive }] : [])),
    [data],
  );
  const largest = Math.max(1, ...data.bins.map((bin) => bin.count));
  const active: Bin | null = stripBin !== null ? (data.bins[stripBin] ?? null) : hover ? binAt(data, hover.x) : null;
  const yLabel = data.kind === 'binary' ? `fraction ${data.class ?? 'positive'}` : 'accuracy';
  const xLabel = data.kind === 'binary' ? `P(${data.class ?? 'positive'})` : 'top-class probability';

  return (
    <figure className="metric-chart eval-plot" data-testid="calibration-chart" data-bins={data.bins.length}>
      <figcaption className="chart-caption">
        <span className="chart-key">Calibration</span>
        <span className="chart-meta">{data.kind === 'binary' ? `class ${data.class ?? ''}` : 'top-label'} · {data.bins.length} bins</span>
      </figcaption>
      <div className="chart-frame eval-chart-frame" ref={frame} style={{ height: chartHeight }} {...handlers}>
        {width > 0 ? (
          <LineChart width={width} height={chartHeight} margin={margin}>
            <CartesianGrid />
            <XAxis dataKey="x" type="number" domain={[0, 1]} ticks={unitTicks} height={xAxisHeight} tickLine={false} tickFormatter={formatUnit} />
            <YAxis dataKey="y" type="number" domain={[0, 1]} ticks={unitTicks} width={yAxisWidth} tickLine={false} axisLine={false} tickFormatter={formatUnit} />
            {active ? <ReferenceArea x1={active.lower} x2={active.upper} className="eval-bin-highlight" ifOverflow="hidden" /> : null}
            <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} className="eval-reference" strokeDasharray="3 3" ifOverflow="visible" />
            <Line data={points} dataKey="y" stroke={seriesPalette[0]} strokeWidth={1.6} dot={{ r: 3, fill: seriesPalette[0], stroke: seriesPalette[0] }} activeDot={false} isAnimationActive={false} />
          </LineChart>
        ) : null}
        <span className="eval-axis-label x">{xLabel}</span>
        <span className="eval-axis-label y">{yLabel}</span>
        {hover && active ? (
          <div className="chart-tooltip eval-tooltip numeric" style={tooltipPosition(hover.left, hover.top, width)} data-testid="calibration-tooltip">
            <BinText bin={active} />
          </div>
        ) : null}
      </div>
      <div className="calibration-strip" style={{ height: stripHeight, paddingLeft: area.left, paddingRight: margin.right }} onMouseLeave={() => setStripBin(null)} aria-label="Rows per bin">
        {data.bins.map((bin, index) => (
          <div
            key={index}
            className={`calibration-bar${active === bin ? ' active' : ''}`}
            onMouseEnter={() => setStripBin(index)}
            title={`${formatUnit(bin.lower)}–${formatUnit(bin.upper)}: ${bin.count.toLocaleString()} rows`}
            data-testid="calibration-bin"
            data-count={bin.count}
          >
            <span className="calibration-bar-fill" style={{ height: `${bin.count === 0 ? 0 : Math.max(4, (bin.count / largest) * 100)}%` }} />
          </div>
        ))}
      </div>
      <div className="confusion-detail numeric">
        {stripBin !== null && active ? <BinText bin={active} /> : <span className="faint">Bars: rows per bin. Points on the dashed diagonal are perfectly calibrated.</span>}
      </div>
    </figure>
  );
});

function BinText({ bin }: { bin: Bin }): ReactElement {
  return (
    <span>
      {formatUnit(bin.lower)}–{formatUnit(bin.upper)}: <strong>{bin.count.toLocaleString()}</strong> row{bin.count === 1 ? '' : 's'}
      {bin.meanPredicted !== null && bin.fractionPositive !== null ? (
        <>
          {' '}· predicted <strong>{formatMetric(bin.meanPredicted)}</strong> · observed <strong>{formatMetric(bin.fractionPositive)}</strong>
        </>
      ) : null}
    </span>
  );
}
