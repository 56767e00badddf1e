import type { Run } from '../../shared/tracking';
import { formatBytes, formatMetric, shortId } from './format';

/** The groups of a diff table, in the order they are shown. */
export const diffSections = ['params', 'metrics', 'tags', 'environment'] as const;
export type DiffSection = (typeof diffSections)[number];

/**
 * How one cell reads against the baseline run's cell in the same row. `missing`: this run has
 * no value; `different`: it has one, unlike or unequal to the baseline's, with no better/worse
 * (params, tags, environment, NaN, or a baseline without the value).
 */
export type DiffMark = 'baseline' | 'same' | 'better' | 'worse' | 'different' | 'missing';

/** One run's value in one row. */
export interface DiffCell {
  /** For display: metrics through `formatMetric`, '—' when missing. */
  readonly text: string;
  /** Full precision for export: metrics as `String(number)`, '' when missing. */
  readonly exact: string;
  readonly mark: DiffMark;
}

/** One key (a param, one statistic of a metric, a tag, an environment field) across all runs. */
export interface DiffRow {
  /** Unique within the table: `section:key` (metrics add `:last`, `:min` or `:max`). */
  readonly id: string;
  readonly section: DiffSection;
  /** What a reader sees: the key, with the statistic for metrics (`loss (min)`). */
  readonly label: string;
  /** One cell per run, in the order of the runs given. */
  readonly cells: readonly DiffCell[];
  /** Some run's value is not equal to another's; a value missing in some runs counts. */
  readonly differs: boolean;
}

/** What the reader chose to see. */
export interface DiffOptions {
  readonly sections: ReadonlySet<DiffSection>;
  /** Hide rows whose values are equal in every run. */
  readonly onlyDifferences: boolean;
  /** Show `trainyard.*` and `mlflow.*` tags, which the app and MLflow write, not the user. */
  readonly showSystemTags: boolean;
  /** Index into the runs of the run every cell is compared with. */
  readonly baselineIndex: number;
}

export const defaultDiffOptions: DiffOptions = {
  sections: new Set(diffSections),
  onlyDifferences: true,
  showSystemTags: false,
  baselineIndex: 0,
};

/** Tags written by the app or by MLflow clients rather than by the person running. */
export function isSystemTag(key: string): boolean {
  return key.startsWith('trainyard.') || key.startsWith('mlflow.');
}

/**
 * Lower is better for errors and losses, higher for everything else (accuracy, f1, r2…). A
 * substring match on purpose: `val_loss`, `train/rmse`, `mean_abs_error` all read as errors.
 */
export function lowerIsBetter(metric: string): boolean {
  return /loss|error|rmse|mae/i.test(metric);
}

/** The header a run's column (or row, transposed) gets: its name, or its short id when unnamed. */
export function runLabel(run: Pick<Run, 'id' | 'name'>): string {
  return run.name.trim() === '' ? shortId(run.id) : run.name;
}

type Value = string | number | null;

/** NaN equals NaN here: two diverged runs agree on the value, so the row is not a difference. */
function sameValue(a: Value, b: Value): boolean {
  if (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)) return true;
  return a === b;
}

function markOf(value: Value, baseline: Value, isBaseline: boolean, direction: 'lower' | 'higher' | null): DiffMark {
  if (isBaseline) return 'baseline';
  if (value === null) return 'missing';
  if (sameValue(value, baseline)) return 'same';
  if (direction === null || typeof value !== 'number' || typeof baseline !== 'number' || Number.isNaN(value) || Number.isNaN(baseline)) return 'different';
  const lowerWins = direction === 'lower';
  return value < baseline === lowerWins ? 'better' : 'worse';
}

function makeRow(section: DiffSection, id: string, label: string, values: readonly Value[], baselineIndex: number, direction: 'lower' | 'higher' | null): DiffRow {
  const baseline = values[baselineIndex] ?? null;
  const first = values[0] ?? null;
  const differs = values.some((value) => value === null || !sameValue(value, first));
  const cells = values.map((value, index): DiffCell => {
    const mark = markOf(value, baseline, index === baselineIndex, direction);
    if (value === null) return { text: '—', exact: '', mark };
    if (typeof value === 'number') return { text: formatMetric(value), exact: String(value), mark };
    return { text: value, exact: value, mark };
  });
  return { id: `${section}:${id}`, section, label, cells, differs };
}

function sortedKeys(records: readonly Readonly<Record<string, unknown>>[], keep: (key: string) => boolean = () => true): string[] {
  const keys = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) if (keep(key)) keys.add(key);
  return [...keys].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** The environment and source fields as the run page shows them, in its fixed order. */
