import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactElement } from 'react';
import type { Run } from '../../../shared/tracking';
import { axisPosition, axisTicks, brushExtent, brushFromExtent, moveBrush, type Axis, type AxisBrush, type AxisCandidate, type AxisKey, type Brushes } from '../../lib/parallel-axes';
import { useElementWidth } from '../../lib/use-element-width';

const headerY = 18;
const plotTop = 40;
const plotBottom = 250;
/** The missing tick sits below the axis, apart from it, so "no value" never reads as the minimum. */
const missingY = 280;
const chartHeight = 296;
/** Room either side for the first and last axes' tick labels. */
const sidePad = 76;
/** Half the width of the strip around an axis line that takes a brush drag. */
const brushReach = 12;
/** A pointer that moves less than this between down and up clicked rather than dragged. */
const dragThresholdPx = 3;

interface ParallelCoordsProps {
  readonly runs: readonly Run[];
  readonly axes: readonly Axis[];
  readonly brushes: Brushes;
  /** Runs inside every brush; the rest are drawn faint. */
  readonly passing: ReadonlySet<string>;
  readonly colorOf: (runId: string) => string;
  readonly onReorder: (key: AxisKey, index: number) => void;
  /** A new or moved brush on the axis, or null to clear it. */
  readonly onBrush: (key: AxisKey, brush: AxisBrush | null) => void;
}

const fractionAt = (y: number): number => Math.max(0, Math.min(1, (plotBottom - y) / (plotBottom - plotTop)));
const yOf = (position: number | null): number => (position === null ? missingY : plotBottom - position * (plotBottom - plotTop));
const shorten = (text: string, length = 14): string => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

/**
 * One vertical axis per param or metric, one polyline per run across them. Dragging along an
 * axis brushes a range (dragging the brush moves it, a click on the axis clears it); dragging a
 * header moves the axis. Runs outside the brushes turn faint grey, so the ones left stand out.
 */
