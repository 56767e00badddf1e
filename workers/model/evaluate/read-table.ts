/**
 * Feeding a tabular model from a dataset version: the raw columns its inputs are named after and
 * the target, read through `relationSql` (the rows every other task sees), cast to what each
 * input declares, in batches so memory stays bounded whatever the file's size. The needed
 * columns are copied once into a DuckDB temp table (DuckDB spills it to disk when large) and
 * read back by row id, so the source file is scanned once rather than once per batch.
 */
import { Tensor } from 'onnxruntime-node';
import type { DataSource } from '../../../shared/datasets';
import { invalid } from '../../../shared/errors';
import { type Cell, type Duck, sqlIdentifier } from '../../data/duckdb';
import { relationSql } from '../../data/source-sql';
import { checkKnownLabels } from './metrics';
import { ELEMENT, type EvaluatedModel, type ModelInput } from './model-io';

/** Rows scored at once. */
export const TABLE_BATCH_ROWS = 10_000;

export interface Batch {
  readonly feeds: Record<string, Tensor>;
  /** Class index (classification) or target value (regression) per row. */
  readonly truth: ArrayLike<number>;
}

export interface BatchSource {
  /** Rows that will be scored. */
  readonly rows: number;
  /** Rows left out before scoring, and why. */
  readonly skipped: { readonly rows: number; readonly reason: string } | null;
  batches(): AsyncGenerator<Batch>;
}

const numericTarget = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL.*)$/;

const CAST: Readonly<Record<number, string>> = {
  [ELEMENT.double]: 'DOUBLE',
  [ELEMENT.float]: 'DOUBLE',
  [ELEMENT.string]: 'VARCHAR',
  [ELEMENT.bool]: 'BOOLEAN',
  [ELEMENT.int64]: 'BIGINT',
  [ELEMENT.int32]: 'INTEGER',
};

/** The dataset's columns (name → DuckDB type), in order. */
export async function describeColumns(duck: Duck, source: DataSource): Promise<Map<string, string>> {
  const rows = await duck.all(`DESCRIBE SELECT * FROM ${relationSql(source)}`);
  return new Map(rows.map((row) => [String(row.column_name), String(row.column_type)]));
}

/** An error naming what is missing and listing what the data has. */
export function missingColumns(missing: readonly string[], role: string, columns: Iterable<string>): never {
  const names = (list: Iterable<string>): string => [...list].map((name) => JSON.stringify(name)).join(', ');
  const what = missing.length === 1 ? `no column ${names(missing)}` : `no columns ${names(missing)}`;
  throw invalid(`The dataset has ${what} (${role}); its columns are ${names(columns)}.`);
}

export async function tableBatches(duck: Duck, source: DataSource, target: string, model: EvaluatedModel, batchRows = TABLE_BATCH_ROWS): Promise<BatchSource> {
  const columns = await describeColumns(duck, source);
  const targetType = columns.get(target) ?? missingColumns([target], 'the target', columns.keys());
  const absent = model.inputs.filter((input) => !columns.has(input.name)).map((input) => input.name);
  if (absent.length > 0) missingColumns(absent, absent.length === 1 ? 'a model input' : 'model inputs', columns.keys());
  for (const input of model.inputs) {
    if (!CAST[input.elemType]) throw invalid(`The model input ${JSON.stringify(input.name)} has ONNX element type ${input.elemType}; evaluation feeds columns as double, float, int64, int32, string or bool.`);
    if (input.dims.length < 1 || input.dims.length > 2) throw invalid(`The model input ${JSON.stringify(input.name)} has rank ${input.dims.length}; evaluation feeds one column per input ([N] or [N, 1]).`);
  }
  const classification = model.kind.task === 'classification';
  if (!classification && !numericTarget.test(targetType)) throw invalid(`The model is a regressor but the target ${JSON.stringify(target)} is ${targetType}, not a number.`);

  const relation = relationSql(source);
  const targetSql = `CAST(${sqlIdentifier(target)} AS ${classification ? 'VARCHAR' : 'DOUBLE'})`;
  const select = model.inputs.map((input, i) => `CAST(${sqlIdentifier(input.name)} AS ${CAST[input.elemType]}) AS c${i}`);
  const total = Number((await duck.one(`SELECT count(*) AS n FROM ${relation}`))?.n ?? 0);
  await duck.run(`CREATE OR REPLACE TEMP TABLE evaluate_rows AS SELECT ${[`${targetSql} AS target`, ...select].join(', ')} FROM ${relation} WHERE ${sqlIdentifier(target)} IS NOT NULL`);
  const rows = Number((await duck.one('SELECT count(*) AS n FROM evaluate_rows'))?.n ?? 0);

  let classIndex: Map<string, number> | null = null;
  if (model.kind.task === 'classification') {
    const counts = await duck.all('SELECT target, count(*) AS n FROM evaluate_rows GROUP BY target');
    checkKnownLabels(new Map(counts.map((row) => [String(row.target), Number(row.n)])), model.kind.classes);
    classIndex = new Map(model.kind.classes.map((name, i) => [name, i]));
  }
  const skipped = total - rows;
  return {
    rows,
    skipped: skipped > 0 ? { rows: skipped, reason: `no value in the target ${JSON.stringify(target)}` } : null,
    async *batches() {
      for (let start = 0; start < rows; start += batchRows) {
        const data = await duck.all(`SELECT * FROM evaluate_rows WHERE rowid >= ${start} AND rowid < ${start + batchRows} ORDER BY rowid`);
        const feeds: Record<string, Tensor> = {};
        model.inputs.forEach((input, i) => {
          feeds[input.name] = columnTensor(input, data.map((row) => row[`c${i}`] ?? null));
        });
        const truth = classIndex ? Float64Array.from(data, (row) => classIndex.get(String(row.target))!) : Float64Array.from(data, (row) => Number(row.target));
        yield { feeds, truth };
      }
    },
  };
}

/**
 * A column as its input's tensor, [N] or [N, 1] as declared. Missing values as the exported
 * model expects them (verify.ts feeds the same): NaN for numbers, "" for text, false for booleans.
 */
function columnTensor(input: ModelInput, values: readonly Cell[]): Tensor {
  const dims = input.dims.length === 2 ? [values.length, 1] : [values.length];
  const number = (value: Cell): number => (value === null ? Number.NaN : Number(value));
  switch (input.elemType) {
    case ELEMENT.double:
      return new Tensor('float64', Float64Array.from(values, number), dims);
    case ELEMENT.float:
      return new Tensor('float32', Float32Array.from(values, number), dims);
    case ELEMENT.string:
      return new Tensor('string', values.map((value) => (value === null ? '' : String(value))), dims);
    case ELEMENT.bool:
      return new Tensor('bool', Uint8Array.from(values, (value) => (value === true ? 1 : 0)), dims);
    case ELEMENT.int64:
      return new Tensor('int64', BigInt64Array.from(values, (value) => (value === null ? 0n : BigInt(value))), dims);
    default:
      return new Tensor('int32', Int32Array.from(values, (value) => (value === null ? 0 : Number(value))), dims);
  }
}
