/**
 * MLflow's scoring protocol over node:http (MLFLOW.md §5): GET /ping and /health (200 "\n" — the
 * model is loaded before the server listens), GET /version, POST /invocations with
 * `application/json` or `text/csv`. Client mistakes are 4xx with MLflow's `{"error_code",
 * "message"}` body; only a failure inside onnxruntime is a 500. One log line per request.
 *
 * Closing is graceful: stop accepting, answer the requests already in flight (with
 * `Connection: close`), drop idle keep-alive connections, and resolve once every connection is
 * gone — or after `graceMs`, when the stragglers are cut.
 *
 * Bound to a loopback address, it answers only requests whose Host is this machine (checkHost).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkbenchError } from '../../shared/errors';
import { parseCsvPayload, parseJsonPayload } from './payload';
import { RequestError } from './request-error';
import type { Scored } from './scorer';
import type { Payload } from './payload';

export interface ServerOptions {
  readonly scorer: { score(payload: Payload): Promise<Scored> };
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly maxBodyBytes: number;
  /** GET /version's answer. */
  readonly version: string;
  readonly log: (line: string) => void;
}

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** Requests answered so far. */
  readonly requests: () => number;
  close(graceMs?: number): Promise<void>;
}

const ROUTES: Readonly<Record<string, readonly string[]>> = { '/ping': ['GET', 'HEAD'], '/health': ['GET', 'HEAD'], '/version': ['GET', 'HEAD'], '/invocations': ['POST'] };
const CONTENT_TYPES = ['application/json', 'text/csv'];

export function startServer(options: ServerOptions): Promise<RunningServer> {
  let closing = false;
  let answered = 0;
  const inFlight = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const started = performance.now();
    const scored = { rows: null as number | null };
    inFlight.add(response);
    if (closing) response.setHeader('Connection', 'close');
    response.on('close', () => inFlight.delete(response));
    response.on('finish', () => {
      answered++;
      const path = (request.url ?? '/').split('?')[0];
      options.log(`${request.method} ${path} ${response.statusCode}${scored.rows === null ? '' : ` rows=${scored.rows}`} ${(performance.now() - started).toFixed(1)}ms`);
    });
    handle(request, response, options, scored, () => closing).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      if (error instanceof RequestError) {
        if (error.status === 413) response.setHeader('Connection', 'close');
        sendError(response, error.status, error.errorCode, error.message);
      } else sendError(response, 500, 'INTERNAL_ERROR', `The model failed to run: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options.host, options.port)));
    server.listen(options.port, options.host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        host: options.host,
        port: address.port,
        requests: () => answered,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            closing = true;
            const cut = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(cut);
              done();
            });
            // Idle keep-alive connections go now; busy ones close once their answer is out.
            server.closeIdleConnections();
            for (const response of inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
          }),
      });
    });
  });
}

/** Answers one request; `scored.rows` is set for a prediction (the log line shows it). */
async function handle(request: IncomingMessage, response: ServerResponse, options: ServerOptions, scored: { rows: number | null }, closing: () => boolean): Promise<void> {
  checkHost(request.headers.host, options.host);
  const path = (request.url ?? '/').split('?')[0]!;
  const methods = ROUTES[path];
  if (!methods) throw new RequestError(404, `No such endpoint: ${path}. This server answers /ping, /health, /version and /invocations.`, 'ENDPOINT_NOT_FOUND');
  if (!methods.includes(request.method ?? '')) {
    response.setHeader('Allow', methods.join(', '));
    throw new RequestError(405, `${path} takes ${methods.filter((method) => method !== 'HEAD').join(' or ')}, not ${request.method}.`);
  }
  if (path === '/ping' || path === '/health') return send(response, 200, '\n');
  if (path === '/version') return send(response, 200, options.version);
  if (closing()) throw new RequestError(503, 'The server is shutting down.', 'TEMPORARILY_UNAVAILABLE');
  const type = contentTypeOf(request.headers['content-type']);
  const encoding = request.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') throw new RequestError(415, `Content-Encoding ${encoding} is not supported: send the body uncompressed.`);
  const text = (await readBody(request, options.maxBodyBytes)).toString('utf8');
  const payload = type === 'text/csv' ? parseCsvPayload(text) : parseJsonPayload(text);
  const result = await options.scorer.score(payload);
  scored.rows = result.rows;
  send(response, 200, result.body);
}

const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * A server on a loopback address answers only requests addressed to this machine: a web page that
 * rebinds its own host name to 127.0.0.1 (DNS rebinding) must not get predictions from it.
 */
function checkHost(header: string | undefined, boundTo: string): void {
  if (!header || !isLoopback(boundTo)) return;
  const name = (header.startsWith('[') ? header.slice(1, header.indexOf(']')) : header.split(':')[0]!).toLowerCase();
  if (!isLoopback(name)) throw new RequestError(403, `This server answers requests addressed to this machine (127.0.0.1 or localhost), not to '${header}'.`, 'PERMISSION_DENIED');
}

/** The media type, if it is one this server reads; 415 otherwise (JSON and CSV in UTF-8 only, as MLflow). */
function contentTypeOf(header: string | undefined): string {
  const [media = '', ...parameters] = (header ?? '').split(';').map((part) => part.trim());
  const type = media.toLowerCase();
  const supported = `This server reads ${CONTENT_TYPES.join(' or ')} (UTF-8)`;
  if (!CONTENT_TYPES.includes(type)) throw new RequestError(415, `${supported}, not ${header ? `'${header}'` : 'a body without a Content-Type'}.`);
  for (const parameter of parameters) {
    if (parameter === '') continue;
    const [key = '', value = ''] = parameter.split('=').map((part) => part.trim().toLowerCase());
    if (key !== 'charset' || value.replace(/^"|"$/g, '') !== 'utf-8') throw new RequestError(415, `${supported}; '${parameter}' is not supported.`);
  }
  return type;
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = (): RequestError => new RequestError(413, `The body is larger than this server's limit of ${limit} bytes: send fewer rows per request.`);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        request.removeAllListeners('data');
        request.resume();
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body, 'utf8') });
  response.end(body, 'utf8');
}

function sendError(response: ServerResponse, status: number, errorCode: string, message: string): void {
  send(response, status, JSON.stringify({ error_code: errorCode, message }));
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new WorkbenchError('INVALID_ARGUMENT', `Port ${port} on ${host} is already in use: choose another port, or 0 for any free one.`);
    case 'EACCES':
      return new WorkbenchError('INVALID_ARGUMENT', `Not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges): choose another port.`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new WorkbenchError('INVALID_ARGUMENT', `Cannot listen on ${host}: it is not an address of this machine.`);
    default:
      return new WorkbenchError('INVALID_ARGUMENT', `Cannot listen on ${host}:${port}: ${error.message}`);
  }
}
