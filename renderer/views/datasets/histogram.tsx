import { memo, useRef, type ReactElement } from 'react';
import { Bar, BarChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ColumnProfile } from '../../../shared/datasets';
import { useElementWidth } from '../../lib/use-element-width';
import { formatStat } from './profile-format';

const chartHeight = 96;

interface Bin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
}

/** A numeric column's equal-width bins; the axis shows the range's ends, the tooltip each bin. */
export const Histogram = memo(function Histogram({ bins }: { bins: ColumnProfile['histogram'] }): ReactElement {
  const frame = useRef<HTMLDivElement>(null);
  const width = useElementWidth(frame);
  const first = bins[0];
  const last = bins[bins.length - 1];
  return (
    <div className="histogram" ref={frame} data-testid="histogram" data-bins={bins.length}>
      {width > 0 ? (
        <BarChart width={width} height={chartHeight} data={bins as Bin[]} margin={{ top: 4, right: 0, bottom: 0, left: 0 }} barCategoryGap={1}>
          <XAxis dataKey="lower" hide />
          <YAxis hide domain={[0, 'dataMax']} />
          <Tooltip content={<BinTooltip />} isAnimationActive={false} cursor={{ className: 'histogram-cursor' }} />
          <Bar dataKey="count" className="histogram-bar" isAnimationActive={false} radius={[2, 2, 0, 0]} minPointSize={1} />
        </BarChart>
      ) : null}
      {first && last ? (
        <div className="histogram-axis numeric">
          <span>{formatStat(first.lower)}</span>
          <span>{formatStat(last.upper)}</span>
        </div>
      ) : null}
    </div>
  );
});

function BinTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: Bin }[] }): ReactElement | null {
  const bin = payload?.[0]?.payload;
  if (!active || !bin) return null;
  return (
    <div className="chart-tooltip numeric">
      <div>
        [{formatStat(bin.lower)}, {formatStat(bin.upper)})
      </div>
      <div>
        <strong>{bin.count.toLocaleString('en-US')}</strong> rows
      </div>
    </div>
  );
}

/** The most frequent values as horizontal bars, scaled to the most frequent one. */
export function TopValues({ values, total }: { values: ColumnProfile['topValues']; total: number }): ReactElement {
  const shown = values.slice(0, 8);
  const most = Math.max(1, ...shown.map((value) => value.count));
  return (
    <div className="top-values" data-testid="top-values">
      {shown.map((value) => (
        <div key={value.value} className="top-value" title={`${value.value}: ${value.count.toLocaleString('en-US')} rows (${((value.count / Math.max(1, total)) * 100).toFixed(1)}%)`}>
          <span className="top-value-label mono">{value.value === '' ? <span className="faint">(empty)</span> : value.value}</span>
          <span className="top-value-bar">
            <span className="top-value-fill" style={{ width: `${(value.count / most) * 100}%` }} />
          </span>
          <span className="top-value-count numeric">{value.count.toLocaleString('en-US')}</span>
        </div>
      ))}
      {values.length === 0 ? <div className="faint">No values.</div> : null}
    </div>
  );
}
