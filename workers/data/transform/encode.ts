import type { TransformStep } from '../../../shared/transforms';
import { sqlString } from '../duckdb';
import { stepError } from './errors';
import { fitStatistics, freshName, ident, resolveColumns, takenNames, type Column, type CompiledStep, type StepInput } from './relation';

type EncodeStep = Extract<TransformStep, { op: 'encode' }>;

/** One-hot: the brief's cap, past which the output is unusably wide. */
export const maxOneHotCategories = 1_000;
/**
 * Ordinal: a lookup is a linear scan of the category list per row (≈1.5 s per million rows at this
 * size), and the whole list is stored in the version's fitted record.
 */
export const maxOrdinalCategories = 10_000;

/**
 * Categories are the distinct non-NULL values, sorted in the column's own order (numbers
 * numerically, dates chronologically), stored as DuckDB's text for each value; rows are matched on
 * that same text, so the stored list is exactly what the model compares against.
 * - onehot: the column is replaced, in place, by one DOUBLE 0/1 column per category, named by
 *   {@link oneHotColumnNames}; a NULL is 0 in every one of them.
 * - ordinal: the column becomes BIGINT 0…n−1 in category order; NULL and unknown values are NULL.
 */
export async function compileEncode(input: StepInput, step: EncodeStep): Promise<CompiledStep> {
  const { label, from } = input;
  if (step.method !== 'onehot' && step.method !== 'ordinal') {
    throw stepError(label, `unknown method ${JSON.stringify(step.method)}; use onehot or ordinal`);
  }
  const targets = resolveColumns(from.columns, step.columns, label);
  const limit = step.method === 'onehot' ? maxOneHotCategories : maxOrdinalCategories;
  const aggregates = targets.flatMap((column) => {
    const value = ident(column.name);
    // The list is only built into a result when it is within the limit: a column of a million ids must fail, not ship a million strings to JS.
    const list = `CAST(to_json(CAST(list_sort(list(DISTINCT ${value}) FILTER (WHERE ${value} IS NOT NULL)) AS VARCHAR[])) AS VARCHAR)`;
    return [`count(DISTINCT ${value})`, `CASE WHEN count(DISTINCT ${value}) <= ${limit} THEN ${list} END`];
  });
  const stats = await fitStatistics(input, aggregates);
  const categories: Record<string, string[]> = {};
  targets.forEach((column, i) => {
    const count = Number(stats[2 * i] ?? 0);
    if (count > limit) {
      const hint = step.method === 'onehot' ? ' (use ordinal encoding, or group rare values first)' : '';
      throw stepError(label, `column ${JSON.stringify(column.name)} has ${count.toLocaleString('en-US')} categories; ${step.method} encoding allows at most ${limit.toLocaleString('en-US')}${hint}`);
    }
    categories[column.name] = parseCategories(stats[2 * i + 1] ?? null);
  });

  // Each encoded column's text is computed once, in an inner projection, then compared per category.
  const taken = takenNames(from.columns);
  const textOf = new Map<Column, string>(targets.map((column) => [column, freshName('__trainyard_text', taken)]));
  const inner = `SELECT *, ${targets.map((column) => `CAST(${ident(column.name)} AS VARCHAR) AS ${ident(textOf.get(column)!)}`).join(', ')} FROM ${ident(from.view)}`;
  const outputNames = takenNames(from.columns.filter((column) => !targets.includes(column)));
  const outputColumns: Record<string, string[]> = {};
  const list = from.columns.flatMap((column) => {
    const text = textOf.get(column);
    if (!text) return [ident(column.name)];
    const values = categories[column.name] ?? [];
    if (step.method === 'ordinal') {
      outputColumns[column.name] = [column.name];
      return [`${ordinalExpression(ident(text), values)} AS ${ident(column.name)}`];
    }
    const names = oneHotColumnNames(column.name, values, outputNames);
    outputColumns[column.name] = names;
    return values.map((value, k) => `CASE WHEN ${ident(text)} = ${sqlString(value)} THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS ${ident(names[k]!)}`);
  });
  if (list.length === 0) throw stepError(label, 'the encoded columns have no categories and no other column is left');
  return { select: `SELECT ${list.join(', ')} FROM (${inner})`, fitted: { op: 'encode', method: step.method, categories, outputColumns } };
}

function ordinalExpression(text: string, values: readonly string[]): string {
  if (values.length === 0) return 'CAST(NULL AS BIGINT)';
  // list_position is 1-based and NULL when absent: unknown values map to NULL, not to a code.
  return `CAST(list_position(CAST([${values.map(sqlString).join(', ')}] AS VARCHAR[]), ${text}) - 1 AS BIGINT)`;
}

function parseCategories(cell: unknown): string[] {
  if (cell === null || cell === undefined) return [];
  const parsed: unknown = JSON.parse(String(cell));
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/**
 * `<column>_<category>`, with each run of characters other than letters, digits and `_` in the
 * category turned into one `_` and `_` trimmed from its ends ("New York" → `city_New_York`,
 * "(none)" → `city_none`). Names stay unique against `taken` (the other columns and earlier
 * outputs, compared case-insensitively as DuckDB does) by appending `_2`, `_3`…; `taken` is updated.
 * Exported so the training engine can reproduce the names from a fitted record.
 */
export function oneHotColumnNames(column: string, categories: readonly string[], taken: Set<string>): string[] {
  return categories.map((category) => {
    const cleaned = category.replace(/[^\p{L}\p{N}_]+/gu, '_').replace(/^_+|_+$/g, '');
    return freshName(`${column}_${cleaned}`, taken);
  });
}
