/**
 * Reads a running MLflow tracking server over its REST API (MLFLOW.md §2), for
 * `trainyard import mlflow http(s)://host:port`:
 *
 * - experiments: POST `mlflow/experiments/search` (view_type ALL, paged on next_page_token);
 * - runs: POST `mlflow/runs/search` per experiment (run_view_type ALL, paged); params, tags and
 *   metric keys come with each run, each metric's full history from GET
 *   `mlflow/metrics/get-history` (paged);
 * - artifacts: the proxied artifact API, GET `mlflow-artifacts/artifacts?path=<exp>/<run>/artifacts/<dir>`
 *   walked recursively, then one GET per file, streamed. A server started with
 *   `--no-serve-artifacts` hands out `file://` or `s3://` URIs this process cannot read: those
 *   runs' artifacts are looked up with `mlflow/artifacts/list` and reported as skipped;
 * - registry: GET `registered-models/search` and `model-versions/search` (paged); aliases come
 *   with the registered model.
 *
 * Authentication is MLflow's own: `MLFLOW_TRACKING_TOKEN` (Bearer) or
 * `MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD` (Basic), passed in by the caller;
 * user:password in the URI works too. Like MLflow's client, a request that got 429, 502, 503 or
 * 504 is tried again with backoff.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { invalid, WorkbenchError } from '../../../../shared/errors';
import type { RunStatus } from '../../../../shared/tracking';
import type { MlflowSource, SourceArtifact, SourceExperiment, SourceKeyValue, SourceMetricPoint, SourceModel, SourceRun, SourceVersion } from './mlflow-source';
import { parseMetricValue } from './mlruns-reader';

export interface RestReaderOptions {
  /** Sent as `Authorization: Bearer <token>` (MLFLOW_TRACKING_TOKEN). */
  readonly token?: string | undefined;
  /** Basic authentication (MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD). */
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** Milliseconds one JSON request may take; artifact downloads are not limited. */
  readonly timeoutMs?: number;
  /** max_results asked of every paged search (tests set it low to exercise paging); each endpoint's usual size otherwise. */
  readonly pageSize?: number;
  /** Delay before the first retry of a 429/502/503/504; doubles each time (tests set it low). */
  readonly retryDelayMs?: number;
}

/** A run as runs/search returns it: params, tags and metric keys come along. */
export interface RestRun extends SourceRun {
  readonly params: SourceKeyValue[];
  readonly tags: SourceKeyValue[];
  readonly metricKeys: string[];
}

type Message = Record<string, unknown>;

const retried = new Set([429, 502, 503, 504]);
const attempts = 4;
const statusNames = new Set<RunStatus>(['RUNNING', 'FINISHED', 'FAILED', 'KILLED']);
/** MLflow's RunStatus enum numbers, should a server send numbers. */
const statusByNumber: Record<string, RunStatus> = { '1': 'RUNNING', '2': 'RUNNING', '3': 'FINISHED', '4': 'FAILED', '5': 'KILLED' };

/** A request the MLflow server refused or could not answer; the message names the URL and status. */
export class MlflowRestError extends WorkbenchError {
  constructor(
    readonly status: number | null,
    readonly url: string,
    message: string,
  ) {
    super(status !== null && status >= 400 && status < 500 && status !== 429 ? 'INVALID_ARGUMENT' : 'UNAVAILABLE', message);
    this.name = 'MlflowRestError';
  }
}

export class RestReader implements MlflowSource<SourceExperiment, RestRun> {
  readonly warnings: string[] = [];
  readonly label = 'this MLflow server';
  /** The tracking URI without credentials. */
  readonly location: string;
  private readonly base: string;
  private readonly headers: Record<string, string> = {};
  private readonly timeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly pageSize: number | undefined;

