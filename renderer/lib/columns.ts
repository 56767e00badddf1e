/**
 * Runs-table columns and the server-side sort they map to. The fixed columns come first; the
 * user adds `params.<key>` and `metrics.<key>` columns from the chooser.
 */
export type FixedColumnId = 'name' | 'status' | 'start' | 'duration';
export type ColumnId = FixedColumnId | `params.${string}` | `metrics.${string}`;

export type SortDirection = 'ASC' | 'DESC';
export interface SortState {
  readonly column: ColumnId;
  readonly direction: SortDirection;
}

export const fixedColumns: readonly FixedColumnId[] = ['name', 'status', 'start', 'duration'];

export type KeyedColumn = { readonly kind: 'param' | 'metric'; readonly key: string };

/** `metrics.train/loss` → metric `train/loss`; keys may themselves contain dots. */
export function parseKeyedColumn(column: ColumnId): KeyedColumn | null {
  if (column.startsWith('params.')) return { kind: 'param', key: column.slice('params.'.length) };
  if (column.startsWith('metrics.')) return { kind: 'metric', key: column.slice('metrics.'.length) };
  return null;
}

export function keyedColumnId(kind: 'param' | 'metric', key: string): ColumnId {
  return kind === 'param' ? `params.${key}` : `metrics.${key}`;
}

// The search grammar's bare key: anything else must be backtick-quoted.
const bareKey = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;

/** A key as the search grammar reads it: bare where possible, else backticks (doubled inside). */
export function quoteKey(key: string): string {
  return bareKey.test(key) ? key : `\`${key.replaceAll('`', '``')}\``;
}

const attributeOf: Partial<Record<FixedColumnId, string>> = {
  name: 'attributes.run_name',
  status: 'attributes.status',
  start: 'attributes.start_time',
  duration: 'attributes.duration',
};

/** The `orderBy` field for a column, or null for columns the server cannot sort. */
export function sortFieldOf(column: ColumnId): string | null {
  const keyed = parseKeyedColumn(column);
  if (keyed) return `${keyed.kind === 'param' ? 'params' : 'metrics'}.${quoteKey(keyed.key)}`;
  return attributeOf[column as FixedColumnId] ?? null;
}

/** `runs.search`'s `orderBy`; empty means the server's default (newest first). */
export function buildOrderBy(sort: SortState | null): string[] {
  if (!sort) return [];
  const field = sortFieldOf(sort.column);
  return field ? [`${field} ${sort.direction}`] : [];
}

/**
 * Clicking a header cycles through the two directions, then back to the default order. Numbers
 * and times start descending (best/newest first for most metrics is a click away either way);
 * text starts ascending.
 */
export function nextSort(current: SortState | null, column: ColumnId): SortState | null {
  if (sortFieldOf(column) === null) return current;
  // Start is already sorted newest first by default: one click flips it, the next restores it.
  if (column === 'start' && !current) return { column, direction: 'ASC' };
  const first: SortDirection = column === 'name' || column === 'status' || column.startsWith('params.') ? 'ASC' : 'DESC';
  if (!current || current.column !== column) return { column, direction: first };
  if (current.direction === first) return { column, direction: first === 'ASC' ? 'DESC' : 'ASC' };
  return null;
}

/** Which way a column is sorted, including the implicit default (start, newest first). */
export function sortDirectionOf(sort: SortState | null, column: ColumnId): SortDirection | null {
  if (!sort) return column === 'start' ? 'DESC' : null;
  return sort.column === column ? sort.direction : null;
}

export function columnLabel(column: ColumnId): string {
  const keyed = parseKeyedColumn(column);
  if (keyed) return keyed.key;
  return { name: 'Name', status: 'Status', start: 'Started', duration: 'Duration' }[column as FixedColumnId];
}
