import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';
import { createMlflowApi, type MlflowApiOptions } from './api';

/** A query string's fields as the Python client's `requests` writes them: a list repeats its key. */
export type QueryFields = Record<string, string | number | boolean | ReadonlyArray<string | number>>;

export interface MlflowReply {
  readonly status: number;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  readonly body: Record<string, unknown> & { error_code?: string; message?: string };
  readonly text: string;
  readonly headers: Headers;
}

/**
 * The MLflow API on a real node:http server on 127.0.0.1:0 over a fresh test workbench, with a
 * client that sends requests the way MLflow's Python client does (for contract tests of this
 * module and of the registry's routes).
 */
export interface MlflowTestServer {
  readonly workbench: Workbench;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** GET with `fields` in the query string. */
  get(path: string, fields?: QueryFields): Promise<MlflowReply>;
  /** POST / PATCH / DELETE with `body` as JSON, exactly as given when it is a string. */
  send(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<MlflowReply>;
  /** Any request, for the raw artifact endpoints. */
  raw(method: string, path: string, init?: { body?: Uint8Array | string; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

export function queryString(fields: QueryFields): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (Array.isArray(value)) for (const item of value) search.append(key, String(item));
    else search.append(key, typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value));
  }
  return search.toString();
}

async function reply(response: Response): Promise<MlflowReply> {
  const text = await response.text();
  let body: MlflowReply['body'];
  try {
    body = JSON.parse(text) as MlflowReply['body'];
  } catch {
    body = undefined as never;
  }
  return { status: response.status, body, text, headers: response.headers };
}

export async function startMlflowTestServer(options: MlflowApiOptions = {}): Promise<MlflowTestServer> {
  const workbench = await openTestWorkbench();
  const handle = createMlflowApi(workbench, options);
  const server: Server = createServer((request, response) => {
    handle(request, response)
      .then((handled) => {
        if (!handled) response.writeHead(404, { 'content-type': 'text/plain' }).end('not the MLflow API');
      })
      .catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const raw: MlflowTestServer['raw'] = (method, path, init = {}) => fetch(`${base}${path}`, { method, ...(init.body !== undefined ? { body: init.body } : {}), headers: init.headers ?? {} });
  return {
    workbench,
    base,
    get: async (path, fields = {}) => {
      const query = queryString(fields);
      return reply(await raw('GET', query ? `${path}?${query}` : path));
    },
    send: async (method, path, body) =>
      reply(
        await raw(method, path, {
          ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
          headers: { 'content-type': 'application/json' },
        }),
      ),
    raw,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await workbench.dispose();
    },
  };
}
