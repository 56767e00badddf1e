// Orchestration overhead: a 200-task DAG of no-op `command` steps (each `node -e 0`), run as a
// chain so tasks never overlap, against bare `node -e 0` process starts measured in the same run.
// Per-task overhead = (DAG wall time / tasks) / bare start; goal ≤ 2×.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench } from '../main/core/workbench';
import { report, round, scratch } from './harness';

const tasks = Number(process.env.BENCH_PIPELINE_TASKS ?? 200);
const home = scratch('pipeline');

function bareStartMs(count: number): number {
  const started = performance.now();
  for (let i = 0; i < count; i++) spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  return (performance.now() - started) / count;
}

const command = JSON.stringify([process.execPath, '-e', '0']);
const steps = Array.from({ length: tasks }, (_, i) => `  t${i}:\n    kind: command\n    cache: false\n    params: { command: ${command} }`).join('\n');
const yaml = `name: overhead\nmax_active_tasks: 1\nsteps:\n${steps}\n`;
const file = join(home, 'pipeline.yaml');
writeFileSync(file, yaml);

const bareBefore = bareStartMs(20);
const workbench = await openWorkbench({ home, shell: 'browser', workersDir: '' });
workbench.startBackground();
workbench.pipelines.register(yaml, file);
const started = performance.now();
const run = await workbench.pipelines.waitFor((await workbench.pipelines.trigger('overhead')).id);
const wallMs = performance.now() - started;
await workbench.dispose();
const bareAfter = bareStartMs(20);
const bare = (bareBefore + bareAfter) / 2;
const perTask = wallMs / tasks;

report({
  benchmark: 'pipeline-overhead',
  tasks,
  state: run.state,
  dagWallMs: round(wallMs, 0),
  perTaskMs: round(perTask),
  bareNodeStartMs: round(bare),
  overheadRatio: round(perTask / bare),
  orchestrationMsPerTask: round(perTask - bare),
  goal: 'per-task time / bare `node -e 0` start ≤ 2',
});
