// Metric points per second through the MLflow REST API's runs/log-batch (1,000 metrics per
// request, 4 concurrent clients on keep-alive connections, each logging its own run, over
// loopback) against in-process ingestion through TrackingService.logBatch (as metric-ingest.ts
// measures it), in the same run. The clients run in a worker thread, as a training script would
// run in another process, so their JSON encoding does not eat the server's event loop.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createMlflowApi } from '../main/core/mlflow/api';
import { openWorkbench } from '../main/core/workbench';
import { report, round, scratch, time } from './harness';

const total = Number(process.env.BENCH_POINTS ?? 1_000_000);
const batch = 1000;
const clients = 4;
const t0 = 1_700_000_000_000;

interface ClientJob {
  readonly port: number;
  readonly runIds: readonly string[];
  readonly pointsPerClient: number;
}

/** One client: sends its run's series as log-batch requests, one at a time, like the Python client. */
async function runClient(port: number, runId: string, points: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  for (let start = 0; start < points; start += batch) {
    const metrics = [];
    for (let step = start; step < Math.min(points, start + batch); step++) metrics.push({ key: 'loss', value: Math.sin(step), timestamp: t0 + step, step });
    const body = JSON.stringify({ run_id: runId, metrics });
    await new Promise<void>((resolve, reject) => {
      const call = request({ host: '127.0.0.1', port, path: '/api/2.0/mlflow/runs/log-batch', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`log-batch answered ${response.statusCode}: ${Buffer.concat(chunks).toString()}`))));
      });
      call.on('error', reject);
      call.end(body);
    });
  }
  agent.destroy();
}

if (!isMainThread) {
  const job = workerData as ClientJob;
  await Promise.all(job.runIds.map((runId) => runClient(job.port, runId, job.pointsPerClient)));
  parentPort!.postMessage('done');
} else {
  // In-process: one run, batches of 1,000, exactly as bench/metric-ingest.ts.
  const local = await openWorkbench({ home: scratch('mlflow-inproc'), shell: 'browser', workersDir: '' });
  const localRun = local.tracking.createRun({ name: 'bench' }).id;
  const batches = Array.from({ length: total / batch }, (_, index) =>
    Array.from({ length: batch }, (_, offset) => {
      const step = index * batch + offset;
      return { key: 'loss', value: Math.sin(step), step, timestamp: t0 + step };
    }),
  );
  const inProcess = time(() => {
    for (const metrics of batches) local.tracking.logBatch({ runId: localRun, metrics });
  });
  await local.dispose();

  // Over HTTP: a fresh home, the API on loopback, four clients.
  const workbench = await openWorkbench({ home: scratch('mlflow-http'), shell: 'browser', workersDir: '' });
  const handle = createMlflowApi(workbench);
  const server = createServer((req, res) => {
    void handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const runIds = Array.from({ length: clients }, (_, index) => workbench.tracking.createRun({ name: `client-${index}` }).id);
  const pointsPerClient = total / clients;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { port, runIds, pointsPerClient } satisfies ClientJob });
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  const httpMs = performance.now() - started;
  const logged = runIds.map((runId) => workbench.tracking.getRun(runId).metrics.loss?.count ?? 0);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await workbench.dispose();
  if (logged.some((count) => count !== pointsPerClient)) throw new Error(`expected ${pointsPerClient} points per run, got ${logged.join(', ')}`);

  const inProcessRate = total / (inProcess.ms / 1000);
  const httpRate = total / (httpMs / 1000);
  report({
    benchmark: 'mlflow-log-batch',
    points: total,
    batchSize: batch,
    clients,
    inProcessPointsPerSecond: Math.round(inProcessRate),
    httpPointsPerSecond: Math.round(httpRate),
    ratioToInProcess: round(httpRate / inProcessRate),
    goal: 'ratio >= 0.3',
  });
}
