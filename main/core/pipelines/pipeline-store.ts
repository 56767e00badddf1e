/**
 * Rows of pipelines, DAG runs, task instances and attempts, read into the contract's shapes
 * (shared/pipelines.ts). Only the orchestrator writes; every write is one statement or one
 * transaction, so a crash leaves rows the recovery at start-up can read.
 */
import { notFound } from '../../../shared/errors';
import type { Attempt, DagRun, DagRunState, ParamValue, StepKind, TaskInstance, TaskState } from '../../../shared/pipelines';
import type { Database } from '../db/database';

export interface PipelineRow {
  id: number;
  name: string;
  spec: string;
  path: string | null;
  paused: number;
  created_at: number;
  updated_at: number;
}

export interface DagRunRow {
  id: number;
  pipeline_id: number;
  pipeline: string;
  run_id: string;
  kind: DagRun['kind'];
  state: DagRunState;
  logical_date: number;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  params: string;
  spec: string;
  base_dir: string | null;
  code_version: string | null;
  inputs: string;
  rerun_of: number | null;
  force: number;
}

export interface TaskRow {
  id: number;
  dag_run_id: number;
  task_id: string;
  kind: StepKind;
  state: TaskState;
  try_number: number;
  max_tries: number;
  started_at: number | null;
  ended_at: number | null;
  next_retry_at: number | null;
  outputs: string;
  cache_key: string | null;
  cached_from: string | null;
  message: string | null;
}

interface AttemptRow {
  try_number: number;
  state: TaskState;
  started_at: number | null;
  ended_at: number | null;
  message: string | null;
  run_id: string | null;
  log_path: string;
}

const dagRunColumns = 'r.*, p.name AS pipeline FROM dag_runs r JOIN pipelines p ON p.id = r.pipeline_id';

/** `<pipeline>/<run id>`: the public id of a DAG run. */
export const dagRunKey = (pipeline: string, runId: string): string => `${pipeline}/${runId}`;

export class PipelineStore {
  constructor(readonly db: Database) {}

  pipeline(name: string): PipelineRow {
    const row = this.db.prepare('SELECT * FROM pipelines WHERE name = ?').get(name) as PipelineRow | undefined;
    if (!row) throw notFound(`No pipeline named '${name}'.`);
    return row;
  }

  pipelines(): PipelineRow[] {
    return this.db.prepare('SELECT * FROM pipelines ORDER BY name').all() as PipelineRow[];
  }

  upsertPipeline(name: string, spec: string, path: string | null): PipelineRow {
    const now = Date.now();
    this.db
      .prepare('INSERT INTO pipelines (name, spec, path, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, path = excluded.path, updated_at = excluded.updated_at')
      .run(name, spec, path, now, now);
    return this.pipeline(name);
  }

  setPaused(name: string, paused: boolean): void {
    this.db.prepare('UPDATE pipelines SET paused = ?, updated_at = ? WHERE id = ?').run(paused ? 1 : 0, Date.now(), this.pipeline(name).id);
  }

  dagRunRow(key: string): DagRunRow {
    const slash = key.indexOf('/');
    const row = slash > 0 ? (this.db.prepare(`SELECT ${dagRunColumns} WHERE p.name = ? AND r.run_id = ?`).get(key.slice(0, slash), key.slice(slash + 1)) as DagRunRow | undefined) : undefined;
    if (!row) throw notFound(`No DAG run '${key}'; DAG runs are named <pipeline>/<run id>, e.g. example/manual__2026-01-01T00:00:00.000Z.`);
    return row;
  }

  dagRunRowById(id: number): DagRunRow {
    return this.db.prepare(`SELECT ${dagRunColumns} WHERE r.id = ?`).get(id) as DagRunRow;
  }

