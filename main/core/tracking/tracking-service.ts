import { fromColumns, type SeriesColumns } from '../../../shared/series-columns';
import { randomUUID } from 'node:crypto';
import type { LogBatchInput, RunCreateInput, SeriesInput } from '../../../shared/api';
import { WorkbenchError, invalid, notFound } from '../../../shared/errors';
import type { Environment, Run, RunInfo, RunStatus, Series } from '../../../shared/tracking';
import type { Database } from '../db/database';
import { Emitter } from '../events/emitter';
import type { ExperimentService } from './experiment-service';
import { MetricStore, type MetricPoint } from './metric-store';
import { hydrateRuns, runColumns, toRunInfo, type RunRow } from './run-reader';
import { randomRunName } from './run-names';

type Parsed<T> = Required<Omit<T, 'pageToken'>>;

/** Metrics logged to one run in one call, summarized for live-update events. */
export interface MetricsLogged {
  readonly runId: string;
  readonly keys: ReadonlyArray<{ key: string; lastStep: number; count: number }>;
}

/**
 * Runs and everything logged to them: params (write-once), tags, metrics. The only writer of
 * these tables; every method that writes runs in one transaction, so a failed call leaves
 * nothing half-logged.
 */
export class TrackingService {
  readonly metrics: MetricStore;
  private readonly didCreateRun = new Emitter<RunInfo>();
  private readonly didUpdateRun = new Emitter<RunInfo>();
  private readonly didDeleteRun = new Emitter<{ runId: string; purged: boolean }>();
  private readonly didLogMetrics = new Emitter<MetricsLogged>();
  private readonly didLogParams = new Emitter<{ runId: string }>();
  readonly onDidCreateRun = this.didCreateRun.event;
  readonly onDidUpdateRun = this.didUpdateRun.event;
  readonly onDidDeleteRun = this.didDeleteRun.event;
  readonly onDidLogMetrics = this.didLogMetrics.event;
  readonly onDidLogParams = this.didLogParams.event;

  private readonly selectPk;
  private readonly insertParam;
  private readonly selectParam;
  private readonly upsertTag;

  constructor(
    private readonly db: Database,
    private readonly experiments: ExperimentService,
    private readonly environment: () => Environment | null,
    /** This app session's id; null for one-shot CLI commands, whose runs outlive the process. */
    private readonly session: string | null = null,
  ) {
    this.metrics = new MetricStore(db);
    this.selectPk = db.prepare<[string], { pk: number; status: RunStatus; deleted: number }>('SELECT pk, status, deleted FROM runs WHERE id = ?');
    this.insertParam = db.prepare<[number, string, string]>('INSERT OR IGNORE INTO params (run_pk, key, value) VALUES (?, ?, ?)');
    this.selectParam = db.prepare<[number, string], { value: string }>('SELECT value FROM params WHERE run_pk = ? AND key = ?');
    this.upsertTag = db.prepare<[number, string, string]>(
      'INSERT INTO tags (run_pk, key, value) VALUES (?, ?, ?) ON CONFLICT (run_pk, key) DO UPDATE SET value = excluded.value',
    );
  }

  /**
   * `options` are for runs made elsewhere (an MLflow import): `id` keeps the run's id (32
   * lowercase hex characters, unused), `environment: null` records no environment, since the run
   * did not run on this machine.
   */
  createRun(input: RunCreateInput, options: { id?: string; environment?: null } = {}): Run {
    if (options.id !== undefined && !/^[0-9a-f]{32}$/.test(options.id)) throw invalid(`A run id is 32 lowercase hex characters, not '${options.id}'.`);
    const id = options.id ?? randomUUID().replace(/-/g, '');
    this.db.transaction(() => {
      if (options.id !== undefined && this.selectPk.get(id)) throw new WorkbenchError('ALREADY_EXISTS', `A run with id '${id}' already exists.`);
      const experimentId = this.experiments.requireActive(input.experimentId ?? '0');
      const parentPk = input.parentRunId ? this.pkOf(input.parentRunId) : null;
      const info = this.db
        .prepare(
          `INSERT INTO runs (id, experiment_id, parent_pk, name, status, start_time, source, environment, session)
           VALUES (?, ?, ?, ?, 'RUNNING', ?, ?, ?, ?)`,
        )
        .run(
          id,
          experimentId,
          parentPk,
          input.name?.trim() || randomRunName(),
          input.startTime ?? Date.now(),
          input.source ? JSON.stringify(input.source) : null,
          options.environment === null ? null : JSON.stringify(this.environment()),
          this.session,
        );
      const pk = Number(info.lastInsertRowid);
      this.writeParams(pk, input.params ?? []);
      for (const tag of input.tags ?? []) this.upsertTag.run(pk, tag.key, tag.value);
    })();
    const run = this.getRun(id);
    this.didCreateRun.fire(run);
    return run;
  }

