import { serveInputSchema } from '../../shared/worker-protocol';
import { runWorker, type WorkerContext } from '../runtime';
import { readyInfo } from './model-io';
import { Scorer } from './scorer';
import { startServer } from './server';

/** Injected by the bundler from package.json. */
declare const __TRAINYARD_VERSION__: string | undefined;
const version = typeof __TRAINYARD_VERSION__ === 'string' ? __TRAINYARD_VERSION__ : '0.0.0-dev';

/**
 * The `serve` worker: one model served over HTTP for as long as main wants it. It reports `ready`
 * with the real port once the session is loaded and the socket listens, serves until main sends
 * `cancel` (or goes away), then closes gracefully and answers how many requests it served.
 */
runWorker(async (input, context) => {
  const options = serveInputSchema.parse(input);
  const scorer = await Scorer.load(options.file, { threads: options.threads, batchRows: options.batchRows });
  const requests = requestLog(context, options.name);
  const server = await startServer({
    scorer,
    host: options.host,
    port: options.port,
    maxBodyBytes: options.maxBodyBytes,
    version,
    log: requests.line,
  }).catch(async (error: unknown) => {
    await scorer.release();
    throw error;
  });
  if (scorer.io.skippedOutputs.length > 0) context.log(`[${options.name}] not returned (not tensors): ${scorer.io.skippedOutputs.join(', ')}`, 'warn');
  context.post({ type: 'ready', info: readyInfo(scorer.io, options.host, server.port) });
  context.log(`[${options.name}] serving ${options.file} at http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${server.port}`);
  await stopRequested(context);
  await server.close();
  requests.flush();
  await scorer.release();
  context.log(`[${options.name}] stopped after ${server.requests()} request(s)`);
  return { requests: server.requests() };
});

/**
 * Request lines travel to main in batches (several lines, one `log` message, at most every 250 ms):
 * a message per request would make a busy server load main — the app's own process — with IPC
 * work, and cost each request about 0.1 ms here. Main splits them back into lines.
 */
function requestLog(context: WorkerContext, name: string, intervalMs = 250): { line(text: string): void; flush(): void } {
  let pending: string[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    context.log(pending.join('\n'));
    pending = [];
  };
  return {
    line: (text) => {
      pending.push(`[${name}] ${text}`);
      if (pending.length >= 500) flush();
      else timer ??= setTimeout(flush, intervalMs);
    },
    flush,
  };
}

/** Resolves when main asks the worker to stop, or when main is gone (a forked worker loses its channel). */
function stopRequested(context: WorkerContext): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!context.cancelled()) return;
      clearInterval(timer);
      resolve();
    }, 50);
    process.once('disconnect', () => {
      clearInterval(timer);
      resolve();
    });
  });
}
