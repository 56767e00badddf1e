import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkbenchError } from '../../shared/errors';
import type { Run } from '../../shared/tracking';
import { openReader, type Reader } from '../core/reader';
import { openWorkbench, type Workbench } from '../core/workbench';

/** The bundle lives in dist/cli; workers and the renderer beside it in dist/. */
export const distDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const workersDir = join(distDir, 'workers');
export const rendererDir = join(distDir, 'renderer');

/** Opens the home as its writer. `serve` is for long-lived commands (the UI), which own their runs. */
export async function withWorkbench<T>(home: string | undefined, action: (workbench: Workbench) => Promise<T> | T, serve = false): Promise<T> {
  // A one-shot command does one thing at a time, so nothing can be mid-write while it collects
  // garbage: no grace period is needed for fresh objects (the long-lived UI keeps the default).
  const workbench = await openWorkbench({ shell: 'browser', workersDir, detachedRuns: !serve, ...(serve ? {} : { gcGraceMs: 0 }), ...(home ? { home } : {}) });
  try {
    return await action(workbench);
  } finally {
    await workbench.dispose();
  }
}

/** Reads work while the app runs: read-only, no lock. A home with no data yet is created. */
export async function withReader<T>(home: string | undefined, action: (reader: Omit<Reader, 'close'>) => Promise<T> | T): Promise<T> {
  let reader: Reader;
  try {
    reader = openReader(home);
  } catch (error) {
    if (error instanceof WorkbenchError && error.code === 'NOT_FOUND') return withWorkbench(home, action);
    throw error;
  }
  try {
    return await action(reader);
  } finally {
    reader.close();
  }
}

/** Accepts an experiment id or name. */
export function experimentIdOf(reader: Pick<Reader, 'experiments'>, value: string): string {
  if (/^\d+$/.test(value)) return reader.experiments.get(value).id;
  const found = reader.experiments.getByName(value);
  if (!found) throw new WorkbenchError('NOT_FOUND', `No experiment named '${value}'. List them with \`trainyard experiments list\`.`);
  return found.id;
}

/** `key=value` pairs from repeated flags. */
export function keyValues(values: readonly string[] | undefined, flag: string): Array<{ key: string; value: string }> {
  return (values ?? []).map((item) => {
    const at = item.indexOf('=');
    if (at <= 0) throw new WorkbenchError('INVALID_ARGUMENT', `--${flag} expects key=value, got '${item}'.`);
    return { key: item.slice(0, at), value: item.slice(at + 1) };
  });
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, (_key, item: unknown) => (typeof item === 'number' && !Number.isFinite(item) ? String(item) : item), 2));
}

export function metricSummary(run: Run, limit = 3): string {
  return Object.entries(run.metrics)
    .slice(0, limit)
    .map(([key, metric]) => `${key}=${Number.isInteger(metric.value) ? metric.value : metric.value.toPrecision(4)}`)
    .join(' ');
}
