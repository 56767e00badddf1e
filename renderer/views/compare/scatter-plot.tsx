import { useMemo, useRef, useState, type ReactElement } from 'react';
import type { Run } from '../../../shared/tracking';
import { runHref } from '../../lib/hash-route';
import { axisTicks, type Axis, type AxisCandidate, type AxisKey } from '../../lib/parallel-axes';
import { runKeyOptions } from '../../lib/run-groups';
import { describeLacking, scatterData, type ScatterPoint } from '../../lib/scatter-data';
import { useElementWidth } from '../../lib/use-element-width';

const chartHeight = 300;
const leftPad = 64;
const rightPad = 20;
const topPad = 14;
const bottomPad = 40;
const plotHeight = chartHeight - topPad - bottomPad;
const pointRadius = 5;

interface ScatterPlotProps {
  readonly runs: readonly Run[];
  readonly candidates: readonly AxisCandidate[];
  /** Runs inside the parallel-coordinates brushes; null when nothing is brushed. */
  readonly highlighted: ReadonlySet<string> | null;
  readonly colorOf: (runId: string) => string;
}

/** The x axis worth looking at first: a param the runs vary, else anything there is. */
function defaultX(candidates: readonly AxisCandidate[]): AxisKey | null {
  return (candidates.find((one) => one.source === 'param' && one.varies) ?? candidates.find((one) => one.source === 'param') ?? candidates[0])?.key ?? null;
}

/** The y axis: the first metric (the outcome), else the last candidate so x and y differ. */
function defaultY(candidates: readonly AxisCandidate[]): AxisKey | null {
  return (candidates.find((one) => one.source === 'metric') ?? candidates[candidates.length - 1])?.key ?? null;
}

const candidateLabel = (candidate: AxisCandidate): string => `${candidate.source === 'metric' ? 'metric ' : ''}${candidate.name}`;

/**
 * Any param or metric against a metric, each run a dot coloured by a third key. Hovering a dot
 * names the run; clicking opens it. Runs lacking x or y are counted under the chart, not hidden.
 */
