/**
 * The last step of a training job: export the best checkpoint as a forward-only model and prove it
 * reproduces the training graph before main stores it.
 *
 * With a derived dataset version the model takes the RAW columns: the version's transform steps
 * (impute, scale, encode…) are baked into the graph. That is checked against DuckDB itself: the
 * steps are replayed on the raw source (no split, so rows stay aligned with the raw file), and the
 * exported model on raw rows must predict what the training graph predicts on the replayed rows.
 * Steps that cannot be baked (a filter, a feature made by `derive`) leave a model over the
 * training features, with the reason recorded on the run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainerPreprocessing } from '../../shared/training';
import { type Duck, sqlIdentifier } from '../data/duckdb';
import { relationSql } from '../data/source-sql';
import { transform } from '../data/transform/index';
import { loadTable, type LoadOptions, type TrainingTable } from './data/load-table';
import { NotBakeableError, exportModel, trainingPredictions, verifyExport, type ExportResult, type RawColumns } from './export/index';
import type { ResolvedModelSpec } from './model/index';

/** Rows the exported model is checked on. */
export const verifyRows = 2000;

export interface ExportJob {
  readonly spec: ResolvedModelSpec;
  readonly theta: Float32Array;
  readonly table: TrainingTable;
  readonly classes: readonly string[] | null;
  /** Held-out rows (the validation part or fraction), checked in preference to training rows. */
  readonly validationFeatures?: Float32Array;
  readonly preprocessing?: TrainerPreprocessing;
  readonly loadOptions: LoadOptions;
  readonly runId?: string;
  readonly openDuck: () => Promise<Duck>;
}

export interface ExportedModel {
  readonly onnx: Uint8Array;
  readonly mlmodel: string;
  readonly files: Readonly<Record<string, string>>;
  readonly verifiedRows: number;
  readonly preprocessing: { readonly baked: boolean; readonly note: string };
}

export async function exportTrained(job: ExportJob): Promise<ExportedModel> {
  const { spec, theta, table, classes, runId } = job;
  const common = { spec, theta, featureNames: table.featureNames, ...(classes ? { classes } : {}), mlmodel: { ...(runId ? { runId } : {}), artifactPath: 'model' } };
  let skipped: string | null = null;
  if (job.preprocessing) {
    const { preprocessing } = job;
    try {
      const baked = exportModel({ ...common, preprocessing: { columns: preprocessing.columns, steps: preprocessing.steps } });
      const rows = await verifyBaked(job, preprocessing, baked);
      const inputs = baked.signature.inputs.map((input) => input.name).join(', ');
      return finish(baked, rows, { baked: true, note: `raw columns of ${preprocessing.label} (${inputs}), with ${preprocessing.steps.length} transform step(s) baked in` });
    } catch (error) {
      if (!(error instanceof NotBakeableError || error instanceof ReplayError)) throw error;
      skipped = error.message;
    }
  }
  const plain = exportModel(common);
  const held = job.validationFeatures && job.validationFeatures.length > 0 ? job.validationFeatures : null;
  const rows = await verifyPlain(job, plain, held ?? table.features);
  const features = `the training features (${table.featureNames.join(', ')})`;
  return finish(plain, rows, { baked: false, note: skipped ? `${features}; ${skipped}` : features });
}

function finish(result: ExportResult, verifiedRows: number, preprocessing: ExportedModel['preprocessing']): ExportedModel {
  return { onnx: result.onnx, mlmodel: result.mlmodel, files: result.files, verifiedRows, preprocessing };
}

/** The first rows of a row-major feature matrix, as the raw columns a features-only model takes. */
async function verifyPlain(job: ExportJob, exported: ExportResult, matrix: Float32Array): Promise<number> {
  const width = job.table.featureNames.length;
  const rows = Math.min(matrix.length / width, verifyRows);
  const features = matrix.subarray(0, rows * width);
  const raw = Object.fromEntries(job.table.featureNames.map((name, column) => [name, Float64Array.from({ length: rows }, (_, row) => features[row * width + column]!)]));
  await check(exported, raw, await trainingPredictions(job.spec, job.theta, features, job.classes ?? undefined), 'validation');
  return rows;
}

/** Something went wrong preparing the raw-data check (not a mismatch): export without the steps instead. */
class ReplayError extends Error {}

async function verifyBaked(job: ExportJob, preprocessing: TrainerPreprocessing, exported: ExportResult): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-export-'));
  const duck = await job.openDuck();
  try {
    let replayed: TrainingTable;
    let raw: RawColumns;
    try {
      const steps = preprocessing.steps.map((entry) => entry.step).filter((step) => step.op !== 'split');
      const result = await transform(duck, preprocessing.source, steps, dir);
      replayed = await loadTable(duck, { format: 'parquet', files: [result.outputs[0]!.file] }, { ...job.loadOptions, features: job.table.featureNames });
      raw = await rawColumns(duck, preprocessing, exported.signature.inputs, Math.min(replayed.rows, verifyRows));
    } catch (error) {
      throw new ReplayError(`the preprocessing was not baked in: replaying the steps on ${preprocessing.label} to check the model failed (${error instanceof Error ? error.message : String(error)})`);
    }
    const rows = Math.min(replayed.rows, verifyRows);
    const features = replayed.features.subarray(0, rows * replayed.featureNames.length);
    await check(exported, raw, await trainingPredictions(job.spec, job.theta, features, job.classes ?? undefined), `raw rows of ${preprocessing.label}`);
    return rows;
  } finally {
    duck.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The first raw rows, each column cast to what the model input takes (DECIMALs would come back as text). */
async function rawColumns(duck: Duck, preprocessing: TrainerPreprocessing, inputs: ExportResult['signature']['inputs'], rows: number): Promise<RawColumns> {
  const cast: Record<string, string> = { double: 'DOUBLE', float: 'DOUBLE', string: 'VARCHAR', boolean: 'BOOLEAN' };
  const select = inputs.map((input, i) => `CAST(${sqlIdentifier(input.name)} AS ${cast[input.type]}) AS c${i}`).join(', ');
  const data = await duck.all(`SELECT ${select} FROM ${relationSql(preprocessing.source)} LIMIT ${rows}`);
  return Object.fromEntries(
    inputs.map((input, i) => [input.name, data.map((row) => {
      const value = row[`c${i}`];
      return value === undefined || value === null ? null : typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
    })]),
  );
}

async function check(exported: ExportResult, raw: RawColumns, expected: Awaited<ReturnType<typeof trainingPredictions>>, what: string): Promise<void> {
  const verdict = await verifyExport(exported.onnx, raw, expected);
  if (!verdict.ok) throw new Error(`The exported model does not reproduce the training-time predictions on ${verdict.rows} ${what}: ${verdict.message}`);
}
