import type { WorkbenchEvent } from '../../../shared/events';
import type { ExperimentService } from '../tracking/experiment-service';
import type { TrackingService } from '../tracking/tracking-service';
import type { DatasetService } from '../datasets/dataset-service';
import type { JobTracker } from '../jobs/job-tracker';
import type { RegistryService } from '../registry/registry-service';
import type { ModelServing } from '../serving/model-serving';
import type { SyncService } from '../sync/sync-service';
import type { Orchestrator } from '../pipelines/orchestrator';
import { Emitter, type Disposable } from './emitter';

/** How long metric notifications for one run are merged before one event goes out. */
export const metricsCoalesceMs = 100;

/**
 * Turns service events into the contract's `WorkbenchEvents`. Metric notifications are merged per
 * run over a short window: a script logging 10,000 points a second yields ten events a second,
 * each saying which keys grew, and charts re-read their (down-sampled) series.
 */
export class EventBridge {
  private readonly emitter = new Emitter<WorkbenchEvent>();
  readonly onDidEmit = this.emitter.event;
  private readonly subscriptions: Disposable[] = [];
  private readonly pendingMetrics = new Map<string, Map<string, { lastStep: number; count: number }>>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor({ tracking, experiments, jobs, datasets, registry, serving, pipelines, sync }: { tracking: TrackingService; experiments: ExperimentService; jobs: JobTracker; datasets: DatasetService; registry: RegistryService; serving: ModelServing; pipelines: Orchestrator; sync: SyncService }) {
    this.subscriptions.push(
      pipelines.onDidChange((event) => this.emitter.fire({ name: 'pipeline.changed', payload: event })),
      pipelines.onDidUpdatePipeline((event) => this.emitter.fire({ name: 'pipeline.updated', payload: event })),
      serving.onDidChange((servers) => this.emitter.fire({ name: 'serving.changed', payload: { servers } })),
      sync.onDidProgress((progress) => this.emitter.fire({ name: 'sync.progress', payload: progress })),
      sync.onDidChange((event) => this.emitter.fire({ name: 'sync.changed', payload: event })),
      registry.onDidChangeModel((event) => this.emitter.fire({ name: 'model.changed', payload: event })),
      jobs.onDidUpdateJob((job) => this.emitter.fire({ name: 'job.updated', payload: { job } })),
      datasets.onDidChangeDataset((event) => this.emitter.fire({ name: 'dataset.changed', payload: event })),
      tracking.onDidCreateRun((run) => this.emitter.fire({ name: 'run.created', payload: { run } })),
      tracking.onDidUpdateRun((run) => this.emitter.fire({ name: 'run.updated', payload: { run } })),
      tracking.onDidDeleteRun((event) => this.emitter.fire({ name: 'run.deleted', payload: event })),
      tracking.onDidLogParams((event) => this.emitter.fire({ name: 'params.logged', payload: event })),
      experiments.onDidChangeExperiment((experiment) => this.emitter.fire({ name: 'experiment.changed', payload: { experiment } })),
      tracking.onDidLogMetrics(({ runId, keys }) => {
        let pending = this.pendingMetrics.get(runId);
        if (!pending) this.pendingMetrics.set(runId, (pending = new Map()));
        for (const { key, lastStep, count } of keys) {
          const current = pending.get(key);
          pending.set(key, current ? { lastStep: Math.max(current.lastStep, lastStep), count: current.count + count } : { lastStep, count });
        }
        this.flushTimer ??= setTimeout(() => this.flush(), metricsCoalesceMs);
      }),
    );
  }

  /** Sends every pending metric notification now. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const [runId, keys] of this.pendingMetrics) {
      this.emitter.fire({
        name: 'metrics.logged',
        payload: { runId, keys: [...keys].map(([key, value]) => ({ key, ...value })) },
      });
    }
    this.pendingMetrics.clear();
  }

  dispose(): void {
    this.flush();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.emitter.dispose();
  }
}
