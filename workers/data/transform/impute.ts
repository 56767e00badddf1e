import type { FittedStep, TransformStep } from '../../../shared/transforms';
import { sqlString } from '../duckdb';
import { stepError } from './errors';
import {
  doubleLiteral,
  fitStatistics,
  fittedValue,
  ident,
  isNumericType,
  resolveColumns,
  typedLiteral,
  type Column,
  type CompiledStep,
  type StepInput,
} from './relation';

type ImputeStep = Extract<TransformStep, { op: 'impute' }>;
type FillValue = number | string | boolean | null;

/**
 * Fills NULLs with a per-column value fitted on the current rows:
 * - mean / median: numeric columns only; the column becomes DOUBLE (like pandas, whose integer
 *   columns turn float when they hold a fill of 2.5). An all-NULL column has no mean: it stays NULL
 *   and its fitted value is null.
 * - mode: the most frequent non-NULL value, ties broken by the smallest value so the choice does not
 *   depend on scan order; the column keeps its type.
 * - constant: `value`, which must convert to the column's type; the column keeps its type.
 */
export async function compileImpute(input: StepInput, step: ImputeStep): Promise<CompiledStep> {
  const { label, from } = input;
  const targets = resolveColumns(from.columns, step.columns, label);
  const fills = new Map<Column, { sql: string | null; value: FillValue }>();
  const numeric = step.strategy === 'mean' || step.strategy === 'median';
  if (numeric) {
    for (const column of targets) {
      if (!isNumericType(column.type)) {
        throw stepError(label, `strategy "${step.strategy}" needs a numeric column, but ${JSON.stringify(column.name)} is ${column.type} (use "mode" or "constant")`);
      }
    }
    const aggregate = step.strategy === 'mean' ? 'avg' : 'median';
    const stats = await fitStatistics(input, targets.map((column) => `CAST(${aggregate}(${ident(column.name)}) AS DOUBLE)`));
    targets.forEach((column, i) => {
      const value = stats[i] ?? null;
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw stepError(label, `the ${step.strategy} of ${JSON.stringify(column.name)} is not finite (${String(value)}); it holds infinite values`);
      }
      fills.set(column, { sql: value === null ? null : doubleLiteral(value), value });
    });
  } else if (step.strategy === 'mode') {
    const stats = await fitStatistics(input, targets.map((column) => modeAggregate(ident(column.name))));
    targets.forEach((column, i) => {
      const text = stats[i];
      fills.set(column, text === null || text === undefined ? { sql: null, value: null } : { sql: typedLiteral(String(text), column.type), value: fittedValue(String(text), column.type) });
    });
  } else if (step.strategy === 'constant') {
    if (step.value === undefined || step.value === null) throw stepError(label, 'strategy "constant" needs a value');
    const value = step.value;
    for (const column of targets) {
      const row = await input.duck.one(`SELECT TRY_CAST(${sqlString(String(value))} AS ${column.type}) IS NOT NULL AS ok`);
      if (row?.ok !== true) throw stepError(label, `the constant ${JSON.stringify(value)} is not a valid ${column.type} for column ${JSON.stringify(column.name)}`);
      fills.set(column, { sql: typedLiteral(String(value), column.type), value });
    }
  } else {
    throw stepError(label, `unknown strategy ${JSON.stringify((step as { strategy: unknown }).strategy)}; use mean, median, mode or constant`);
  }
  const list = from.columns.map((column) => {
    const fill = fills.get(column);
    if (!fill) return ident(column.name);
    const current = numeric ? `CAST(${ident(column.name)} AS DOUBLE)` : ident(column.name);
    return `${fill.sql === null ? current : `coalesce(${current}, ${fill.sql})`} AS ${ident(column.name)}`;
  });
  const fitted: FittedStep = { op: 'impute', values: Object.fromEntries([...fills].map(([column, fill]) => [column.name, fill.value])) };
  return { select: `SELECT ${list.join(', ')} FROM ${ident(from.view)}`, fitted };
}

/**
 * DuckDB's mode() breaks ties by whichever value its hash table meets first, which can change with
 * thread scheduling. histogram() gives exact counts; sorting (−count, value) makes the pick stable.
 * The value comes back as text and is cast back to the column's type.
 */
function modeAggregate(column: string): string {
  return `CAST(list_sort(list_transform(map_entries(histogram(${column})), lambda e: {'n': -CAST(e.value AS BIGINT), 'k': e.key}))[1].k AS VARCHAR)`;
}
