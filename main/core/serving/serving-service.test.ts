/**
 * Model servers in real `serve` workers, called over real HTTP on 127.0.0.1. The request formats
 * and refusals are covered in workers/serve; here: the lifecycle main owns.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../shared/errors';
import { testWorkersDir } from '../testing/temp-home';
import { forkLauncher } from '../workers/fork-launcher';
import { WorkerHost } from '../workers/worker-host';
import { type ServedModel, type ServingChange, ServingService } from './serving-service';

/** `prediction` = a + b over double columns [N]: the shape of an exported regressor's inputs. */
function adderModel(): Uint8Array {
  const { onnx } = onnxProto;
  const column = (name: string) => ({ name, type: { tensorType: { elemType: 11, shape: { dim: [{ dimParam: 'N' }] } } } });
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'hand',
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'g', node: [{ input: ['a', 'b'], output: ['prediction'], opType: 'Add' }], input: [column('a'), column('b')], output: [column('prediction')] },
  }).finish();
}

let dir: string;
let model: string;
const host = new WorkerHost(forkLauncher, testWorkersDir);
let serving: ServingService;
beforeAll(() => {
  dir = mkdtempSync(join(os.tmpdir(), 'trainyard-serving-'));
  model = join(dir, 'adder.onnx');
  writeFileSync(model, adderModel());
});
afterEach(async () => {
  await serving?.dispose();
});
afterAll(() => {
  host.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const predict = async (server: ServedModel, body: string, contentType = 'application/json'): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, body: await response.json() };
};
const split = JSON.stringify({ dataframe_split: { columns: ['a', 'b'], data: [[1, 2], [3, 4]] } });

describe('serving models', () => {
  it('starts a server in a worker, resolves once it listens, answers, lists and stops it', async () => {
    serving = new ServingService({ workers: host });
    const changes: ServingChange[] = [];
    const log: string[] = [];
    serving.onDidChange((change) => changes.push(change));
    serving.onDidLog((line) => log.push(line.message));
    const before = Date.now();
    const server = await serving.start({ file: model, port: 0, label: 'adder v1' });
    expect(server).toMatchObject({ label: 'adder v1', host: '127.0.0.1', file: model, url: `http://127.0.0.1:${server.port}`, inputs: [{ name: 'a', type: 'float64', shape: [null] }, { name: 'b', type: 'float64', shape: [null] }] });
    expect(server.port).toBeGreaterThan(0);
    expect(server.startedAt).toBeGreaterThanOrEqual(before);
    expect(serving.list()).toEqual([server]);
    expect((await fetch(`${server.url}/ping`)).status).toBe(200);
    expect(await predict(server, split)).toEqual({ status: 200, body: { predictions: [3, 7] } });
    expect(await predict(server, 'a,b\n1,2\n3,\n', 'text/csv')).toEqual({ status: 200, body: { predictions: [3, null] } });
    await serving.stop(server.id);
    expect(serving.list()).toEqual([]);
    expect(changes.map((change) => change.kind)).toEqual(['started', 'stopped']);
    expect(changes[1]).toEqual({ kind: 'stopped', id: server.id, reason: null });
    expect(log).toEqual(expect.arrayContaining([expect.stringMatching(/^\[adder v1\] serving .*adder\.onnx at http:\/\/127\.0\.0\.1:\d+$/), expect.stringMatching(/^\[adder v1\] POST \/invocations 200 rows=2 /)]));
    await expect(fetch(`${server.url}/ping`)).rejects.toThrow();
  });

  it('serves two models at once on different ports', async () => {
    serving = new ServingService({ workers: host });
    const [first, second] = await Promise.all([serving.start({ file: model, port: 0, label: 'one' }), serving.start({ file: model, port: 0, label: 'two' })]);
    expect(first!.port).not.toBe(second!.port);
    expect(serving.list().map((server) => server.label).sort()).toEqual(['one', 'two']);
    const [a, b] = await Promise.all([predict(first!, split), predict(second!, split)]);
    expect(a).toEqual(b);
    await serving.stop(first!.id);
    expect(serving.list().map((server) => server.label)).toEqual(['two']);
    expect((await predict(second!, split)).status).toBe(200);
  });

  it('refuses a port in use, naming it, and a missing or corrupt model file, leaving nothing running', async () => {
    serving = new ServingService({ workers: host });
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    try {
      const refusal = await serving.start({ file: model, port, label: 'clash' }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(WorkbenchError);
      expect(refusal).toMatchObject({ code: 'INVALID_ARGUMENT', message: `Port ${port} on 127.0.0.1 is already in use: choose another port, or 0 for any free one.` });
    } finally {
      blocker.close();
    }
    await expect(serving.start({ file: join(dir, 'nope.onnx'), port: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: `Cannot read the model ${join(dir, 'nope.onnx')}: no such file.` });
    const corrupt = join(dir, 'corrupt.onnx');
    writeFileSync(corrupt, 'not a model, just text');
    await expect(serving.start({ file: corrupt, port: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^onnxruntime cannot load corrupt\.onnx: /) });
    await expect(serving.start({ file: 'relative.onnx', port: 0 })).rejects.toThrow('The model file must be an absolute path');
    await expect(serving.start({ file: model, port: 70_000 })).rejects.toThrow('The port must be a whole number from 0 to 65535');
    await expect(serving.stop('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(serving.list()).toEqual([]);
  });

  it('stops gracefully: a request in flight is answered first', async () => {
    serving = new ServingService({ workers: host });
    const server = await serving.start({ file: model, port: 0 });
    const slow = await startSlowRequest(server, split);
    let stopped = false;
    const stopping = serving.stop(server.id).then(() => (stopped = true));
    await delay(150);
    expect(stopped).toBe(false);
    slow.finish();
    expect(await slow.answer).toEqual({ status: 200, text: '{"predictions":[3,7]}' });
    await stopping;
    expect(serving.list()).toEqual([]);
  });

  it('kills a server that does not stop within the timeout, and stops all on dispose', async () => {
    serving = new ServingService({ workers: host, stopTimeoutMs: 100 });
    const stuck = await serving.start({ file: model, port: 0, label: 'stuck' });
    const other = await serving.start({ file: model, port: 0, label: 'other' });
    // A request whose body never finishes keeps the worker from closing on its own.
    const slow = await startSlowRequest(stuck, split);
    const hung = slow.answer.catch((error: unknown) => error);
    const started = Date.now();
    await serving.stop(stuck.id);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await hung).toBeInstanceOf(Error); // the connection died with the worker
    expect(serving.list()).toEqual([other]);
    await serving.dispose();
    expect(serving.list()).toEqual([]);
    await expect(fetch(`${other.url}/ping`)).rejects.toThrow();
  });
});

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A request in flight: its headers and part of its body are sent; `finish` sends the rest. */
async function startSlowRequest(server: ServedModel, body: string): Promise<{ answer: Promise<{ status: number; text: string }>; finish(): void }> {
  let request!: ReturnType<typeof httpRequest>;
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request = httpRequest(`${server.url}/invocations`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('error', reject);
  });
  await new Promise<void>((resolve) => request.write(body.slice(0, 10), () => resolve()));
  // Give the worker time to read the headers: the request is then in its hands.
  await delay(100);
  return { answer, finish: () => request.end(body.slice(10)) };
}
