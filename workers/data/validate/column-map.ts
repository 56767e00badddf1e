import { sqlIdentifier, sqlString, type Cell } from '../duckdb';
import {
  ExpectationError,
  displaySql,
  findColumn,
  hasNoValues,
  isNumeric,
  missingSql,
  numberLiteral,
  toNumber,
  type ColumnInfo,
  type Outcome,
  type Plan,
  type ValidationContext,
} from './context';
import { describe, readBound, readFlag, readMostly, type Bound, type Kwargs } from './kwargs';
import { pythonRegexToRe2, RegexDialectError } from './python-regex';
import { compareCodePoints, formatMapOutput, listLimit, mostlySuccess } from './result-format';

/**
 * Column-map expectations (GE's `ColumnMapExpectation`): a per-row condition over one column.
 * Missing values (NULL, and NaN in float columns) are outside the domain and reported as
 * `missing_*`; success is `(nonnull − unexpected) / nonnull ≥ mostly`, vacuously true when there are
 * no rows or no non-missing values. `expect_column_values_to_not_be_null` is the exception: its
 * unexpected rows *are* the missing ones and its ratio is over every row.
 *
 * Counting happens in the shared aggregate scan; unexpected values and their row numbers come from
 * one `ORDER BY row LIMIT n` query per failing expectation (no limit for COMPLETE).
 */
interface MapDefinition {
  readonly column: ColumnInfo;
  readonly mostly: number;
  /** SQL, true for an unexpected row; only evaluated where the value is not missing. */
  readonly unexpected: string;
  /** not_null: unexpected = missing, ratio over every row, no missing_* keys, values listed as null. */
  readonly overAllRows?: boolean;
  /** When the unexpected count needs its own query (uniqueness: a group-by), that query. */
  readonly countQuery?: string;
  readonly meta?: Record<string, unknown>;
}

function mapPlan(context: ValidationContext, definition: MapDefinition): Plan {
  const missing = missingSql(definition.column);
  const flag = definition.overAllRows ? missing : `(NOT ${missing} AND (${definition.unexpected}))`;
  const aggregates: Record<string, string> = { missing: `count(*) FILTER (WHERE ${missing})` };
  if (!definition.countQuery) aggregates.unexpected = `count(*) FILTER (WHERE ${flag})`;
  return {
    aggregates,
    finish: async (values, rowCount) => {
      const missingCount = toNumber(values.missing);
      const unexpectedCount = definition.countQuery ? toNumber((await context.duck.one(definition.countQuery))?.n) : toNumber(values.unexpected);
      const nonnullCount = definition.overAllRows ? null : rowCount - missingCount;
      const considered = nonnullCount ?? rowCount;
      const success = rowCount === 0 || considered === 0 ? true : mostlySuccess(considered, unexpectedCount, definition.mostly);

      const limit = listLimit(context.format);
      let unexpectedList: Cell[] = [];
      let unexpectedIndexList: number[] = [];
      if (unexpectedCount > 0 && limit !== 0) {
        const value = definition.overAllRows ? 'NULL' : displaySql(definition.column);
        const rows = await context.duck.all(
          `SELECT __value, __row FROM (SELECT ${value} AS __value, ${flag} AS __unexpected, row_number() OVER () - 1 AS __row FROM ${context.relation}) ` +
            `WHERE __unexpected ORDER BY __row${limit === null ? '' : ` LIMIT ${limit}`}`,
        );
        unexpectedList = rows.map((row) => row.__value ?? null);
        unexpectedIndexList = rows.map((row) => toNumber(row.__row));
      }
      const result = formatMapOutput(context.format, { elementCount: rowCount, nonnullCount, unexpectedCount, unexpectedList, unexpectedIndexList });
      const outcome: Outcome = { success, result, ...(definition.meta ? { meta: definition.meta } : {}) };
      return outcome;
    },
  };
}

const columnOf = (context: ValidationContext, kwargs: Kwargs): ColumnInfo => findColumn(context, kwargs.column as string);

export function notNull(context: ValidationContext, kwargs: Kwargs): Plan {
  const column = columnOf(context, kwargs);
  return mapPlan(context, { column, mostly: readMostly(kwargs), unexpected: 'false', overAllRows: true });
}

