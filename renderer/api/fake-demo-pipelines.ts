import type { WorkbenchApi } from '../../shared/api';
import type { DagRun, TaskInstance, TaskState } from '../../shared/pipelines';
import type { FakeBackend } from './fake-api';
import { logKey } from './fake-pipelines';

/**
 * Demo pipelines for `?demo`: `churn-weekly` (ingest → validate → prepare → train → evaluate →
 * register, with a notify branch) with ten weeks of history in every state Airflow has — a
 * failed gate leaving register upstream_failed, a train that needed a retry, cached steps, a
 * cancelled run — and one run going on now, its logs growing; plus `feature-fanout`, a paused
 * fan-out/fan-in pipeline that shows the graph layout.
 */

const churnSpec = `name: churn-weekly
description: Re-trains the churn model on the newest customers export and registers it when it passes the gate.
tags: [growth]
params:
  epochs: 20
  lr: 0.01
  balanced: false
  min_accuracy: 0.8
schedule:
  cron: "0 3 * * 1"
  timezone: Europe/Paris
steps:
  ingest:
    kind: ingest
    params: { path: data/customers.csv, name: customers }
  validate:
    kind: validate
    params: { dataset: "\${{ steps.ingest.outputs.dataset }}", suite: suites/customers.json }
  prepare:
    kind: preprocess
    params:
      dataset: "\${{ steps.ingest.outputs.dataset }}"
      output: customers-clean
      steps: [{ op: impute, columns: [income], strategy: median }, { op: split, fractions: { train: 0.8, test: 0.2 }, seed: 42 }]
  train:
    kind: train
    depends_on: [prepare, validate]
    retries: 2
    retry_delay: 30s
    params: { dataset: "\${{ steps.prepare.outputs.dataset }}", target: churned, epochs: "\${{ params.epochs }}" }
  evaluate:
    kind: evaluate
    params: { model: "\${{ steps.train.outputs.model }}", dataset: "\${{ steps.prepare.outputs.dataset }}", fail_if: "metrics.accuracy < 0.8" }
  register:
    kind: register
    params: { model: "\${{ steps.train.outputs.model }}", name: churn }
  notify:
    kind: command
    depends_on: [validate]
    params: { command: "echo customers validated" }
`;

const fanoutSpec = `name: feature-fanout
description: Builds four feature tables from one export in parallel, then joins them.
params:
  window_days: 28
steps:
  extract: { kind: ingest, params: { path: data/events.parquet, name: events } }
  sessions: { kind: features, depends_on: [extract], params: { dataset: events, steps: [{ op: drop, columns: [raw] }] } }
  spend: { kind: features, depends_on: [extract], params: { dataset: events, steps: [{ op: drop, columns: [raw] }] } }
  support: { kind: features, depends_on: [extract], params: { dataset: events, steps: [{ op: drop, columns: [raw] }] } }
  churn_labels: { kind: command, depends_on: [], params: { command: "python labels.py" } }
  join: { kind: command, depends_on: [sessions, spend, support, churn_labels], params: { command: "python join.py" } }
  publish: { kind: command, depends_on: [join, extract], params: { command: "python publish.py" } }
`;

const hour = 3_600_000;
const week = 7 * 24 * hour;

interface Planned {
  readonly state: TaskState;
  readonly tries?: number;
  readonly message?: string;
  readonly cachedFrom?: string;
  readonly outputs?: Record<string, string>;
  readonly ms?: number;
}

