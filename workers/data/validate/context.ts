import type { ResultFormat } from '../../../shared/expectations';
import { sqlIdentifier, type Cell, type Duck } from '../duckdb';

/** How DuckDB types group for the comparisons GE makes in Python. */
export type ValueKind = 'integer' | 'float' | 'decimal' | 'boolean' | 'string' | 'date' | 'timestamp' | 'time' | 'other';

export interface ColumnInfo {
  readonly name: string;
  /** DuckDB's type name (`BIGINT`, `DECIMAL(9,2)`, `TIMESTAMP WITH TIME ZONE`…). */
  readonly type: string;
  readonly kind: ValueKind;
}

export function kindOf(type: string): ValueKind {
  const t = type.toUpperCase();
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(t)) return 'integer';
  if (t === 'FLOAT' || t === 'DOUBLE' || t === 'REAL') return 'float';
  if (t.startsWith('DECIMAL')) return 'decimal';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'VARCHAR' || t.startsWith('VARCHAR(')) return 'string';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  if (t.startsWith('TIME')) return 'time';
  return 'other';
}

export const isNumeric = (kind: ValueKind): boolean => kind === 'integer' || kind === 'float' || kind === 'decimal';

/** GE's `result_format` in dictionary form. */
export interface ResultFormatSpec {
  readonly result_format: ResultFormat;
  /** How many unexpected values, counts and indexes the partial lists hold (GE default 20). */
  readonly partial_unexpected_count: number;
}

/** What every expectation evaluator sees. */
export interface ValidationContext {
  readonly duck: Duck;
  /** The table expression to read rows from (`relationSql(source)`). */
  readonly relation: string;
  readonly columns: readonly ColumnInfo[];
  readonly format: ResultFormatSpec;
  /** The suite's `suite_parameters`, for `{"$PARAMETER": name}` kwargs. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/**
 * A problem with one expectation that GE would raise as an exception (bad kwargs, a missing
 * column, a type mismatch): reported in that result's `exception_info`; the others still run.
 */
export class ExpectationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpectationError';
  }
}

/** What an evaluator found; shaped into GE's result object by the caller. */
export interface Outcome {
  readonly success: boolean;
  readonly result: Record<string, unknown>;
  readonly meta?: Record<string, unknown>;
}

/**
 * An expectation ready to run. `aggregates` are SQL aggregate expressions that are evaluated for all
 * expectations in one scan of the relation (with `count(*)` as the row count); `finish` gets their
 * values and may run follow-up queries (unexpected value lists, group-bys).
 */
export interface Plan {
  readonly aggregates: Readonly<Record<string, string>>;
  finish(values: Readonly<Record<string, Cell>>, rowCount: number): Promise<Outcome>;
}

export function findColumn(context: ValidationContext, name: string): ColumnInfo {
  // Exact, case-sensitive match like pandas; DuckDB itself would match case-insensitively.
  const column = context.columns.find((candidate) => candidate.name === name);
  if (!column) throw new ExpectationError(`The column "${name}" in BatchData does not exist. Columns: ${context.columns.map((c) => JSON.stringify(c.name)).join(', ')}`);
  return column;
}

/**
 * True for a row GE counts as missing: SQL NULL, and NaN in float columns (pandas' `isnull`, which
 * is how GE's reference engine reads a CSV; DuckDB keeps NaN as a number).
 */
export function missingSql(column: ColumnInfo): string {
  const id = sqlIdentifier(column.name);
  return column.kind === 'float' ? `(${id} IS NULL OR isnan(${id}))` : `(${id} IS NULL)`;
}

/** The column as it appears in unexpected-value lists: numbers, booleans and strings as they are, the rest as text. */
export function displaySql(column: ColumnInfo): string {
  const id = sqlIdentifier(column.name);
  switch (column.kind) {
    case 'integer':
    case 'float':
    case 'decimal':
    case 'boolean':
    case 'string':
      return id;
    default:
      return `CAST(${id} AS VARCHAR)`;
  }
}

/** A number as a DuckDB literal of a type that compares exactly with the column. */
export function numberLiteral(value: number): string {
  return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? String(value) : `CAST('${String(value)}' AS DOUBLE)`;
}

/**
 * Whether a column holds no values at all. DuckDB types an all-empty CSV column VARCHAR where pandas
 * (GE's reference engine) reads all-NaN floats; a type check that would fail on such a column
 * asks this first and treats the column as empty rather than mistyped. Costs a scan: only called
 * on that error path.
 */
export async function hasNoValues(context: ValidationContext, column: ColumnInfo): Promise<boolean> {
  const row = await context.duck.one(`SELECT count(*) FILTER (WHERE NOT ${missingSql(column)}) AS n FROM ${context.relation}`);
  return toNumber(row?.n) === 0;
}

export const toNumber = (cell: Cell | undefined): number => (typeof cell === 'number' ? cell : Number(cell ?? 0));
