/**
 * What an attempt starts from: its params with references resolved, the data a re-run pins, and
 * the cache key that decides whether the step is unchanged since a success.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import type { ParamValue, StepKind } from '../../../shared/pipelines';
import type { DagRunRow, PipelineStore } from './pipeline-store';
import { resolveReferences, type ParsedPipeline } from './spec/index';

const execFileAsync = promisify(execFile);

export interface AttemptInputs {
  readonly params: Record<string, ParamValue>;
  readonly resolved: Record<string, unknown>;
  readonly baseDir: string;
  readonly pins: Record<string, number>;
  readonly pinnedOutputs: Record<string, string> | null;
  /** null: the step is never cached (cache: false, or an ingest, whose input is outside the store). */
  readonly cacheKey: string | null;
}

export type CacheInputs = (kind: StepKind, params: Readonly<Record<string, unknown>>, baseDir: string) => unknown;

export function attemptInputs(
  store: PipelineStore,
  run: DagRunRow,
  step: ParsedPipeline['spec']['steps'][string],
  taskId: string,
  outputs: Readonly<Record<string, Record<string, string>>>,
  cacheInputs: CacheInputs | undefined,
): AttemptInputs {
  const params = JSON.parse(run.params) as Record<string, ParamValue>;
  const resolved = resolveReferences(step.params, { params, outputs }) as Record<string, unknown>;
  const baseDir = run.base_dir ?? process.cwd();
  const original = run.rerun_of !== null ? store.dagRunRowById(run.rerun_of) : null;
  const pins = original ? pinsOf(JSON.parse(original.inputs) as string[]) : {};
  const pinnedOutputs = original ? (JSON.parse(store.taskRow(original.id, taskId).outputs) as Record<string, string>) : null;
  const command = step.kind === 'command';
  const cacheKey =
    step.cache && step.kind !== 'ingest'
      ? hashKey({ kind: step.kind, params: resolved, dagParams: command ? params : null, code: command ? run.code_version : null, inputs: cacheInputs?.(step.kind, resolved, baseDir) ?? null })
      : null;
  return { params, resolved, baseDir, pins, pinnedOutputs, cacheKey };
}

function hashKey(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function pinsOf(inputs: readonly string[]): Record<string, number> {
  const pins: Record<string, number> = {};
  for (const ref of inputs) {
    const at = ref.lastIndexOf('@');
    if (at > 0) pins[ref.slice(0, at)] = Number(ref.slice(at + 1));
  }
  return pins;
}

/** git commit of the folder (+ `-dirty` with uncommitted changes), or null outside a repository. */
export async function codeVersion(dir: string): Promise<string | null> {
  try {
    const { stdout: head } = await execFileAsync('git', ['rev-parse', 'HEAD'], { cwd: dir, timeout: 5_000 });
    const { stdout: status } = await execFileAsync('git', ['status', '--porcelain', '--', '.'], { cwd: dir, timeout: 5_000 });
    return `${head.trim()}${status.trim() ? '-dirty' : ''}`;
  } catch {
    return null;
  }
}

/** A queued DAG run with one task instance per step, in run order. */
export function insertQueuedRun(store: PipelineStore, parsed: ParsedPipeline, run: Omit<DagRunRow, 'id' | 'pipeline' | 'started_at' | 'ended_at' | 'state' | 'created_at' | 'inputs'>): number {
  return store.insertDagRun(
    { ...run, state: 'queued', created_at: Date.now(), inputs: '[]' },
    parsed.topoOrder.map((taskId) => ({ taskId, kind: parsed.spec.steps[taskId]!.kind, maxTries: parsed.spec.steps[taskId]!.retries + 1 })),
  );
}
