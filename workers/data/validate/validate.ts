import type { DataSource } from '../../../shared/datasets';
import { summarizeValidation, supportedExpectations, type ExpectationConfig, type ExpectationResult, type ExpectationSuite, type ExpectationType, type ValidationResult } from '../../../shared/expectations';
import { isSupportedExpectation } from '../../../shared/suite-format';
import type { Cell, Duck } from '../duckdb';
import { relationSql } from '../source-sql';
import { meanBetween, rowCountBetween } from './aggregate';
import { between, inSet, matchRegex, notNull, unique } from './column-map';
import { ExpectationError, kindOf, toNumber, type ColumnInfo, type Outcome, type Plan, type ValidationContext } from './context';
import { effectiveKwargs, type Kwargs } from './kwargs';
import { resultFormatSpec, type ResultFormatInput } from './result-format';
import { columnsMatchOrderedList, columnToExist } from './table';

export type { ResultFormatInput } from './result-format';

type Evaluator = (context: ValidationContext, kwargs: Kwargs) => Plan | Promise<Plan>;

const evaluators: Record<ExpectationType, Evaluator> = {
  expect_column_values_to_not_be_null: notNull,
  expect_column_values_to_be_in_set: inSet,
  expect_column_values_to_be_between: between,
  expect_column_values_to_be_unique: unique,
  expect_column_values_to_match_regex: matchRegex,
  expect_column_mean_to_be_between: meanBetween,
  expect_table_row_count_to_be_between: rowCountBetween,
  expect_column_to_exist: columnToExist,
  expect_table_columns_to_match_ordered_list: columnsMatchOrderedList,
};

interface Pending {
  readonly config: ExpectationConfig;
  /** What `expectation_config` echoes: kwargs with suite parameters resolved, when they could be. */
  echoed: ExpectationConfig;
  plan: Plan | null;
  values: Record<string, Cell>;
  failure: unknown;
}

/**
 * Validates the rows of `source` against `suite` like GE's checkpoint (SEMANTICS.md §3): every
 * expectation becomes SQL over the relation, counted in one shared aggregate scan, with follow-up
 * `LIMIT`ed queries for unexpected values of failing column-map expectations. Problems with one
 * expectation (bad kwargs, missing column, type mismatch, unsupported regex, unknown type) give that
 * expectation `success: false` with `exception_info`; a source that cannot be read throws.
 */
export async function validate(duck: Duck, source: DataSource, suite: ExpectationSuite, resultFormat: ResultFormatInput = 'SUMMARY'): Promise<ValidationResult> {
  const relation = relationSql(source);
  const format = resultFormatSpec(resultFormat);
  const described = await duck.all(`DESCRIBE SELECT * FROM ${relation}`);
  const columns: ColumnInfo[] = described.map((row) => {
    const type = String(row.column_type);
    return { name: String(row.column_name), type, kind: kindOf(type) };
  });
  const context: ValidationContext = { duck, relation, columns, format, parameters: suite.suite_parameters ?? {} };

  const pending: Pending[] = [];
  for (const config of suite.expectations) {
    const entry: Pending = { config, echoed: echo(config, config.kwargs), plan: null, values: {}, failure: null };
    pending.push(entry);
    try {
      if (!isSupportedExpectation(config.type)) {
        throw new ExpectationError(`Unknown expectation type "${config.type}". Supported expectations: ${supportedExpectations.join(', ')}`);
      }
      const kwargs = effectiveKwargs(config, context.parameters);
      entry.echoed = echo(config, kwargs);
      entry.plan = await evaluators[config.type](context, kwargs);
    } catch (error) {
      entry.failure = error;
    }
  }

  const rowCount = await scan(context, pending);

  const results: ExpectationResult[] = [];
  for (const entry of pending) {
    if (entry.plan && entry.failure === null) {
      try {
        results.push(shape(entry.echoed, await entry.plan.finish(entry.values, rowCount), format.result_format === 'BOOLEAN_ONLY'));
        continue;
      } catch (error) {
        entry.failure = error;
      }
    }
    results.push(failed(entry.echoed, entry.failure));
  }

  return summarizeValidation(suite.name, results, {
    expectation_suite_name: suite.name,
    ...(suite.id ? { suite_id: suite.id } : {}),
    validation_time: new Date().toISOString(),
    result_format: format.result_format,
    row_count: rowCount,
  });
}

/**
 * One scan computing `count(*)` and every plan's aggregates. If that query fails, the row count is
 * taken alone (its failure means the source is unreadable: thrown) and each plan is retried by
 * itself, so the error lands on the expectation that caused it.
 */
async function scan(context: ValidationContext, pending: Pending[]): Promise<number> {
  const active = pending.filter((entry) => entry.plan && entry.failure === null);
  const select = (entries: readonly Pending[]): string[] =>
    entries.flatMap((entry) => Object.entries(entry.plan?.aggregates ?? {}).map(([name, sql]) => `${sql} AS "e${pending.indexOf(entry)}_${name}"`));
  const assign = (row: Record<string, Cell>, entries: readonly Pending[]): void => {
    for (const entry of entries) {
      const prefix = `e${pending.indexOf(entry)}_`;
      for (const name of Object.keys(entry.plan?.aggregates ?? {})) entry.values[name] = row[`${prefix}${name}`] ?? null;
    }
  };
  try {
    const row = await context.duck.one(`SELECT ${['count(*) AS __rows', ...select(active)].join(', ')} FROM ${context.relation}`);
    assign(row ?? {}, active);
    return toNumber(row?.__rows);
  } catch {
    const rows = toNumber((await context.duck.one(`SELECT count(*) AS __rows FROM ${context.relation}`))?.__rows);
    for (const entry of active) {
      const columns = select([entry]);
      if (columns.length === 0) continue;
      try {
        assign((await context.duck.one(`SELECT ${columns.join(', ')} FROM ${context.relation}`)) ?? {}, [entry]);
      } catch (failure) {
        entry.failure = failure;
      }
    }
    return rows;
  }
}

function echo(config: ExpectationConfig, kwargs: Kwargs): ExpectationConfig {
  const out: ExpectationConfig = { type: config.type, kwargs: { ...kwargs }, meta: config.meta ?? {} };
  if (config.id !== undefined) out.id = config.id;
  if (config.notes !== undefined) out.notes = config.notes;
  return out;
}

function shape(config: ExpectationConfig, outcome: Outcome, booleanOnly: boolean): ExpectationResult {
  return {
    success: outcome.success,
    expectation_config: config,
    result: booleanOnly ? {} : outcome.result,
    meta: outcome.meta ?? {},
    exception_info: { raised_exception: false, exception_message: null, exception_traceback: null },
  };
}

function failed(config: ExpectationConfig, error: unknown): ExpectationResult {
  const expected = error instanceof ExpectationError;
  const message = error instanceof Error ? error.message : String(error);
  return {
    success: false,
    expectation_config: config,
    result: {},
    meta: {},
    exception_info: {
      raised_exception: true,
      exception_message: message,
      // Our own messages say everything; for engine errors the stack helps a bug report.
      exception_traceback: expected || !(error instanceof Error) ? null : (error.stack ?? null),
    },
  };
}
