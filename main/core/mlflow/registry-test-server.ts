/**
 * Test helper for the registry's contract tests: the MLflow API with the registry routes on a
 * real node:http server on 127.0.0.1:0 over a test workbench, and a client that sends requests
 * the way MLflow's Python client does (GET fields in the query string with repeated keys, every
 * other method a JSON body, DELETE included).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';
import { createMlflowApi } from './api';
import { registerRegistryRoutes } from './registry-routes';

export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface RegistryTestServer {
  readonly workbench: Workbench & { home: string };
  readonly url: string;
  call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, fields?: Record<string, unknown>): Promise<Reply>;
  /** GET of a raw URL path (artifact downloads): the status and bytes. */
  fetchBytes(path: string): Promise<{ status: number; bytes: Buffer; contentType: string | null }>;
  close(): Promise<void>;
}

export async function startRegistryTestServer(): Promise<RegistryTestServer> {
  const workbench = await openTestWorkbench();
  const api = createMlflowApi(workbench, { routes: [registerRegistryRoutes] });
  const server: Server = createServer((request, response) => {
    void api(request, response).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    workbench,
    url,
    async call(method, path, fields = {}) {
      let target = `${url}/api/2.0/${path}`;
      const init: RequestInit = { method };
      if (method === 'GET') {
        const query = new URLSearchParams();
        for (const [key, value] of Object.entries(fields)) {
          for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
        }
        if ([...query].length > 0) target += `?${query.toString()}`;
      } else {
        init.body = JSON.stringify(fields);
        init.headers = { 'content-type': 'application/json' };
      }
      const response = await fetch(target, init);
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async fetchBytes(path) {
      const response = await fetch(`${url}${path}`);
      return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
    },
    async close() {
      // fetch keeps connections alive; close them rather than wait for them to idle out.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await workbench.dispose();
    },
  };
}
