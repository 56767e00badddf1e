/**
 * What the MLflow importer reads, whatever holds the MLflow data: a FileStore folder
 * (mlruns-reader.ts) or a running tracking server over its REST API (rest-reader.ts). The
 * importer (mlruns-import.ts) only talks to this interface, so both keep the same guarantees.
 *
 * Methods may answer synchronously (the folder reader) or with a promise (the REST reader).
 */
import type { RunStatus } from '../../../../shared/tracking';

export type Awaitable<T> = T | Promise<T>;

export interface SourceExperiment {
  readonly id: string;
  readonly name: string;
  /** In MLflow's trash (`lifecycle_stage: deleted`); the importer leaves it out. */
  readonly deleted: boolean;
  readonly tags: Record<string, string>;
}

export interface SourceRun {
  readonly id: string;
  readonly experimentId: string;
  readonly name: string | null;
  readonly status: RunStatus;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly deleted: boolean;
  readonly artifactUri: string | null;
}

export interface SourceMetricPoint {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
}

export interface SourceKeyValue {
  readonly key: string;
  readonly value: string;
}

export interface SourceModel {
  readonly name: string;
  readonly description: string;
  readonly tags: Record<string, string>;
  /** alias → MLflow version number */
  readonly aliases: Record<string, number>;
  readonly versions: SourceVersion[];
}

export interface SourceVersion {
  readonly version: number;
  readonly stage: string;
  readonly source: string;
  readonly runId: string | null;
  readonly description: string;
  readonly tags: Record<string, string>;
}

/** One artifact's bytes: a local file (copied by path) or a stream (an HTTP body). */
export type SourceArtifact = { readonly file: string } | { readonly stream: AsyncIterable<Uint8Array> };

export interface MlflowSource<Experiment extends SourceExperiment = SourceExperiment, Run extends SourceRun = SourceRun> {
  /** Where the data comes from, as the report names it (a folder, or the server's URL). */
  readonly location: string;
  /** How warnings name the source: "this mlruns folder", "this MLflow server". */
  readonly label: string;
  /** Things the source skipped, for the import report. */
  readonly warnings: string[];
  /** Every experiment, deleted ones included (they are counted, not imported). */
  experiments(): Awaitable<Experiment[]>;
  /** Every run of an experiment, deleted ones included. */
  runs(experiment: Experiment): Awaitable<Run[]>;
  params(run: Run): Awaitable<SourceKeyValue[]>;
  tags(run: Run): Awaitable<SourceKeyValue[]>;
  metricKeys(run: Run): Awaitable<string[]>;
  /** Every point of one metric: the full history, not just the latest value. */
  metricPoints(run: Run, key: string): Awaitable<SourceMetricPoint[]>;
  /** The run's artifact files as '/'-joined run-relative paths; [] (with a warning) when they cannot be reached. */
  artifactFiles(run: Run): Awaitable<string[]>;
  /** One file that `artifactFiles` listed. */
  openArtifact(run: Run, path: string): Awaitable<SourceArtifact>;
  /** Registered models with their live versions (deleted ones left out), tags and aliases. */
  models(): Awaitable<SourceModel[]>;
}
