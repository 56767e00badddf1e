import type { ParamValue } from '../../../../shared/pipelines';

/** What a step executor gets for one attempt. */
export interface StepContext {
  readonly pipeline: string;
  /** `<pipeline>/<run id>` */
  readonly dagRun: string;
  readonly taskId: string;
  readonly tryNumber: number;
  /** The pipeline file's folder: relative paths in step params are relative to it. */
  readonly baseDir: string;
  /** The DAG run's params (defaults + overrides). */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Aborted on cancel or when the attempt's execution_timeout passes: stop the work. */
  readonly signal: AbortSignal;
  /** Dataset versions pinned by "re-run exactly": name → version. */
  readonly pins: Readonly<Record<string, number>>;
  /** Re-run exactly: the outputs this task produced in the run being reproduced (ingest reuses them). */
  readonly pinnedOutputs: Readonly<Record<string, string>> | null;
  /** Experiment that train/evaluate/command runs go to (the pipeline's name). */
  readonly experimentId: string;
  /** One line into the attempt's log file. */
  log(line: string): void;
  /** The tracking run this attempt logs into. */
  setRun(runId: string): void;
  /** A dataset version the step read (`name@3`), pinned for re-runs. */
  readInput(ref: string): void;
}

/** Runs one attempt of a step; resolves with its outputs, rejects with the reason it failed. */
export type StepExecutor = (params: Readonly<Record<string, unknown>>, context: StepContext) => Promise<Record<string, string>>;

/** Thrown when the attempt was stopped (timeout or cancel) rather than failing on its own. */
export class StepAborted extends Error {}
