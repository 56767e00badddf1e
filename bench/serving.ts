// A served MLP (16 double columns → 64 → 64 → 3 classes) answering 1-row and 1,000-row
// `dataframe_split` requests over HTTP, one keep-alive connection, requests in sequence: the
// production path (a `serve` worker process started by ServingService). Compared with bare
// `session.run` of the same batch (tensors prebuilt, same session options) in this process and run.
// Two floors explain what no JSON-over-HTTP server can avoid: a plain node:http server in its own
// process moving the same bytes each way (no JSON, no model), and JSON.parse of the request plus
// JSON.stringify of the answer.
import { execFileSync, fork } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Tensor } from 'onnxruntime-node';
import { ServingService } from '../main/core/serving/serving-service';
import { forkLauncher } from '../main/core/workers/fork-launcher';
import { WorkerHost } from '../main/core/workers/worker-host';
import { mlpClassifier } from '../workers/serve/test-models';
import { createSession } from '../workers/trainer/graph/run';
import { report, round, scratch } from './harness';

interface Figures {
  /** In sequence, one at a time: 1 / mean latency. */
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/**
 * Variants take turns in blocks of `block` calls, so the noise of a shared machine (other work
 * starting or stopping) falls on every variant alike, while each block still runs warm.
 */
async function measureInTurns<K extends string>(count: number, variants: Record<K, () => Promise<unknown>>, block = 25): Promise<Record<K, Figures>> {
  const entries = Object.entries(variants) as Array<[K, () => Promise<unknown>]>;
  for (const [, once] of entries) for (let i = 0; i < Math.max(50, count / 5); i++) await once();
  const samples = new Map<K, number[]>(entries.map(([name]) => [name, []]));
  for (let done = 0; done < count; done += block) {
    for (const [name, once] of entries) {
      const list = samples.get(name)!;
      for (let i = 0; i < Math.min(block, count - done); i++) {
        const started = performance.now();
        await once();
        list.push(performance.now() - started);
      }
    }
  }
  const figures = {} as Record<K, Figures>;
  for (const [name, list] of samples) {
    list.sort((a, b) => a - b);
    const mean = list.reduce((sum, value) => sum + value, 0) / list.length;
    figures[name] = { requestsPerSec: Math.round(1000 / mean), p50Ms: round(percentile(list, 0.5), 3), p99Ms: round(percentile(list, 0.99), 3) };
  }
  return figures;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function call(url: string, method: 'GET' | 'POST', body?: Buffer, headers: Record<string, string | number> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': body.length, ...headers } : headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode === 200) resolve(text);
        else reject(new Error(`HTTP ${response.statusCode}: ${text}`));
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The transport floor's server: reads the body, answers `x-answer-bytes` bytes. Runs in a child process, like the worker. */
function plainServer(): void {
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      Buffer.concat(chunks).toString('utf8');
      const answer = 'x'.repeat(Number(incoming.headers['x-answer-bytes'] ?? 1));
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': answer.length });
      response.end(answer);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
  process.on('disconnect', () => process.exit(0));
}

async function main(): Promise<void> {
  const columns = 16;
  const model = mlpClassifier(columns, [64, 64], 3);
  const file = join(scratch('serving'), 'model.onnx');
  writeFileSync(file, model);
  // The worker runs from the bundle, as in the app; build it when this checkout has none yet.
  const workersDir = join(process.cwd(), 'dist', 'workers');
  if (!existsSync(join(workersDir, 'serve.js'))) execFileSync(process.execPath, ['scripts/build.mjs', '--only=workers'], { stdio: 'ignore' });

  let state = 99;
  const random = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 4 - 2;
  const names = Array.from({ length: columns }, (_, c) => `f${c}`);

  const host = new WorkerHost(forkLauncher, workersDir);
  const serving = new ServingService({ workers: host });
  const server = await serving.start({ file, port: 0, label: 'bench-mlp', threads: 1 });
  const session = await createSession(model, { intraOpNumThreads: 1 });
  const plain = fork(process.argv[1]!, ['plain-server'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const plainUrl = `http://127.0.0.1:${await new Promise<number>((resolve) => plain.once('message', (port) => resolve(Number(port))))}/`;

  const compare = async (rows: number, count: number) => {
    const data = Array.from({ length: rows }, () => names.map(() => Math.round(random() * 1000) / 1000));
    const body = Buffer.from(JSON.stringify({ dataframe_split: { columns: names, data } }));
    const answerText = await call(`${server.url}/invocations`, 'POST', body);
    const answer = JSON.parse(answerText) as { predictions: unknown[] };
    if (answer.predictions.length !== rows) throw new Error(`expected ${rows} predictions, got ${answer.predictions.length}`);
    const feeds = Object.fromEntries(names.map((name, c) => [name, new Tensor('float64', Float64Array.from(data, (row) => row[c]!), [rows])]));
    const text = body.toString('utf8');
    const { served, bare, transport, json } = await measureInTurns(count, {
      served: () => call(`${server.url}/invocations`, 'POST', body),
      bare: () => session.run(feeds),
      transport: () => call(plainUrl, 'POST', body, { 'x-answer-bytes': Buffer.byteLength(answerText) }),
      json: async () => JSON.stringify(JSON.parse(text) && answer),
    });
    const floor = transport.p50Ms + json.p50Ms + bare.p50Ms;
    return {
      rows,
      requestBytes: body.length,
      answerBytes: Buffer.byteLength(answerText),
      served,
      bare,
      p50Ratio: round(served.p50Ms / bare.p50Ms),
      requestsPerSecRatio: round(bare.requestsPerSec / served.requestsPerSec),
      floors: { httpSameBytesP50Ms: transport.p50Ms, jsonParseAndWriteP50Ms: json.p50Ms },
      /** Served over what any JSON-over-HTTP server must spend: HTTP with these bytes + JSON + the model. */
      servedOverFloorsP50: round(served.p50Ms / floor),
    };
  };

  const oneRow = await compare(1, 3000);
  const thousandRows = await compare(1000, 300);
  plain.disconnect();
  await serving.dispose();
  await session.release();
  agent.destroy();
  host.dispose();

  report({
    benchmark: 'serving',
    model: `MLP ${columns}→64→64→3 exported with label + probability_<class>, 1 intra-op thread`,
    client: 'node:http, one keep-alive connection, requests in sequence, dataframe_split JSON',
    oneRow,
    thousandRows,
    goal: 'served / bare session.run at p50: ≤ 2 at 1 row, ≤ 1.2 at 1,000 rows',
  });
}

if (process.argv[2] === 'plain-server') plainServer();
else await main();
