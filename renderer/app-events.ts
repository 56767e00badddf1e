import type { Connection } from './api/connection';
import type { WorkbenchEvent } from '../shared/events';
import { onCompareMetricsLogged } from './lib/compare-loader';
import { nextFrame } from './lib/timing';
import { scheduleRunningCount, useAppStore } from './stores/app';
import { useDatasetsStore } from './stores/datasets';
import { scheduleExperimentsRefresh, useExperimentsStore } from './stores/experiments';
import { useJobsStore } from './stores/jobs';
import { useMetricsStore } from './stores/metrics';
import { useModelsStore } from './stores/models';
import { usePipelinesStore } from './stores/pipelines';
import { useRunDetailsStore } from './stores/run-details';
import { useRunsStore } from './stores/runs';
import { useServingStore } from './stores/serving';
import { useSyncStore } from './stores/sync';
import { onRunContentChanged, onRunCreated, onRunDeleted, onRunMetricsLogged, onRunUpdated } from './stores/runs-live';

/**
 * The one place push events are subscribed to: each event is routed to the stores it concerns.
 * Called once at start-up (main.tsx), never from a component, so no view can subscribe twice or
 * forget to unsubscribe.
 */
export function installEventListeners(connection: Connection): () => void {
  // Metric notifications can arrive many times a second from many runs; charts need at most one
  // update per frame, so they are gathered and handed over once per animation frame.
  let pendingMetrics: { runId: string; key: string }[] = [];
  let frameScheduled = false;
  const flushMetrics = (): void => {
    frameScheduled = false;
    const updates = pendingMetrics;
    pendingMetrics = [];
    useMetricsStore.getState().onMetricsLogged(updates);
    onCompareMetricsLogged(updates);
  };

  const handle = (event: WorkbenchEvent): void => {
    switch (event.name) {
      case 'run.created':
        onRunCreated(event.payload.run);
        scheduleRunningCount();
        scheduleExperimentsRefresh();
        break;
      case 'run.updated':
        onRunUpdated(event.payload.run);
        useRunDetailsStore.getState().onUpdated(event.payload.run);
        scheduleRunningCount();
        break;
      case 'run.deleted':
        onRunDeleted(event.payload.runId);
        useRunDetailsStore.getState().onDeleted(event.payload.runId);
        scheduleRunningCount();
        scheduleExperimentsRefresh();
        break;
      case 'metrics.logged': {
        const { runId, keys } = event.payload;
        for (const { key } of keys) pendingMetrics.push({ runId, key });
        if (!frameScheduled) {
          frameScheduled = true;
          nextFrame(flushMetrics);
        }
        onRunMetricsLogged(runId);
        useRunDetailsStore.getState().onContentChanged(runId);
        break;
      }
      case 'params.logged':
        onRunContentChanged(event.payload.runId);
        useRunDetailsStore.getState().onContentChanged(event.payload.runId);
        break;
      case 'experiment.changed':
        useExperimentsStore.getState().apply(event.payload.experiment);
        break;
      case 'job.updated':
        useJobsStore.getState().onUpdated(event.payload.job);
        break;
      case 'dataset.changed':
        useDatasetsStore.getState().onChanged(event.payload.dataset);
        break;
      case 'model.changed':
        useModelsStore.getState().onChanged(event.payload.name);
        break;
      case 'serving.changed':
        useServingStore.getState().onChanged(event.payload.servers);
        break;
      case 'pipeline.changed':
        usePipelinesStore.getState().onChanged(event.payload);
        break;
      case 'pipeline.updated':
        usePipelinesStore.getState().onUpdated(event.payload.name);
        break;
      case 'sync.progress':
        useSyncStore.getState().onProgress(event.payload);
        break;
      case 'sync.changed':
        useSyncStore.getState().onChanged();
        // Teammates' runs, datasets, models and pipelines were written straight to the store.
        if (event.payload.pulled) reloadEverything();
        break;
    }
  };

  let wasDown = false;
  const onState = (state: ReturnType<Connection['getState']>): void => {
    useAppStore.getState().setConnection(state);
    if (state === 'reconnecting' || state === 'offline') wasDown = true;
    if (state === 'connected' && wasDown) {
      // Events sent while the stream was down are lost: re-read what is on screen.
      wasDown = false;
      reloadEverything();
      void useJobsStore.getState().load();
      void useServingStore.getState().load();
      void useSyncStore.getState().load();
      scheduleRunningCount();
    }
  };

  const unsubscribeEvents = connection.onEvent(handle);
  const unsubscribeState = connection.onState(onState);
  useAppStore.getState().setConnection(connection.getState());
  return () => {
    unsubscribeEvents();
    unsubscribeState();
  };
}

/** Re-reads every list on screen: after a reconnect (events were lost) or a sync that pulled. */
function reloadEverything(): void {
  void useRunsStore.getState().reload({ quiet: true });
  void useExperimentsStore.getState().load();
  const datasets = useDatasetsStore.getState();
  void datasets.load();
  for (const name of Object.keys(datasets.versions)) void datasets.loadVersions(name);
  const models = useModelsStore.getState();
  void models.load();
  for (const name of Object.keys(models.entries)) void models.loadModel(name);
  usePipelinesStore.getState().reloadAll();
}
