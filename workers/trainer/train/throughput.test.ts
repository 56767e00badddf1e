/**
 * Throughput of the bench MLP (TOOLCHAIN's: 32→128→128→10, Adam, batch 256, 2 threads), fused
 * Loop vs one run per step, printed and not asserted: timings move with the machine and with
 * whatever else vitest runs in parallel (run this file alone for figures worth quoting).
 * The full comparison with PyTorch belongs to bench/ (issue item Benchmarks).
 */
import { describe, expect, it } from 'vitest';
import { blobs } from './test-data';
import { train } from './train';
import type { TrainConfig } from './types';

describe('throughput (printed, not asserted)', () => {
  it('MLP 32→128→128→10, Adam, batch 256, 2 threads: Loop vs per-step samples/s', async () => {
    const rows = 256 * 100;
    const data = blobs(rows, 32, 10, 3);
    const config: TrainConfig = {
      model: { task: 'classification', inputs: 32, hidden: [128, 128], classes: 10 },
      optimizer: { kind: 'adam', lr: 1e-3 },
      epochs: 4,
      batchSize: 256,
      intraOpNumThreads: 2,
      seed: 1,
    };
    const rates: Record<string, number[]> = {};
    // Alternate the modes so drift on a busy machine hits both alike.
    for (const execution of ['step', 'loop', 'step', 'loop'] as const) {
      const result = await train({ ...config, execution }, data);
      expect(result.execution).toBe(execution);
      // Epoch 1 pays for session warm-up; the others are steady state.
      (rates[execution] ??= []).push(...result.history.slice(1).map((h) => h.samplesPerSec));
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    const loop = median(rates.loop!);
    const step = median(rates.step!);
    process.stdout.write(`THROUGHPUT\tMLP 32-128-128-10 Adam b256 2 threads\tloop ${Math.round(loop)} samples/s\tper-step ${Math.round(step)} samples/s\tratio ${(loop / step).toFixed(2)}\n`);
    expect(loop).toBeGreaterThan(0);
  }, 120_000);
});
