import { randomUUID } from 'node:crypto';
import type { FittedStep } from '../../../shared/transforms';
import { sqlIdentifier, sqlString, type Cell, type Duck } from '../duckdb';
import { quoteList, stepError, wrapDuckError } from './errors';

/** A column as DuckDB describes it; `type` is DuckDB's own spelling (`BIGINT`, `DECIMAL(9,2)`…). */
export interface Column {
  readonly name: string;
  readonly type: string;
}

/** One link of the chain: a temporary view and the columns it has. */
export interface Relation {
  readonly view: string;
  readonly columns: readonly Column[];
}

/** What every step compiler gets. */
export interface StepInput {
  readonly duck: Duck;
  readonly label: string;
  readonly from: Relation;
}

/** A step compiled to one SELECT over the previous view, plus what fitting it learned. */
export interface CompiledStep {
  readonly select: string;
  readonly fitted: FittedStep | null;
}

export const ident = sqlIdentifier;

/**
 * A fitting step's statistics: every aggregate in one query, so the data is scanned once per step
 * and only one row comes back to JS (the rows themselves never leave DuckDB).
 */
export async function fitStatistics({ duck, label, from }: StepInput, aggregates: readonly string[]): Promise<Cell[]> {
  const list = aggregates.map((aggregate, i) => `${aggregate} AS "s${i}"`).join(', ');
  try {
    const row = await duck.one(`SELECT ${list} FROM ${ident(from.view)}`);
    return aggregates.map((_, i) => row?.[`s${i}`] ?? null);
  } catch (error) {
    // The scan runs every earlier step too, so the cause may be one of them (e.g. a derive that fails on a row).
    throw wrapDuckError(`${label}: computing the statistics failed`, error);
  }
}

/** The columns a query would return; DuckDB binds it without reading any rows. */
export async function describeQuery(duck: Duck, select: string): Promise<Column[]> {
  const rows = await duck.all(`DESCRIBE ${select}`);
  return rows.map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

export const describe = (duck: Duck, view: string): Promise<Column[]> => describeQuery(duck, `SELECT * FROM ${ident(view)}`);

/**
 * Finds a step's column. DuckDB resolves identifiers case-insensitively, so we do too (an exact
 * match wins); a miss lists what exists, since the usual cause is a typo or an earlier rename.
 */
export function resolveColumn(columns: readonly Column[], name: string, label: string, role = 'column'): Column {
  const exact = columns.find((column) => column.name === name);
  if (exact) return exact;
  const folded = columns.filter((column) => column.name.toLowerCase() === name.toLowerCase());
  if (folded.length === 1 && folded[0]) return folded[0];
  throw stepError(label, `unknown ${role} ${JSON.stringify(name)}; available: ${quoteList(columns.map((column) => column.name))}`);
}

/** Resolves a step's column list; naming one column twice is almost certainly a mistake. */
export function resolveColumns(columns: readonly Column[], names: readonly string[], label: string): Column[] {
  if (names.length === 0) throw stepError(label, 'no columns given');
  const resolved: Column[] = [];
  for (const name of names) {
    const column = resolveColumn(columns, name, label);
    if (resolved.includes(column)) throw stepError(label, `column ${JSON.stringify(column.name)} is listed twice`);
    resolved.push(column);
  }
  return resolved;
}

const numericType = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/i;
const integerType = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/i;

export const isNumericType = (type: string): boolean => numericType.test(type);
export const isIntegerType = (type: string): boolean => integerType.test(type);

/**
 * A DOUBLE literal that DuckDB reads back bit-exactly. A bare `0.1` would be parsed as DECIMAL and
 * converted, which can be off by an ulp; JS's shortest round-trip text through DuckDB's float
 * parser is exact. Callers reject non-finite values first (the fitted record is JSON).
 */
export function doubleLiteral(value: number): string {
  return `CAST(${sqlString(String(value))} AS DOUBLE)`;
}

/** A value of `type` written as text, the way DuckDB printed it (round-trips for scalar types). */
export function typedLiteral(text: string, type: string): string {
  return `CAST(${sqlString(text)} AS ${type})`;
}

/** Text that DuckDB printed for a value of `type`, as the JSON value a fitted record stores. */
export function fittedValue(text: string, type: string): number | string | boolean {
  if (/^BOOLEAN$/i.test(type)) return text === 'true';
  if (isNumericType(type)) {
    const value = Number(text);
    // A 64-bit integer beyond 2^53 would silently change as a JS number: keep its text.
    if (!Number.isFinite(value) || (isIntegerType(type) && !Number.isSafeInteger(value))) return text;
    return value;
  }
  return text;
}

/** `base`, or `base_2`, `base_3`… — the first not in `taken` (lower-cased, as DuckDB compares names). */
export function freshName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}_${n}`;
  taken.add(name.toLowerCase());
  return name;
}

export const takenNames = (columns: readonly Column[]): Set<string> => new Set(columns.map((column) => column.name.toLowerCase()));

/**
 * The temporary views and tables one transform creates, under a random prefix so transforms sharing
 * a connection cannot collide, and dropped at the end whatever happened.
 */
export class Scratch {
  private readonly drops: string[] = [];
  private readonly prefix = `ty_transform_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  private counter = 0;

  constructor(private readonly duck: Duck) {}

  async view(select: string): Promise<string> {
    const name = `${this.prefix}_v${this.counter++}`;
    await this.duck.run(`CREATE TEMP VIEW ${ident(name)} AS ${select}`);
    this.drops.push(`DROP VIEW IF EXISTS ${ident(name)}`);
    return name;
  }

  async table(select: string): Promise<string> {
    const name = `${this.prefix}_t${this.counter++}`;
    await this.duck.run(`CREATE TEMP TABLE ${ident(name)} AS ${select}`);
    this.drops.push(`DROP TABLE IF EXISTS ${ident(name)}`);
    return name;
  }

  /** Later objects depend on earlier ones, so drop newest first; a failed drop must not hide the real error. */
  async dispose(): Promise<void> {
    for (const drop of this.drops.reverse()) await this.duck.run(drop).catch(() => undefined);
    this.drops.length = 0;
  }
}
