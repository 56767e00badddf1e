/**
 * Replays a dataset version's transform steps as graph recipes (columns.ts), from the raw columns to
 * the model's features. Names resolve as the transform resolved them (exact, then
 * case-insensitive, as DuckDB does) and the fitted records are read by the names the transform
 * keyed them with, so the replay follows the same columns the data went through.
 *
 * Bakeable: impute, scale, encode, drop, rename, `cast` to float of a number (a no-op in double),
 * and `split` (it only partitions rows). A `filter` is refused outright — it decides which rows
 * exist, which a model that must answer every row it is given cannot do. `derive` and other casts
 * only poison the columns they make: an error only when a feature depends on one.
 */
import type { FittedStep } from '../../../shared/transforms';
import type { GraphBuilder, Value } from '../graph/index';
import { type Column, type RawInput, RawInputs, type StepRef, assembleFeatures, encodeNumeric, encodeString, imputeNumeric, rawColumn, rawKindOf, scaleNumeric } from './columns';
import { NotBakeableError, type Preprocessing, type PreprocessingStep, type RawColumn } from './types';

interface Named {
  readonly name: string;
  readonly column: Column;
}

export interface BakedFeatures {
  /** float [N, features]: exactly what the training table held for the same rows. */
  readonly features: Value;
  /** The raw columns the features need, in raw-schema order. */
  readonly inputs: readonly RawInput[];
}

/** Without preprocessing the raw columns are the features themselves, as numbers. */
export function bakeFeatures(g: GraphBuilder, featureNames: readonly string[], preprocessing?: Preprocessing): BakedFeatures {
  const inputs = new RawInputs(g);
  const raw: readonly RawColumn[] = preprocessing?.columns ?? featureNames.map((name) => ({ name, type: 'DOUBLE' }));
  let table: Named[] = raw.map((column, order) => ({ name: column.name, column: rawColumn(g, inputs, column, order, rawKindOf(column.type)) }));
  (preprocessing?.steps ?? []).forEach((entry, index) => {
    table = applyStep(g, table, entry, { index, label: `step ${index + 1} (${entry.step.op})` });
  });
  const slots = featureNames.map((name) => {
    const found = lookup(table, name);
    if (!found) throw new NotBakeableError(`the feature ${JSON.stringify(name)} is not a column after the steps; they leave ${list(table)}`);
    const { column } = found;
    if (column.kind === 'unbakeable') throw column.error;
    if (column.kind === 'string') throw new NotBakeableError(`the feature ${JSON.stringify(name)} is still text after the steps (it was never encoded)`);
    return column.slot();
  });
  return { features: assembleFeatures(g, slots), inputs: inputs.list };
}