  dagRunRows(filter: { pipeline?: string; states?: readonly DagRunState[]; limit?: number; before?: number } = {}): DagRunRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.pipeline) {
      where.push('p.name = ?');
      args.push(filter.pipeline);
    }
    if (filter.states && filter.states.length > 0) {
      where.push(`r.state IN (${filter.states.map(() => '?').join(', ')})`);
      args.push(...filter.states);
    }
    if (filter.before !== undefined) {
      where.push('r.id < ?');
      args.push(filter.before);
    }
    const sql = `SELECT ${dagRunColumns}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id DESC${filter.limit ? ` LIMIT ${Math.floor(filter.limit)}` : ''}`;
    return this.db.prepare(sql).all(...args) as DagRunRow[];
  }

  insertDagRun(run: Omit<DagRunRow, 'id' | 'pipeline' | 'started_at' | 'ended_at'>, tasks: ReadonlyArray<{ taskId: string; kind: StepKind; maxTries: number }>): number {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO dag_runs (pipeline_id, run_id, kind, state, logical_date, created_at, params, spec, base_dir, code_version, inputs, rerun_of, force)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(run.pipeline_id, run.run_id, run.kind, run.state, run.logical_date, run.created_at, run.params, run.spec, run.base_dir, run.code_version, run.inputs, run.rerun_of, run.force);
      const insert = this.db.prepare('INSERT INTO task_instances (dag_run_id, task_id, kind, max_tries) VALUES (?, ?, ?, ?)');
      for (const task of tasks) insert.run(lastInsertRowid, task.taskId, task.kind, task.maxTries);
      return Number(lastInsertRowid);
    })();
  }

  updateDagRun(id: number, changes: Partial<Pick<DagRunRow, 'state' | 'started_at' | 'ended_at' | 'inputs'>>): void {
    const keys = Object.keys(changes) as Array<keyof typeof changes>;
    if (keys.length === 0) return;
    this.db.prepare(`UPDATE dag_runs SET ${keys.map((key) => `${key} = ?`).join(', ')} WHERE id = ?`).run(...keys.map((key) => changes[key] ?? null), id);
  }

  taskRows(dagRunId: number): TaskRow[] {
    return this.db.prepare('SELECT * FROM task_instances WHERE dag_run_id = ? ORDER BY id').all(dagRunId) as TaskRow[];
  }

  taskRow(dagRunId: number, taskId: string): TaskRow {
    const row = this.db.prepare('SELECT * FROM task_instances WHERE dag_run_id = ? AND task_id = ?').get(dagRunId, taskId) as TaskRow | undefined;
    if (!row) throw notFound(`This DAG run has no task '${taskId}'.`);
    return row;
  }

  updateTask(id: number, changes: Partial<Omit<TaskRow, 'id' | 'dag_run_id' | 'task_id' | 'kind'>>): void {
    const keys = Object.keys(changes) as Array<keyof typeof changes>;
    if (keys.length === 0) return;
    this.db.prepare(`UPDATE task_instances SET ${keys.map((key) => `${key} = ?`).join(', ')} WHERE id = ?`).run(...keys.map((key) => changes[key] ?? null), id);
  }

  insertAttempt(taskInstanceId: number, tryNumber: number, logPath: string, startedAt: number): void {
    this.db.prepare("INSERT INTO task_attempts (task_instance_id, try_number, state, started_at, log_path) VALUES (?, ?, 'running', ?, ?)").run(taskInstanceId, tryNumber, startedAt, logPath);
  }

  updateAttempt(taskInstanceId: number, tryNumber: number, changes: Partial<Pick<AttemptRow, 'state' | 'ended_at' | 'message' | 'run_id'>>): void {
    const keys = Object.keys(changes) as Array<keyof typeof changes>;
    if (keys.length === 0) return;
    this.db.prepare(`UPDATE task_attempts SET ${keys.map((key) => `${key} = ?`).join(', ')} WHERE task_instance_id = ? AND try_number = ?`).run(...keys.map((key) => changes[key] ?? null), taskInstanceId, tryNumber);
  }

  attemptLog(taskInstanceId: number, tryNumber: number): string {
    const row = this.db.prepare('SELECT log_path FROM task_attempts WHERE task_instance_id = ? AND try_number = ?').get(taskInstanceId, tryNumber) as { log_path: string } | undefined;
    if (!row) throw notFound(`No attempt ${tryNumber} of this task.`);
    return row.log_path;
  }

  /** The newest successful instance with this cache key (a run of the same step with the same inputs). */
  cached(cacheKey: string, excludeDagRun: number): { outputs: string; dagRun: string } | null {
    const row = this.db
      .prepare(
        `SELECT t.outputs, p.name AS pipeline, r.run_id FROM task_instances t JOIN dag_runs r ON r.id = t.dag_run_id JOIN pipelines p ON p.id = r.pipeline_id
         WHERE t.cache_key = ? AND t.state = 'success' AND t.dag_run_id != ? ORDER BY t.ended_at DESC LIMIT 1`,
      )
      .get(cacheKey, excludeDagRun) as { outputs: string; pipeline: string; run_id: string } | undefined;
    return row ? { outputs: row.outputs, dagRun: dagRunKey(row.pipeline, row.run_id) } : null;
  }

  toDagRun(row: DagRunRow): DagRun {
    return this.toDagRuns([row])[0]!;
  }

  /** Many DAG runs in three queries (the grid reads a thousand at once). */
  toDagRuns(rows: readonly DagRunRow[]): DagRun[] {
    if (rows.length === 0) return [];
    const ids = JSON.stringify(rows.map((row) => row.id));
    const tasks = this.db.prepare('SELECT * FROM task_instances WHERE dag_run_id IN (SELECT value FROM json_each(?)) ORDER BY id').all(ids) as TaskRow[];
    const attempts = this.db
      .prepare(
        `SELECT a.task_instance_id, a.try_number, a.state, a.started_at, a.ended_at, a.message, a.run_id, a.log_path FROM task_attempts a
         JOIN task_instances t ON t.id = a.task_instance_id WHERE t.dag_run_id IN (SELECT value FROM json_each(?)) ORDER BY a.try_number`,
      )
      .all(ids) as Array<AttemptRow & { task_instance_id: number }>;
    const attemptsOf = new Map<number, Attempt[]>();
    for (const attempt of attempts) {
      const list = attemptsOf.get(attempt.task_instance_id) ?? [];
      list.push({ tryNumber: attempt.try_number, state: attempt.state, startedAt: attempt.started_at, endedAt: attempt.ended_at, message: attempt.message, runId: attempt.run_id });
      attemptsOf.set(attempt.task_instance_id, list);
    }
    const tasksOf = new Map<number, TaskInstance[]>();
    for (const task of tasks) {
      const list = tasksOf.get(task.dag_run_id) ?? [];
      list.push({
        taskId: task.task_id,
        kind: task.kind,
        state: task.state,
        tryNumber: task.try_number,
        maxTries: task.max_tries,
        startedAt: task.started_at,
        endedAt: task.ended_at,
        nextRetryAt: task.next_retry_at,
        outputs: JSON.parse(task.outputs) as Record<string, string>,
        cachedFrom: task.cached_from,
        message: task.message,
        attempts: attemptsOf.get(task.id) ?? [],
      });
      tasksOf.set(task.dag_run_id, list);
    }
    const keyById = new Map(rows.map((row) => [row.id, dagRunKey(row.pipeline, row.run_id)]));
    return rows.map((row) => {
      let rerunOf: string | null = null;
      if (row.rerun_of !== null) {
        const original = keyById.get(row.rerun_of) ?? (() => {
          const found = this.dagRunRowById(row.rerun_of!);
          return found ? dagRunKey(found.pipeline, found.run_id) : null;
        })();
        rerunOf = original;
      }
      return {
        id: dagRunKey(row.pipeline, row.run_id),
        pipeline: row.pipeline,
        runId: row.run_id,
        kind: row.kind,
        state: row.state,
        logicalDate: row.logical_date,
        createdAt: row.created_at,
        startedAt: row.started_at,
        endedAt: row.ended_at,
        params: JSON.parse(row.params) as Record<string, ParamValue>,
        rerunOf,
        codeVersion: row.code_version,
        inputs: JSON.parse(row.inputs) as string[],
        tasks: tasksOf.get(row.id) ?? [],
      };
    });
  }
}
