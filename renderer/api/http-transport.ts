import { httpPaths, type RpcResult } from '../../shared/bridge';
import { eventNames, type WorkbenchEvent } from '../../shared/events';
import { parseWire, stringifyWire } from '../../shared/wire';
import { createClient, type CallOperation } from './client';
import { createHttpUploader, type PutFile } from './http-uploader';
import type { Connection, ConnectionState, EventListener } from './connection';

/** The pieces of the browser the HTTP transport uses, injectable so tests run in plain Node. */
export interface HttpTransportOptions {
  /** Origin plus base path, '' for same origin. */
  readonly baseUrl: string;
  readonly token: string;
  readonly fetch: typeof fetch;
  /** Absent in Node tests: then there are no push events. */
  readonly EventSource?: typeof EventSource;
  /** Absent in the browser: XMLHttpRequest, for upload progress. */
  readonly putFile?: PutFile;
}

/** Browser mode: `POST /api/rpc/<operation>` with the session token, wire JSON both ways. */
export function createHttpCall(options: HttpTransportOptions): CallOperation {
  return async (operation, input) => {
    let response: Response;
    try {
      response = await options.fetch(`${options.baseUrl}${httpPaths.rpc(operation)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [httpPaths.tokenHeader]: options.token },
        body: stringifyWire(input),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return failure('UNAVAILABLE', `Cannot reach the Trainyard server (${reason}). Is \`trainyard ui\` still running?`);
    }
    const text = await response.text().catch(() => '');
    const parsed = tryParse(text);
    if (isRpcResult(parsed)) return parsed;
    // Not our JSON: a proxy error page, or the guard refusing a stale token.
    if (response.status === 401 || response.status === 403) {
      return failure('UNAVAILABLE', `The server refused this session's token (HTTP ${response.status}). Open the address \`trainyard ui\` printed again.`);
    }
    const snippet = text.trim().slice(0, 200) || response.statusText;
    return failure(response.status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT', `HTTP ${response.status} from ${operation}: ${snippet}`);
  };
}

function failure(code: 'UNAVAILABLE' | 'INTERNAL' | 'INVALID_ARGUMENT', message: string): RpcResult {
  return { ok: false, error: { code, message } };
}

function tryParse(text: string): unknown {
  try {
    return parseWire(text);
  } catch {
    return undefined;
  }
}

function isRpcResult(value: unknown): value is RpcResult {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  if (record.ok === true) return 'result' in record;
  if (record.ok !== false) return false;
  const error = record.error as Record<string, unknown> | null | undefined;
  return typeof error === 'object' && error !== null && typeof error.code === 'string' && typeof error.message === 'string';
}

/** Retry delays after the event stream closes for good; EventSource only retries by itself on network errors. */
const reopenDelaysMs = [1000, 2000, 5000, 10000];

/** The whole browser-mode connection: RPC client, SSE events, artifact URLs. */
export function createHttpConnection(options: HttpTransportOptions): Connection {
  const listeners = new Set<EventListener>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = options.EventSource ? 'connecting' : 'connected';
  let source: EventSource | null = null;
  let failures = 0;

  const setState = (next: ConnectionState): void => {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };

  const open = (): void => {
    const EventSourceImpl = options.EventSource;
    if (!EventSourceImpl) return;
    const url = `${options.baseUrl}${httpPaths.events}?token=${encodeURIComponent(options.token)}`;
    const stream = new EventSourceImpl(url);
    source = stream;
    stream.onopen = () => {
      failures = 0;
      setState('connected');
    };
    stream.onerror = () => {
      if (stream.readyState === EventSourceImpl.CLOSED) {
        stream.close();
        const delay = reopenDelaysMs[Math.min(failures, reopenDelaysMs.length - 1)] ?? 10000;
        failures += 1;
        setState(failures > 6 ? 'offline' : 'reconnecting');
        setTimeout(open, delay);
      } else {
        setState('reconnecting');
      }
    };
    for (const name of eventNames) {
      stream.addEventListener(name, (message) => {
        const data = (message as MessageEvent<string>).data;
        const payload = tryParse(data);
        if (payload === undefined) return;
        const event = { name, payload } as WorkbenchEvent;
        for (const listener of listeners) listener(event);
      });
    }
  };

  return {
    shell: 'browser',
    api: createClient(createHttpCall(options)),
    onEvent(listener) {
      listeners.add(listener);
      if (!source) open();
      return () => listeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    getState: () => state,
    artifactUrl: (runId, path) => `${options.baseUrl}${httpPaths.artifact(runId, path)}?token=${encodeURIComponent(options.token)}`,
    pathForFile: () => null,
    upload: createHttpUploader({ baseUrl: options.baseUrl, token: options.token, fetch: options.fetch, ...(options.putFile ? { putFile: options.putFile } : {}) }),
  };
}
