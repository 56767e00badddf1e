/**
 * The `command` step: any program, in its own process. The DAG run's params become environment
 * variables (`PARAM_<NAME>`, and all of them as JSON in `TRAINYARD_PARAMS`), with the step's own
 * `env`; stdout and stderr go line by line to the attempt log; the exit code decides success. A
 * program may write `key=value` lines to the file named by `TRAINYARD_OUTPUTS` to give its step
 * outputs. Cancel and timeout send SIGTERM, then SIGKILL after a grace period.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { invalid } from '../../../../shared/errors';
import type { TrackingService } from '../../tracking/tracking-service';
import type { StepContext } from './step-context';
import { StepAborted } from './step-context';

export interface CommandParams {
  readonly command: string | readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Extra environment for the program (e.g. MLFLOW_TRACKING_URI once the MLflow server exists). */
export type CommandEnvironment = (context: StepContext) => Record<string, string>;

const killGraceMs = 5_000;

export async function runCommand(params: CommandParams, context: StepContext, extraEnv: Record<string, string> = {}): Promise<Record<string, string>> {
  const { command } = params;
  if (typeof command === 'string' ? command.trim() === '' : command.length === 0) throw invalid('command is empty.');
  const cwd = params.cwd ? (isAbsolute(params.cwd) ? params.cwd : resolve(context.baseDir, params.cwd)) : context.baseDir;
  const scratch = await mkdtemp(join(tmpdir(), 'trainyard-step-'));
  const outputsFile = join(scratch, 'outputs');
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...Object.fromEntries(Object.entries(context.params).map(([key, value]) => [`PARAM_${key.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`, value === null ? '' : String(value)])),
    TRAINYARD_PARAMS: JSON.stringify(context.params),
    TRAINYARD_DAG_RUN: context.dagRun,
    TRAINYARD_TASK_ID: context.taskId,
    TRAINYARD_TRY_NUMBER: String(context.tryNumber),
    TRAINYARD_OUTPUTS: outputsFile,
    ...extraEnv,
    ...params.env,
  };
  const shown = typeof command === 'string' ? command : command.join(' ');
  context.log(`$ ${shown}   (in ${cwd})`);
  try {
    const code = await new Promise<number | string>((resolvePromise, reject) => {
      const child =
        typeof command === 'string'
          ? spawn(command, { cwd, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] })
          : spawn(command[0]!, command.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const lines = (stream: NodeJS.ReadableStream, prefix: string): void => {
        let pending = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          pending += chunk;
          const parts = pending.split('\n');
          pending = parts.pop() ?? '';
          for (const line of parts) context.log(`${prefix}${line}`);
        });
        stream.on('end', () => {
          if (pending) context.log(`${prefix}${pending}`);
        });
      };
      lines(child.stdout!, '');
      lines(child.stderr!, '[stderr] ');
      let killTimer: NodeJS.Timeout | null = null;
      const onAbort = (): void => {
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
      };
      context.signal.addEventListener('abort', onAbort, { once: true });
      child.on('error', (error: NodeJS.ErrnoException) => {
        context.signal.removeEventListener('abort', onAbort);
        reject(invalid(error.code === 'ENOENT' ? `Cannot run '${typeof command === 'string' ? command : command[0]}': no such program (or no folder ${cwd}).` : error.message));
      });
      child.on('close', (exit, signal) => {
        context.signal.removeEventListener('abort', onAbort);
        if (killTimer) clearTimeout(killTimer);
        resolvePromise(exit ?? signal ?? 'unknown');
      });
    });
    if (context.signal.aborted) throw new StepAborted(String(context.signal.reason instanceof Error ? context.signal.reason.message : (context.signal.reason ?? 'stopped')));
    if (code !== 0) throw new Error(typeof code === 'number' ? `The command exited with code ${code}.` : `The command was killed by ${code}.`);
    return await readOutputs(outputsFile);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * A command step with the MLflow server running: the attempt gets its own run, and the program
 * gets MLFLOW_TRACKING_URI, MLFLOW_RUN_ID and MLFLOW_EXPERIMENT_ID, so `mlflow.start_run()` in it
 * attaches to that run. The run ends with the attempt unless the program ended it.
 */
export async function commandWithMlflow(params: CommandParams, context: StepContext, deps: { tracking: TrackingService; url: () => string | null }): Promise<Record<string, string>> {
  const url = deps.url();
  if (!url) return runCommand(params, context);
  const { tracking } = deps;
  const run = tracking.createRun({
    experimentId: context.experimentId,
    name: `${context.pipeline}.${context.taskId}`,
    tags: [
      { key: 'trainyard.kind', value: 'command' },
      { key: 'trainyard.dag_run', value: context.dagRun },
    ],
  });
  context.setRun(run.id);
  const end = (status: 'FINISHED' | 'FAILED' | 'KILLED'): void => {
    if (tracking.getRunInfo(run.id).status === 'RUNNING') tracking.endRun(run.id, status);
  };
  try {
    const outputs = await runCommand(params, context, { MLFLOW_TRACKING_URI: url, MLFLOW_RUN_ID: run.id, MLFLOW_EXPERIMENT_ID: context.experimentId });
    end('FINISHED');
    return { run: run.id, ...outputs };
  } catch (error) {
    end(error instanceof StepAborted ? 'KILLED' : 'FAILED');
    throw error;
  }
}

async function readOutputs(file: string): Promise<Record<string, string>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const outputs: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) outputs[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return outputs;
}
