import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunsSearchOutput } from '../../../shared/api';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

let workbench: Workbench;
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(() => workbench.dispose());

async function search(input: unknown): Promise<RunsSearchOutput> {
  const result = await workbench.dispatch('runs.search', input);
  if (!result.ok) throw new Error(result.error.message);
  return result.result as RunsSearchOutput;
}
const names = (output: RunsSearchOutput): string[] => output.runs.map((run) => run.name).sort();

/** sweep → 2 trials → 2 folds each, plus an unrelated run that must never show up. */
function createSweep() {
  const tracking = workbench.tracking;
  const sweep = tracking.createRun({ name: 'sweep' });
  const trials = [0, 1].map((trial) => tracking.createRun({ name: `trial-${trial}`, parentRunId: sweep.id }));
  const folds = trials.flatMap((trial, t) => [0, 1].map((fold) => tracking.createRun({ name: `fold-${t}-${fold}`, parentRunId: trial.id })));
  tracking.createRun({ name: 'other' });
  return { sweep, trials, folds };
}

describe('runs.search by ancestorRunId', () => {
  it('returns every run below the ancestor at any depth, not the ancestor itself', async () => {
    const { sweep, trials } = createSweep();
    const all = await search({ ancestorRunId: sweep.id });
    expect(names(all)).toEqual(['fold-0-0', 'fold-0-1', 'fold-1-0', 'fold-1-1', 'trial-0', 'trial-1']);
    expect(all.total).toBe(6);
    expect(names(await search({ ancestorRunId: trials[1]!.id }))).toEqual(['fold-1-0', 'fold-1-1']);
  });

  it('combines with the filter and pages like any other search', async () => {
    const { sweep } = createSweep();
    expect(names(await search({ ancestorRunId: sweep.id, filter: "run_name LIKE 'fold-%'" }))).toHaveLength(4);
    const first = await search({ ancestorRunId: sweep.id, maxResults: 4 });
    const second = await search({ ancestorRunId: sweep.id, maxResults: 4, pageToken: first.nextPageToken });
    expect(second.nextPageToken).toBeNull();
    expect(new Set([...first.runs, ...second.runs].map((run) => run.id)).size).toBe(6);
  });

  it('leaves deleted descendants out of the active view and lists them in the deleted view', async () => {
    const { sweep, trials } = createSweep();
    workbench.tracking.setDeleted(trials[0]!.id, true);
    expect(names(await search({ ancestorRunId: sweep.id }))).toEqual(['fold-1-0', 'fold-1-1', 'trial-1']);
    expect(names(await search({ ancestorRunId: sweep.id, view: 'deleted' }))).toEqual(['fold-0-0', 'fold-0-1', 'trial-0']);
  });

  it('finds nothing below a leaf or an unknown run', async () => {
    const { folds } = createSweep();
    expect((await search({ ancestorRunId: folds[0]!.id })).total).toBe(0);
    expect((await search({ ancestorRunId: 'f'.repeat(32) })).total).toBe(0);
  });

  it('terminates on a parent cycle written behind the service', async () => {
    const { sweep, folds } = createSweep();
    // The service cannot make a cycle (a parent must exist first), but a hand-edited or imported
    // database could; the walk must still end.
    workbench.db.prepare('UPDATE runs SET parent_pk = (SELECT pk FROM runs WHERE id = ?) WHERE id = ?').run(folds[0]!.id, sweep.id);
    const below = await search({ ancestorRunId: sweep.id });
    expect(below.total).toBe(7);
    expect(names(below)).toContain('sweep');
  });

  it('refuses parentRunId and ancestorRunId together', async () => {
    const { sweep } = createSweep();
    const result = await workbench.dispatch('runs.search', { ancestorRunId: sweep.id, parentRunId: sweep.id });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(!result.ok && result.error.message).toMatch(/parentRunId.*ancestorRunId.*not both/);
  });
});