  getRun(id: string): Run {
    return hydrateRuns(this.db, this.metrics, [this.runRow(id)])[0]!;
  }

  getRunInfo(id: string): RunInfo {
    return toRunInfo(this.runRow(id));
  }

  updateRun(id: string, changes: { name?: string; status?: RunStatus; endTime?: number | null }): RunInfo {
    const row = this.runRow(id);
    const status = changes.status ?? row.status;
    const endTime = changes.endTime !== undefined ? changes.endTime : status === 'RUNNING' ? null : (row.end_time ?? Date.now());
    const name = changes.name?.trim() || row.name;
    this.db.prepare('UPDATE runs SET name = ?, status = ?, end_time = ? WHERE pk = ?').run(name, status, endTime, row.pk);
    const info = this.getRunInfo(id);
    this.didUpdateRun.fire(info);
    return info;
  }

  endRun(id: string, status: Exclude<RunStatus, 'RUNNING'> = 'FINISHED', endTime?: number): RunInfo {
    return this.updateRun(id, { status, endTime: endTime ?? Date.now() });
  }

  /** Params, metrics and tags in one transaction: all of it is logged, or none. */
  logBatch(input: Parsed<LogBatchInput> | LogBatchInput): void {
    const { pk } = this.writablePk(input.runId);
    const now = Date.now();
    const points: MetricPoint[] = (input.metrics ?? []).map((metric) => ({
      key: metric.key,
      value: metric.value,
      step: metric.step ?? 0,
      timestamp: metric.timestamp ?? now,
    }));
    let touched: ReturnType<MetricStore['log']> = [];
    this.db.transaction(() => {
      this.writeParams(pk, input.params ?? []);
      for (const tag of input.tags ?? []) this.upsertTag.run(pk, tag.key, tag.value);
      if (points.length > 0) touched = this.metrics.log(pk, points);
    })();
    if (touched.length > 0) this.didLogMetrics.fire({ runId: input.runId, keys: touched });
    if ((input.params?.length ?? 0) > 0 || (input.tags?.length ?? 0) > 0) this.didLogParams.fire({ runId: input.runId });
  }

  setTag(runId: string, key: string, value: string): void {
    this.logBatch({ runId, tags: [{ key, value }] });
  }

  deleteTag(runId: string, key: string): void {
    const { pk } = this.writablePk(runId);
    const info = this.db.prepare('DELETE FROM tags WHERE run_pk = ? AND key = ?').run(pk, key);
    if (info.changes === 0) throw notFound(`Run ${runId} has no tag '${key}'.`);
    this.didLogParams.fire({ runId });
  }

  /** Moves a run and all its descendants to the trash (soft delete; `purge` frees the space). */
  setDeleted(runId: string, deleted: boolean): void {
    const pk = this.pkOf(runId);
    const now = Date.now();
    const ids = this.db.transaction(() => {
      const tree = this.db
        .prepare(
          `WITH RECURSIVE tree(pk) AS (SELECT ? UNION ALL SELECT r.pk FROM runs r JOIN tree ON r.parent_pk = tree.pk)
           SELECT r.pk, r.id FROM runs r JOIN tree ON r.pk = tree.pk`,
        )
        .all(pk) as Array<{ pk: number; id: string }>;
      const update = this.db.prepare('UPDATE runs SET deleted = ?, deleted_at = ? WHERE pk = ?');
      for (const row of tree) update.run(deleted ? 1 : 0, deleted ? now : null, row.pk);
      return tree.map((row) => row.id);
    })();
    for (const id of ids) {
      if (deleted) this.didDeleteRun.fire({ runId: id, purged: false });
      else this.didUpdateRun.fire(this.getRunInfo(id));
    }
  }

