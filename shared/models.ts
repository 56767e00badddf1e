import { z } from 'zod';
import { dataSourceSchema } from './datasets';

/** One graph input or output of an ONNX model: its element type (numpy's name) and shape, -1 where a dimension is not fixed. */
export const tensorInfoSchema = z.object({
  name: z.string(),
  dtype: z.string(),
  shape: z.array(z.number()),
});
export type TensorInfo = z.infer<typeof tensorInfoSchema>;

/** What inspecting a model file found. */
export const onnxModelInfoSchema = z.object({
  inputs: z.array(tensorInfoSchema),
  outputs: z.array(tensorInfoSchema),
  irVersion: z.number(),
  opsets: z.array(z.object({ domain: z.string(), version: z.number() })),
  producer: z.string(),
  nodes: z.number(),
  sizeBytes: z.number(),
});
export type OnnxModelInfo = z.infer<typeof onnxModelInfoSchema>;

/** Work for the `model` worker (inference only: it never trains). */
export const modelTaskSchema = z.discriminatedUnion('task', [
  /** Check that a file is an ONNX model onnxruntime loads, and describe it (with an MLmodel for it). */
  z.object({ task: z.literal('inspect'), file: z.string(), runId: z.string().optional() }),
  /**
   * Run a model file on a dataset version and measure it against the target column (for an image
   * folder: the labels file's column): metrics and plots, see `evaluationResultSchema`.
   */
  z.object({
    task: z.literal('evaluate'),
    file: z.string(),
    source: dataSourceSchema,
    target: z.string(),
    /** DuckDB's and onnxruntime's threads (default: DuckDB 2, onnxruntime 1). */
    threads: z.number().int().positive().optional(),
  }),
]);
export type ModelTask = z.infer<typeof modelTaskSchema>;

export const inspectResultSchema = z.object({
  info: onnxModelInfoSchema,
  mlmodel: z.string(),
  files: z.record(z.string(), z.string()),
});
export type InspectResult = z.infer<typeof inspectResultSchema>;

/** The plots an evaluation draws: classifiers get the first four, regressors the last two. */
export const evaluationPlotNames = ['confusion_matrix', 'roc', 'pr', 'calibration', 'residuals', 'predicted_vs_actual'] as const;

export const evaluationPlotSchema = z.object({
  name: z.enum(evaluationPlotNames),
  /** A self-contained SVG document (white background, no scripts or external fonts). */
  svg: z.string(),
  /** The numbers behind the plot, for the UI to draw it interactively (shape per plot: workers/model/evaluate/report.ts). */
  data: z.unknown(),
});
export type EvaluationPlot = z.infer<typeof evaluationPlotSchema>;

/** What evaluating a model on a dataset version measured. */
export const evaluationResultSchema = z.object({
  task: z.enum(['classification', 'regression']),
  /** Rows the metrics are computed on. */
  rows: z.number(),
  /** Rows left out: no target value, or a NaN prediction (the notes say which). */
  skippedRows: z.number(),
  /**
   * Flat, MLflow-style keys. Classification: accuracy, precision|recall|f1_{macro,weighted,<class>},
   * log_loss, roc_auc_{<class>,macro}, average_precision_{<class>,macro}; binary also precision,
   * recall, f1, roc_auc (positive class) and brier_score. Regression: rmse, mae, r2, max_error.
   * Undefined metrics are absent, never NaN.
   */
  metrics: z.record(z.string(), z.number()),
  plots: z.array(evaluationPlotSchema),
  /** Classification: the model's classes, in its output order (the confusion matrix's order). */
  classes: z.array(z.string()).optional(),
  /** What a reader should know about the numbers (rows left out, undefined AUCs…). */
  notes: z.array(z.string()),
});
export type EvaluationResult = z.infer<typeof evaluationResultSchema>;
