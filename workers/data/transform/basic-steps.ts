import type { TransformStep } from '../../../shared/transforms';
import { type Duck } from '../duckdb';
import { duckMessage, stepError, wrapDuckError } from './errors';
import { checkRowExpression } from './expression';
import { describeQuery, ident, resolveColumn, resolveColumns, type Column, type CompiledStep, type StepInput } from './relation';

type Step<Op extends TransformStep['op']> = Extract<TransformStep, { op: Op }>;

const passthrough = (column: Column): string => ident(column.name);

export function compileDrop({ label, from }: StepInput, step: Step<'drop'>): CompiledStep {
  const dropped = resolveColumns(from.columns, step.columns, label);
  const kept = from.columns.filter((column) => !dropped.includes(column));
  if (kept.length === 0) throw stepError(label, 'dropping every column would leave nothing to write');
  return { select: `SELECT ${kept.map(passthrough).join(', ')} FROM ${ident(from.view)}`, fitted: null };
}

/**
 * Renames are applied together, so `a→b, b→a` swaps; a target may not equal (case-insensitively,
 * as DuckDB compares names) any column that keeps its name, or another rename's target.
 */
export function compileRename({ label, from }: StepInput, step: Step<'rename'>): CompiledStep {
  const entries = Object.entries(step.mapping);
  if (entries.length === 0) throw stepError(label, 'the mapping is empty');
  const renamed = new Map<Column, string>();
  for (const [oldName, newName] of entries) {
    const column = resolveColumn(from.columns, oldName, label);
    if (renamed.has(column)) throw stepError(label, `column ${JSON.stringify(column.name)} is renamed twice`);
    if (newName.trim() === '') throw stepError(label, `the new name for ${JSON.stringify(column.name)} is empty`);
    renamed.set(column, newName);
  }
  const finalName = (column: Column): string => renamed.get(column) ?? column.name;
  for (const [column, newName] of renamed) {
    const clash = from.columns.find((other) => other !== column && finalName(other).toLowerCase() === newName.toLowerCase());
    if (clash) {
      const why = renamed.has(clash) ? `${JSON.stringify(clash.name)} is also renamed to it` : 'a column with that name already exists';
      throw stepError(label, `cannot rename ${JSON.stringify(column.name)} to ${JSON.stringify(newName)}: ${why}`);
    }
  }
  const list = from.columns.map((column) => (renamed.has(column) ? `${ident(column.name)} AS ${ident(finalName(column))}` : passthrough(column)));
  return { select: `SELECT ${list.join(', ')} FROM ${ident(from.view)}`, fitted: null };
}

/** The contract's portable kinds as DuckDB types; 64-bit so a cast never narrows values. */
const castTypes: Record<Step<'cast'>['types'][string], string> = {
  integer: 'BIGINT',
  float: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

/**
 * Casts with DuckDB's CAST. A failing value would otherwise surface only while writing, as an
 * anonymous "Conversion Error"; one query finds the first offending row (in file order: a WHERE +
 * LIMIT over the chain preserves it) so the error can name the column and the value.
 */
export async function compileCast({ duck, label, from }: StepInput, step: Step<'cast'>): Promise<CompiledStep> {
  const entries = Object.entries(step.types);
  if (entries.length === 0) throw stepError(label, 'no columns given');
  const targets = new Map<Column, string>();
  for (const [name, kind] of entries) {
    const column = resolveColumn(from.columns, name, label);
    const type = castTypes[kind];
    if (!type) throw stepError(label, `unknown type ${JSON.stringify(kind)} for ${JSON.stringify(column.name)}; use one of ${Object.keys(castTypes).join(', ')}`);
    if (targets.has(column)) throw stepError(label, `column ${JSON.stringify(column.name)} is listed twice`);
    targets.set(column, type);
  }
  // Only casts that can fail need the scan: anything converts to text, and a same-type cast is a no-op.
  const fallible = [...targets].filter(([column, type]) => type !== 'VARCHAR' && column.type.toUpperCase() !== type);
  if (fallible.length > 0) await findCastFailure(duck, label, from.view, fallible);
  const list = from.columns.map((column) => {
    const type = targets.get(column);
    return type ? `CAST(${ident(column.name)} AS ${type}) AS ${ident(column.name)}` : passthrough(column);
  });
  return { select: `SELECT ${list.join(', ')} FROM ${ident(from.view)}`, fitted: null };
}

async function findCastFailure(duck: Duck, label: string, view: string, targets: [Column, string][]): Promise<void> {
  const fails = targets.map(([column, type]) => `(${ident(column.name)} IS NOT NULL AND TRY_CAST(${ident(column.name)} AS ${type}) IS NULL)`);
  const outputs = targets.flatMap(([column], i) => [`CAST(${ident(column.name)} AS VARCHAR) AS "v${i}"`, `${fails[i]} AS "f${i}"`]);
  let row;
  try {
    row = await duck.one(`SELECT ${outputs.join(', ')} FROM ${ident(view)} WHERE ${fails.join(' OR ')} LIMIT 1`);
  } catch (error) {
    throw wrapDuckError(`${label}: checking the casts failed`, error);
  }
  if (!row) return;
  const index = targets.findIndex((_, i) => row[`f${i}`] === true);
  const [column, type] = targets[index] ?? targets[0]!;
  throw stepError(label, `cannot cast column ${JSON.stringify(column.name)} (${column.type}) to ${type}: first offending value ${JSON.stringify(row[`v${index}`])}`);
}

/** Rows where the expression is true are kept (NULL counts as false, as in SQL). */
export async function compileFilter({ duck, label, from }: StepInput, step: Step<'filter'>): Promise<CompiledStep> {
  await checkRowExpression(duck, step.where, label);
  const type = await expressionType(duck, label, from.view, step.where);
  if (type !== 'BOOLEAN' && type !== '"NULL"') {
    throw stepError(label, `the filter expression ${JSON.stringify(step.where)} must be true or false for each row, but it is ${type}`);
  }
  return { select: `SELECT * FROM ${ident(from.view)} WHERE (\n${step.where}\n)`, fitted: null };
}

/** A new column at the end, or, when the name exists, that column replaced in place (`price = price * 100`). */
export async function compileDerive({ duck, label, from }: StepInput, step: Step<'derive'>): Promise<CompiledStep> {
  if (step.column.trim() === '') throw stepError(label, 'the new column has no name');
  await checkRowExpression(duck, step.expression, label);
  await expressionType(duck, label, from.view, step.expression);
  const value = `(\n${step.expression}\n) AS ${ident(step.column)}`;
  const existing = from.columns.find((column) => column.name.toLowerCase() === step.column.toLowerCase());
  const list = from.columns.map((column) => (column === existing ? value : passthrough(column)));
  if (!existing) list.push(value);
  return { select: `SELECT ${list.join(', ')} FROM ${ident(from.view)}`, fitted: null };
}

/** Binds the expression against the current columns (no rows are read) and returns its type. */
async function expressionType(duck: Duck, label: string, view: string, expression: string): Promise<string> {
  try {
    const columns = await describeQuery(duck, `SELECT (\n${expression}\n) AS __expression FROM ${ident(view)}`);
    return columns[0]?.type ?? 'NULL';
  } catch (error) {
    throw stepError(label, `the expression ${JSON.stringify(expression)} is invalid: ${duckMessage(error)}`);
  }
}
