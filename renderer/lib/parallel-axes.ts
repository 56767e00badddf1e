import type { Run } from '../../shared/tracking';
import { niceTicks } from './chart-data';
import { formatMetric } from './format';

/** Where an axis reads its value: a param (a string) or a metric's latest value (a number). */
export type AxisSource = 'param' | 'metric';

/** A param or metric, written `param:lr` / `metric:loss` so one string names it in a select and a map. */
export type AxisKey = `${AxisSource}:${string}`;

/** The runs' parts an axis reads; tests build these without a whole Run. */
export type AxisRun = Pick<Run, 'id' | 'params' | 'metrics'>;

/** A param or metric the runs could be plotted along. */
export interface AxisCandidate {
  readonly key: AxisKey;
  readonly source: AxisSource;
  readonly name: string;
  /** Whether the runs disagree on it (or some lack it); a constant axis shows nothing. */
  readonly varies: boolean;
}

/** Default axis counts: enough params to explain a sweep, a couple of outcomes to judge it. */
const defaultParamAxes = 6;
const defaultMetricAxes = 2;

const byName = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });

export function parseAxisKey(key: string): { source: AxisSource; name: string } | null {
  const match = /^(param|metric):(.+)$/.exec(key);
  return match ? { source: match[1] as AxisSource, name: match[2]! } : null;
}

/**
 * The run's value on the axis, or null when it lacks it. A metric that is NaN or ±∞ counts as
 * lacking: it has no place on a linear axis, and the missing tick still shows the run.
 */
export function axisValue(run: AxisRun, key: string): string | number | null {
  const parsed = parseAxisKey(key);
  if (!parsed) return null;
  if (parsed.source === 'param') return Object.hasOwn(run.params, parsed.name) ? run.params[parsed.name]! : null;
  const metric = Object.hasOwn(run.metrics, parsed.name) ? run.metrics[parsed.name] : undefined;
  return metric && Number.isFinite(metric.value) ? metric.value : null;
}

/** Every param and metric of the runs: params first, then metrics, each by name. */
export function axisCandidates(runs: readonly AxisRun[]): AxisCandidate[] {
  const candidates: AxisCandidate[] = [];
  for (const source of ['param', 'metric'] as const) {
    const names = new Set<string>();
    for (const run of runs) for (const name of Object.keys(source === 'param' ? run.params : run.metrics)) names.add(name);
    for (const name of [...names].sort(byName)) {
      const key: AxisKey = `${source}:${name}`;
      const values = new Set(runs.map((run) => axisValue(run, key)));
      candidates.push({ key, source, name, varies: values.size > 1 });
    }
  }
  return candidates;
}

/**
 * The axes shown before the user picks: the params that vary (up to six), then up to two
 * metrics with the first metric last, so the outcome sits at the right edge where eyes end.
 */
export function defaultAxes(candidates: readonly AxisCandidate[]): AxisKey[] {
  const params = candidates.filter((one) => one.source === 'param' && one.varies).slice(0, defaultParamAxes);
  const metrics = candidates.filter((one) => one.source === 'metric').slice(0, defaultMetricAxes).reverse();
  return [...params, ...metrics].map((one) => one.key);
}

/** The axis, moved to `index` among the others (clamped); other axes keep their order. */
export function moveAxis(keys: readonly AxisKey[], key: AxisKey, index: number): AxisKey[] {
  const rest = keys.filter((one) => one !== key);
  if (rest.length === keys.length) return [...keys];
  const at = Math.max(0, Math.min(rest.length, index));
  return [...rest.slice(0, at), key, ...rest.slice(at)];
}

/** An axis laid out for the runs. Positions are fractions of its height: 0 bottom, 1 top. */
export type Axis = {
  readonly key: AxisKey;
  readonly name: string;
  /** Runs that have the value. */
  readonly present: number;
  /** Runs that lack the value; they sit on the missing tick below the axis. */
  readonly missing: number;
} & ({ readonly kind: 'numeric'; readonly min: number; readonly max: number } | { readonly kind: 'categorical'; readonly categories: readonly string[] });

/** A param is numeric when every present value is a finite number ("" is not); metrics always are. */
export function buildAxis(runs: readonly AxisRun[], key: AxisKey): Axis {
  const name = parseAxisKey(key)?.name ?? key;
  const values = runs.map((run) => axisValue(run, key)).filter((value) => value !== null);
  const missing = runs.length - values.length;
  const numbers = values.map((value) => (typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value)));
  if (numbers.every(Number.isFinite)) {
    // No values at all still makes a (numeric, empty) axis, so the missing tick has a home.
    const min = numbers.length > 0 ? Math.min(...numbers) : 0;
    const max = numbers.length > 0 ? Math.max(...numbers) : 0;
    return { key, name, present: values.length, missing, kind: 'numeric', min, max };
  }
  const categories = [...new Set(values.map(String))].sort(byName);
  return { key, name, present: values.length, missing, kind: 'categorical', categories };
}