export function environmentFields(run: Run): Record<string, string> {
  const fields: Record<string, string> = {};
  const { environment, source } = run;
  if (environment) {
    fields.os = `${environment.os} ${environment.osRelease} (${environment.arch})`;
    fields.hostname = environment.hostname;
    fields.cpu = `${environment.cpuModel} × ${environment.cpuCores}`;
    fields.memory = formatBytes(environment.totalMemoryBytes);
    fields.gpus = environment.gpus.length > 0 ? environment.gpus.join(', ') : 'none';
    fields.node = environment.nodeVersion;
    fields.onnxruntime = environment.onnxruntimeVersion ?? 'not loaded';
    fields.trainyard = environment.trainyardVersion;
  }
  if (source) {
    if (source.repository) fields.repository = source.repository;
    if (source.gitBranch) fields.branch = source.gitBranch;
    fields.commit = source.gitCommit ?? 'not a git work tree';
    if (source.gitDirty !== null) fields['uncommitted changes'] = source.gitDirty ? 'yes' : 'no';
    if (source.entryPoint) fields['entry point'] = source.entryPoint;
  }
  return fields;
}

const environmentOrder = ['os', 'hostname', 'cpu', 'memory', 'gpus', 'node', 'onnxruntime', 'trainyard', 'repository', 'branch', 'commit', 'uncommitted changes', 'entry point'];

/**
 * Every row of the comparison, before "only differences" filtering, for the chosen sections.
 * Metrics give three rows each: the latest value and the min and max over all logged steps,
 * which the run summary (`LatestMetric.min`/`max`) already holds, so no series read is needed;
 * a summary without them (null) shows as missing.
 */
export function buildDiffRows(runs: readonly Run[], options: DiffOptions): DiffRow[] {
  const baselineIndex = options.baselineIndex >= 0 && options.baselineIndex < runs.length ? options.baselineIndex : 0;
  const rows: DiffRow[] = [];
  const stringRows = (section: DiffSection, records: readonly Readonly<Record<string, string>>[], keep?: (key: string) => boolean): void => {
    for (const key of sortedKeys(records, keep)) {
      rows.push(makeRow(section, key, key, records.map((record) => record[key] ?? null), baselineIndex, null));
    }
  };
  for (const section of diffSections) {
    if (!options.sections.has(section)) continue;
    if (section === 'params') stringRows('params', runs.map((run) => run.params));
    if (section === 'tags') stringRows('tags', runs.map((run) => run.tags), options.showSystemTags ? undefined : (key) => !isSystemTag(key));
    if (section === 'metrics') {
      const metrics = runs.map((run) => run.metrics);
      for (const key of sortedKeys(metrics)) {
        const direction = lowerIsBetter(key) ? 'lower' : 'higher';
        rows.push(makeRow('metrics', `${key}:last`, key, metrics.map((record) => record[key]?.value ?? null), baselineIndex, direction));
        rows.push(makeRow('metrics', `${key}:min`, `${key} (min)`, metrics.map((record) => record[key]?.min ?? null), baselineIndex, direction));
        rows.push(makeRow('metrics', `${key}:max`, `${key} (max)`, metrics.map((record) => record[key]?.max ?? null), baselineIndex, direction));
      }
    }
    if (section === 'environment') {
      const fields = runs.map(environmentFields);
      for (const key of environmentOrder) {
        if (fields.some((record) => key in record)) rows.push(makeRow('environment', key, key, fields.map((record) => record[key] ?? null), baselineIndex, null));
      }
    }
  }
  return rows;
}

/** The rows to show: all of them, or only the differing ones. */
export function visibleDiffRows(rows: readonly DiffRow[], onlyDifferences: boolean): DiffRow[] {
  return onlyDifferences ? rows.filter((row) => row.differs) : [...rows];
}

/** A plain rectangular table, ready for export: one header row and the body. */
export interface DiffGrid {
  readonly header: readonly string[];
  readonly body: readonly (readonly string[])[];
}

/**
 * The rows as a grid: keys down, runs across; transposed, runs down and keys across (easier to
 * read with many runs and few keys). `exact` keeps full metric precision (CSV); otherwise the
 * cells read as on screen (Markdown, LaTeX).
 */
export function diffGrid(rows: readonly DiffRow[], runs: readonly Run[], { transpose = false, exact = false }: { transpose?: boolean; exact?: boolean } = {}): DiffGrid {
  const valueOf = (cell: DiffCell | undefined): string => (cell === undefined ? '' : exact ? cell.exact : cell.text);
  const names = runs.map(runLabel);
  if (!transpose) {
    return {
      header: ['section', 'key', ...names],
      body: rows.map((row) => [row.section, row.label, ...runs.map((_, index) => valueOf(row.cells[index]))]),
    };
  }
  return {
    header: ['run', ...rows.map((row) => `${row.section}: ${row.label}`)],
    body: runs.map((_, index) => [names[index] ?? '', ...rows.map((row) => valueOf(row.cells[index]))]),
  };
}
