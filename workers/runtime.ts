import { toWorkerMessageSchema, type FromWorkerMessage } from '../shared/worker-protocol';

/** What a worker's core gets: a way to report, and whether main asked it to stop. */
export interface WorkerContext {
  post(message: FromWorkerMessage): void;
  log(message: string, level?: 'debug' | 'info' | 'warn' | 'error'): void;
  progress(done: number, total: number | null, message?: string): void;
  readonly cancelled: () => boolean;
}

interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/**
 * The thin adapter every worker entry uses (CONVENTIONS.md 8): Electron's utilityProcess talks
 * through `process.parentPort`, `child_process.fork` through `process.send`. The handler is the
 * pure core; its return value becomes the `result` message and the process exits.
 */
export function runWorker(handler: (input: unknown, context: WorkerContext) => Promise<unknown>): void {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  const send = (message: FromWorkerMessage): Promise<void> =>
    new Promise((resolve) => {
      if (parentPort) {
        parentPort.postMessage(message);
        resolve();
      } else if (process.send) process.send(message, undefined, {}, () => resolve());
      else resolve();
    });
  let cancelled = false;
  let started = false;
  const context: WorkerContext = {
    post: (message) => void send(message),
    log: (message, level = 'info') => void send({ type: 'log', level, message }),
    progress: (done, total, message) => void send({ type: 'progress', done, total, ...(message ? { message } : {}) }),
    cancelled: () => cancelled,
  };
  const onMessage = (raw: unknown): void => {
    const parsed = toWorkerMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    if (parsed.data.type === 'cancel') {
      cancelled = true;
      return;
    }
    if (started) return;
    started = true;
    handler(parsed.data.input, context).then(
      async (value) => {
        await send({ type: 'result', value });
        finish(0);
      },
      async (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        await send({ type: 'error', message: failure.message, ...(failure.stack ? { stack: failure.stack } : {}) });
        finish(1);
      },
    );
  };
  if (parentPort) parentPort.on('message', (event) => onMessage(event.data));
  else process.on('message', onMessage);
}

function finish(code: number): void {
  // Let the last message leave before the process ends.
  setImmediate(() => process.exit(code));
}