  /**
   * Marks runs an earlier app session left RUNNING (it crashed or was killed) as KILLED. Called
   * once at start-up by the lock holder, so no other session can still be alive.
   */
  markInterruptedRuns(): number {
    return this.db
      .prepare("UPDATE runs SET status = 'KILLED', end_time = coalesce(end_time, ?) WHERE status = 'RUNNING' AND session IS NOT NULL AND session IS NOT ?")
      .run(Date.now(), this.session).changes;
  }

  series(input: Required<Omit<SeriesInput, 'minStep' | 'maxStep'>> & Pick<SeriesInput, 'minStep' | 'maxStep'>): Series {
    return fromColumns(this.seriesColumns(input));
  }

  /** `series` as columns: what a comparison's batch read sends (shared/series-columns.ts). */
  seriesColumns(input: Required<Omit<SeriesInput, 'minStep' | 'maxStep'>> & Pick<SeriesInput, 'minStep' | 'maxStep'>): SeriesColumns {
    const pk = this.pkOf(input.runId);
    return this.metrics.seriesColumns(pk, input.runId, input.key, {
      maxPoints: input.maxPoints,
      ...(input.minStep !== undefined ? { minStep: input.minStep } : {}),
      ...(input.maxStep !== undefined ? { maxStep: input.maxStep } : {}),
    });
  }

  /** Hard-deletes trashed runs (rows cascade); the caller then collects unreferenced objects. */
  purgeDeleted(options: { ids?: readonly string[]; olderThanMs?: number }): string[] {
    const cutoff = Date.now() - (options.olderThanMs ?? 0);
    return this.db.transaction(() => {
      let rows = this.db.prepare('SELECT pk, id FROM runs WHERE deleted = 1 AND deleted_at <= ?').all(cutoff) as Array<{ pk: number; id: string }>;
      if (options.ids) {
        const wanted = new Set(options.ids);
        for (const id of wanted) {
          if (!rows.some((row) => row.id === id)) this.runRow(id); // unknown id → not found
        }
        rows = rows.filter((row) => wanted.has(row.id));
      }
      const remove = this.db.prepare('DELETE FROM runs WHERE pk = ?');
      for (const row of rows) remove.run(row.pk);
      return rows.map((row) => row.id);
    })();
  }

  firePurged(ids: readonly string[]): void {
    for (const runId of ids) this.didDeleteRun.fire({ runId, purged: true });
  }

  pkOf(runId: string): number {
    const row = this.selectPk.get(runId);
    if (!row) throw notFound(`No run with id '${runId}'.`);
    return row.pk;
  }

  /** A run that may be logged to: it exists and is not in the trash. */
  writablePk(runId: string): { pk: number; status: RunStatus } {
    const row = this.selectPk.get(runId);
    if (!row) throw notFound(`No run with id '${runId}'.`);
    if (row.deleted) throw invalid(`Run ${runId} is deleted; restore it before logging to it.`);
    return row;
  }

  private runRow(id: string): RunRow {
    const row = this.db.prepare(`SELECT ${runColumns} FROM runs r WHERE r.id = ?`).get(id) as RunRow | undefined;
    if (!row) throw notFound(`No run with id '${id}'.`);
    return row;
  }

  /** Params are write-once: the same value again is fine, a different one is an error. */
  private writeParams(pk: number, params: ReadonlyArray<{ key: string; value: string }>): void {
    for (const { key, value } of params) {
      if (this.insertParam.run(pk, key, value).changes === 1) continue;
      const existing = this.selectParam.get(pk, key)!.value;
      if (existing !== value) {
        throw invalid(
          `Param '${key}' was already logged with value '${existing}'; params are write-once, so '${value}' cannot replace it. Log it under another key or start a new run.`,
        );
      }
    }
  }

  dispose(): void {
    for (const emitter of [this.didCreateRun, this.didUpdateRun, this.didDeleteRun, this.didLogMetrics, this.didLogParams]) emitter.dispose();
  }
}