  constructor(trackingUri: string, options: RestReaderOptions = {}) {
    let url: URL;
    try {
      url = new URL(trackingUri);
    } catch {
      throw invalid(`'${trackingUri}' is not a tracking URI (expected http(s)://host:port).`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`'${trackingUri}' is not an http(s) tracking URI.`);
    const username = url.username ? decodeURIComponent(url.username) : options.username;
    const password = url.password ? decodeURIComponent(url.password) : options.password;
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    this.base = url.href.replace(/\/+$/, '');
    this.location = this.base;
    if (options.token) this.headers['authorization'] = `Bearer ${options.token}`;
    else if (username) this.headers['authorization'] = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.pageSize = options.pageSize;
  }

  async experiments(): Promise<SourceExperiment[]> {
    const found = await this.pages('POST', 'mlflow/experiments/search', { max_results: 1000, view_type: 'ALL' }, 'experiments');
    return found.map((experiment) => {
      const id = text(experiment['experiment_id']) ?? '';
      return { id, name: text(experiment['name']) ?? `experiment ${id}`, deleted: experiment['lifecycle_stage'] === 'deleted', tags: keyValueRecord(experiment['tags']) };
    });
  }

  async runs(experiment: SourceExperiment): Promise<RestRun[]> {
    const found = await this.pages('POST', 'mlflow/runs/search', { experiment_ids: [experiment.id], run_view_type: 'ALL', max_results: 1000 }, 'runs');
    return found.map((run) => {
      const info = message(run['info']);
      const data = message(run['data']);
      const id = text(info['run_id']) || text(info['run_uuid']) || '';
      const rawStatus = text(info['status']) ?? 'RUNNING';
      const status = statusByNumber[rawStatus] ?? (statusNames.has(rawStatus as RunStatus) ? (rawStatus as RunStatus) : 'RUNNING');
      return {
        id,
        experimentId: text(info['experiment_id']) ?? experiment.id,
        name: text(info['run_name']) || null,
        status,
        startTime: integer(info['start_time']) ?? 0,
        endTime: integer(info['end_time']),
        deleted: experiment.deleted || info['lifecycle_stage'] === 'deleted',
        artifactUri: text(info['artifact_uri']),
        params: keyValues(data['params']),
        tags: keyValues(data['tags']),
        metricKeys: [...new Set(list(data['metrics']).map((metric) => text(metric['key']) ?? ''))].filter((key) => key !== ''),
      };
    });
  }

  params(run: RestRun): SourceKeyValue[] {
    return run.params;
  }

  tags(run: RestRun): SourceKeyValue[] {
    return run.tags;
  }

  metricKeys(run: RestRun): string[] {
    return run.metricKeys;
  }

  async metricPoints(run: RestRun, key: string): Promise<SourceMetricPoint[]> {
    const found = await this.pages('GET', 'mlflow/metrics/get-history', { run_id: run.id, metric_key: key, max_results: 25_000 }, 'metrics');
    const points: SourceMetricPoint[] = [];
    for (const metric of found) {
      const value = parseMetricValue(text(metric['value']) ?? '0');
      if (value === null) {
        this.warnings.push(`Run ${run.id}: metric '${key}' has a point with value ${JSON.stringify(metric['value'])}; skipped.`);
        continue;
      }
      points.push({ key, value, timestamp: integer(metric['timestamp']) ?? 0, step: integer(metric['step']) ?? 0 });
    }
    return points;
  }

  async artifactFiles(run: RestRun): Promise<string[]> {
    const root = proxiedRoot(run.artifactUri);
    if (root !== null) {
      try {
        return await this.walk(root, '');
      } catch (error) {
        if (!(error instanceof MlflowRestError) || error.status !== 404) throw error;
        // A server without --serve-artifacts has no mlflow-artifacts endpoints.
      }
    }
    await this.warnUnreachableArtifacts(run);
    return [];
  }

  async openArtifact(run: RestRun, path: string): Promise<SourceArtifact> {
    const root = proxiedRoot(run.artifactUri);
    if (root === null) throw invalid(`Run ${run.id}: artifacts at ${run.artifactUri ?? '(none)'} are not served by this MLflow server.`);
    const url = `${this.base}/api/2.0/mlflow-artifacts/artifacts/${encodePath(root ? `${root}/${path}` : path)}`;
    const response = await this.fetch('GET', url);
    const body = response.body ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>) : Readable.from([]);
    return { stream: body as AsyncIterable<Uint8Array> };
  }

