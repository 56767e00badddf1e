/**
 * Cron schedules and dataset triggers, while the app (or `trainyard scheduler`) runs. Schedules use
 * the interval model (SEMANTICS.md §2.4): the run for [t_i, t_{i+1}) is created at t_{i+1} with
 * logical date t_i; with `catchup: false` a gap while the app was closed yields only the latest
 * interval, with `catchup: true` one run per missed interval (throttled by max_active_runs, the
 * rest created on later ticks). A new version of a dataset named in `triggers.datasets` starts a run.
 */
import type { Disposable } from '../events/emitter';
import type { DatasetService } from '../datasets/dataset-service';
import type { Orchestrator } from './orchestrator';
import { dueRuns, nextDueAt } from './semantics/index';
import { parsePipeline } from './spec/index';

export interface SchedulerDeps {
  readonly orchestrator: Orchestrator;
  readonly datasets: DatasetService;
  /** Errors of a scheduled trigger (a broken spec) go here rather than stopping the scheduler. */
  readonly onError?: (pipeline: string, error: unknown) => void;
  readonly now?: () => number;
}

const maxSleepMs = 60_000;

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private subscription: Disposable | null = null;
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Only a long-lived process watches: a one-shot `trainyard data add` must not start a run it would then kill. */
  start(): void {
    this.subscription ??= this.deps.datasets.onDidChangeDataset(({ dataset, version }) => {
      if (version !== null) void this.onNewVersion(dataset, version);
    });
    void this.tick();
  }

  /** Creates the runs that are due now; returns how many. */
  async tick(): Promise<number> {
    if (this.stopped) return 0;
    const { orchestrator } = this.deps;
    const now = this.deps.now?.() ?? Date.now();
    let created = 0;
    let wake = now + maxSleepMs;
    for (const row of orchestrator.store.pipelines()) {
      if (row.paused) continue;
      try {
        const { spec } = parsePipeline(row.spec, row.path ?? undefined);
        if (!spec.schedule) continue;
        const startDate = spec.schedule.start_date ? Date.parse(spec.schedule.start_date) : row.created_at;
        const last = orchestrator.store.db
          .prepare("SELECT max(logical_date) AS last FROM dag_runs WHERE pipeline_id = ? AND kind = 'scheduled'")
          .get(row.id) as { last: number | null };
        const active = orchestrator.store.dagRunRows({ pipeline: row.name, states: ['queued', 'running'] }).length;
        const input = { cron: spec.schedule.cron, tz: spec.schedule.timezone, catchup: spec.schedule.catchup, startDate, lastLogicalDate: last.last, now, limit: Math.max(0, spec.max_active_runs - active) };
        for (const due of dueRuns(input)) {
          await orchestrator.trigger(row.name, { kind: 'scheduled', logicalDate: due.logicalDate });
          created += 1;
        }
        wake = Math.min(wake, nextDueAt({ ...input, lastLogicalDate: last.last }));
      } catch (error) {
        this.deps.onError?.(row.name, error);
      }
    }
    if (!this.stopped) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.tick(), Math.min(maxSleepMs, Math.max(1_000, wake - now)));
    }
    return created;
  }

  private async onNewVersion(dataset: string, version: number): Promise<void> {
    const { orchestrator } = this.deps;
    for (const row of orchestrator.store.pipelines()) {
      if (row.paused) continue;
      try {
        const { spec } = parsePipeline(row.spec, row.path ?? undefined);
        if (!spec.triggers?.datasets.includes(dataset)) continue;
        // A version this pipeline's own run just made must not trigger it again (ingest → new version → run…).
        const own = orchestrator.store.dagRunRows({ pipeline: row.name, states: ['queued', 'running'] }).length > 0;
        if (own) continue;
        await orchestrator.trigger(row.name, { kind: 'dataset', params: {} });
        void version;
      } catch (error) {
        this.deps.onError?.(row.name, error);
      }
    }
  }

  dispose(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.subscription?.dispose();
  }
}
