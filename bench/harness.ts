import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

/** A scratch folder for one benchmark, removed at exit. */
export function scratch(name: string): string {
  const dir = mkdtempSync(join(os.tmpdir(), `trainyard-bench-${name}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function time<T>(action: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = action();
  return { ms: performance.now() - started, value };
}

/** Median of `repeats` timings after one warm-up, so one GC pause does not decide a figure. */
export function medianMs(repeats: number, action: () => unknown): number {
  action();
  const samples = Array.from({ length: repeats }, () => time(action).ms).sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** Every benchmark prints one JSON object on stdout. */
export function report(figures: Record<string, unknown>): void {
  console.log(JSON.stringify({ ...figures, machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model.trim(), node: process.versions.node } }));
}