  async models(): Promise<SourceModel[]> {
    const models = await this.pages('GET', 'mlflow/registered-models/search', { max_results: 1000 }, 'registered_models');
    const versions = await this.pages('GET', 'mlflow/model-versions/search', { max_results: 10_000 }, 'model_versions');
    const byModel = new Map<string, SourceVersion[]>();
    for (const version of versions) {
      const stage = text(version['current_stage']) ?? 'None';
      if (stage === 'Deleted_Internal') continue;
      const name = text(version['name']) ?? '';
      const entry: SourceVersion = {
        version: integer(version['version']) ?? 0,
        stage,
        source: text(version['source']) ?? '',
        runId: text(version['run_id']) || null,
        description: text(version['description']) ?? '',
        tags: keyValueRecord(version['tags']),
      };
      byModel.set(name, [...(byModel.get(name) ?? []), entry]);
    }
    return models
      .map((model) => {
        const name = text(model['name']) ?? '';
        const aliases: Record<string, number> = {};
        for (const alias of list(model['aliases'])) {
          const version = integer(alias['version']);
          if (version !== null && text(alias['alias'])) aliases[text(alias['alias'])!] = version;
        }
        return {
          name,
          description: text(model['description']) ?? '',
          tags: keyValueRecord(model['tags']),
          aliases,
          versions: (byModel.get(name) ?? []).sort((a, b) => a.version - b.version),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every file below `dir` of the run's proxied artifact root, as run-relative paths. */
  private async walk(root: string, dir: string): Promise<string[]> {
    const listing = await this.call('GET', 'mlflow-artifacts/artifacts', { path: [root, dir].filter(Boolean).join('/') });
    const found: string[] = [];
    for (const file of list(listing['files'])) {
      // MLflow answers basenames; a server that answers longer paths still names the last segment.
      const name = (text(file['path']) ?? '').split('/').pop() ?? '';
      if (name === '' || name === '.' || name === '..') continue;
      const rel = dir ? `${dir}/${name}` : name;
      if (file['is_dir'] === true) found.push(...(await this.walk(root, rel)));
      else found.push(rel);
    }
    return found.sort();
  }

  private async warnUnreachableArtifacts(run: RestRun): Promise<void> {
    try {
      const listing = await this.call('GET', 'mlflow/artifacts/list', { run_id: run.id });
      if (list(listing['files']).length === 0) return;
      const where = text(listing['root_uri']) ?? run.artifactUri ?? 'its artifact store';
      this.warnings.push(`Run ${run.id}: its artifacts are at ${where}, which the server does not proxy (it runs without --serve-artifacts); they were not copied.`);
    } catch (error) {
      this.warnings.push(`Run ${run.id}: its artifacts could not be listed (${error instanceof Error ? error.message : String(error)}); they were not copied.`);
    }
  }

  /** Follows next_page_token until the server stops sending one. */
  private async pages(method: 'GET' | 'POST', path: string, fields: Message, itemsField: string): Promise<Message[]> {
    const items: Message[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const sized = this.pageSize === undefined ? fields : { ...fields, max_results: this.pageSize };
      const page = await this.call(method, path, token ? { ...sized, page_token: token } : sized);
      items.push(...list(page[itemsField]));
      token = text(page['next_page_token']) || undefined;
      if (token !== undefined && seen.has(token)) throw new MlflowRestError(null, `${this.base}/api/2.0/${path}`, `${method} ${this.base}/api/2.0/${path} handed out the same page token twice; stopped.`);
      if (token !== undefined) seen.add(token);
    } while (token !== undefined);
    return items;
  }

  private async call(method: 'GET' | 'POST', path: string, fields: Message): Promise<Message> {
    let url = `${this.base}/api/2.0/${path}`;
    if (method === 'GET') {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(fields)) {
        if (Array.isArray(value)) for (const item of value) query.append(key, String(item));
        else if (value !== undefined) query.append(key, String(value));
      }
      url += `?${query.toString()}`;
    }
    const response = await this.fetch(method, url, method === 'POST' ? JSON.stringify(fields) : undefined, AbortSignal.timeout(this.timeoutMs));
    const body = await response.text();
    try {
      const parsed = JSON.parse(body) as unknown;
      return message(parsed);
    } catch {
      throw new MlflowRestError(response.status, url, `${method} ${url} did not answer JSON (is this an MLflow tracking server?): ${body.slice(0, 200)}`);
    }
  }

  /** One request, retried on 429/502/503/504 and on connection errors; a non-2xx answer throws. */
  private async fetch(method: string, url: string, body?: string, signal?: AbortSignal): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { ...this.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body } : {}),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
        if (attempt < attempts && !signal?.aborted) {
          await sleep(this.retryDelayMs * 2 ** (attempt - 1));
          continue;
        }
        throw new MlflowRestError(null, url, `${method} ${url} failed: ${cause}`);
      }
      if (response.ok) return response;
      if (retried.has(response.status) && attempt < attempts) {
        await response.body?.cancel();
        await sleep(this.retryDelayMs * 2 ** (attempt - 1));
        continue;
      }
      const detail = await response.text().catch(() => '');
      let reason = detail.slice(0, 300);
      try {
        const parsed = message(JSON.parse(detail) as unknown);
        if (parsed['message'] !== undefined) reason = `${text(parsed['error_code']) ?? 'ERROR'}: ${text(parsed['message'])}`;
      } catch {
        // Not JSON: the body's start is the reason.
      }
      const hint = response.status === 401 || response.status === 403 ? ' (set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)' : '';
      throw new MlflowRestError(response.status, url, `${method} ${url} answered ${response.status} ${response.statusText}${reason ? `: ${reason}` : ''}${hint}`);
    }
  }
}

/**
 * The path below `mlflow-artifacts/artifacts/` that a run's proxied `artifact_uri` names
 * (`mlflow-artifacts:/1/<run>/artifacts` or `mlflow-artifacts://host:port/1/<run>/artifacts`);
 * null when the run's artifacts are elsewhere (`file:`, `s3:`, …).
 */
export function proxiedRoot(artifactUri: string | null): string | null {
  if (!artifactUri?.startsWith('mlflow-artifacts:')) return null;
  const rest = artifactUri.slice('mlflow-artifacts:'.length);
  const path = rest.startsWith('//') ? rest.slice(2).replace(/^[^/]*/, '') : rest;
  return path.replace(/^\/+|\/+$/g, '');
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function message(value: unknown): Message {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Message) : {};
}

function list(value: unknown): Message[] {
  return Array.isArray(value) ? value.map(message) : [];
}

function keyValues(value: unknown): SourceKeyValue[] {
  return list(value)
    .map((entry) => ({ key: text(entry['key']) ?? '', value: text(entry['value']) ?? '' }))
    .filter((entry) => entry.key !== '');
}

function keyValueRecord(value: unknown): Record<string, string> {
  return Object.fromEntries(keyValues(value).map((entry) => [entry.key, entry.value]));
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}

function integer(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? Math.trunc(number) : null;
}
