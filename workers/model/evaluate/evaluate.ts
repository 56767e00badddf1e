/**
 * `evaluateModel`: run a model file on a dataset version and measure it. The model's outputs say
 * what it is (classifier: `label` + `probability_<class>`; regressor: `prediction`), its inputs
 * say what to read (raw columns by name, or an `image` tensor prepared per its `trainyard.image`
 * metadata). Rows stream through one onnxruntime session in batches; only what the metrics need
 * is kept (scores.ts), then report.ts computes the metrics and plot data and plots.ts draws them.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import type { DataSource } from '../../../shared/datasets';
import { invalid } from '../../../shared/errors';
import type { EvaluationPlot, EvaluationResult } from '../../../shared/models';
import { Duck } from '../../data/duckdb';
import { createSession } from '../../trainer/graph/run';
import { LABEL_OUTPUT, PREDICTION_OUTPUT } from '../../trainer/export/types';
import { type EvaluatedModel, describeModel } from './model-io';
import { calibrationSvg, confusionMatrixSvg, predictedVsActualSvg, prSvg, residualsSvg, rocSvg } from './plots';
import { imageBatches } from './read-images';
import { type BatchSource, tableBatches } from './read-table';
import { classificationReport, regressionReport } from './report';
import { ScoreAccumulator } from './scores';

export interface EvaluateOptions {
  /** The model.onnx file. */
  readonly file: string;
  readonly source: DataSource;
  /** The column with the true values (an image folder: the labels file's column). */
  readonly target: string;
  /** DuckDB's and onnxruntime's threads (default: DuckDB 2, onnxruntime 1). */
  readonly threads?: number;
  /** Rows per batch; the default suits tables (10,000) or images (64). */
  readonly batchRows?: number;
}

/** The part of a worker's context evaluation uses. */
export interface EvaluateContext {
  progress?(done: number, total: number | null, message?: string): void;
  cancelled?(): boolean;
}

export async function evaluateModel(options: EvaluateOptions, context: EvaluateContext = {}): Promise<EvaluationResult> {
  const name = basename(options.file);
  const bytes = await readFile(options.file).catch((error: NodeJS.ErrnoException) => {
    throw invalid(`Cannot read the model ${options.file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const model = describeModel(bytes, name);
  // An in-memory DuckDB spills into the working directory unless told otherwise (duckdb.ts).
  const spill = await mkdtemp(join(tmpdir(), 'trainyard-evaluate-'));
  const duck = await Duck.open({ threads: options.threads ?? 2, tempDirectory: spill });
  let session: InferenceSession | null = null;
  try {
    const source = model.image
      ? await imageBatches(duck, options.source, options.target, model, options.batchRows)
      : await tableBatches(duck, options.source, options.target, model, options.batchRows);
    try {
      session = await createSession(options.file, { intraOpNumThreads: options.threads ?? 1 });
    } catch (error) {
      throw invalid(`onnxruntime cannot load ${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    const scores = await score(session, model, source, context);
    return summarize(model, scores, source);
  } finally {
    await session?.release();
    duck.close();
    await rm(spill, { recursive: true, force: true });
  }
}

async function score(session: InferenceSession, model: EvaluatedModel, source: BatchSource, context: EvaluateContext): Promise<ScoreAccumulator> {
  const scores = new ScoreAccumulator(model.kind);
  const fetches = model.kind.task === 'classification' ? [...(model.kind.hasLabel ? [LABEL_OUTPUT] : []), ...model.kind.probabilityOutputs] : [PREDICTION_OUTPUT];
  let done = 0;
  context.progress?.(0, source.rows, 'scoring rows');
  for await (const batch of source.batches()) {
    if (context.cancelled?.()) throw new Error('The evaluation was cancelled.');
    scores.add(await session.run(batch.feeds, fetches), batch.truth);
    done += batch.truth.length;
    context.progress?.(done, source.rows, 'scoring rows');
  }
  return scores;
}

function summarize(model: EvaluatedModel, scores: ScoreAccumulator, source: BatchSource): EvaluationResult {
  const notes: string[] = [];
  if (source.skipped) notes.push(`${source.skipped.rows} row(s) with ${source.skipped.reason} were left out.`);
  if (scores.nanRows > 0) notes.push(`${scores.nanRows} row(s) were left out: the model returned NaN for them (a missing value in an input its graph does not impute).`);
  const skippedRows = (source.skipped?.rows ?? 0) + scores.nanRows;
  if (scores.rows === 0) throw invalid(`No rows to evaluate the model on${notes.length > 0 ? `: ${notes.join(' ')}` : ': the dataset is empty.'}`);

  if (model.kind.task === 'classification') {
    const classes = model.kind.classes;
    const report = classificationReport({ classes, ...scores.classification() });
    const plots: EvaluationPlot[] = [
      { name: 'confusion_matrix', svg: confusionMatrixSvg(report.confusion), data: report.confusion },
      { name: 'roc', svg: rocSvg(report.roc), data: report.roc },
      { name: 'pr', svg: prSvg(report.pr), data: report.pr },
      { name: 'calibration', svg: calibrationSvg(report.calibration), data: report.calibration },
    ];
    return { task: 'classification', rows: scores.rows, skippedRows, metrics: report.metrics, plots, classes: [...classes], notes: [...notes, ...report.notes] };
  }
  const { actual, predicted } = scores.regression();
  const report = regressionReport(actual, predicted);
  const plots: EvaluationPlot[] = [
    { name: 'residuals', svg: residualsSvg(report.residuals), data: report.residuals },
    { name: 'predicted_vs_actual', svg: predictedVsActualSvg(report.predictedVsActual), data: report.predictedVsActual },
  ];
  return { task: 'regression', rows: scores.rows, skippedRows, metrics: report.metrics, plots, notes: [...notes, ...report.notes] };
}
