import { join } from 'node:path';
import { fromWorkerMessageSchema, type FromWorkerMessage, type ToWorkerMessage, type WorkerKind } from '../../../shared/worker-protocol';

/** How a worker ended, as far as the OS tells. */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: string | null;
}

/**
 * A started worker process, whatever started it: `child_process.fork` under plain Node, Electron's
 * `utilityProcess` in the app. The host depends on this shape only, so the core never imports
 * electron (CONVENTIONS.md 2).
 */
export interface WorkerChannel {
  readonly pid: number | undefined;
  postMessage(message: ToWorkerMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (exit: WorkerExit) => void): void;
  /** Output the worker printed outside the protocol (stdout/stderr), line by line. */
  onOutput(listener: (line: string, stream: 'stdout' | 'stderr') => void): void;
  kill(): void;
}

export type WorkerLauncher = (entryFile: string, options: { readonly name: string; readonly env?: Readonly<Record<string, string>> }) => WorkerChannel;

export type WorkerFailureReason = 'crashed' | 'killed' | 'timeout' | 'error' | 'protocol';

/** Why an attempt failed, in words a user can act on, plus the raw exit facts. */
export class WorkerFailure extends Error {
  constructor(
    readonly reason: WorkerFailureReason,
    message: string,
    readonly exit: WorkerExit | null = null,
  ) {
    super(message);
    this.name = 'WorkerFailure';
  }
}

export interface WorkerRunOptions {
  /** Kill the worker if it has not produced a result by then. */
  readonly timeoutMs?: number;
  readonly onMessage?: (message: FromWorkerMessage) => void;
  /** A long-lived worker (a model server) says it is up, with kind-specific details. */
  readonly onReady?: (info: unknown) => void;
  readonly env?: Readonly<Record<string, string>>;
}

export interface WorkerHandle<T> {
  readonly pid: number | undefined;
  readonly result: Promise<T>;
  /** Stops the worker now; `result` rejects with reason `killed`. */
  kill(reason?: string): void;
  /** Asks the worker to wind down on its own (`cancel`); `result` settles with whatever it answers. */
  cancel(): void;
}

/** After a result, a worker gets this long to exit on its own before it is killed. */
const exitGraceMs = 2000;

/**
 * Starts one worker per attempt (DESIGN.md §1): a crash, an out-of-memory or a hung native call
 * ends that attempt only. Every message is validated on receipt; anything malformed fails the
 * attempt with a clear reason instead of corrupting state.
 */
export class WorkerHost {
  private readonly live = new Set<WorkerChannel>();

  constructor(
    private readonly launcher: WorkerLauncher,
    private readonly workersDir: string,
  ) {}

  entryOf(kind: WorkerKind): string {
    return join(this.workersDir, `${kind}.js`);
  }

  run<T>(kind: WorkerKind, input: unknown, options: WorkerRunOptions = {}): WorkerHandle<T> {
    return this.runEntry<T>(this.entryOf(kind), kind, input, options);
  }

  /** Starts a worker from an explicit entry file (tests use fixture workers). */
  runEntry<T>(entryFile: string, name: string, input: unknown, options: WorkerRunOptions = {}): WorkerHandle<T> {
    const channel = this.launcher(entryFile, { name, ...(options.env ? { env: options.env } : {}) });
    this.live.add(channel);
    let settled = false;
    let killedFor: string | null = null;
    let timedOut = false;
    let lastError: string | null = null;
    let resolveResult!: (value: T) => void;
    let rejectResult!: (error: WorkerFailure) => void;
    const result = new Promise<T>((resolve, reject) => {
      resolveResult = resolve;
      rejectResult = reject;
    });
    const settle = (outcome: { value: T } | { error: WorkerFailure }): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if ('value' in outcome) resolveResult(outcome.value);
      else rejectResult(outcome.error);
    };
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          channel.kill();
        }, options.timeoutMs)
      : null;

    channel.onMessage((raw) => {
      const parsed = fromWorkerMessageSchema.safeParse(raw);
      if (!parsed.success) {
        settle({ error: new WorkerFailure('protocol', `Worker '${name}' sent a malformed message: ${parsed.error.issues[0]?.message ?? 'invalid'}`) });
        channel.kill();
        return;
      }
      const message = parsed.data;
      if (message.type === 'result') {
        settle({ value: message.value as T });
        setTimeout(() => this.live.has(channel) && channel.kill(), exitGraceMs).unref();
      } else if (message.type === 'error') {
        lastError = message.message;
        settle({ error: new WorkerFailure('error', message.message) });
      } else if (message.type === 'ready' && !settled) {
        options.onReady?.(message.info);
      }
      options.onMessage?.(message);
    });
    const stderrTail: string[] = [];
    channel.onOutput((line, stream) => {
      if (stream === 'stderr' && stderrTail.push(line) > 5) stderrTail.shift();
      options.onMessage?.({ type: 'log', level: stream === 'stderr' ? 'warn' : 'info', message: line });
    });
    channel.onExit((exit) => {
      this.live.delete(channel);
      if (timedOut) {
        settle({ error: new WorkerFailure('timeout', `Worker '${name}' did not finish within ${options.timeoutMs} ms and was stopped.`, exit) });
      } else if (killedFor !== null) {
        settle({ error: new WorkerFailure('killed', `Worker '${name}' was stopped${killedFor ? `: ${killedFor}` : ''}.`, exit) });
      } else {
        settle({ error: new WorkerFailure('crashed', describeCrash(name, exit, lastError ?? (stderrTail.join('\n') || null)), exit) });
      }
    });
    channel.postMessage({ type: 'start', input });
    return {
      // A utility process has no pid until it has started, so read it when asked.
      get pid() {
        return channel.pid;
      },
      result,
      kill: (reason = '') => {
        if (settled) return;
        killedFor = reason;
        channel.kill();
      },
      cancel: () => {
        if (!settled) channel.postMessage({ type: 'cancel' });
      },
    };
  }

  /** Kills every worker still running (app shutdown). */
  dispose(): void {
    for (const channel of this.live) channel.kill();
    this.live.clear();
  }
}

function describeCrash(name: string, exit: WorkerExit, lastError: string | null): string {
  const how = exit.signal ? `was killed by signal ${exit.signal}` : `exited with code ${exit.code}`;
  const hint = exit.signal === 'SIGKILL' ? ' (often the system running out of memory)' : '';
  return `Worker '${name}' ${how}${hint} before reporting a result${lastError ? `; it said: ${lastError}` : ''}.`;
}
