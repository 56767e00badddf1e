import { sqlString, type Duck } from '../duckdb';
import { stepError } from './errors';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isRecord = (value: Json | undefined): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks that a filter or derive expression is one row-wise SQL expression, using DuckDB's own
 * parser (`json_serialize_sql`). Why:
 * - The text is spliced into our SQL. Pipelines are shared between people, so `x) UNION (SELECT …`
 *   or `1); COPY … TO '…'; SELECT (1` must not run as statements of their own.
 * - The exported model replays these steps row by row (DESIGN.md §6), so an expression may only
 *   look at its own row: no window functions, subqueries or aggregates. This also keeps the chain
 *   a pure SELECT/WHERE pipeline, whose row order DuckDB guarantees (the split relies on it).
 */
export async function checkRowExpression(duck: Duck, expression: string, label: string): Promise<void> {
  // Newlines so a trailing `-- comment` in the expression cannot swallow our closing parenthesis.
  const probe = `SELECT (\n${expression}\n) AS __expression`;
  const row = await duck.one(`SELECT CAST(json_serialize_sql(${sqlString(probe)}) AS VARCHAR) AS tree`);
  const tree = JSON.parse(String(row?.tree ?? 'null')) as Json;
  if (!isRecord(tree)) throw new Error('json_serialize_sql returned no tree');
  if (tree.error === true) {
    throw stepError(label, `the expression ${JSON.stringify(expression)} is not a valid SQL expression: ${String(tree.error_message)}`);
  }
  const statements = Array.isArray(tree.statements) ? tree.statements : [];
  const node = isRecord(statements[0]) ? statements[0].node : undefined;
  if (statements.length !== 1 || !isRecord(node) || !isSingleExpressionSelect(node)) {
    throw stepError(label, `${JSON.stringify(expression)} is not a single SQL expression over the columns`);
  }
  const found = { window: false, subquery: false, star: false, functions: new Set<string>() };
  walk(node.select_list, found);
  if (found.window) throw stepError(label, 'window functions are not allowed: the expression must compute each row from that row alone');
  if (found.subquery) throw stepError(label, 'subqueries are not allowed: the expression must compute each row from that row alone');
  if (found.star) throw stepError(label, '`*` and COLUMNS(…) are not allowed: name the columns');
  const aggregates = await aggregatesAmong(duck, [...found.functions]);
  if (aggregates.length > 0) {
    throw stepError(label, `aggregate functions (${aggregates.join(', ')}) are not allowed: the expression must compute each row from that row alone`);
  }
}

/** `SELECT (<expr>) AS __expression` and nothing else: anything more means the text broke out of its parentheses. */
function isSingleExpressionSelect(node: { [key: string]: Json }): boolean {
  const empty = (value: Json | undefined): boolean =>
    value === null || value === undefined || (Array.isArray(value) && value.length === 0);
  const from = node.from_table;
  const ctes = isRecord(node.cte_map) ? node.cte_map.map : undefined;
  return (
    node.type === 'SELECT_NODE' &&
    Array.isArray(node.select_list) &&
    node.select_list.length === 1 &&
    isRecord(from) &&
    from.type === 'EMPTY' &&
    empty(node.where_clause) &&
    empty(node.group_expressions) &&
    empty(node.group_sets) &&
    empty(node.having) &&
    empty(node.qualify) &&
    empty(node.sample) &&
    empty(node.modifiers) &&
    empty(ctes)
  );
}

function walk(value: Json | undefined, found: { window: boolean; subquery: boolean; star: boolean; functions: Set<string> }): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, found);
    return;
  }
  if (!isRecord(value)) return;
  if (value.class === 'WINDOW') found.window = true;
  if (value.class === 'SUBQUERY') found.subquery = true;
  if (value.class === 'STAR') found.star = true;
  if (value.class === 'FUNCTION' && typeof value.function_name === 'string') found.functions.add(value.function_name.toLowerCase());
  for (const child of Object.values(value)) walk(child, found);
}

/** Which of these names are aggregate functions: the parser cannot tell, the catalog can. */
async function aggregatesAmong(duck: Duck, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await duck.all(
    `SELECT DISTINCT lower(function_name) AS name FROM duckdb_functions()
     WHERE function_type = 'aggregate' AND lower(function_name) IN (${names.map(sqlString).join(', ')}) ORDER BY name`,
  );
  return rows.map((row) => String(row.name));
}
