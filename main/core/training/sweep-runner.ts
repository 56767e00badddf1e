import type { RunInfo } from '../../../shared/tracking';
import type { SweepSpec, TrainingConfig } from '../../../shared/training';
import type { TrackingService } from '../tracking/tracking-service';
import { flattenParams } from './flatten-params';
import type { StartedTraining, TrainingData } from './training-service';
import { goalOf, gridCombinations, randomCombinations, trialConfig } from './sweep-plan';

export interface StartedSweep {
  readonly runId: string;
  readonly done: Promise<{ run: RunInfo; bestRunId: string | null; trials: number }>;
}

interface Trainer {
  start(data: TrainingData, config: TrainingConfig, options: { experimentId?: string; name?: string; parentRunId?: string }): StartedTraining;
  cancel(runId: string): void;
}

/**
 * Grid or random search: a parent run, one nested run per trial, at most `parallel` trials in
 * workers at once; the best trial by the chosen metric is marked on the parent (tag and metric).
 * Cancelling the parent stops the running trials and starts no more.
 */
export function runSweep(
  deps: { tracking: TrackingService; trainer: Trainer; cancelled: Set<string> },
  data: TrainingData,
  base: TrainingConfig,
  spec: SweepSpec,
  options: { experimentId?: string; name?: string } = {},
): StartedSweep {
  const combinations = spec.method === 'grid' ? gridCombinations(spec.parameters) : randomCombinations(spec.parameters, spec.trials, spec.seed);
  const configs = combinations.map((values) => ({ values, config: trialConfig(base, values) }));
  const goal = goalOf(spec);
  const { tracking } = deps;
  const parent = tracking.createRun({
    ...(options.experimentId ? { experimentId: options.experimentId } : {}),
    name: options.name ?? `sweep-${spec.method}`,
    params: [
      { key: 'sweep.method', value: spec.method },
      { key: 'sweep.metric', value: `${spec.metric} (${goal})` },
      { key: 'sweep.trials', value: String(configs.length) },
      { key: 'sweep.parameters', value: Object.keys(spec.parameters).join(',') },
    ],
    tags: [{ key: 'trainyard.kind', value: 'sweep' }],
  });
  const done = (async () => {
    const results: Array<{ runId: string; value: number | null }> = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < configs.length && !deps.cancelled.has(parent.id)) {
        const index = next++;
        const { values, config } = configs[index]!;
        const started = deps.trainer.start(data, config, {
          ...(options.experimentId ? { experimentId: options.experimentId } : {}),
          name: `trial-${index + 1}`,
          parentRunId: parent.id,
        });
        tracking.logBatch({ runId: started.runId, tags: flattenParams({ sweep: values }).map(({ key, value }) => ({ key, value: value.slice(0, 8000) })) });
        const { run } = await started.done;
        const metric = tracking.getRun(run.id).metrics[spec.metric];
        results.push({ runId: run.id, value: run.status === 'FINISHED' && metric && Number.isFinite(metric.value) ? metric.value : null });
      }
    };
    await Promise.all(Array.from({ length: Math.min(spec.parallel, configs.length) }, worker));
    const scored = results.filter((result): result is { runId: string; value: number } => result.value !== null);
    scored.sort((a, b) => (goal === 'minimize' ? a.value - b.value : b.value - a.value));
    const best = scored[0] ?? null;
    if (best) {
      tracking.logBatch({
        runId: parent.id,
        tags: [{ key: 'trainyard.best_run', value: best.runId }],
        metrics: [{ key: `best_${spec.metric}`, value: best.value, step: 0 }],
      });
    }
    const status = deps.cancelled.has(parent.id) ? 'KILLED' : best ? 'FINISHED' : 'FAILED';
    deps.cancelled.delete(parent.id);
    return { run: tracking.endRun(parent.id, status), bestRunId: best?.runId ?? null, trials: results.length };
  })();
  return { runId: parent.id, done };
}