export function ScatterPlot({ runs, candidates, highlighted, colorOf }: ScatterPlotProps): ReactElement {
  const frame = useRef<HTMLDivElement>(null);
  const width = Math.max(320, useElementWidth(frame));
  const plotWidth = width - leftPad - rightPad;
  const [picked, setPicked] = useState<{ x: AxisKey | null; y: AxisKey | null; colorBy: string | null }>({ x: null, y: null, colorBy: null });
  const [hovered, setHovered] = useState<ScatterPoint | null>(null);
  // A picked key the runs no longer have (after narrowing) falls back to the default.
  const has = (key: string | null): key is AxisKey => key !== null && candidates.some((one) => one.key === key);
  const x = has(picked.x) ? picked.x : defaultX(candidates);
  const y = has(picked.y) ? picked.y : defaultY(candidates);
  const tagOptions = useMemo(() => runKeyOptions(runs, ['tag']), [runs]);
  const colorBy = picked.colorBy !== null && (has(picked.colorBy) || tagOptions.some((one) => one.key === picked.colorBy)) ? picked.colorBy : null;

  const data = useMemo(() => (x && y ? scatterData(runs, { x, y, colorBy, runColor: colorOf }) : null), [runs, x, y, colorBy, colorOf]);
  // An inset keeps the extreme dots (and the outer categories) off the plot's edges.
  const inset = (position: number): number => 0.04 + position * 0.92;
  const sx = (position: number): number => leftPad + inset(position) * plotWidth;
  const sy = (position: number): number => topPad + (1 - inset(position)) * plotHeight;
  const lacking = data ? describeLacking(data.lacking) : null;

  const select = (label: string, value: string, onChange: (value: string) => void, testId: string, options: readonly { key: string; label: string }[], none?: string): ReactElement => (
    <label className="compare-smoothing">
      {label}
      <select className="select" value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        {none !== undefined ? <option value="">{none}</option> : null}
        {options.map((option) => <option key={option.key} value={option.key}>{option.label}</option>)}
      </select>
    </label>
  );
  const axisOptions = candidates.map((one) => ({ key: one.key, label: candidateLabel(one) }));

  return (
    <section className="relations-scatter">
      <div className="compare-controls">
        {select('x', x ?? '', (value) => setPicked({ ...picked, x: value as AxisKey }), 'scatter-x', axisOptions)}
        {select('y', y ?? '', (value) => setPicked({ ...picked, y: value as AxisKey }), 'scatter-y', axisOptions)}
        {select('Colour', colorBy ?? '', (value) => setPicked({ ...picked, colorBy: value || null }), 'scatter-color', [...axisOptions, ...tagOptions.map((one) => ({ key: one.key, label: `tag ${one.name}` }))], 'Run')}
      </div>
      <div className="scatter-frame" ref={frame}>
        <svg className="parallel-svg" width={width} height={chartHeight} data-testid="scatter-plot" aria-label="Scatter plot" data-point-count={data?.points.length ?? 0}>
          {data ? <ScatterAxes xAxis={data.xAxis} yAxis={data.yAxis} sx={sx} sy={sy} plotWidth={plotWidth} /> : null}
          {data?.points.map((point) => {
            const faded = highlighted !== null && !highlighted.has(point.runId);
            return (
              <a key={point.runId} href={runHref(point.runId)} aria-label={`Open ${point.name}`}>
                <circle
                  className={faded ? 'scatter-point faded' : 'scatter-point'}
                  cx={sx(point.x)}
                  cy={sy(point.y)}
                  r={hovered?.runId === point.runId ? pointRadius + 2 : pointRadius}
                  fill={faded ? undefined : point.color}
                  onPointerEnter={() => setHovered(point)}
                  onPointerLeave={() => setHovered(null)}
                  data-testid="scatter-point"
                  data-run-id={point.runId}
                  data-brushed={String(!faded)}
                />
              </a>
            );
          })}
        </svg>
        {hovered && data ? (
          <div className="scatter-tooltip" style={{ left: sx(hovered.x) + 10, top: sy(hovered.y) + 10 }} data-testid="scatter-tooltip">
            <div className="scatter-tooltip-name">{hovered.name}</div>
            <div className="mono">{data.xAxis.name} = {hovered.xLabel}</div>
            <div className="mono">{data.yAxis.name} = {hovered.yLabel}</div>
            {colorBy !== null ? <div className="mono">{colorBy.replace(/^[a-z]+:/, '')} = {hovered.colorLabel ?? '—'}</div> : null}
          </div>
        ) : null}
      </div>
      {lacking ? <p className="faint" data-testid="scatter-lacking">{lacking} — not drawn.</p> : null}
    </section>
  );
}

function ScatterAxes({ xAxis, yAxis, sx, sy, plotWidth }: { xAxis: Axis; yAxis: Axis; sx: (position: number) => number; sy: (position: number) => number; plotWidth: number }): ReactElement {
  const bottom = topPad + plotHeight;
  return (
    <g className="scatter-axes">
      {axisTicks(yAxis, 4).map((tick) => (
        <g key={`y${tick.label}`}>
          <line className="scatter-grid" x1={leftPad} x2={leftPad + plotWidth} y1={sy(tick.position)} y2={sy(tick.position)} />
          <text className="parallel-tick" x={leftPad - 6} y={sy(tick.position)} dy="0.32em" textAnchor="end">{tick.label}</text>
        </g>
      ))}
      {axisTicks(xAxis, Math.max(2, Math.floor(plotWidth / 110))).map((tick) => (
        <text key={`x${tick.label}`} className="parallel-tick" x={sx(tick.position)} y={bottom + 16} textAnchor="middle">{tick.label}</text>
      ))}
      <line className="parallel-axis-line" x1={leftPad} x2={leftPad + plotWidth} y1={bottom} y2={bottom} />
      <text className="parallel-header" x={leftPad + plotWidth / 2} y={bottom + 34} textAnchor="middle">{xAxis.name}</text>
      <text className="parallel-header" transform={`translate(12,${topPad + plotHeight / 2}) rotate(-90)`} textAnchor="middle">{yAxis.name}</text>
    </g>
  );
}
