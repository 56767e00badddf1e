import { createInterface } from 'node:readline';
import type { ToWorkerMessage } from '../../shared/worker-protocol';
import type { WorkerChannel, WorkerExit, WorkerLauncher } from '../core/workers/worker-host';

/**
 * The part of Electron's `UtilityProcess` the launcher uses. Typed here (not imported) so the
 * launcher is tested in plain Node with a fake; Electron's class satisfies it structurally.
 */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  postMessage(message: ToWorkerMessage): void;
  kill(): boolean;
  on(event: 'spawn', listener: () => void): this;
  on(event: 'exit', listener: (code: number) => void): this;
  on(event: 'message', listener: (message: unknown) => void): this;
  on(event: 'error', listener: (type: 'FatalError', location: string, report: string) => void): this;
}

export interface UtilityForkOptions {
  readonly serviceName: string;
  readonly stdio: 'pipe';
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** `utilityProcess.fork` as the launcher calls it. */
export type UtilityFork = (modulePath: string, args: string[], options: UtilityForkOptions) => UtilityProcessLike;

export interface UtilityLauncherOptions {
  /** After kill(), how long a worker gets before SIGKILL (a hung native call can ignore SIGTERM's default). */
  readonly killGraceMs?: number;
  /** After exit, how long to wait for the last stdout/stderr lines before reporting the exit. */
  readonly drainMs?: number;
}

/**
 * Starts workers as Electron utility processes: the packaged app's RunAsNode fuse is off, so
 * `child_process.fork` cannot start Node there (CONVENTIONS.md, fuses). Workers see
 * `process.parentPort`; the worker runtime speaks to either.
 */
export function createUtilityLauncher(fork: UtilityFork, options: UtilityLauncherOptions = {}): WorkerLauncher {
  const killGraceMs = options.killGraceMs ?? 3000;
  const drainMs = options.drainMs ?? 500;
  return (entryFile, launch) => {
    const child = fork(entryFile, [], {
      // Shown in the OS task manager and in `app.getAppMetrics()`.
      serviceName: `Trainyard ${launch.name} worker`,
      stdio: 'pipe',
      env: { ...process.env, ...launch.env, TRAINYARD_WORKER: launch.name },
    });

    let spawned = false;
    let exited = false;
    let killSignal: string | null = null;
    const pending: ToWorkerMessage[] = [];
    const exitListeners: Array<(exit: WorkerExit) => void> = [];
    const outputListeners: Array<(line: string, stream: 'stdout' | 'stderr') => void> = [];
    const emitOutput = (line: string, stream: 'stdout' | 'stderr'): void => {
      for (const listener of outputListeners) listener(line, stream);
    };

    // Messages posted before the process exists are held, then sent in order on 'spawn'.
    child.on('spawn', () => {
      spawned = true;
      for (const message of pending.splice(0)) child.postMessage(message);
    });

    // Lines are read from the start; 'close' of both readers means the last line was delivered.
    const drained = [readLines(child.stdout, 'stdout', emitOutput), readLines(child.stderr, 'stderr', emitOutput)];
    child.on('error', (type, location) => emitOutput(`${type} in the worker at ${location}`, 'stderr'));
    child.on('exit', (code) => {
      exited = true;
      // Like fork's 'close': report after the output is drained so a crash report has its last
      // lines, but never wait forever on a pipe a grandchild still holds open.
      const report = (): void => {
        // utilityProcess reports no signal; `signal` is the one we sent, if we stopped it.
        for (const listener of exitListeners) listener({ code: killSignal ? null : code, signal: killSignal });
      };
      void Promise.race([Promise.all(drained), delay(drainMs)]).then(report);
    });

    const channel: WorkerChannel = {
      get pid() {
        return child.pid;
      },
      postMessage: (message) => {
        if (exited) return;
        if (spawned) child.postMessage(message);
        else pending.push(message);
      },
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void exitListeners.push(listener),
      onOutput: (listener) => void outputListeners.push(listener),
      kill: () => {
        if (exited || killSignal) return;
        killSignal = 'SIGTERM';
        child.kill();
        const pid = child.pid;
        setTimeout(() => {
          if (exited || pid === undefined) return;
          killSignal = 'SIGKILL';
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Already gone between the check and the kill.
          }
        }, killGraceMs).unref();
      },
    };
    return channel;
  };
}

function readLines(
  stream: NodeJS.ReadableStream | null,
  name: 'stdout' | 'stderr',
  emit: (line: string, stream: 'stdout' | 'stderr') => void,
): Promise<void> {
  if (!stream) return Promise.resolve();
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => emit(line, name));
  return new Promise((resolve) => lines.once('close', () => resolve()));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
