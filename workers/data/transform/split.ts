import type { TransformStep } from '../../../shared/transforms';
import { sqlString } from '../duckdb';
import { stepError, wrapDuckError } from './errors';
import { freshName, ident, resolveColumn, takenNames, type Relation, type Scratch } from './relation';

type SplitStep = Extract<TransformStep, { op: 'split' }>;

export interface SplitPlan {
  readonly parts: readonly { readonly name: string; readonly fraction: number }[];
  readonly seed: number;
  readonly stratify: string | undefined;
}

/** A part's name becomes a file name: keep it to a portable, case-insensitively unique word. */
const partName = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Checks what can be checked before any data is read; fractions are normalized to sum to 1. */
export function planSplit(step: SplitStep, label: string): SplitPlan {
  const entries = Object.entries(step.fractions ?? {});
  if (entries.length === 0) throw stepError(label, 'no parts given');
  const seen = new Set<string>();
  for (const [name, fraction] of entries) {
    if (!partName.test(name)) throw stepError(label, `part name ${JSON.stringify(name)} must be letters, digits, "_" or "-" (it becomes a file name)`);
    if (seen.has(name.toLowerCase())) throw stepError(label, `part name ${JSON.stringify(name)} is used twice (names are compared case-insensitively, like file names)`);
    seen.add(name.toLowerCase());
    if (typeof fraction !== 'number' || !Number.isFinite(fraction) || fraction <= 0) {
      throw stepError(label, `the fraction of part ${JSON.stringify(name)} must be a positive number, not ${JSON.stringify(fraction)}`);
    }
  }
  const seed = step.seed ?? 42;
  if (!Number.isSafeInteger(seed)) throw stepError(label, `the seed must be an integer, not ${JSON.stringify(seed)}`);
  const total = entries.reduce((sum, [, fraction]) => sum + fraction, 0);
  return { parts: entries.map(([name, fraction]) => ({ name, fraction: fraction / total })), seed, stratify: step.stratify };
}

/**
 * Assigns every row to exactly one part and returns one SELECT per part.
 *
 * Rows are numbered in source order (`row_number() OVER ()`: DuckDB guarantees source order
 * through the SELECT/WHERE chain we build, independent of parallel scans). Within each class (all
 * rows when not stratified), rows are ranked by md5(seed:row number) — a shuffle that depends only
 * on the seed and the row's position, and that md5 keeps stable across DuckDB versions — then the
 * first n₁ go to the first part, the next n₂ to the second, and so on (parts in the order given).
 *
 * Per class of c rows, part i gets floor(fᵢ·c), and the c − Σ floor(fᵢ·c) rows left go one each to
 * the parts with the largest fractional remainders fᵢ·c − floor(fᵢ·c), ties to the earlier part
 * (largest-remainder rounding: counts within 1 of fᵢ·c and summing to c). NULL is a class of its own.
 *
 * The assignment (row number → part) is a temporary table, so the shuffle is sorted once; each
 * part is written in source order.
 */
export async function splitQueries(scratch: Scratch, from: Relation, plan: SplitPlan, label: string): Promise<{ part: string; select: string }[]> {
  const taken = takenNames(from.columns);
  const row = freshName('__trainyard_row', taken);
  const classExpression = plan.stratify === undefined ? '0' : ident(resolveColumn(from.columns, plan.stratify, label, 'stratify column').name);
  const numbered = await scratch.view(`SELECT *, row_number() OVER () AS ${ident(row)} FROM ${ident(from.view)}`);
  const parts = plan.parts.map((part, i) => `(${i}, ${sqlString(String(part.fraction))}::DOUBLE)`).join(', ');
  const seedPrefix = sqlString(`${plan.seed}:`);
  let assignment: string;
  try {
    assignment = await scratch.table(`
      WITH ranked AS (
        SELECT r, row_number() OVER (PARTITION BY cls ORDER BY k, r) AS pos, count(*) OVER (PARTITION BY cls) AS c
        FROM (SELECT ${ident(row)} AS r, ${classExpression} AS cls, md5_number(${seedPrefix} || CAST(${ident(row)} AS VARCHAR)) AS k FROM ${ident(numbered)})
      ),
      sizes AS (SELECT DISTINCT c FROM ranked),
      parts(i, f) AS (VALUES ${parts}),
      floors AS (SELECT c, i, CAST(floor(f * c) AS BIGINT) AS base, f * c - floor(f * c) AS remainder FROM sizes, parts),
      counts AS (
        SELECT c, i, base + CASE WHEN row_number() OVER (PARTITION BY c ORDER BY remainder DESC, i) <= c - sum(base) OVER (PARTITION BY c) THEN 1 ELSE 0 END AS n
        FROM floors
      ),
      bounds AS (SELECT c, i, n, sum(n) OVER (PARTITION BY c ORDER BY i ROWS UNBOUNDED PRECEDING) AS upto FROM counts)
      SELECT ranked.r, bounds.i AS part
      FROM ranked JOIN bounds ON ranked.c = bounds.c AND ranked.pos > bounds.upto - bounds.n AND ranked.pos <= bounds.upto`);
  } catch (error) {
    throw wrapDuckError(`${label}: assigning rows to parts failed`, error);
  }
  const columns = from.columns.map((column) => `d.${ident(column.name)}`).join(', ');
  return plan.parts.map((part, i) => ({
    part: part.name,
    select: `SELECT ${columns} FROM ${ident(numbered)} AS d JOIN ${ident(assignment)} AS a ON d.${ident(row)} = a.r WHERE a.part = ${i} ORDER BY d.${ident(row)}`,
  }));
}
