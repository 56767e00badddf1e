import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorkbenchEvent } from '../../../shared/events';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

let workbench: Workbench;
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(async () => {
  vi.useRealTimers();
  await workbench.dispose();
});

describe('event bridge', () => {
  it('merges a burst of metric logging into one notification per run', () => {
    const run = workbench.tracking.createRun({});
    vi.useFakeTimers();
    const events: WorkbenchEvent[] = [];
    workbench.onDidEmit((event) => events.push(event));
    for (let step = 0; step < 1000; step++) workbench.tracking.logBatch({ runId: run.id, metrics: [{ key: 'loss', value: step, step }, { key: 'acc', value: step, step: step * 2 }] });
    expect(events.filter((e) => e.name === 'metrics.logged')).toHaveLength(0);
    vi.advanceTimersByTime(150);
    const logged = events.filter((e) => e.name === 'metrics.logged');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.payload).toEqual({ runId: run.id, keys: [{ key: 'loss', lastStep: 999, count: 1000 }, { key: 'acc', lastStep: 1998, count: 1000 }] });
  });

  it('announces created, updated and deleted runs', () => {
    const events: string[] = [];
    workbench.onDidEmit((event) => events.push(event.name));
    const run = workbench.tracking.createRun({});
    workbench.tracking.endRun(run.id);
    workbench.tracking.setDeleted(run.id, true);
    expect(events).toEqual(['run.created', 'run.updated', 'run.deleted']);
  });
});
