import type { Run, SeriesPoint } from '../../shared/tracking';
import { seriesPalette } from './series-color';

/**
 * Where a grouping or colouring key is read from: a run's params or its tags (they may share
 * names), or its parent run (the folds of one trial, the trials of one sweep).
 */
export type RunKeySource = 'param' | 'tag' | 'parent';

/** A param or tag key, written `param:seed` / `tag:team` so one string names it in a select and in storage. */
export type RunKey = `${RunKeySource}:${string}`;

/** The one key of the `parent` source: its value is the run's parent run id. */
export const parentRunKey = 'parent:run' satisfies RunKey;

/** The label of the group of runs without a parent when grouping by parent run. */
export const topLevelGroupLabel = '(no parent)';

/** What grouping and colouring read from a run; `parentRunId` only matters for the parent key. */
type KeyedRun = Pick<Run, 'params' | 'tags'> & { readonly parentRunId?: string | null };

/** What the compare charts draw around a group's mean line. */
export type BandMode = 'std' | 'minmax';

/** The label of the group of runs that lack the grouping key. */
export const noneGroupLabel = '(none)';

/** The colour of runs that lack the colouring key: neutral, so it never reads as a value. */
export const missingColor = '#9ca3af';

export function parseRunKey(key: string): { source: RunKeySource; name: string } | null {
  if (key === parentRunKey) return { source: 'parent', name: 'run' };
  const match = /^(param|tag):(.+)$/.exec(key);
  return match ? { source: match[1] as RunKeySource, name: match[2]! } : null;
}

/** The run's value for the key (for the parent key: the parent's id), or null when it does not have it. */
export function runValue(run: KeyedRun, key: string): string | null {
  const parsed = parseRunKey(key);
  if (!parsed) return null;
  if (parsed.source === 'parent') return run.parentRunId ?? null;
  const record = parsed.source === 'param' ? run.params : run.tags;
  return Object.hasOwn(record, parsed.name) ? record[parsed.name]! : null;
}

/** A key the runs could be grouped or coloured by. */
export interface RunKeyOption {
  readonly key: RunKey;
  readonly source: RunKeySource;
  readonly name: string;
  /** Whether the runs disagree on it (or some lack it): those are the keys worth grouping by. */
  readonly varies: boolean;
}

const byName = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true });

/**
 * Every param and tag key of the runs, plus "parent run" when some run has a parent; keys that
 * vary across runs first, then in the order of `sources`, then by name.
 */
export function runKeyOptions(runs: readonly KeyedRun[], sources: readonly RunKeySource[] = ['parent', 'param', 'tag']): RunKeyOption[] {
  const options: RunKeyOption[] = [];
  for (const source of sources) {
    if (source === 'parent') {
      if (!runs.some((run) => run.parentRunId)) continue;
      options.push({ key: parentRunKey, source, name: 'run', varies: new Set(runs.map((run) => run.parentRunId ?? null)).size > 1 });
      continue;
    }
    const names = new Set<string>();
    for (const run of runs) for (const name of Object.keys(source === 'param' ? run.params : run.tags)) names.add(name);
    for (const name of names) {
      const key: RunKey = `${source}:${name}`;
      const values = new Set(runs.map((run) => runValue(run, key)));
      options.push({ key, source, name, varies: values.size > 1 });
    }
  }
  const sourceOrder = (option: RunKeyOption): number => sources.indexOf(option.source);
  return options.sort((a, b) => Number(b.varies) - Number(a.varies) || sourceOrder(a) - sourceOrder(b) || byName(a.name, b.name));
}

/** Runs sharing one value of the grouping key. */
export interface RunGroup {
  /** The shared value; null for the runs without the key. */
  readonly value: string | null;
  readonly label: string;
  readonly runIds: readonly string[];
  readonly color: string;
}

/**
 * Groups in value order (numeric-aware), the "(none)" group last; members keep the selection order.
 * Grouped by parent run, a group is labelled with the parent's name from `runNames` (its short id
 * when the name is not known) and groups go in label order, as the ids mean nothing to the user.
 */
export function groupRuns(runs: readonly (KeyedRun & Pick<Run, 'id'>)[], key: string, runNames: ReadonlyMap<string, string> = new Map()): RunGroup[] {
  const members = new Map<string | null, string[]>();
  for (const run of runs) {
    const value = runValue(run, key);
    const list = members.get(value) ?? [];
    list.push(run.id);
    members.set(value, list);
  }
  const values = [...members.keys()];
  if (key === parentRunKey) {
    const label = (value: string | null): string => (value === null ? topLevelGroupLabel : runNames.get(value) ?? value.slice(0, 8));
    // Labels sort like values do, so "trial-2" comes before "trial-10"; colours follow that order.
    const ordered: (string | null)[] = values
      .filter((value): value is string => value !== null)
      .sort((x, y) => numericAware(label(x), label(y)) || x.localeCompare(y));
    if (values.includes(null)) ordered.push(null);
    return ordered.map((value, index) => ({
      value,
      label: label(value),
      runIds: members.get(value)!,
      color: value === null ? missingColor : seriesPalette[index % seriesPalette.length]!,
    }));
  }
  const colors = valueColors(values);
  return sortValues(values).map((value) => ({ value, label: value ?? noneGroupLabel, runIds: members.get(value)!, color: colors.get(value)! }));
}