function applyStep(g: GraphBuilder, table: Named[], { step, fitted }: PreprocessingStep, ref: StepRef): Named[] {
  const resolve = (name: string): Named => lookup(table, name) ?? fail(ref, `unknown column ${JSON.stringify(name)}; the columns at this point are ${list(table)}`);
  const replace = (changes: Map<Named, readonly Named[]>): Named[] => table.flatMap((entry) => changes.get(entry) ?? [entry]);
  const unbakeable = (reason: string): Column => ({ kind: 'unbakeable', error: new NotBakeableError(`${ref.label}: ${reason}`, ref.index) });
  switch (step.op) {
    case 'split':
      return table;
    case 'filter':
      return fail(ref, 'a filter decides which rows exist, and an exported model answers every row it is given');
    case 'drop': {
      const dropped = new Set(step.columns.map(resolve));
      return table.filter((entry) => !dropped.has(entry));
    }
    case 'rename': {
      // Renames apply together (a→b, b→a swaps), as in the transform.
      const renamed = new Map(Object.entries(step.mapping).map(([from, to]) => [resolve(from), to] as const));
      return table.map((entry) => ({ name: renamed.get(entry) ?? entry.name, column: entry.column }));
    }
    case 'cast': {
      const changes = new Map<Named, Named[]>();
      for (const [name, kind] of Object.entries(step.types)) {
        const entry = resolve(name);
        // Numbers already flow as DOUBLE, which is what a cast to float gives; anything else changes values in ways not replayed.
        const same = kind === 'float' && entry.column.kind !== 'string';
        changes.set(entry, [{ name: entry.name, column: same ? entry.column : unbakeable(`casting ${JSON.stringify(entry.name)} to ${kind} is not replayed in the graph`) }]);
      }
      return replace(changes);
    }
    case 'derive': {
      const column = unbakeable(`the expression ${JSON.stringify(step.expression)} that makes ${JSON.stringify(step.column)} is DuckDB SQL, which the graph cannot evaluate`);
      const existing = lookup(table, step.column);
      return existing ? replace(new Map([[existing, [{ name: existing.name, column }]]])) : [...table, { name: step.column, column }];
    }
    case 'impute': {
      const fit = fittedOf(fitted, 'impute', ref);
      return replace(new Map(step.columns.map(resolve).map((entry) => [entry, [{ name: entry.name, column: impute(g, entry, valueFor(fit.values, entry, ref), ref) }]])));
    }
    case 'scale': {
      const fit = fittedOf(fitted, 'scale', ref);
      const changes = step.columns.map(resolve).map((entry): [Named, Named[]] => {
        const { center, scale } = valueFor(fit.columns, entry, ref);
        const { column } = entry;
        const scaled = column.kind === 'numeric' ? scaleNumeric(g, column, center, scale) : column.kind === 'string' ? unbakeable(`${JSON.stringify(entry.name)} is text`) : column;
        return [entry, [{ name: entry.name, column: scaled }]];
      });
      return replace(new Map(changes));
    }
    case 'encode': {
      const fit = fittedOf(fitted, 'encode', ref);
      const changes = step.columns.map(resolve).map((entry): [Named, Named[]] => {
        const categories = valueFor(fit.categories, entry, ref);
        const names = valueFor(fit.outputColumns, entry, ref);
        const { column } = entry;
        const encoded =
          column.kind === 'string' ? encodeString(g, column, categories, fit.method) : column.kind === 'numeric' ? encodeNumeric(g, column, categories, fit.method, ref) : names.map(() => column);
        if (encoded.length !== names.length) fail(ref, `the fitted record of ${JSON.stringify(entry.name)} names ${names.length} output column(s) for ${encoded.length} encoded one(s)`);
        return [entry, names.map((name, k) => ({ name, column: encoded[k]! }))];
      });
      return replace(new Map(changes));
    }
  }
}

function impute(g: GraphBuilder, entry: Named, value: string | number | boolean | null, ref: StepRef): Column {
  const { column } = entry;
  // A NULL fill (an all-NULL column at fit time) left the column as it was.
  if (value === null || column.kind === 'unbakeable') return column;
  if (column.kind === 'string') return column.missingFill === null ? { ...column, missingFill: String(value) } : column;
  // Fitted numbers are JSON numbers, booleans for BOOLEAN columns (1/0 as DOUBLE), or the text of a 64-bit integer past 2^53.
  const fill = Number(value);
  if (!Number.isFinite(fill)) return { kind: 'unbakeable', error: new NotBakeableError(`${ref.label}: the fill ${JSON.stringify(value)} of ${JSON.stringify(entry.name)} is not a finite number`, ref.index) };
  return imputeNumeric(g, column, fill);
}

type Fitted<Op extends FittedStep['op']> = Extract<FittedStep, { op: Op }>;

function fittedOf<Op extends FittedStep['op']>(fitted: FittedStep | null, op: Op, ref: StepRef): Fitted<Op> {
  if (!fitted || fitted.op !== op) fail(ref, `its fitted statistics are missing (got ${fitted ? `a ${fitted.op} record` : 'none'})`);
  return fitted as Fitted<Op>;
}

/** The fitted record's entry for a column: keyed by the name the transform resolved it to. */
function valueFor<T>(record: Readonly<Record<string, T>>, entry: Named, ref: StepRef): T {
  if (Object.hasOwn(record, entry.name)) return record[entry.name]!;
  const folded = Object.keys(record).filter((key) => key.toLowerCase() === entry.name.toLowerCase());
  if (folded.length === 1) return record[folded[0]!]!;
  return fail(ref, `the fitted record has nothing for ${JSON.stringify(entry.name)}`);
}

/** DuckDB's rule: an exact match wins, else a unique case-insensitive one. */
function lookup(table: readonly Named[], name: string): Named | undefined {
  const exact = table.find((entry) => entry.name === name);
  if (exact) return exact;
  const folded = table.filter((entry) => entry.name.toLowerCase() === name.toLowerCase());
  return folded.length === 1 ? folded[0] : undefined;
}

function list(table: readonly Named[]): string {
  const names = table.map((entry) => JSON.stringify(entry.name));
  return names.length > 30 ? `${names.slice(0, 30).join(', ')}, … and ${names.length - 30} more` : names.join(', ') || 'no columns';
}

function fail(ref: StepRef, reason: string): never {
  throw new NotBakeableError(`${ref.label}: ${reason}`, ref.index);
}