/** Where the run lies on the axis (0 bottom … 1 top), or null for the missing tick. */
export function axisPosition(axis: Axis, run: AxisRun): number | null {
  const value = axisValue(run, axis.key);
  if (value === null) return null;
  if (axis.kind === 'numeric') {
    const number = Number(value);
    // A constant axis puts every run in the middle rather than dividing by zero.
    return axis.max === axis.min ? 0.5 : (number - axis.min) / (axis.max - axis.min);
  }
  return categoryPosition(axis.categories.length, axis.categories.indexOf(String(value)));
}

function categoryPosition(count: number, index: number): number {
  return count <= 1 ? 0.5 : index / (count - 1);
}

/** Labelled positions along the axis (the missing tick is drawn by the chart). */
export function axisTicks(axis: Axis, count = 5): { position: number; label: string }[] {
  if (axis.kind === 'categorical') return axis.categories.map((label, index) => ({ position: categoryPosition(axis.categories.length, index), label }));
  if (axis.present === 0) return [];
  if (axis.min === axis.max) return [{ position: 0.5, label: formatMetric(axis.min) }];
  // niceTicks pads past the data; only the ticks inside the range have a place on the axis.
  return niceTicks(axis.min, axis.max, count)
    .filter((value) => value >= axis.min && value <= axis.max)
    .map((value) => ({ position: (value - axis.min) / (axis.max - axis.min), label: formatMetric(value) }));
}

/**
 * A brush on one axis. Numeric brushes keep their range in data units, so they mean the same
 * when the axis is redrawn at another size; categorical ones keep the categories they cover
 * plus the dragged extent, since a category is a point and the band around it is what was drawn.
 */
export type AxisBrush =
  | { readonly kind: 'numeric'; readonly low: number; readonly high: number }
  | { readonly kind: 'categorical'; readonly categories: readonly string[]; readonly from: number; readonly to: number };

/** Brushes by axis key; an axis without an entry lets every run through. */
export type Brushes = ReadonlyMap<AxisKey, AxisBrush>;

/** The brush a drag from `from` to `to` (fractions of the axis height, either order) makes. */
export function brushFromExtent(axis: Axis, from: number, to: number): AxisBrush {
  const low = Math.max(0, Math.min(from, to));
  const high = Math.min(1, Math.max(from, to));
  if (axis.kind === 'numeric') {
    // On a constant axis any brush over the middle covers the one value.
    if (axis.max === axis.min) return low <= 0.5 && high >= 0.5 ? { kind: 'numeric', low: axis.min, high: axis.max } : { kind: 'numeric', low: Infinity, high: -Infinity };
    return { kind: 'numeric', low: axis.min + low * (axis.max - axis.min), high: axis.min + high * (axis.max - axis.min) };
  }
  const categories = axis.categories.filter((_, index) => {
    const position = categoryPosition(axis.categories.length, index);
    return position >= low && position <= high;
  });
  return { kind: 'categorical', categories, from: low, to: high };
}

/** The brush's extent as fractions of the axis height, low first, for drawing and moving it. */
export function brushExtent(axis: Axis, brush: AxisBrush): [number, number] {
  if (brush.kind === 'categorical') return [brush.from, brush.to];
  if (axis.kind !== 'numeric') return [0, 0];
  if (axis.max === axis.min) return brush.low <= brush.high ? [0.45, 0.55] : [0, 0];
  const scale = (value: number): number => Math.max(0, Math.min(1, (value - axis.min) / (axis.max - axis.min)));
  return [scale(brush.low), scale(brush.high)];
}

/** The brush shifted by `delta` (a fraction of the axis height), kept whole inside the axis. */
export function moveBrush(axis: Axis, brush: AxisBrush, delta: number): AxisBrush {
  const [low, high] = brushExtent(axis, brush);
  const shift = Math.max(-low, Math.min(1 - high, delta));
  return brushFromExtent(axis, low + shift, high + shift);
}

/** Whether the run lies inside the brush; a run lacking the value never does. */
export function insideBrush(axis: Axis, brush: AxisBrush, run: AxisRun): boolean {
  const value = axisValue(run, axis.key);
  if (value === null) return false;
  if (brush.kind === 'categorical') return brush.categories.includes(String(value));
  const number = Number(value);
  return number >= brush.low && number <= brush.high;
}

/** The runs inside every brush of the shown axes (brushes on hidden axes are ignored), in order. */
export function runsPassingBrushes<T extends AxisRun>(runs: readonly T[], axes: readonly Axis[], brushes: Brushes): T[] {
  const active = axes.flatMap((axis) => {
    const brush = brushes.get(axis.key);
    return brush ? [{ axis, brush }] : [];
  });
  return runs.filter((run) => active.every(({ axis, brush }) => insideBrush(axis, brush, run)));
}
