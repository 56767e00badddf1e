import type { DataSource } from '../../../shared/datasets';
import { WorkbenchError } from '../../../shared/errors';
import { type Duck, sqlIdentifier } from '../../data/duckdb';
import { relationSql } from '../../data/source-sql';

/** A table as the trainer needs it: a dense row-major Float32 feature matrix and a target. */
export interface TrainingTable {
  readonly rows: number;
  readonly featureNames: readonly string[];
  /** rows × featureNames.length, row-major. */
  readonly features: Float32Array;
  readonly target:
    | { readonly kind: 'classes'; readonly labels: BigInt64Array; readonly classes: readonly string[] }
    | { readonly kind: 'values'; readonly values: Float32Array };
}

export interface LoadOptions {
  readonly target: string;
  /** Feature columns; every other numeric or boolean column when omitted. */
  readonly features?: readonly string[];
  /** Inferred when omitted: text, boolean or a whole-number target with ≤ 20 values is a class. */
  readonly task?: 'classification' | 'regression';
}

const numericTypes = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*|BOOLEAN)$/;
const maxInferredClasses = 20;

const fail = (message: string): never => {
  throw new WorkbenchError('INVALID_ARGUMENT', message);
};

/**
 * Reads a dataset version (or any source) into the dense matrices the training graph consumes, in
 * file order. Text feature columns and missing values are refused with a message saying how to fix
 * them (an encode or impute transform), rather than silently dropped or zero-filled.
 */
export async function loadTable(duck: Duck, source: DataSource, options: LoadOptions): Promise<TrainingTable> {
  const relation = relationSql(source);
  const columns = (await duck.all(`DESCRIBE SELECT * FROM ${relation}`)).map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  const byName = new Map(columns.map((column) => [column.name, column]));
  const target = byName.get(options.target) ?? fail(`Unknown target column '${options.target}'; the columns are ${columns.map((c) => c.name).join(', ')}.`);
  const featureColumns = (options.features ?? columns.filter((c) => c.name !== target.name && numericTypes.test(c.type)).map((c) => c.name)).map(
    (name) => byName.get(name) ?? fail(`Unknown feature column '${name}'; the columns are ${columns.map((c) => c.name).join(', ')}.`),
  );
  for (const column of featureColumns) {
    if (column.name === target.name) fail(`The target '${target.name}' cannot also be a feature.`);
    if (!numericTypes.test(column.type)) fail(`Feature '${column.name}' is ${column.type}, not numeric: encode it first (a transform with {"op": "encode", "columns": ["${column.name}"], "method": "onehot"}).`);
  }
  if (featureColumns.length === 0) fail('No numeric feature columns: encode text columns first, or name the features.');

  const nulls = await duck.one(
    `SELECT ${featureColumns.map((c, i) => `count(*) FILTER (WHERE ${sqlIdentifier(c.name)} IS NULL OR isnan(CAST(${sqlIdentifier(c.name)} AS DOUBLE))) AS n${i}`).join(', ')},
            count(*) FILTER (WHERE ${sqlIdentifier(target.name)} IS NULL) AS target_nulls, count(*) AS total FROM ${relation}`,
  );
  featureColumns.forEach((column, i) => {
    const count = Number(nulls?.[`n${i}`] ?? 0);
    if (count > 0) fail(`Feature '${column.name}' has ${count} missing or NaN value(s): impute them first (a transform with {"op": "impute", "columns": ["${column.name}"], "strategy": "median"}).`);
  });
  if (Number(nulls?.target_nulls ?? 0) > 0) fail(`The target '${target.name}' has ${Number(nulls?.target_nulls)} missing value(s); filter those rows out first.`);
  const rows = Number(nulls?.total ?? 0);
  if (rows === 0) fail('The data has no rows.');

  const targetIsNumeric = numericTypes.test(target.type) && !/BOOLEAN/.test(target.type);
  const distinct = Number((await duck.one(`SELECT count(DISTINCT ${sqlIdentifier(target.name)}) AS n FROM ${relation}`))?.n ?? 0);
  const task = options.task ?? (!targetIsNumeric || (/INT/.test(target.type) && distinct <= maxInferredClasses) ? 'classification' : 'regression');
  if (task === 'regression' && !targetIsNumeric) fail(`Regression needs a numeric target; '${target.name}' is ${target.type}.`);
  if (task === 'classification' && distinct < 2) fail(`The target '${target.name}' has a single class; a classifier needs at least two.`);

  const select = featureColumns.map((c) => `CAST(${sqlIdentifier(c.name)} AS DOUBLE)`).join(', ');
  const data = await duck.all(`SELECT ${select}, CAST(${sqlIdentifier(target.name)} AS VARCHAR) AS __target FROM ${relation}`);
  const features = new Float32Array(rows * featureColumns.length);
  data.forEach((row, r) => {
    const values = Object.values(row);
    for (let c = 0; c < featureColumns.length; c++) features[r * featureColumns.length + c] = Number(values[c]);
  });
  const targets = data.map((row) => String(row.__target));
  const featureNames = featureColumns.map((c) => c.name);
  if (task === 'regression') return { rows, featureNames, features, target: { kind: 'values', values: Float32Array.from(targets, Number) } };
  const classes = [...new Set(targets)].sort((a, b) => (targetIsNumeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(classes.map((label, i) => [label, BigInt(i)]));
  return { rows, featureNames, features, target: { kind: 'classes', labels: BigInt64Array.from(targets, (label) => index.get(label)!), classes } };
}