export async function seedDemoPipelines(api: WorkbenchApi, backend: FakeBackend): Promise<void> {
  await api['pipelines.register']({ text: churnSpec });
  await api['pipelines.register']({ text: fanoutSpec });
  await api['pipelines.pause']({ name: 'feature-fanout', paused: true });
  const fake = backend.pipelines;
  const trainRun = [...backend.runs.values()].find((run) => run.name === 'churn-mlp-128')?.id ?? null;
  const steps = fake.pipelines.get('churn-weekly')!.read;
  const started = Date.now() - 10 * week;

  /** A finished historical run: tasks in file order with their plan; durations add up along the way. */
  const history = (index: number, kind: DagRun['kind'], plan: Record<string, Planned>, extra: Partial<DagRun> = {}): DagRun => {
    const logicalDate = started + index * week;
    const runId = `${kind}__${new Date(logicalDate).toISOString()}`;
    const id = `churn-weekly/${runId}`;
    let clock = logicalDate + 60_000;
    const logs: Record<string, string> = {};
    const tasks = steps.stepOrder.map((taskId): TaskInstance => {
      const spec = steps.spec.steps[taskId]!;
      const planned = plan[taskId] ?? { state: 'success' };
      const tries = planned.tries ?? (['none', 'upstream_failed', 'skipped'].includes(planned.state) ? 0 : 1);
      const attempts = Array.from({ length: tries }, (_, attempt) => {
        const begin = clock;
        clock += planned.ms ?? 40_000 + ((index * 7 + taskId.length * 13) % 9) * 10_000;
        const last = attempt === tries - 1;
        const attemptState = last ? planned.state : 'failed';
        const message = last ? (planned.message ?? null) : 'CUDA out of memory: fell back to CPU on the next try';
        logs[logKey(id, taskId, attempt + 1)] = [
          `[${new Date(begin).toISOString()}] Starting attempt ${attempt + 1} of ${spec.retries + 1} of ${taskId} (${spec.kind}) in ${id}`,
          `[${new Date(begin + 500).toISOString()}] ${planned.cachedFrom ? `unchanged since ${planned.cachedFrom}: reusing its outputs` : `${taskId}: working`}`,
          `[${new Date(clock).toISOString()}] ${attemptState === 'success' ? `Marked success; outputs ${JSON.stringify(planned.outputs ?? {})}` : `Failed: ${message}`}`,
          '',
        ].join('\n');
        return { tryNumber: attempt + 1, state: attemptState, startedAt: begin, endedAt: clock, message, runId: spec.kind === 'train' || spec.kind === 'evaluate' ? trainRun : null };
      });
      const first = attempts[0]?.startedAt ?? null;
      return {
        taskId, kind: spec.kind, state: planned.state, tryNumber: tries, maxTries: spec.retries + 1, startedAt: attempts.at(-1)?.startedAt ?? first,
        endedAt: attempts.at(-1)?.endedAt ?? (planned.state === 'none' ? null : clock), nextRetryAt: null, outputs: planned.state === 'success' ? (planned.outputs ?? {}) : {},
        cachedFrom: planned.cachedFrom ?? null, message: planned.message ?? null, attempts,
      };
    });
    const failed = tasks.some((task) => task.state === 'failed' || task.state === 'upstream_failed');
    const run: DagRun = {
      id, pipeline: 'churn-weekly', runId, kind, state: failed ? 'failed' : 'success', logicalDate, createdAt: logicalDate, startedAt: logicalDate + 60_000, endedAt: clock,
      params: { epochs: 20, lr: 0.01, balanced: false, min_accuracy: 0.8 }, rerunOf: null, codeVersion: '9f2c1e7a4b3d5e6f7a8b9c0d1e2f3a4b5c6d7e8f', inputs: ['customers@2'], tasks, ...extra,
    };
    fake.insert(run, logs);
    return run;
  };

  const outputs: Record<string, Record<string, string>> = {
    ingest: { dataset: 'customers@2' },
    validate: { dataset: 'customers@2', report: '2', success: 'true' },
    prepare: { dataset: 'customers-clean@1' },
    train: trainRun ? { run: trainRun, model: `runs:/${trainRun}/model` } : {},
    evaluate: trainRun ? { run: trainRun } : {},
    register: { model_version: 'models:/churn/2', version: '2' },
  };
  const ok = (task: string): Planned => ({ state: 'success', outputs: outputs[task] });
  const first = history(0, 'scheduled', { ingest: ok('ingest'), validate: ok('validate'), prepare: ok('prepare'), train: ok('train'), evaluate: ok('evaluate'), register: ok('register') });
  const cached = (task: string): Planned => ({ state: 'success', outputs: outputs[task], cachedFrom: first.id, ms: 800 });
  history(1, 'scheduled', { ingest: ok('ingest'), validate: cached('validate'), prepare: cached('prepare'), train: { state: 'success', tries: 2, outputs: outputs.train }, evaluate: ok('evaluate'), register: ok('register') });
  history(2, 'scheduled', {
    ingest: ok('ingest'), validate: ok('validate'), prepare: ok('prepare'), train: ok('train'),
    evaluate: { state: 'failed', message: 'fail_if holds: metrics.accuracy = 0.71 < 0.8' }, register: { state: 'upstream_failed' },
  });
  const manual = history(3, 'manual', { ingest: ok('ingest'), validate: ok('validate'), prepare: ok('prepare'), train: ok('train'), evaluate: ok('evaluate'), register: ok('register') }, { params: { epochs: 40, lr: 0.003, balanced: true, min_accuracy: 0.8 } });
  history(4, 'rerun', { ingest: ok('ingest'), validate: ok('validate'), prepare: ok('prepare'), train: ok('train'), evaluate: ok('evaluate'), register: ok('register') }, { rerunOf: manual.id, params: manual.params });
  history(5, 'scheduled', { ingest: { state: 'failed', message: 'Cannot read data/customers.csv: no such file.' }, validate: { state: 'upstream_failed' }, prepare: { state: 'upstream_failed' }, train: { state: 'upstream_failed' }, evaluate: { state: 'upstream_failed' }, register: { state: 'upstream_failed' }, notify: { state: 'upstream_failed' } });
  history(6, 'scheduled', { ingest: ok('ingest'), validate: ok('validate'), prepare: ok('prepare'), train: { state: 'failed', tries: 3, message: 'CUDA out of memory' }, evaluate: { state: 'upstream_failed' }, register: { state: 'upstream_failed' } });
  history(7, 'dataset', { ingest: ok('ingest'), validate: cached('validate'), prepare: cached('prepare'), train: ok('train'), evaluate: ok('evaluate'), register: ok('register') });
  history(8, 'manual', {
    ingest: ok('ingest'), validate: ok('validate'), prepare: ok('prepare'), train: { state: 'failed', message: 'Stopped: cancelled by the user' },
    evaluate: { state: 'skipped', message: 'the DAG run was cancelled' }, register: { state: 'skipped', message: 'the DAG run was cancelled' },
  });
  history(9, 'scheduled', { ingest: ok('ingest'), validate: ok('validate'), prepare: ok('prepare'), train: ok('train'), evaluate: ok('evaluate'), register: ok('register') });

  // The live run: simulated by the fake, slowly, with a flaky train that succeeds on its second try.
  fake.taskMs = 2500;
  fake.retryMs = 4000;
  fake.script = (_pipeline, taskId, tryNumber) => {
    const lines =
      taskId === 'train'
        ? Array.from({ length: 12 }, (_, index) => `epoch ${index + 1}/12 · train_loss ${(0.7 / (index + 1 + tryNumber)).toFixed(4)} · val_accuracy ${(0.7 + index * 0.015).toFixed(3)}`)
        : [`${taskId}: reading inputs`, `${taskId}: working`, `${taskId}: writing outputs`];
    if (taskId === 'train' && tryNumber === 1) return { lines, fail: 'CUDA out of memory: fell back to CPU on the next try' };
    return { lines, outputs: outputs[taskId] ?? {} };
  };
  await api['pipelines.trigger']({ name: 'churn-weekly', params: { epochs: 30 } });
}
