import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationNames } from '../../../shared/api';
import { parseWire, stringifyWire } from '../../../shared/wire';
import { openTestWorkbench, tempHome } from '../testing/temp-home';
import type { Workbench } from '../workbench';
import { startUiServer, type UiServer } from './ui-server';

let workbench: Workbench;
let server: UiServer;
const staticDir = tempHome('trainyard-static-');
let base: string;

beforeAll(async () => {
  mkdirSync(join(staticDir.path, 'assets'), { recursive: true });
  writeFileSync(join(staticDir.path, 'index.html'), '<!doctype html><title>Trainyard</title>');
  writeFileSync(join(staticDir.path, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(staticDir.path, '..', 'secret.txt'), 'do not serve');
  workbench = await openTestWorkbench();
  server = await startUiServer({ dispatch: workbench.dispatch, onDidEmit: workbench.onDidEmit, artifacts: workbench.artifacts, uploads: workbench.uploads, staticDir: staticDir.path });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  await workbench.dispose();
  staticDir.remove();
});

async function rpc(operation: string, input: unknown, token = server.token): Promise<{ status: number; body: { ok: boolean; result?: unknown; error?: { code: string; message: string } } }> {
  const response = await fetch(`${base}/api/rpc/${operation}`, { method: 'POST', headers: { 'x-trainyard-token': token, 'content-type': 'application/json' }, body: stringifyWire(input) });
  return { status: response.status, body: parseWire(await response.text()) as never };
}

/** fetch() will not send a forged Host header, so raw http.request does. */
function getWithHost(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser-mode transport', () => {
  it('prints a loopback URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('exposes exactly the contract\'s operations', async () => {
    for (const operation of operationNames) {
      const { body } = await rpc(operation, {});
      expect(body.error?.message ?? '').not.toMatch(/Unknown operation/);
    }
    expect((await rpc('runs.dropTable', {})).status).toBe(404);
  });

  it('refuses a missing or wrong token and a foreign Host header', async () => {
    expect((await rpc('app.info', {}, 'wrong')).status).toBe(401);
    expect(await getWithHost('/', 'evil.example:80')).toBe(403);
    expect(await getWithHost('/', `localhost:${server.port}`)).toBe(200);
  });

  it('maps errors to statuses and keeps NaN and Infinity across JSON', async () => {
    const created = await rpc('runs.create', { name: 'wire', params: [{ key: 'note', value: 'NaN' }] });
    const runId = (created.body.result as { id: string }).id;
    await rpc('runs.logBatch', { runId, metrics: [{ key: 'loss', value: Number.NaN, step: 1 }, { key: 'gain', value: Number.POSITIVE_INFINITY, step: 1 }] });
    const run = (await rpc('runs.get', { id: runId })).body.result as { params: Record<string, string>; metrics: Record<string, { value: number }> };
    expect(run.params.note).toBe('NaN');
    expect(run.metrics.loss!.value).toBeNaN();
    expect(run.metrics.gain!.value).toBe(Infinity);
    expect((await rpc('runs.get', { id: 'missing' })).status).toBe(404);
    expect((await rpc('runs.search', { filter: 'metrics.x >' })).status).toBe(400);
    const badJson = await fetch(`${base}/api/rpc/app.info`, { method: 'POST', headers: { 'x-trainyard-token': server.token }, body: '{nope' });
    expect(badJson.status).toBe(400);
  });

  it('streams events: run created, then coalesced metric notifications', async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/api/events?token=${server.token}`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const created = await rpc('runs.create', { name: 'live' });
    const runId = (created.body.result as { id: string }).id;
    for (let step = 0; step < 5; step++) await rpc('runs.logBatch', { runId, metrics: [{ key: 'loss', value: 1 / (step + 1), step }] });
    let text = '';
    type Keys = Array<{ key: string; lastStep: number; count: number }>;
    const framesFor = () =>
      text
        .split('\n\n')
        .filter((frame) => frame.startsWith('event: metrics.logged') && frame.includes(runId))
        .map((frame) => (parseWire(frame.split('data: ')[1]!) as { keys: Keys }).keys[0]!);
    const counted = () => framesFor().reduce((sum, keys) => sum + keys.count, 0);
    while (counted() < 5) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text).toContain('event: run.created');
    expect(counted()).toBe(5);
    expect(framesFor().at(-1)).toMatchObject({ key: 'loss', lastStep: 4 });
  });

  it('serves the renderer with a CSP, falls back to index.html, and never escapes its folder', async () => {
    const index = await fetch(`${base}/runs/abc`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await (await fetch(`${base}/assets/app.js`)).text()).toBe('console.log(1)');
    expect((await fetch(`${base}/..%2fsecret.txt`)).status).toBe(404);
    expect(await getWithHost('/../secret.txt', `127.0.0.1:${server.port}`)).toBe(404);
  });

  it('streams artifact bytes by run id and path', async () => {
    const runId = ((await rpc('runs.create', {})).body.result as { id: string }).id;
    await rpc('artifacts.write', { runId, path: 'plots/a b.svg', content: '<svg/>' });
    const response = await fetch(`${base}/api/artifacts/${runId}/plots/a%20b.svg?token=${server.token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(await response.text()).toBe('<svg/>');
    expect((await fetch(`${base}/api/artifacts/${runId}/nope.txt?token=${server.token}`)).status).toBe(404);
  });

  it('takes a dropped file as an upload, then imports it as a dataset', async () => {
    const headers = { 'x-trainyard-token': server.token };
    const created = (await (await fetch(`${base}/api/uploads`, { method: 'POST', headers })).json()) as { result: { uploadId: string } };
    const uploadId = created.result.uploadId;
    const put = await fetch(`${base}/api/uploads/${uploadId}/my%20data.csv`, { method: 'PUT', headers, body: 'a,b\n1,2\n3,4\n' });
    expect(await put.json()).toEqual({ ok: true, result: { size: 12 } });
    const escape = await fetch(`${base}/api/uploads/${uploadId}/..%2F..%2Fevil.csv`, { method: 'PUT', headers, body: 'x' });
    expect(escape.status).toBe(400);
    const imported = await rpc('datasets.import', { source: { kind: 'upload', uploadId } });
    expect(imported.body.result).toMatchObject({ dataset: 'my-data', rowCount: 2 });
    expect((await fetch(`${base}/api/uploads`, { method: 'POST' })).status).toBe(401);
  });
});
