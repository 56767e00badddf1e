import { WorkbenchError } from '../../../shared/errors';
import { parseOrderTerm, type AttributeName, type Field, type FilterNode } from './search-filter';

/**
 * Compiles a parsed filter and order-by list into SQLite fragments over `runs r` (schema in
 * ../db/migrations.ts). Every key and value is a bound parameter; only fixed column names and
 * operators from a closed set are written into the SQL text.
 *
 * Semantics worth knowing (MLFLOW.md §3):
 * - A metric condition reads `metric_series.latest_value`; NULL there means NaN, and SQL's
 *   three-valued logic keeps it from matching any comparison, including `!=`.
 * - On params, tags and metrics, `!=`, `NOT IN` and `NOT LIKE` only match runs that HAVE the key
 *   (MLflow's rule for `!=`); `IS NULL` is the way to ask for runs without it.
 * - A param/tag compared with a number is compared numerically, and only when its text is a
 *   well-formed number; `'abc'` or `'12abc'` never match `< 5`.
 */

/** SQL text plus its `?` parameters in order. Put the WHERE fragment's params before ORDER BY's. */
export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly unknown[];
}

const attributeColumns: Record<AttributeName, string> = {
  run_id: 'r.id',
  run_name: 'r.name',
  status: 'r.status',
  start_time: 'r.start_time',
  end_time: 'r.end_time',
  // Milliseconds; a RUNNING run's duration so far.
  duration: "(coalesce(r.end_time, CAST(unixepoch('subsec') * 1000 AS INTEGER)) - r.start_time)",
  experiment_id: 'r.experiment_id',
  parent_run_id: '(SELECT pr.id FROM runs pr WHERE pr.pk = r.parent_pk)',
  user_id: "(SELECT ut.value FROM tags ut WHERE ut.run_pk = r.pk AND ut.key = 'mlflow.user')",
  artifact_uri: "('mlflow-artifacts:/' || r.experiment_id || '/' || r.id || '/artifacts')",
};
const nullableAttributes: ReadonlySet<AttributeName> = new Set(['end_time', 'parent_run_id', 'user_id']);

const keyedTables = {
  metric: { table: 'metric_series', alias: 's', value: 's.latest_value' },
  param: { table: 'params', alias: 'p', value: 'p.value' },
  tag: { table: 'tags', alias: 't', value: 't.value' },
} as const;

/**
 * True when the TEXT column holds a well-formed number. Comparing it with CAST(… AS NUMERIC)
 * makes SQLite apply numeric affinity to the column side, which converts only well-formed
 * numbers; anything else stays TEXT and compares unequal (`'12abc'` casts to 12 but is not 12).
 */
const looksNumeric = (column: string): string => `(CAST(${column} AS NUMERIC) = ${column})`;

/** Turns a LIKE pattern into a GLOB pattern, which SQLite matches case-sensitively. */
export function likeToGlob(pattern: string): string {
  let glob = '';
  for (const char of pattern) {
    if (char === '%') glob += '*';
    else if (char === '_') glob += '?';
    // GLOB's own metacharacters become one-character classes so they match literally.
    else if (char === '*' || char === '?' || char === '[') glob += `[${char}]`;
    else glob += char;
  }
  return glob;
}

class Builder {
  readonly params: unknown[] = [];

  bind(value: unknown): string {
    this.params.push(value);
    return '?';
  }

  list(values: readonly unknown[]): string {
    return `(${values.map((value) => this.bind(value)).join(', ')})`;
  }
}

