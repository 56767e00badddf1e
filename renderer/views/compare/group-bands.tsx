import type { ReactElement } from 'react';
import { nearestIndex, type PlotSeries } from '../../lib/compare-series';
import { formatMetric } from '../../lib/format';
import { aggregateBand, type BandMode, type BandPoint, type RunGroup } from '../../lib/run-groups';
import { HoverTableHead } from './hover-table';

/** One group as a chart draws it: the aggregate per step, and its x positions for hover look-ups. */
export interface DrawnGroup {
  readonly group: RunGroup;
  readonly points: readonly BandPoint[];
  readonly xs: readonly number[];
}

/** Aggregates each group's members from the series the chart shows (overview or zoomed window). */
export function drawGroups(groups: readonly RunGroup[], plots: readonly PlotSeries[], band: BandMode): DrawnGroup[] {
  const byRun = new Map(plots.map((plot) => [plot.runId, plot]));
  return groups.flatMap((group) => {
    const members = group.runIds.flatMap((id) => {
      const plot = byRun.get(id);
      return plot ? [{ points: plot.points, xs: plot.xs }] : [];
    });
    const points = aggregateBand(members, band);
    return points.length > 0 ? [{ group, points, xs: points.map((point) => point.x) }] : [];
  });
}

const onScale = (value: number, log: boolean): number | null => (!log ? value : value > 0 ? Math.log10(value) : null);

/** The y extent of the bands and mean lines inside the x window, on the chart's scale. */
export function groupsYExtent(drawn: readonly DrawnGroup[], window: readonly [number, number] | null, log: boolean): [number, number] | null {
  let low = Infinity;
  let high = -Infinity;
  for (const one of drawn) {
    for (const point of one.points) {
      if (window && (point.x < window[0] || point.x > window[1])) continue;
      for (const value of [point.lower, point.mean, point.upper]) {
        const y = onScale(value, log);
        if (y === null) continue;
        if (y < low) low = y;
        if (y > high) high = y;
      }
    }
  }
  return low <= high ? [low, high] : null;
}

/** A group's translucent band (mean ± std or min–max) under its mean line. */
export function GroupPaths({ drawn, log, sx, sy }: { drawn: DrawnGroup; log: boolean; sx: (x: number) => number; sy: (y: number) => number }): ReactElement {
  const { group, points } = drawn;
  let band = '';
  let line = '';
  let segment: string[][] = [[], []];
  let pen = false;
  const flush = (): void => {
    if (segment[0]!.length > 0) band += `M${segment[0]!.join('L')}L${segment[1]!.reverse().join('L')}Z`;
    segment = [[], []];
  };
  for (const point of points) {
    const x = sx(point.x).toFixed(1);
    const mean = onScale(point.mean, log);
    const lower = onScale(point.lower, log);
    const upper = onScale(point.upper, log);
    if (mean === null) pen = false;
    else {
      line += `${pen ? 'L' : 'M'}${x},${sy(mean).toFixed(1)}`;
      pen = true;
    }
    if (lower === null || upper === null) flush();
    else {
      segment[0]!.push(`${x},${sy(upper).toFixed(1)}`);
      segment[1]!.push(`${x},${sy(lower).toFixed(1)}`);
    }
  }
  flush();
  const lone = points.length === 1 ? onScale(points[0]!.mean, log) : null;
  return (
    <g data-testid="compare-group" data-group-value={group.label} data-run-count={group.runIds.length} data-point-count={points.length}>
      {band ? <path d={band} fill={group.color} fillOpacity={0.2} stroke="none" /> : null}
      <path d={line} fill="none" stroke={group.color} strokeWidth={1.8} />
      {lone !== null ? <circle cx={sx(points[0]!.x)} cy={sy(lone)} r={2.5} fill={group.color} /> : null}
    </g>
  );
}

/** One group's aggregate at the hovered x. */
export interface GroupHoverRow {
  readonly label: string;
  readonly color: string;
  readonly step: number;
  readonly mean: number;
  readonly std: number;
  readonly n: number;
}

export function groupHoverRows(drawn: readonly DrawnGroup[], x: number): GroupHoverRow[] {
  return drawn.flatMap(({ group, points, xs }) => {
    const point = points[nearestIndex(xs, x)];
    return point ? [{ label: group.label, color: group.color, step: point.step, mean: point.mean, std: point.std, n: point.n }] : [];
  });
}

/** Every group's mean, std and member count at the hovered (or pinned) x. */
export function GroupHoverTable({ rows, xLabel, xText, pinned, onUnpin }: { rows: readonly GroupHoverRow[]; xLabel: string; xText: string; pinned: boolean; onUnpin: () => void }): ReactElement {
  return (
    <div className="hover-table" data-testid="hover-table" data-pinned={pinned}>
      <HoverTableHead xLabel={xLabel} xText={xText} pinned={pinned} onUnpin={onUnpin} />
      <table className="data-table compact">
        <thead>
          <tr>
            <th>Group</th>
            <th className="numeric">Step</th>
            <th className="numeric">Mean</th>
            <th className="numeric">Std</th>
            <th className="numeric">n</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label} data-testid="hover-group-row" data-group-value={row.label}>
              <td>
                <span className="series-swatch" style={{ background: row.color }} aria-hidden="true" /> {row.label}
              </td>
              <td className="numeric">{row.step}</td>
              <td className="numeric">{formatMetric(row.mean)}</td>
              <td className="numeric">{formatMetric(row.std)}</td>
              <td className="numeric">{row.n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
