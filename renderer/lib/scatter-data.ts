import type { Run } from '../../shared/tracking';
import { axisPosition, axisValue, buildAxis, parseAxisKey, type Axis, type AxisKey, type AxisRun } from './parallel-axes';
import { formatMetric } from './format';
import { colorsByKey, runValue, valueColors } from './run-groups';

/** A run on the scatter: where it sits (fractions of the plot, 0 = left/bottom) and what it shows. */
export interface ScatterPoint {
  readonly runId: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
  /** The values as the tooltip writes them. */
  readonly xLabel: string;
  readonly yLabel: string;
  /** The colour dimension's value; null when colouring by run or the run lacks it. */
  readonly colorLabel: string | null;
  readonly color: string;
}

/** The scatter of x against y, and what could not be drawn. */
export interface ScatterData {
  readonly xAxis: Axis;
  readonly yAxis: Axis;
  readonly points: readonly ScatterPoint[];
  /** The runs left out for lacking x or y, counted so the chart can say so ("3 runs lack lr"). */
  readonly lacking: readonly { readonly name: string; readonly count: number }[];
}

/** The runs' parts the scatter reads: the name for the tooltip, tags for colouring by a tag. */
export type ScatterRun = AxisRun & Pick<Run, 'name' | 'tags'>;

export interface ScatterOptions {
  readonly x: AxisKey;
  readonly y: AxisKey;
  /** An axis key (`param:…`, `metric:…`) or a tag key (`tag:…`); null colours each run as the page does. */
  readonly colorBy: string | null;
  /** A run's colour when not colouring by a key (the page's colour map, else its series colour). */
  readonly runColor: (runId: string) => string;
}

/**
 * Points for x against y. The axes are laid out over the runs that have both values, so a run
 * lacking one cannot stretch the other; those runs are counted per axis instead of dropped silently.
 */
export function scatterData(runs: readonly ScatterRun[], { x, y, colorBy, runColor }: ScatterOptions): ScatterData {
  const drawn = runs.filter((run) => axisValue(run, x) !== null && axisValue(run, y) !== null);
  const xAxis = buildAxis(drawn, x);
  const yAxis = buildAxis(drawn, y);
  const colors = colorBy === null ? null : colorsOf(runs, colorBy);
  const points = drawn.map((run): ScatterPoint => {
    const colorValue = colorBy === null ? null : valueOf(run, colorBy);
    return {
      runId: run.id,
      name: run.name,
      x: axisPosition(xAxis, run)!,
      y: axisPosition(yAxis, run)!,
      xLabel: label(axisValue(run, x)),
      yLabel: label(axisValue(run, y)),
      colorLabel: colorValue,
      color: colors?.get(run.id) ?? runColor(run.id),
    };
  });
  const lacking = [...new Set([x, y])].flatMap((key) => {
    const count = runs.filter((run) => axisValue(run, key) === null).length;
    return count > 0 ? [{ name: parseAxisKey(key)?.name ?? key, count }] : [];
  });
  return { xAxis, yAxis, points, lacking };
}

/** "3 runs lack lr; 1 run lacks loss", or null when every run is drawn. */
export function describeLacking(lacking: ScatterData['lacking']): string | null {
  if (lacking.length === 0) return null;
  return lacking.map(({ name, count }) => `${count} run${count === 1 ? ' lacks' : 's lack'} ${name}`).join('; ');
}

function label(value: string | number | null): string {
  return typeof value === 'number' ? formatMetric(value) : (value ?? '—');
}

/** The run's value of a colouring key as text: axis keys read params and metrics, `tag:` keys tags. */
function valueOf(run: ScatterRun, key: string): string | null {
  if (key.startsWith('tag:')) return runValue(run, key);
  const value = axisValue(run, key);
  return value === null ? null : String(value);
}

/** Colours for the key: params and tags as the compare charts colour them, metrics on the same scales. */
function colorsOf(runs: readonly ScatterRun[], key: string): Map<string, string> {
  if (key.startsWith('param:') || key.startsWith('tag:')) return colorsByKey(runs, key);
  const values = runs.map((run) => valueOf(run, key));
  const colors = valueColors(values);
  return new Map(runs.map((run, index) => [run.id, colors.get(values[index]!)!]));
}
