import { Buffer } from 'node:buffer';
import type { AppInfo } from '../../../shared/api';
import type { ProbeReport } from '../../../shared/probe';
import type { Database } from '../db/database';
import type { TrainingService } from '../training/training-service';
import type { ArtifactService } from '../tracking/artifact-service';
import type { ExperimentService } from '../tracking/experiment-service';
import { recordRunInput } from '../datasets/lineage';
import { searchRuns } from '../tracking/run-search';
import type { TrackingService } from '../tracking/tracking-service';
import { createDatasetHandlers, type DatasetHandlerServices } from './dataset-handlers';
import { createModelHandlers, type ModelHandlerServices } from './model-handlers';
import { createPipelineHandlers, type PipelineHandlerServices } from './pipeline-handlers';
import { createSyncHandlers, type SyncHandlerServices } from './sync-handlers';
import type { Handlers } from './dispatcher';

export interface HandlerServices extends DatasetHandlerServices, ModelHandlerServices, PipelineHandlerServices, SyncHandlerServices {
  readonly db: Database;
  readonly training: TrainingService;
  readonly experiments: ExperimentService;
  readonly tracking: TrackingService;
  readonly artifacts: ArtifactService;
  readonly info: () => AppInfo;
  readonly probe: () => Promise<ProbeReport>;
  readonly purge: (options: { ids?: string[]; olderThanMs?: number }) => Promise<{ runsPurged: number; objectsDeleted: number; bytesFreed: number }>;
}

const ok = { ok: true } as const;

/** The contract's operations mapped onto the services; thin on purpose. */
export function createHandlers(services: HandlerServices): Handlers {
  const { experiments, tracking, artifacts } = services;
  return {
    'app.info': () => services.info(),
    'app.probe': () => services.probe(),

    'experiments.list': ({ view }) => experiments.list(view),
    'experiments.get': ({ id }) => experiments.get(id),
    'experiments.create': ({ name, tags }) => experiments.create(name, tags),
    'experiments.rename': ({ id, name }) => experiments.rename(id, name),
    'experiments.delete': ({ id }) => (experiments.setLifecycle(id, 'deleted'), ok),
    'experiments.restore': ({ id }) => (experiments.setLifecycle(id, 'active'), ok),

    'runs.create': (input) => tracking.createRun(input),
    'runs.get': ({ id }) => tracking.getRun(id),
    'runs.search': (input) => searchRuns(services.db, tracking.metrics, input),
    'runs.update': ({ id, ...changes }) => tracking.updateRun(id, changes),
    'runs.end': ({ id, status, endTime }) => tracking.endRun(id, status, endTime),
    'runs.logBatch': (input) => (tracking.logBatch(input), ok),
    'runs.setTag': ({ runId, key, value }) => (tracking.setTag(runId, key, value), ok),
    'runs.logInputs': ({ runId, inputs }) => {
      const { pk } = tracking.writablePk(runId);
      const versions = inputs.map((input) => ({ id: services.datasets.rows.version(input.dataset, input.version).id, context: input.context }));
      services.db.transaction(() => versions.forEach((version) => recordRunInput(services.db, pk, version.id, version.context)))();
      return ok;
    },
    'runs.deleteTag': ({ runId, key }) => (tracking.deleteTag(runId, key), ok),
    'runs.delete': ({ id }) => (tracking.setDeleted(id, true), ok),
    'runs.restore': ({ id }) => (tracking.setDeleted(id, false), ok),
    'runs.purge': (input) => services.purge(input),

    'metrics.series': (input) => tracking.series(input),
    // One synchronous pass: no other request interleaves, so every run is read at the same moment.
    'metrics.seriesBatch': ({ runIds, ...window }) => runIds.map((runId) => tracking.seriesColumns({ runId, ...window })),

    'artifacts.list': ({ runId, path }) => artifacts.list(runId, path),
    'artifacts.read': ({ runId, path, maxBytes }) => artifacts.read(runId, path, maxBytes),
    'artifacts.write': ({ runId, path, content, encoding }) => artifacts.writeBytes(runId, path, Buffer.from(content, encoding)),

    ...createDatasetHandlers(services),

    'training.start': ({ dataset, version, config, experimentId, name }) => ({
      runId: services.training.start({ dataset, ...(version ? { version } : {}) }, config, { ...(experimentId ? { experimentId } : {}), ...(name ? { name } : {}) }).runId,
    }),
    'training.sweep': ({ dataset, version, config, sweep, experimentId, name }) => ({
      runId: services.training.sweep({ dataset, ...(version ? { version } : {}) }, config, sweep, { ...(experimentId ? { experimentId } : {}), ...(name ? { name } : {}) }).runId,
    }),
    'training.cancel': ({ runId }) => (services.training.cancel(runId), ok),

    ...createModelHandlers(services),
    ...createPipelineHandlers(services),
    ...createSyncHandlers(services),
  };
}