/** `isin(value_set)`: exact equality, no coercion between strings and numbers (pandas). */
export function inSet(context: ValidationContext, kwargs: Kwargs): Plan {
  const column = columnOf(context, kwargs);
  const set = kwargs.value_set;
  // GE: value_set=None → every value passes.
  const unexpected = set === null ? 'false' : `NOT coalesce(${membership(column, set as readonly unknown[])}, false)`;
  return mapPlan(context, { column, mostly: readMostly(kwargs), unexpected });
}

function membership(column: ColumnInfo, set: readonly unknown[]): string {
  const id = sqlIdentifier(column.name);
  const numbers = set.flatMap((v) => (typeof v === 'number' && Number.isFinite(v) ? [v] : typeof v === 'boolean' ? [Number(v)] : []));
  const strings = set.filter((v): v is string => typeof v === 'string');
  const list = (items: readonly string[], subject: string): string => (items.length === 0 ? 'false' : `${subject} IN (${[...new Set(items)].join(', ')})`);
  switch (column.kind) {
    case 'integer':
      return list(numbers.filter((n) => Number.isInteger(n)).map(numberLiteral), id);
    case 'float':
    case 'decimal':
      return list(numbers.map((n) => `CAST('${String(n)}' AS DOUBLE)`), `CAST(${id} AS DOUBLE)`);
    case 'boolean':
      // Python: True == 1, False == 0.
      return list(numbers.filter((n) => n === 0 || n === 1).map((n) => (n === 1 ? 'true' : 'false')), id);
    case 'string':
      return list(strings.map(sqlString), id);
    case 'date':
    case 'timestamp':
    case 'time':
      return list(strings.map((s) => `TRY_CAST(${sqlString(s)} AS ${column.type})`), id);
    default:
      return list(strings.map(sqlString), `CAST(${id} AS VARCHAR)`);
  }
}

export async function between(context: ValidationContext, kwargs: Kwargs): Promise<Plan> {
  const column = columnOf(context, kwargs);
  const mostly = readMostly(kwargs);
  let range: string;
  try {
    range = await rangeCondition(context, column, readBound(kwargs, 'min_value'), readBound(kwargs, 'max_value'), readFlag(kwargs, 'strict_min'), readFlag(kwargs, 'strict_max'));
  } catch (error) {
    // A type mismatch on a column without values is no mismatch (see hasNoValues): nothing to compare.
    if (error instanceof TypeMismatch && (await hasNoValues(context, column))) return mapPlan(context, { column, mostly, unexpected: 'false' });
    throw error;
  }
  return mapPlan(context, { column, mostly, unexpected: `NOT (${range})` });
}

/** A bound of the wrong type for the column (Python's TypeError on `<`). */
class TypeMismatch extends ExpectationError {}

/**
 * `min ≤ value ≤ max` (strict flags make it `<`) as SQL, comparing like Python: numbers with numbers,
 * strings with strings (code-point order, which is DuckDB's byte order on UTF-8), dates and times
 * with ISO strings. Anything else is GE's `TypeError` and raises here.
 */
async function rangeCondition(context: ValidationContext, column: ColumnInfo, min: Bound, max: Bound, strictMin: boolean, strictMax: boolean): Promise<string> {
  if (min === null && max === null) throw new ExpectationError('min_value and max_value cannot both be None');
  const id = sqlIdentifier(column.name);
  const subject = column.kind === 'boolean' ? `CAST(${id} AS INTEGER)` : id;
  const minSql = min === null ? null : await boundSql(context, column, min, 'min_value');
  const maxSql = max === null ? null : await boundSql(context, column, max, 'max_value');
  if (minSql !== null && maxSql !== null) {
    const inverted =
      typeof min === 'number' && typeof max === 'number'
        ? min > max
        : typeof min === 'string' && typeof max === 'string' && column.kind === 'string'
          ? compareCodePoints(min, max) > 0
          : (await context.duck.one(`SELECT (${minSql}) > (${maxSql}) AS inverted`))?.inverted === true;
    if (inverted) throw new ExpectationError(`min_value (${describe(min)}) cannot be greater than max_value (${describe(max)})`);
  }
  const parts: string[] = [];
  if (minSql !== null) parts.push(`${subject} ${strictMin ? '>' : '>='} ${minSql}`);
  if (maxSql !== null) parts.push(`${subject} ${strictMax ? '<' : '<='} ${maxSql}`);
  return parts.join(' AND ');
}

