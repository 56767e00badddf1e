/**
 * The bundled example (resources/examples/iris): all seven steps through the real services and
 * workers — ingest, validate, preprocess, features, train, evaluate (gated), register — then the
 * second run reuses every unchanged step, and "re-run exactly" recomputes from the pinned data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

const file = join(process.cwd(), 'resources', 'examples', 'iris', 'pipeline.yaml');
let workbench: Workbench & { home: string };
beforeEach(async () => {
  workbench = await openTestWorkbench();
  workbench.startBackground();
});
afterEach(() => workbench.dispose());

describe('the example pipeline', () => {
  it('runs ingest → validate → preprocess → features → train → evaluate → register, then caches and re-runs exactly', async () => {
    const { pipelines, registry } = workbench;
    const summary = pipelines.register(readFileSync(file, 'utf8'), file);
    expect(summary.steps.map((step) => step.id)).toEqual(['ingest', 'validate', 'preprocess', 'features', 'train', 'evaluate', 'register']);
    const first = await pipelines.waitFor((await pipelines.trigger('iris-example')).id);
    expect(first.state).toBe('success');
    expect(first.tasks.map((task) => task.state)).toEqual(Array(7).fill('success'));
    expect(first.inputs).toEqual(['iris-clean@1', 'iris-features@1', 'iris@1']);
    const evaluate = first.tasks.find((task) => task.taskId === 'evaluate')!;
    const accuracy = workbench.tracking.getRun(evaluate.outputs.run!).metrics.accuracy!.value;
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
    const champion = registry.versionByAlias('iris-classifier', 'champion');
    expect(champion.version).toBe(1);
    expect(champion.tags['trainyard.dag_run']).toBe(first.id);

    const second = await pipelines.waitFor((await pipelines.trigger('iris-example')).id);
    expect(second.state).toBe('success');
    expect(second.tasks.filter((task) => task.cachedFrom === first.id).map((task) => task.taskId)).toEqual(['validate', 'preprocess', 'features', 'train', 'evaluate', 'register']);
    expect(registry.versions('iris-classifier')).toHaveLength(1);

    const again = await pipelines.waitFor((await pipelines.rerun(first.id)).id);
    expect(again).toMatchObject({ state: 'success', rerunOf: first.id, kind: 'rerun', params: first.params });
    expect(again.tasks.every((task) => task.cachedFrom === null)).toBe(true);
    expect(again.inputs).toEqual(first.inputs);
    expect(registry.versions('iris-classifier')).toHaveLength(2);
  }, 180_000);

  it('fails at the gate and does not register when the accuracy is below the bar', async () => {
    const { pipelines, registry } = workbench;
    pipelines.register(readFileSync(file, 'utf8'), file);
    const run = await pipelines.waitFor((await pipelines.trigger('iris-example', { params: { epochs: '1', min_accuracy: '1.01' } })).id);
    expect(run.state).toBe('failed');
    const states = Object.fromEntries(run.tasks.map((task) => [task.taskId, task.state]));
    expect(states).toMatchObject({ train: 'success', evaluate: 'failed', register: 'upstream_failed' });
    expect(run.tasks.find((task) => task.taskId === 'evaluate')!.message).toMatch(/^The gate failed: metrics\.accuracy = [\d.]+ < 1\.01/);
    expect(registry.list()).toEqual([]);
  }, 180_000);
});
