import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';
import { Scheduler } from './scheduler';

let workbench: Workbench & { home: string };
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(() => workbench.dispose());

const noop = JSON.stringify([process.execPath, '-e', '0']);
const hour = 3_600_000;

function spec(name: string, schedule: string): string {
  return `name: ${name}\nmax_active_runs: 8\n${schedule}\nsteps:\n  s: { kind: command, cache: false, params: { command: ${noop} } }\n`;
}

describe('scheduler', () => {
  it('creates one run per missed interval with catchup, only the latest without, at the interval start', async () => {
    const now = Date.UTC(2026, 10, 26, 12, 30);
    const start = new Date(now - 3 * hour - 30 * 60_000).toISOString(); // 09:00
    workbench.pipelines.register(spec('caught', `schedule: { cron: "@hourly", catchup: true, start_date: "${start}" }`));
    workbench.pipelines.register(spec('latest', `schedule: { cron: "@hourly", catchup: false, start_date: "${start}" }`));
    const scheduler = new Scheduler({ orchestrator: workbench.pipelines, datasets: workbench.datasets, now: () => now });
    try {
      expect(await scheduler.tick()).toBe(4);
      const iso = (name: string) => workbench.pipelines.dagRuns({ pipeline: name }).map((run) => run.runId).sort();
      // Intervals [9,10), [10,11), [11,12) are complete at 12:30; the run for [t, t+1) has logical date t.
      expect(iso('caught')).toEqual(['scheduled__2026-11-26T09:00:00.000Z', 'scheduled__2026-11-26T10:00:00.000Z', 'scheduled__2026-11-26T11:00:00.000Z']);
      expect(iso('latest')).toEqual(['scheduled__2026-11-26T11:00:00.000Z']);
      expect(await scheduler.tick()).toBe(0); // nothing new is due
    } finally {
      scheduler.dispose();
    }
  });

  it('leaves paused pipelines alone and starts a run when a watched dataset gets a new version', async () => {
    workbench.pipelines.register(spec('paused', 'schedule: { cron: "* * * * *", start_date: "2020-01-01T00:00:00Z" }'));
    workbench.pipelines.pause('paused', true);
    workbench.pipelines.register(`name: retrain\ntriggers: { datasets: [fresh] }\nsteps:\n  s: { kind: command, params: { command: ${noop} } }\n`);
    const scheduler = new Scheduler({ orchestrator: workbench.pipelines, datasets: workbench.datasets });
    scheduler.start();
    try {
      expect(await scheduler.tick()).toBe(0);
      const file = join(workbench.home, 'fresh.csv');
      writeFileSync(file, 'a,b\n1,2\n');
      await workbench.datasets.importPath(file);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const runs = workbench.pipelines.dagRuns({ pipeline: 'retrain' });
      expect(runs.map((run) => run.kind)).toEqual(['dataset']);
    } finally {
      scheduler.dispose();
    }
  });
});
