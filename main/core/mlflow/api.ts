import type { IncomingMessage, ServerResponse } from 'node:http';
import { registerArtifactRoutes } from './artifact-routes';
import { MlflowError, sendMlflowError } from './errors';
import { registerExperimentRoutes } from './experiment-routes';
import { registerLoggingRoutes } from './logging-routes';
import { registerMetricRoutes } from './metric-routes';
import { sendJson } from './proto-json';
import { readFields, Fields, readJsonBody } from './request';
import { MlflowRouter, type MlflowDeps, type RequestContext, type RouteModule } from './router';
import { registerRunRoutes } from './run-routes';

/**
 * The MLflow version whose REST surface this server implements, answered by `GET /version`.
 * Clients read it as the server's MLflow version, so it is MLflow's number, not Trainyard's.
 */
export const mlflowApiVersion = '2.12.2';

/** Where the API lives; MLflow's UI calls the same handlers under `/ajax-api/2.0`. */
export const mlflowApiPrefixes = ['/api/2.0', '/ajax-api/2.0'] as const;

/** The tracking endpoints, in registration order. The registry's module is passed in `routes`. */
export const trackingRouteModules: readonly RouteModule[] = [registerExperimentRoutes, registerRunRoutes, registerLoggingRoutes, registerMetricRoutes, registerArtifactRoutes];

export interface MlflowApiOptions {
  /** More endpoint modules (the model registry's), registered after the tracking ones. */
  readonly routes?: readonly RouteModule[];
  /** What `GET /version` answers; `mlflowApiVersion` by default. */
  readonly version?: string;
}

/** Handles a request when it is the MLflow API's (true), else leaves the response untouched (false). */
export type MlflowRequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

/**
 * The MLflow-compatible REST API (MLFLOW.md §1–2) as a request handler to mount on any
 * node:http server: `/api/2.0/…`, `/ajax-api/2.0/…`, `GET /health` and `GET /version`.
 * Unknown paths under the API prefixes get 404 ENDPOINT_NOT_FOUND; anything else is not ours
 * and the handler resolves to false.
 *
 * A request carrying an `Origin` header from another origin is refused: the MLflow client sends
 * none, and without this check any web page could drive the API through the user's browser
 * (MLflow's server has had CVEs for exactly that). Binding, tokens and Host checks are the
 * server's business.
 */
export function createMlflowApi(deps: MlflowDeps, options: MlflowApiOptions = {}): MlflowRequestHandler {
  const router = new MlflowRouter();
  for (const register of [...trackingRouteModules, ...(options.routes ?? [])]) register(router, deps);
  const version = options.version ?? mlflowApiVersion;

  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://mlflow.invalid');
    const path = url.pathname;
    if (path === '/health' || path === '/version') {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
        return true;
      }
      const text = path === '/health' ? 'OK' : version;
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(request.method === 'HEAD' ? undefined : text);
      return true;
    }
    const prefix = mlflowApiPrefixes.find((candidate) => path.startsWith(`${candidate}/`));
    if (!prefix) return false;
    try {
      refuseCrossOrigin(request);
      const method = request.method ?? 'GET';
      const match = router.match(method, path.slice(prefix.length + 1));
      const context: RequestContext = { request, url, prefix };
      switch (match.kind) {
        case 'none':
          throw new MlflowError('ENDPOINT_NOT_FOUND', `No MLflow endpoint ${method} ${path}.`);
        case 'method':
          response.setHeader('allow', match.allowed.join(', '));
          throw new MlflowError('ENDPOINT_NOT_FOUND', `${path} does not take ${method}; use ${match.allowed.join(' or ')}.`, 405);
        case 'raw':
          await match.handler({ ...context, response, rest: match.rest });
          break;
        case 'json': {
          const fields = await fieldsOf(request, url);
          sendJson(response, 200, (await match.handler(fields, context)) ?? {});
          break;
        }
      }
    } catch (error) {
      sendMlflowError(response, error);
    }
    return true;
  };
}

/** A JSON endpoint's fields. A DELETE (or POST) that sent its fields in the query string instead of a body is read from there. */
async function fieldsOf(request: IncomingMessage, url: URL): Promise<Fields> {
  if (request.method === 'GET' || request.method === 'HEAD') return readFields(request, url);
  const text = await readJsonBody(request);
  if (text.trim() === '' && url.search !== '') return Fields.fromQuery(url.searchParams);
  return Fields.fromJsonText(text);
}

function refuseCrossOrigin(request: IncomingMessage): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let host = '';
  try {
    host = new URL(origin).host;
  } catch {
    // an unparsable origin is not ours either
  }
  if (host === '' || host !== request.headers.host) {
    throw new MlflowError('PERMISSION_DENIED', `Requests from the web origin '${origin}' are refused: this API serves MLflow clients and same-origin pages only.`);
  }
}