export function ParallelCoords({ runs, axes, brushes, passing, colorOf, onReorder, onBrush }: ParallelCoordsProps): ReactElement {
  const frame = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const width = Math.max(360, useElementWidth(frame));
  const [dragged, setDragged] = useState<{ key: AxisKey; offset: number } | null>(null);
  // The listeners of a drag in progress, removed if the chart goes away mid-drag.
  const stopDrag = useRef<(() => void) | null>(null);
  useEffect(() => () => stopDrag.current?.(), []);

  const step = axes.length > 1 ? (width - 2 * sidePad) / (axes.length - 1) : 0;
  const xOf = (index: number): number => (axes.length > 1 ? sidePad + index * step : width / 2);

  /** Follows the pointer until release, in the svg's coordinates; the window keeps it past the edges. */
  const drag = (event: ReactPointerEvent, onMove: (dx: number, dy: number, y: number) => void, onEnd: (dx: number, moved: boolean) => void): void => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    const top = svg.current?.getBoundingClientRect().top ?? 0;
    const start = { x: event.clientX, y: event.clientY };
    let moved = false;
    const move = (next: PointerEvent): void => {
      const dx = next.clientX - start.x;
      const dy = next.clientY - start.y;
      if (Math.abs(dx) + Math.abs(dy) >= dragThresholdPx) moved = true;
      if (moved) onMove(dx, dy, next.clientY - top);
    };
    const up = (next: PointerEvent): void => {
      stop();
      onEnd(next.clientX - start.x, moved);
    };
    const stop = (): void => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      stopDrag.current = null;
    };
    stopDrag.current?.();
    stopDrag.current = stop;
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  const startReorder = (event: ReactPointerEvent, axis: Axis, index: number): void =>
    drag(
      event,
      (dx) => setDragged({ key: axis.key, offset: dx }),
      (dx, moved) => {
        setDragged(null);
        if (!moved || step === 0) return;
        onReorder(axis.key, Math.round((xOf(index) + dx - sidePad) / step));
      },
    );

  const startBrush = (event: ReactPointerEvent, axis: Axis): void => {
    const top = svg.current?.getBoundingClientRect().top ?? 0;
    const from = fractionAt(event.clientY - top);
    drag(
      event,
      (_dx, _dy, y) => onBrush(axis.key, brushFromExtent(axis, from, fractionAt(y))),
      (_dx, moved) => {
        if (!moved) onBrush(axis.key, null);
      },
    );
  };

  const startMove = (event: ReactPointerEvent, axis: Axis, brush: AxisBrush): void =>
    drag(
      event,
      (_dx, dy) => onBrush(axis.key, moveBrush(axis, brush, -dy / (plotBottom - plotTop))),
      () => undefined,
    );

  const lines = runs.map((run) => ({
    run,
    inside: passing.has(run.id),
    points: axes.map((axis, index) => `${xOf(index)},${yOf(axisPosition(axis, run))}`).join(' '),
  }));
  // Faint lines first, so the brushed ones are drawn over them.
  lines.sort((a, b) => Number(a.inside) - Number(b.inside));

  return (
    <div className="parallel-frame" ref={frame}>
      <svg ref={svg} className="parallel-svg" width={width} height={chartHeight} data-testid="parallel-coords" aria-label="Parallel coordinates">
        {lines.map(({ run, inside, points }) => (
          <polyline key={run.id} className={inside ? 'parallel-line' : 'parallel-line faded'} points={points} stroke={inside ? colorOf(run.id) : undefined} data-testid="pc-line" data-run-id={run.id} data-brushed={String(inside)}>
            <title>{run.name}</title>
          </polyline>
        ))}
        {axes.map((axis, index) => {
          const brush = brushes.get(axis.key);
          const extent = brush ? brushExtent(axis, brush) : null;
          const offset = dragged?.key === axis.key ? dragged.offset : 0;
          return (
            <g key={axis.key} className={offset !== 0 ? 'parallel-axis dragging' : 'parallel-axis'} transform={`translate(${xOf(index) + offset},0)`} data-testid="pc-axis" data-axis-key={axis.key}>
              <text className="parallel-header" y={headerY} textAnchor="middle" onPointerDown={(event) => startReorder(event, axis, index)} data-testid="pc-axis-header">
                <title>{`${axis.key} — drag to move the axis`}</title>
                {shorten(axis.name, 18)}
              </text>
              <line className="parallel-axis-line" x1={0} x2={0} y1={plotTop} y2={plotBottom} />
              {axisTicks(axis).map((tick) => (
                <g key={tick.label} transform={`translate(0,${yOf(tick.position)})`}>
                  <line className="parallel-axis-line" x1={-4} x2={0} />
                  <text className="parallel-tick" x={-6} dy="0.32em" textAnchor="end">{shorten(tick.label)}</text>
                </g>
              ))}
              {axis.missing > 0 ? (
                <g transform={`translate(0,${missingY})`} data-testid="pc-missing">
                  <line className="parallel-axis-line" x1={-4} x2={4} />
                  <text className="parallel-tick" x={-6} dy="0.32em" textAnchor="end">missing ({axis.missing})</text>
                </g>
              ) : null}
              <rect className="parallel-brush-area" x={-brushReach} width={2 * brushReach} y={plotTop} height={plotBottom - plotTop} onPointerDown={(event) => startBrush(event, axis)} data-testid="pc-brush-area" />
              {brush && extent ? (
                <rect className="parallel-brush" x={-8} width={16} y={yOf(extent[1])} height={Math.max(2, yOf(extent[0]) - yOf(extent[1]))} onPointerDown={(event) => startMove(event, axis, brush)} data-testid="pc-brush" />
              ) : null}
            </g>
          );
        })}
      </svg>
    </div>
  );
}

/** Toggles for which params and metrics are axes; the ones on keep their order, new ones go last. */
export function AxisChooser({ candidates, shown, onChange }: { candidates: readonly AxisCandidate[]; shown: readonly AxisKey[]; onChange: (keys: AxisKey[]) => void }): ReactElement {
  const toggle = (key: AxisKey): void => onChange(shown.includes(key) ? shown.filter((one) => one !== key) : [...shown, key]);
  return (
    <div className="compare-metrics" role="group" aria-label="Axes">
      {candidates.map((candidate) => (
        <button
          key={candidate.key}
          type="button"
          className="metric-option mono"
          aria-pressed={shown.includes(candidate.key)}
          onClick={() => toggle(candidate.key)}
          title={candidate.varies ? candidate.key : `${candidate.key} (same for all runs)`}
          data-testid="pc-axis-option"
          data-axis-key={candidate.key}
        >
          {candidate.source === 'metric' ? '◆ ' : ''}
          {candidate.name}
        </button>
      ))}
    </div>
  );
}