function compileNode(node: FilterNode, out: Builder): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${node.operands.map((operand) => compileNode(operand, out)).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(NOT ${compileNode(node.operand, out)})`;
    default:
      return node.field.entity === 'attribute' ? compileAttribute(node, node.field.key, out) : compileKeyed(node, node.field, out);
  }
}

type Condition = Exclude<FilterNode, { kind: 'and' | 'or' | 'not' }>;

/** A condition on a metric, param or tag: an EXISTS over that run's row for the key. */
function compileKeyed(node: Condition, field: Field & { entity: 'metric' | 'param' | 'tag' }, out: Builder): string {
  const { table, alias, value } = keyedTables[field.entity];
  // The predicate is built by a callback so the key's `?` is bound before the value's.
  const exists = (predicate?: () => string): string => {
    const head = `EXISTS (SELECT 1 FROM ${table} ${alias} WHERE ${alias}.run_pk = r.pk AND ${alias}.key = ${out.bind(field.key)}`;
    return `${head}${predicate ? ` AND ${predicate()}` : ''})`;
  };
  const isMetric = field.entity === 'metric';
  // For text columns, a number operand means a numeric comparison of numeric-looking values.
  const numeric = (operator: string, number: number): string =>
    isMetric ? `${value} ${operator} ${out.bind(number)}` : `${looksNumeric(value)} AND CAST(${value} AS REAL) ${operator} ${out.bind(number)}`;
  switch (node.kind) {
    case 'null':
      return node.negated ? exists() : `(NOT ${exists()})`;
    case 'compare': {
      const operand = node.value;
      if (typeof operand === 'number') return exists(() => numeric(node.operator, operand));
      if (isMetric) throw invalidNode(`metrics.${field.key} is compared with a number`);
      return exists(() => `${value} ${node.operator} ${out.bind(operand)}`);
    }
    case 'in': {
      const strings = node.values.filter((item): item is string => typeof item === 'string');
      const numbers = node.values.filter((item): item is number => typeof item === 'number');
      if (isMetric && strings.length > 0) throw invalidNode(`metrics.${field.key} is compared with a number`);
      return exists(() => {
        const parts: string[] = [];
        if (strings.length > 0) parts.push(`${value} IN ${out.list(strings)}`);
        if (numbers.length > 0) {
          parts.push(isMetric ? `${value} IN ${out.list(numbers)}` : `(${looksNumeric(value)} AND CAST(${value} AS REAL) IN ${out.list(numbers)})`);
        }
        const member = parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
        return node.negated ? `NOT ${member}` : member;
      });
    }
    case 'like':
      if (isMetric) throw invalidNode(`LIKE does not apply to metrics.${field.key}`);
      return exists(() => likePredicate(value, node.pattern, node.caseSensitive, node.negated, out));
  }
}

function compileAttribute(node: Condition, attribute: AttributeName, out: Builder): string {
  const column = attributeColumns[attribute];
  switch (node.kind) {
    case 'null':
      return `${column} IS ${node.negated ? 'NOT ' : ''}NULL`;
    case 'compare':
      return `${column} ${node.operator} ${out.bind(node.value)}`;
    case 'in':
      return `${column} ${node.negated ? 'NOT ' : ''}IN ${out.list(node.values)}`;
    case 'like':
      return `(${likePredicate(column, node.pattern, node.caseSensitive, node.negated, out)})`;
  }
}

function likePredicate(column: string, pattern: string, caseSensitive: boolean, negated: boolean, out: Builder): string {
  // SQLite's LIKE ignores ASCII case and has no per-statement switch (the pragma is per
  // connection), so case-sensitive LIKE runs as GLOB.
  const match = caseSensitive ? `${column} GLOB ${out.bind(likeToGlob(pattern))}` : `${column} LIKE ${out.bind(pattern)}`;
  return negated ? `NOT (${match})` : match;
}

function invalidNode(message: string): WorkbenchError {
  return new WorkbenchError('INVALID_ARGUMENT', `Invalid filter: ${message}`);
}

/** The WHERE condition for a parsed filter; `1` (always true) when there is none. */
export function compileFilter(node: FilterNode | null): SqlFragment {
  if (node === null) return { sql: '1', params: [] };
  const out = new Builder();
  const sql = compileNode(node, out);
  return { sql, params: out.params };
}

/** Ties are broken by recency, then by insertion order, so paging is stable. */
const defaultOrder = 'r.start_time DESC, r.pk DESC';

/**
 * The text after ORDER BY for `order_by` entries, left to right, then the default order.
 * Runs missing a key sort last in either direction. Metrics sort values, then NaN, then missing
 * (MLflow's order); params and tags sort numeric-looking values numerically, then the rest as
 * text, then missing.
 */
export function compileOrderBy(orderBy: readonly string[]): SqlFragment {
  const out = new Builder();
  const terms: string[] = [];
  for (const clause of orderBy) {
    const { field, descending } = parseOrderTerm(clause);
    const direction = descending ? 'DESC' : 'ASC';
    if (field.entity === 'attribute') {
      const column = attributeColumns[field.key];
      if (nullableAttributes.has(field.key)) terms.push(`(${column} IS NULL) ASC`);
      terms.push(`${column} ${direction}`);
      continue;
    }
    const { table, alias, value } = keyedTables[field.entity];
    const select = (expression: string): string =>
      `(SELECT ${expression} FROM ${table} ${alias} WHERE ${alias}.run_pk = r.pk AND ${alias}.key = ${out.bind(field.key)})`;
    if (field.entity === 'metric') {
      terms.push(`COALESCE(${select(`CASE WHEN ${value} IS NULL THEN 1 ELSE 0 END`)}, 2) ASC`);
      terms.push(`${select(value)} ${direction}`);
    } else {
      terms.push(`COALESCE(${select(`CASE WHEN ${looksNumeric(value)} THEN 0 ELSE 1 END`)}, 2) ASC`);
      terms.push(`${select(`CASE WHEN ${looksNumeric(value)} THEN CAST(${value} AS REAL) END`)} ${direction}`);
      terms.push(`${select(value)} ${direction}`);
    }
  }
  terms.push(defaultOrder);
  return { sql: terms.join(', '), params: out.params };
}