function sortValues(values: readonly (string | null)[]): (string | null)[] {
  return [...values].sort((a, b) => (a === null ? 1 : b === null ? -1 : numericAware(a, b)));
}

function numericAware(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return byName(a, b);
}

/** Low → high of the sequential scale (dark blue → yellow, readable on both themes). */
const sequentialStops = ['#3b4cc0', '#2c99c9', '#3cbf8f', '#a5d14a', '#f2c12e'] as const;

/** A colour on the sequential scale for t in [0, 1]. */
export function sequentialColor(t: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const position = clamped * (sequentialStops.length - 1);
  const index = Math.min(sequentialStops.length - 2, Math.floor(position));
  const local = position - index;
  const from = hexToRgb(sequentialStops[index]!);
  const to = hexToRgb(sequentialStops[index + 1]!);
  const channel = (c: number): string => Math.round(from[c]! + (to[c]! - from[c]!) * local).toString(16).padStart(2, '0');
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}

function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/**
 * A colour per distinct value: numbers (every present value numeric, at least two of them) on the
 * sequential scale by magnitude, anything else a palette colour in value order, missing grey.
 * The same set of values always gets the same colours, whatever order the runs come in.
 */
export function valueColors(values: readonly (string | null)[]): Map<string | null, string> {
  const distinct = sortValues([...new Set(values)]);
  const present = distinct.filter((value): value is string => value !== null);
  const numbers = present.map((value) => (value.trim() === '' ? Number.NaN : Number(value)));
  const colors = new Map<string | null, string>();
  if (present.length > 1 && numbers.every(Number.isFinite)) {
    const low = Math.min(...numbers);
    const high = Math.max(...numbers);
    present.forEach((value, index) => colors.set(value, sequentialColor((numbers[index]! - low) / (high - low || 1))));
  } else {
    present.forEach((value, index) => colors.set(value, seriesPalette[index % seriesPalette.length]!));
  }
  if (distinct.includes(null)) colors.set(null, missingColor);
  return colors;
}

/** Each run's colour when colouring by a key. */
export function colorsByKey(runs: readonly (KeyedRun & Pick<Run, 'id'>)[], key: string): Map<string, string> {
  const values = runs.map((run) => runValue(run, key));
  const colors = valueColors(values);
  return new Map(runs.map((run, index) => [run.id, colors.get(values[index]!)!]));
}

/** One member's points and where each lies on the chart's x axis. */
export interface MemberSeries {
  readonly points: readonly SeriesPoint[];
  readonly xs: readonly number[];
}

/** A group's summary at one step. */
export interface BandPoint {
  readonly step: number;
  /** The mean x of the members there (the step itself on a step axis). */
  readonly x: number;
  readonly mean: number;
  /** Population standard deviation; 0 for one member. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** The band's edges, per the band mode. */
  readonly lower: number;
  readonly upper: number;
  /** Members with a finite value at this step. */
  readonly n: number;
}

/**
 * Mean, std, min and max over the members at every step any member has a point for. Members may
 * be bucketed differently (runs of other lengths): a member counts at a step when one of its
 * buckets covers it (firstStep ≤ step ≤ its step), its value being that bucket's. NaN and ±∞ are
 * left out; a step where no member has a finite value is skipped.
 */
export function aggregateBand(members: readonly MemberSeries[], band: BandMode): BandPoint[] {
  const steps = new Set<number>();
  for (const member of members) for (const point of member.points) steps.add(point.step);
  const result: BandPoint[] = [];
  for (const step of [...steps].sort((a, b) => a - b)) {
    let n = 0;
    let sum = 0;
    let sumX = 0;
    let low = Infinity;
    let high = -Infinity;
    const values: number[] = [];
    for (const member of members) {
      const index = coveringIndex(member.points, step);
      if (index < 0) continue;
      const value = member.points[index]!.value;
      if (value === null || !Number.isFinite(value)) continue;
      n += 1;
      sum += value;
      sumX += member.xs[index]!;
      values.push(value);
      if (value < low) low = value;
      if (value > high) high = value;
    }
    if (n === 0) continue;
    const mean = sum / n;
    const std = Math.sqrt(values.reduce((total, value) => total + (value - mean) ** 2, 0) / n);
    result.push({ step, x: sumX / n, mean, std, min: low, max: high, lower: band === 'std' ? mean - std : low, upper: band === 'std' ? mean + std : high, n });
  }
  return result;
}

/** The index of the bucket covering `step` (points sorted by step), or −1. */
function coveringIndex(points: readonly SeriesPoint[], step: number): number {
  let low = 0;
  let high = points.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const point = points[middle]!;
    if (point.step < step) low = middle + 1;
    else if (Math.min(point.firstStep, point.step) > step) high = middle - 1;
    else return middle;
  }
  return -1;
}
