/**
 * Bench-only: fills a home with finished runs that each logged long metric series, through
 * TrackingService.logBatch in big batches (so the level-of-detail table is built as in real
 * use). Call it before a UI server opens the same home: the workbench holds the home's lock.
 */
import { openWorkbench } from '../../main/core/workbench';

export interface SeededComparison {
  readonly runIds: readonly string[];
  readonly keys: readonly string[];
  readonly steps: number;
  readonly ms: number;
}

/** Points logged per logBatch call (steps × keys): big, as a bulk import would send. */
const batchSteps = 10_000;

export async function seedComparison(home: string, options: { runs: number; steps: number; keys: readonly string[] }): Promise<SeededComparison> {
  const started = performance.now();
  const workbench = await openWorkbench({ home, shell: 'browser', workersDir: '' });
  try {
    const experimentId = workbench.experiments.create('bench-compare').id;
    const runIds: string[] = [];
    for (let index = 0; index < options.runs; index += 1) {
      const start = Date.UTC(2024, 0, 1) + index * 3_600_000;
      const run = workbench.tracking.createRun({ experimentId, name: `seed-${index}`, startTime: start, params: [{ key: 'seed', value: String(index) }] });
      for (let first = 0; first < options.steps; first += batchSteps) {
        const metrics: { key: string; step: number; timestamp: number; value: number }[] = [];
        for (let step = first; step < Math.min(options.steps, first + batchSteps); step += 1) {
          const timestamp = start + step * 50;
          // A decaying curve with deterministic noise, and one spike per run and key.
          options.keys.forEach((key, keyIndex) => {
            const noise = Math.sin(step * 12.9898 + index * 78.233 + keyIndex) * 0.02;
            const spike = step === (index * 997 + keyIndex * 31_337) % options.steps ? 5 : 0;
            metrics.push({ key, step, timestamp, value: (1 + keyIndex) / (1 + step / (500 + index)) + noise + spike });
          });
        }
        workbench.tracking.logBatch({ runId: run.id, metrics });
      }
      workbench.tracking.endRun(run.id, 'FINISHED', start + options.steps * 50);
      runIds.push(run.id);
    }
    return { runIds, keys: options.keys, steps: options.steps, ms: performance.now() - started };
  } finally {
    await workbench.dispose();
  }
}
