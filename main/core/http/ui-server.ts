import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpPaths } from '../../../shared/bridge';
import { httpStatusOf, toApiError } from '../../../shared/errors';
import type { WorkbenchEvent } from '../../../shared/events';
import { parseWire, stringifyWire } from '../../../shared/wire';
import type { Dispatch } from '../api/dispatcher';
import type { Event } from '../events/emitter';
import type { ArtifactService } from '../tracking/artifact-service';
import type { Uploads } from '../datasets/uploads';
import { contentSecurityPolicy, serveStatic } from './static-files';

export interface UiServerOptions {
  readonly dispatch: Dispatch;
  readonly onDidEmit: Event<WorkbenchEvent>;
  readonly artifacts: Pick<ArtifactService, 'locate' | 'ensure'>;
  /** Where dropped files are streamed before an import (browser mode has no paths). */
  readonly uploads?: Pick<Uploads, 'create' | 'write'>;
  /** The built renderer (dist/renderer). */
  readonly staticDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Fixed token (tests); a fresh random one per launch otherwise. */
  readonly token?: string;
}

export interface UiServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const maxBodyBytes = 64 * 1024 * 1024;
/** Dropped files stream to disk, so this bounds disk use, not memory. */
const maxUploadBytes = 64 * 1024 * 1024 * 1024;
const heartbeatMs = 15_000;

/**
 * Browser mode (DESIGN.md §3): the contract's operations as `POST /api/rpc/<op>`, events as
 * server-sent events, the renderer as static files — on loopback, guarded by a per-launch token
 * and a Host-header check (a page on another origin that rebinds DNS to 127.0.0.1 sends its own
 * Host and is refused).
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const clients = new Set<ServerResponse>();
  let port = 0;

  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${host}:${port}`]);
  const hasToken = (request: IncomingMessage, url: URL): boolean => {
    const header = request.headers[httpPaths.tokenHeader];
    const given = typeof header === 'string' ? header : url.searchParams.get('token');
    if (!given) return false;
    const bytes = Buffer.from(given);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: toApiError(error) });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts().has(request.headers.host ?? '')) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden: unexpected Host header.');
      return;
    }
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    if (url.pathname === '/api/health') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (!hasToken(request, url)) {
        sendJson(response, 401, { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Missing or wrong token. Open the URL that `trainyard ui` printed.' } });
        return;
      }
      if (url.pathname.startsWith('/api/rpc/')) return rpc(request, response, url.pathname.slice('/api/rpc/'.length));
      if (url.pathname === httpPaths.events) return events(request, response);
      if (url.pathname.startsWith('/api/artifacts/')) return artifact(response, url.pathname.slice('/api/artifacts/'.length));
      if (url.pathname === httpPaths.uploads || url.pathname.startsWith(`${httpPaths.uploads}/`)) return upload(request, response, url.pathname.slice(httpPaths.uploads.length));
      sendJson(response, 404, { ok: false, error: { code: 'NOT_FOUND', message: `No endpoint ${url.pathname}.` } });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    await serveStatic(options.staticDir, url.pathname, response);
  }

  async function rpc(request: IncomingMessage, response: ServerResponse, operation: string): Promise<void> {
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    let input: unknown;
    try {
      const body = await readBody(request);
      input = body.length === 0 ? {} : parseWire(body.toString('utf8'));
    } catch (error) {
      const message = error instanceof SyntaxError ? `Request body is not valid JSON: ${error.message}` : String((error as Error).message);
      sendJson(response, 400, { ok: false, error: { code: 'INVALID_ARGUMENT', message } });
      return;
    }
    const result = await options.dispatch(decodeURIComponent(operation), input);
    sendJson(response, result.ok ? 200 : httpStatusOf[result.error.code], result);
  }

  function events(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(': connected\n\n');
    clients.add(response);
    const heartbeat = setInterval(() => response.write(': ping\n\n'), heartbeatMs);
    request.on('close', () => {
      clearInterval(heartbeat);
      clients.delete(response);
    });
  }

  /** `POST /api/uploads` → a new upload id; `PUT /api/uploads/<id>/<relative path>` → one file. */
  async function upload(request: IncomingMessage, response: ServerResponse, rest: string): Promise<void> {
    const uploads = options.uploads;
    if (!uploads) {
      sendJson(response, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'Uploads are not enabled on this server.' } });
      return;
    }
    try {
      if (rest === '' && request.method === 'POST') {
        sendJson(response, 200, { ok: true, result: { uploadId: await uploads.create() } });
        return;
      }
      const match = /^\/([0-9a-f-]{36})\/(.+)$/.exec(rest);
      if (!match || request.method !== 'PUT') {
        sendJson(response, 405, { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Use POST /api/uploads, then PUT /api/uploads/<id>/<relative path>.' } });
        return;
      }
      const relpath = match[2]!.split('/').map(decodeURIComponent).join('/');
      const size = await uploads.write(match[1]!, relpath, request, maxUploadBytes);
      sendJson(response, 200, { ok: true, result: { size } });
    } catch (error) {
      const shaped = toApiError(error);
      sendJson(response, httpStatusOf[shaped.code], { ok: false, error: shaped });
    }
  }

  async function artifact(response: ServerResponse, rest: string): Promise<void> {
    const slash = rest.indexOf('/');
    const runId = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash));
    const path = slash === -1 ? '' : rest.slice(slash + 1).split('/').map(decodeURIComponent).join('/');
    let located: ReturnType<ArtifactService['locate']>;
    try {
      await options.artifacts.ensure(runId, path);
      located = options.artifacts.locate(runId, path);
    } catch (error) {
      const shaped = toApiError(error);
      sendJson(response, httpStatusOf[shaped.code], { ok: false, error: shaped });
      return;
    }
    response.writeHead(200, {
      'content-type': located.mediaType,
      'content-length': located.size,
      // An artifact is user data: never let the browser run it as a page of this origin.
      'content-security-policy': "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
      'x-content-type-options': 'nosniff',
      etag: `"${located.md5}"`,
    });
    createReadStream(located.file).pipe(response);
  }

  const subscription = options.onDidEmit((event) => {
    const frame = `event: ${event.name}\ndata: ${stringifyWire(event.payload)}\n\n`;
    for (const client of clients) client.write(frame);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      subscription.dispose();
      for (const client of clients) client.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = stringifyWire(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'content-security-policy': contentSecurityPolicy,
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new Error(`Request body is larger than ${maxBodyBytes} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
