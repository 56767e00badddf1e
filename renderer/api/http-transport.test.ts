import { describe, expect, it } from 'vitest';
import { parseWire, stringifyWire } from '../../shared/wire';
import { ApiError } from './api-error';
import { createClient } from './client';
import { createHttpCall, createHttpConnection } from './http-transport';

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

function fakeFetch(handler: Handler): { fetch: typeof fetch; requests: { url: string; init: RequestInit }[] } {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    requests.push({ url, init });
    return handler(url, init);
  }) as typeof fetch;
  return { fetch: fetchImpl, requests };
}

const wire = (value: unknown, status = 200): Response => new Response(stringifyWire(value), { status, headers: { 'content-type': 'application/json' } });

describe('HTTP transport', () => {
  it('posts the operation with the token header and wire-encoded input', async () => {
    const { fetch, requests } = fakeFetch(() => wire({ ok: true, result: { ok: true } }));
    const api = createClient(createHttpCall({ baseUrl: 'http://127.0.0.1:9', token: 's3cret', fetch }));
    await api['runs.logBatch']({ runId: 'r1', metrics: [{ key: 'loss', value: Number.NaN, step: 3 }] });
    const [request] = requests;
    expect(request?.url).toBe('http://127.0.0.1:9/api/rpc/runs.logBatch');
    expect(request?.init.method).toBe('POST');
    expect((request?.init.headers as Record<string, string>)['x-trainyard-token']).toBe('s3cret');
    expect((request?.init.headers as Record<string, string>)['content-type']).toBe('application/json');
    // NaN survives the trip: plain JSON would have turned it into null.
    const body = parseWire(String(request?.init.body)) as { metrics: { value: number }[] };
    expect(Number.isNaN(body.metrics[0]?.value)).toBe(true);
  });

  it('decodes non-finite numbers in results', async () => {
    const series = { runId: 'r', key: 'loss', bucketWidth: 1, totalCount: 2, points: [{ step: 0, value: Infinity }, { step: 1, value: Number.NaN }] };
    const { fetch } = fakeFetch(() => wire({ ok: true, result: series }));
    const api = createClient(createHttpCall({ baseUrl: '', token: 't', fetch }));
    const result = await api['metrics.series']({ runId: 'r', key: 'loss' });
    expect(result.points[0]?.value).toBe(Infinity);
    expect(Number.isNaN(result.points[1]?.value)).toBe(true);
  });

  it('throws ApiError with the server code and message on ok:false (any HTTP status)', async () => {
    const message = "Invalid filter at column 17: expected a value after '>'";
    const { fetch } = fakeFetch(() => wire({ ok: false, error: { code: 'INVALID_ARGUMENT', message } }, 400));
    const api = createClient(createHttpCall({ baseUrl: '', token: 't', fetch }));
    const failure = await api['runs.search']({ filter: 'metrics.acc >' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ code: 'INVALID_ARGUMENT', message, operation: 'runs.search' });
  });

  it('reports an unreachable server as UNAVAILABLE with a hint', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    const api = createClient(createHttpCall({ baseUrl: '', token: 't', fetch }));
    await expect(api['app.info']({})).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('trainyard ui') });
  });

  it('turns a non-JSON refusal into a readable error', async () => {
    const { fetch } = fakeFetch(() => new Response('Forbidden', { status: 403 }));
    const api = createClient(createHttpCall({ baseUrl: '', token: 'stale', fetch }));
    await expect(api['experiments.list']({})).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('token') });
    const { fetch: brokenFetch } = fakeFetch(() => new Response('<html>Bad Gateway</html>', { status: 502 }));
    const broken = createClient(createHttpCall({ baseUrl: '', token: 't', fetch: brokenFetch }));
    await expect(broken['experiments.list']({})).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('HTTP 502') });
  });

  it('builds artifact URLs with the token and encoded path segments', () => {
    const { fetch } = fakeFetch(() => wire({ ok: true, result: null }));
    const connection = createHttpConnection({ baseUrl: '', token: 'a b', fetch });
    expect(connection.artifactUrl('r1', 'plots/loss curve.png')).toBe('/api/artifacts/r1/plots/loss%20curve.png?token=a%20b');
  });
});

describe('SSE events', () => {
  it('subscribes once, decodes wire payloads and reports connection state', () => {
    const sources: FakeEventSource[] = [];
    class FakeEventSource {
      static readonly CLOSED = 2;
      readyState = 0;
      onopen: (() => void) | null = null;
      onerror: (() => void) | null = null;
      readonly handlers = new Map<string, (message: { data: string }) => void>();
      constructor(readonly url: string) {
        sources.push(this);
      }
      addEventListener(name: string, handler: (message: { data: string }) => void): void {
        this.handlers.set(name, handler);
      }
      close(): void {
        this.readyState = 2;
      }
    }
    const { fetch } = fakeFetch(() => wire({ ok: true, result: null }));
    const connection = createHttpConnection({ baseUrl: '', token: 'tok', fetch, EventSource: FakeEventSource as unknown as typeof EventSource });
    const states: string[] = [];
    connection.onState((state) => states.push(state));
    const events: unknown[] = [];
    connection.onEvent((event) => events.push(event));
    connection.onEvent(() => undefined);
    expect(sources).toHaveLength(1);
    expect(sources[0]?.url).toBe('/api/events?token=tok');
    sources[0]?.onopen?.();
    sources[0]?.handlers.get('metrics.logged')?.({ data: stringifyWire({ runId: 'r', keys: [{ key: 'loss', lastStep: 4, count: 5 }] }) });
    expect(events).toEqual([{ name: 'metrics.logged', payload: { runId: 'r', keys: [{ key: 'loss', lastStep: 4, count: 5 }] } }]);
    sources[0]!.readyState = 0;
    sources[0]?.onerror?.();
    expect(states).toEqual(['connected', 'reconnecting']);
  });
});
