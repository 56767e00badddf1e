import type { Experiment, Run, RunInfo } from '../../../shared/tracking';
import { experimentArtifactLocation, runArtifactUri } from './artifact-uris';
import { keyValueList } from './proto-json';

/**
 * How Trainyard's runs look through MLflow's protos (service.proto `Run`, `RunInfo`, `RunData`).
 *
 * Tags that MLflow uses for things Trainyard models directly are derived, not stored:
 * `mlflow.runName` is the run's name and `mlflow.parentRunId` its parent, so renaming or
 * nesting a run in the UI can never leave a stale tag behind. `mlflow.user` is stored as a tag
 * (Trainyard runs have no user of their own) and read back as `user_id`.
 */
export const systemTags = {
  runName: 'mlflow.runName',
  parentRunId: 'mlflow.parentRunId',
  user: 'mlflow.user',
  /** 2.x `log_model` appends each model's MLmodel dict here (a JSON list), as MLflow's server does. */
  loggedModels: 'mlflow.log-model.history',
  /**
   * `log-inputs` datasets, a JSON list of DatasetInput messages. Kept in a run tag rather than an
   * artifact so it never shows up in (and gets downloaded with) the run's artifacts; hidden from
   * MLflow's `data.tags` and served as `inputs.dataset_inputs` instead.
   */
  datasetInputs: 'trainyard.mlflow.inputs',
} as const;

/** service.proto `RunInfo`. `end_time` is left out while the run has none, as proto3 leaves out unset fields. */
export function toRunInfoMessage(info: RunInfo, tags: Readonly<Record<string, string>>): Record<string, unknown> {
  return {
    run_id: info.id,
    run_uuid: info.id,
    run_name: info.name,
    experiment_id: info.experimentId,
    user_id: tags[systemTags.user] ?? '',
    status: info.status,
    start_time: info.startTime,
    end_time: info.endTime ?? undefined,
    artifact_uri: runArtifactUri(info.experimentId, info.id),
    lifecycle_stage: info.deleted ? 'deleted' : 'active',
  };
}

/** The tags an MLflow client sees: the stored ones plus the derived `mlflow.runName` / `mlflow.parentRunId`. */
export function visibleTags(run: Pick<Run, 'name' | 'parentRunId' | 'tags'>): Record<string, string> {
  const tags: Record<string, string> = { ...run.tags };
  delete tags[systemTags.datasetInputs];
  tags[systemTags.runName] = run.name;
  if (run.parentRunId) tags[systemTags.parentRunId] = run.parentRunId;
  return tags;
}

/** A DatasetInput message as stored in the inputs tag. */
export interface DatasetInputMessage {
  readonly dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string };
  readonly tags: ReadonlyArray<{ key: string; value: string }>;
}

export function storedDatasetInputs(tags: Readonly<Record<string, string>>): DatasetInputMessage[] {
  const text = tags[systemTags.datasetInputs];
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as DatasetInputMessage[]) : [];
  } catch {
    return [];
  }
}

/** service.proto `Run`: info, data (latest metric values only) and inputs. */
export function toRunMessage(run: Run): Record<string, unknown> {
  return {
    info: toRunInfoMessage(run, run.tags),
    data: {
      metrics: Object.entries(run.metrics).map(([key, metric]) => ({ key, value: metric.value, timestamp: metric.timestamp, step: metric.step })),
      params: keyValueList(run.params),
      tags: keyValueList(visibleTags(run)),
    },
    inputs: { dataset_inputs: storedDatasetInputs(run.tags) },
  };
}

/** service.proto `Experiment`. */
export function toExperimentMessage(experiment: Experiment): Record<string, unknown> {
  return {
    experiment_id: experiment.id,
    name: experiment.name,
    artifact_location: experimentArtifactLocation(experiment.id),
    lifecycle_stage: experiment.lifecycleStage,
    creation_time: experiment.createdAt,
    last_update_time: experiment.updatedAt,
    tags: keyValueList(experiment.tags),
  };
}
