/**
 * The MLflow-compatible server: the API (tracking + registry routes) on its own node:http server,
 * sharing the workbench's one SQLite writer. Bound to 127.0.0.1 by default; bound anywhere else it
 * requires `Authorization: Bearer <token>` (what MLflow's client sends for MLFLOW_TRACKING_TOKEN)
 * and says so if none is given. On loopback the Host header must name this machine, so a web page
 * cannot reach it through DNS rebinding.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invalid } from '../../../shared/errors';
import { createMlflowApi } from './api';
import { registerRegistryRoutes } from './registry-routes';
import type { MlflowDeps } from './router';

export interface MlflowServerOptions {
  readonly port: number;
  readonly host?: string;
  /** Required when `host` is not a loopback address. */
  readonly token?: string;
  /** Try the next ports when `port` is taken (the app's default 5000 often is). */
  readonly fallbackToFreePort?: boolean;
}

export interface MlflowServer {
  /** What to put in MLFLOW_TRACKING_URI. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const loopback = new Set(['127.0.0.1', '::1', 'localhost']);

export async function startMlflowServer(deps: MlflowDeps, options: MlflowServerOptions): Promise<MlflowServer> {
  const host = options.host ?? '127.0.0.1';
  const local = loopback.has(host);
  if (!local && !options.token) throw invalid(`Binding the MLflow server to ${host} exposes it to the network: give a token (--token) that clients send as MLFLOW_TRACKING_TOKEN.`);
  const api = createMlflowApi(deps, { routes: [registerRegistryRoutes] });
  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : null;
  const server = createServer((request, response) => {
    if (local && !isLocalHost(request.headers.host)) {
      response.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 'PERMISSION_DENIED', message: 'This server answers requests for 127.0.0.1 / localhost only.' }));
      return;
    }
    if (expected) {
      const given = Buffer.from(request.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 'UNAUTHENTICATED', message: 'Set MLFLOW_TRACKING_TOKEN to this server\'s token.' }));
        return;
      }
    }
    api(request, response)
      .then((handled) => {
        if (!handled && !response.headersSent) response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 'ENDPOINT_NOT_FOUND', message: `No endpoint ${request.method} ${request.url}` }));
      })
      .catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) }));
        else response.destroy();
      });
  });
  const attempts = options.fallbackToFreePort ? [options.port, options.port + 1, options.port + 2, 0] : [options.port];
  let lastError: NodeJS.ErrnoException | null = null;
  for (const port of attempts) {
    try {
      await listen(server, port, host);
      const address = server.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      return {
        url: `http://${shown}:${address.port}`,
        port: address.port,
        close: () => new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
      };
    } catch (error) {
      lastError = error as NodeJS.ErrnoException;
      if (lastError.code !== 'EADDRINUSE') break;
    }
  }
  throw lastError?.code === 'EADDRINUSE' ? invalid(`Port ${options.port} on ${host} is already in use: choose another (--port), or 0 for any free one.`) : (lastError ?? new Error('the MLflow server did not start'));
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function isLocalHost(header: string | undefined): boolean {
  if (!header) return false;
  const name = header.startsWith('[') ? header.slice(1, header.indexOf(']')) : header.split(':')[0]!;
  return loopback.has(name);
}
