/**
 * Bench-only: fills a home with one pipeline and many finished DAG runs, written straight into
 * the store (PipelineStore, the rows the orchestrator writes) — triggering and running 1,000
 * DAG runs would take an hour. Call it before a UI server opens the same home: the workbench it
 * opens holds the home's single-writer lock until it is disposed.
 */
import type { DagRunState, TaskState } from '../../shared/pipelines';
import { openWorkbench } from '../../main/core/workbench';

export interface SeededPipeline {
  readonly pipeline: string;
  readonly steps: readonly string[];
  readonly runs: number;
  readonly ms: number;
}

/** Ten steps with a fan-out and a fan-in, as a real training pipeline has. */
const stepIds = ['extract', 'clean', 'profile', 'features_a', 'features_b', 'train', 'evaluate', 'register', 'notify', 'report'];
const upstream: Record<string, string[]> = {
  extract: [], clean: ['extract'], profile: ['extract'], features_a: ['clean'], features_b: ['clean', 'profile'],
  train: ['features_a', 'features_b'], evaluate: ['train'], register: ['evaluate'], notify: ['evaluate'], report: ['register', 'notify'],
};

export function gridSpec(name: string, taskCount: number): string {
  const steps = stepIds.slice(0, taskCount);
  const lines = [`name: ${name}`, 'description: Bench pipeline for the grid view.', 'steps:'];
  for (const id of steps) {
    const ups = (upstream[id] ?? []).filter((up) => steps.includes(up));
    lines.push(`  ${id}:`, '    kind: command', `    depends_on: [${ups.join(', ')}]`, '    params: { command: "true" }');
  }
  return `${lines.join('\n')}\n`;
}

export async function seedPipelineRuns(home: string, options: { runs: number; tasks: number; name?: string }): Promise<SeededPipeline> {
  const started = performance.now();
  const name = options.name ?? 'bench-grid';
  const workbench = await openWorkbench({ home, shell: 'browser', workersDir: '' });
  try {
    const spec = gridSpec(name, options.tasks);
    const summary = workbench.pipelines.register(spec);
    const steps = summary.steps.map((step) => step.id);
    const store = workbench.pipelines.store;
    const pipelineId = store.pipeline(name).id;
    const day = 86_400_000;
    const first = Date.UTC(2024, 0, 1);
    workbench.db.transaction(() => {
      for (let index = 0; index < options.runs; index += 1) {
        const logicalDate = first + index * day;
        const id = store.insertDagRun(
          {
            pipeline_id: pipelineId, run_id: `scheduled__${new Date(logicalDate).toISOString()}`, kind: index % 9 === 0 ? 'manual' : 'scheduled', state: 'queued',
            logical_date: logicalDate, created_at: logicalDate, params: '{}', spec, base_dir: null, code_version: null, inputs: '[]', rerun_of: null, force: 0,
          },
          steps.map((taskId) => ({ taskId, kind: 'command' as const, maxTries: 2 })),
        );
        // A deterministic mix: mostly green, a failure every 13th run (its downstream upstream_failed), a retry every 7th.
        const failAt = index % 13 === 5 ? 1 + (index % (steps.length - 1)) : -1;
        let clock = logicalDate + 1_000;
        let failed = false;
        const rows = store.taskRows(id);
        steps.forEach((taskId, position) => {
          const row = rows.find((candidate) => candidate.task_id === taskId)!;
          if (failed && position > failAt) {
            store.updateTask(row.id, { state: 'upstream_failed', ended_at: clock });
            return;
          }
          const tries = index % 7 === 3 && position === 2 ? 2 : 1;
          for (let attempt = 1; attempt <= tries; attempt += 1) {
            const begin = clock;
            clock += 5_000 + ((index * 31 + position * 17) % 40) * 1_000;
            const state: TaskState = position === failAt ? 'failed' : attempt < tries ? 'failed' : 'success';
            store.insertAttempt(row.id, attempt, `${home}/logs/none.log`, begin);
            store.updateAttempt(row.id, attempt, { state, ended_at: clock, message: state === 'failed' ? 'The command exited with code 1.' : null });
          }
          const state: TaskState = position === failAt ? 'failed' : 'success';
          if (state === 'failed') failed = true;
          store.updateTask(row.id, { state, try_number: tries, started_at: clock - 5_000, ended_at: clock, outputs: '{}', message: state === 'failed' ? 'The command exited with code 1.' : null });
        });
        const runState: DagRunState = failed ? 'failed' : 'success';
        store.updateDagRun(id, { state: runState, started_at: logicalDate + 1_000, ended_at: clock });
      }
    })();
    return { pipeline: name, steps, runs: options.runs, ms: performance.now() - started };
  } finally {
    await workbench.dispose();
  }
}