async function boundSql(context: ValidationContext, column: ColumnInfo, bound: number | string, key: string): Promise<string> {
  const mismatch = (): never => {
    throw new TypeMismatch(
      `${key} ${describe(bound)} (${typeof bound === 'number' ? 'a number' : 'a string'}) cannot be compared with column "${column.name}" of type ${column.type}`,
    );
  };
  if (isNumeric(column.kind) || column.kind === 'boolean') return typeof bound === 'number' ? numberLiteral(bound) : mismatch();
  if (column.kind === 'string') return typeof bound === 'string' ? sqlString(bound) : mismatch();
  if (column.kind === 'date' || column.kind === 'timestamp' || column.kind === 'time') {
    if (typeof bound !== 'string') return mismatch();
    const literal = `CAST(${sqlString(bound)} AS ${column.type})`;
    const parsed = await context.duck.one(`SELECT TRY_CAST(${sqlString(bound)} AS ${column.type}) IS NOT NULL AS ok`);
    if (parsed?.ok !== true) throw new ExpectationError(`${key} ${describe(bound)} is not a valid ${column.type} for column "${column.name}"`);
    return literal;
  }
  return mismatch();
}

/** Every occurrence of a duplicated non-missing value is unexpected (`duplicated(keep=False)`). */
export function unique(context: ValidationContext, kwargs: Kwargs): Plan {
  const column = columnOf(context, kwargs);
  const id = sqlIdentifier(column.name);
  const missing = missingSql(column);
  const duplicated = `SELECT ${id} FROM ${context.relation} WHERE NOT ${missing} GROUP BY ${id} HAVING count(*) > 1`;
  return mapPlan(context, {
    column,
    mostly: readMostly(kwargs),
    unexpected: `${id} IN (${duplicated})`,
    countQuery: `SELECT coalesce(sum(n), 0) AS n FROM (SELECT count(*) AS n FROM ${context.relation} WHERE NOT ${missing} GROUP BY ${id} HAVING count(*) > 1)`,
  });
}

/** GE's default regex: matches anything. */
export const DEFAULT_REGEX = '(?s).*';

/** `str(value)` with Python's spelling where DuckDB's differs (booleans). */
function textSql(column: ColumnInfo): string {
  const id = sqlIdentifier(column.name);
  if (column.kind === 'string') return id;
  if (column.kind === 'boolean') return `CASE WHEN ${id} THEN 'True' ELSE 'False' END`;
  return `CAST(${id} AS VARCHAR)`;
}

export async function matchRegex(context: ValidationContext, kwargs: Kwargs): Promise<Plan> {
  const column = columnOf(context, kwargs);
  const regex = typeof kwargs.regex === 'string' ? kwargs.regex : DEFAULT_REGEX;
  let translated;
  try {
    translated = pythonRegexToRe2(regex);
  } catch (error) {
    if (error instanceof RegexDialectError) throw new ExpectationError(`regex ${JSON.stringify(regex)}: ${error.message}`);
    throw error;
  }
  const literal = sqlString(translated.source);
  try {
    await context.duck.one(`SELECT regexp_matches('', ${literal}) AS ok`);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^Invalid Input Error: /, '');
    throw new ExpectationError(`regex ${JSON.stringify(regex)} is not supported by RE2 (DuckDB's regex engine): ${reason}`);
  }
  const meta: Record<string, unknown> = {};
  if (translated.source !== regex) meta.re2_regex = translated.source;
  if (translated.notes.length > 0) meta.regex_notes = translated.notes;
  return mapPlan(context, {
    column,
    mostly: readMostly(kwargs),
    unexpected: `NOT regexp_matches(${textSql(column)}, ${literal})`,
    ...(Object.keys(meta).length > 0 ? { meta } : {}),
  });
}
