import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpPaths } from '../../shared/bridge';
import { notFound } from '../../shared/errors';
import {
  artifactContentSecurityPolicy,
  contentSecurityPolicy,
  createAppProtocolHandler,
  isPathInsideDir,
  resolveRendererPath,
  type AppProtocolHandler,
  type ArtifactLocator,
} from './app-protocol';

const secret = 'TOP SECRET';

describe('isPathInsideDir', () => {
  it('needs the trailing separator: a sibling folder sharing the prefix is outside', () => {
    expect(isPathInsideDir('/app/dist/renderer', '/app/dist/renderer/index.html')).toBe(true);
    expect(isPathInsideDir('/app/dist/renderer', '/app/dist/renderer')).toBe(true);
    expect(isPathInsideDir('/app/dist/renderer/', '/app/dist/renderer/a/b.js')).toBe(true);
    expect(isPathInsideDir('/app/dist/renderer', '/app/dist/renderer-evil/index.html')).toBe(false);
    expect(isPathInsideDir('/app/dist/renderer', '/app/dist/renderer/../secret.txt')).toBe(false);
    expect(isPathInsideDir('/app/dist/renderer', '/app/dist')).toBe(false);
  });
});

describe('resolveRendererPath', () => {
  const dir = '/app/dist/renderer';
  it.each([
    ['/../secret.txt'],
    ['/assets/../../secret.txt'],
    ['/%2e%2e/secret.txt'],
    ['/%2E%2E/%2e%2e/secret.txt'],
    ['/../renderer-evil/index.html'],
    ['/%2e%2e/renderer-evil/index.html'],
  ])('keeps %s out of the renderer folder', (pathname) => {
    const resolved = resolveRendererPath(dir, pathname);
    expect(resolved === null || isPathInsideDir(dir, resolved)).toBe(true);
    expect(resolved).not.toBe('/app/dist/secret.txt');
    expect(resolved).not.toBe('/app/dist/renderer-evil/index.html');
  });

  it.each([['/..%2fsecret.txt'], ['/..%5csecret.txt'], ['/assets%2f..%2f..%2fsecret.txt'], ['/index.html%00.png'], ['/%E0%A4%A']])(
    'refuses the smuggled or malformed path %s',
    (pathname) => expect(resolveRendererPath(dir, pathname)).toBeNull(),
  );

  it('maps ordinary paths inside', () => {
    expect(resolveRendererPath(dir, '/assets/app%20one.js')).toBe('/app/dist/renderer/assets/app one.js');
  });
});

describe('app:// handler', () => {
  let root: string;
  let handler: AppProtocolHandler;
  const located: Array<{ runId: string; path: string }> = [];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'trainyard-protocol-'));
    const renderer = join(root, 'dist', 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Trainyard</title>');
    writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
    mkdirSync(join(root, 'dist', 'renderer-evil'));
    writeFileSync(join(root, 'dist', 'renderer-evil', 'index.html'), secret);
    writeFileSync(join(root, 'dist', 'secret.txt'), secret);
    const plot = join(root, 'plot.png');
    writeFileSync(plot, Buffer.alloc(200_000, 7));
    const artifacts: ArtifactLocator = {
      locate(runId, path) {
        located.push({ runId, path });
        if (runId === 'run 1' && path === 'plots/loss curve.png') return { file: plot, size: 200_000, mediaType: 'image/png' };
        throw notFound(`Run ${runId} has no artifact '${path}'.`);
      },
    };
    handler = createAppProtocolHandler({ rendererDir: renderer, artifacts });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const get = (url: string, init?: RequestInit) => handler(new Request(url, init));

  it('serves renderer files with the CSP header', async () => {
    const response = await get('app://trainyard/assets/app.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(await response.text()).toBe('console.log(1)');
  });

  it('falls back to index.html for client routes, not for missing assets', async () => {
    const route = await get('app://trainyard/runs/abc');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Trainyard</title>');
    expect((await get('app://trainyard/assets/missing.js')).status).toBe(404);
  });

  it.each([
    'app://trainyard/../secret.txt',
    'app://trainyard/%2e%2e/secret.txt',
    'app://trainyard/..%2fsecret.txt',
    'app://trainyard/..%5csecret.txt',
    'app://trainyard/%2e%2e/renderer-evil/index.html',
    'app://trainyard/..%2frenderer-evil%2findex.html',
  ])('never serves a file outside the renderer folder for %s', async (url) => {
    const response = await get(url);
    expect(await response.text()).not.toContain(secret);
  });

  it('answers GET only, for its own host only', async () => {
    expect((await get('app://trainyard/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await get('app://trainyard/index.html', { method: 'HEAD' })).status).toBe(405);
    expect((await get('app://evil/index.html')).status).toBe(404);
    expect((await get('app://trainyard.evil/index.html')).status).toBe(404);
  });

  it('streams an artifact the run recorded, sandboxed so it can never act as the app', async () => {
    // The same URL shape browser mode uses, so the renderer builds it one way for both shells.
    const response = await get(`app://trainyard${httpPaths.artifact('run 1', 'plots/loss curve.png')}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-security-policy')).toBe(artifactContentSecurityPolicy);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.length).toBe(200_000);
    expect(bytes.every((byte) => byte === 7)).toBe(true);
    expect(located.at(-1)).toEqual({ runId: 'run 1', path: 'plots/loss curve.png' });
  });

  it('maps artifact errors to HTTP statuses and other /api paths to 404', async () => {
    const missing = await get('app://trainyard/api/artifacts/run%201/nope.png');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("no artifact 'nope.png'");
    expect((await get('app://trainyard/api/artifacts/run%201')).status).toBe(400);
    expect((await get('app://trainyard/api/rpc/runs.get')).status).toBe(404);
  });
});
