import { STATUS_CODES } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * What the proxy does to the traffic from now on. Request-based faults apply to the next
 * request heads the proxy sees (on any connection, pooled ones included) and turn back into
 * 'pass' once their count is used up; the others last until the next setMode().
 * - pass: forward everything.
 * - drop-after-bytes: a connection that has carried `bytes` client→server bytes since the mode
 *   was set is reset when it sends one more (the first `bytes` reach the server): a dropped upload.
 * - reset-next: the next `count` requests get a TCP reset instead of an answer.
 * - http-status: the next `count` requests get `status` with an S3-style XML error body from the
 *   proxy itself (`Connection: close`); the server never sees them.
 * - stall: every chunk, either way, is held `ms` before it is forwarded (the flow pauses meanwhile).
 */
export type FaultMode =
  | { mode: 'pass' }
  | { mode: 'drop-after-bytes'; bytes: number }
  | { mode: 'reset-next'; count: number }
  | { mode: 'http-status'; status: number; count: number }
  | { mode: 'stall'; ms: number };

export interface FaultProxyStats {
  /** Client connections accepted. */
  connections: number;
  /** Bytes forwarded client→server and server→client. */
  bytesUp: number;
  bytesDown: number;
  /** Request heads seen (faulted ones included). */
  requests: number;
  /** Faults injected: resets, error answers, drops. */
  faults: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: point the client here. */
  readonly endpoint: string;
  setMode(mode: 'pass'): void;
  setMode<M extends Exclude<FaultMode['mode'], 'pass'>>(mode: M, options: Omit<Extract<FaultMode, { mode: M }>, 'mode'>): void;
  readonly mode: FaultMode;
  /** A copy of the counters. */
  stats(): FaultProxyStats;
  /** Request lines seen, e.g. `PUT /bucket/key?partNumber=1&uploadId=x`, oldest first. */
  readonly requestLines: readonly string[];
  resetStats(): void;
  close(): Promise<void>;
}

const s3Codes: Record<number, string> = { 500: 'InternalError', 503: 'SlowDown', 429: 'SlowDown', 400: 'BadRequest', 403: 'AccessDenied' };
const maxHead = 64 * 1024;

function errorResponse(status: number, method: string, n: number): Buffer {
  const code = s3Codes[status] ?? 'InjectedFault';
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>injected by the fault proxy</Message><RequestId>fault-${n}</RequestId></Error>`;
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Content-Type: application/xml',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `x-amz-request-id: fault-${n}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return Buffer.from(method === 'HEAD' ? head : head + body);
}

/** Where one connection's client→server stream is in the HTTP/1.1 framing. */
type Framing =
  | { at: 'head'; buffered: Buffer }
  | { at: 'body'; left: number }
  | { at: 'chunk-size'; line: string }
  | { at: 'chunk-data'; left: number }
  | { at: 'trailer'; line: string };

interface Connection {
  client: Socket;
  upstream: Socket;
  framing: Framing;
  upSinceMode: number;
  closed: boolean;
}

/** A TCP proxy on 127.0.0.1 in front of `target` (`http://host:port`) that injects faults on demand. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const url = new URL(target);
  const targetPort = Number(url.port || 80);
  const targetHost = url.hostname;
  let mode: FaultMode = { mode: 'pass' };
  const stats: FaultProxyStats = { connections: 0, bytesUp: 0, bytesDown: 0, requests: 0, faults: 0 };
  const requestLines: string[] = [];
  const connections = new Set<Connection>();

  /** Pauses a socket while any reason holds (backpressure, a stall). */
  const pauser = (socket: Socket) => {
    const reasons = new Set<string>();
    return {
      hold(reason: string) {
        reasons.add(reason);
        socket.pause();
      },
      release(reason: string) {
        reasons.delete(reason);
        if (reasons.size === 0) socket.resume();
      },
    };
  };

  const kill = (conn: Connection, reset: boolean) => {
    if (conn.closed) return;
    conn.closed = true;
    stats.faults++;
    if (reset) conn.client.resetAndDestroy();
    else conn.client.destroy();
    conn.upstream.destroy();
  };

  /** Forwards client bytes, applying drop-after-bytes; false when the connection was dropped. */
  const forward = (conn: Connection, bytes: Buffer): boolean => {
    if (conn.closed || bytes.length === 0) return !conn.closed;
    let send = bytes;
    let drop = false;
    if (mode.mode === 'drop-after-bytes') {
      const allowed = Math.max(0, mode.bytes - conn.upSinceMode);
      if (bytes.length > allowed) {
        send = bytes.subarray(0, allowed);
        drop = true;
      }
    }
    conn.upSinceMode += send.length;
    stats.bytesUp += send.length;
    if (send.length > 0) conn.upstream.write(send);
    if (drop) kill(conn, true);
    return !drop;
  };

  /** A complete request head arrived: count it, maybe fault it, else forward it. */
  const onHead = (conn: Connection, head: Buffer): boolean => {
    const text = head.toString('latin1');
    const lines = text.split('\r\n');
    const requestLine = lines[0] ?? '';
    const method = requestLine.split(' ')[0] ?? '';
    stats.requests++;
    requestLines.push(requestLine.replace(/ HTTP\/1\.[01]$/, ''));
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) conn.framing = { at: 'chunk-size', line: '' };
    else {
      const length = Number(headers.get('content-length') ?? 0);
      conn.framing = length > 0 ? { at: 'body', left: length } : { at: 'head', buffered: Buffer.alloc(0) };
    }

    if (mode.mode === 'reset-next' || mode.mode === 'http-status') {
      const current = mode;
      current.count--;
      if (current.count <= 0) mode = { mode: 'pass' };
      if (current.mode === 'reset-next') {
        kill(conn, true);
      } else {
        conn.closed = true;
        stats.faults++;
        conn.upstream.destroy();
        // Answer, then discard whatever else the client sends until it closes.
        conn.client.end(errorResponse(current.status, method, stats.faults));
      }
      return false;
    }
    return forward(conn, head);
  };

  /** Splits client bytes along the HTTP framing so that request heads can be faulted. */
  const upstreamData = (conn: Connection, chunk: Buffer) => {
    let rest = chunk;
    while (rest.length > 0 && !conn.closed) {
      const framing = conn.framing;
      switch (framing.at) {
        case 'head': {
          const buffered = Buffer.concat([framing.buffered, rest]);
          const end = buffered.indexOf('\r\n\r\n');
          if (end < 0) {
            if (buffered.length > maxHead) kill(conn, false);
            else framing.buffered = buffered;
            return;
          }
          if (!onHead(conn, buffered.subarray(0, end + 4))) return;
          rest = buffered.subarray(end + 4);
          break;
        }
        case 'body':
        case 'chunk-data': {
          const n = Math.min(framing.left, rest.length);
          if (!forward(conn, rest.subarray(0, n))) return;
          framing.left -= n;
          rest = rest.subarray(n);
          if (framing.left === 0) conn.framing = framing.at === 'body' ? { at: 'head', buffered: Buffer.alloc(0) } : { at: 'chunk-size', line: '' };
          break;
        }
        case 'chunk-size':
        case 'trailer': {
          const newline = rest.indexOf('\n');
          const part = newline < 0 ? rest : rest.subarray(0, newline + 1);
          if (!forward(conn, part)) return;
          rest = rest.subarray(part.length);
          framing.line += part.toString('latin1');
          if (newline < 0) break;
          const line = framing.line.trim();
          framing.line = '';
          if (framing.at === 'chunk-size') {
            const size = parseInt(line.split(';')[0] ?? '', 16);
            if (Number.isNaN(size)) kill(conn, false);
            else conn.framing = size === 0 ? { at: 'trailer', line: '' } : { at: 'chunk-data', left: size + 2 };
          } else if (line === '') {
            conn.framing = { at: 'head', buffered: Buffer.alloc(0) };
          }
          break;
        }
      }
    }
  };

  const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    stats.connections++;
    const upstream = connect({ host: targetHost, port: targetPort, allowHalfOpen: true, noDelay: true });
    const conn: Connection = { client, upstream, framing: { at: 'head', buffered: Buffer.alloc(0) }, upSinceMode: 0, closed: false };
    connections.add(conn);
    const clientFlow = pauser(client);
    const upstreamFlow = pauser(upstream);

    /** Runs `deliver` now, or after the stall with the source paused meanwhile. */
    const maybeStall = (flow: ReturnType<typeof pauser>, deliver: () => void) => {
      if (mode.mode !== 'stall') return deliver();
      flow.hold('stall');
      setTimeout(() => {
        deliver();
        flow.release('stall');
      }, mode.ms);
    };

    client.on('data', (chunk: Buffer) =>
      maybeStall(clientFlow, () => {
        if (!conn.closed) upstreamData(conn, chunk);
        if (conn.closed) client.resume(); // answered by the proxy: read and discard the rest
        else if (upstream.writableNeedDrain) clientFlow.hold('drain');
      }),
    );
    upstream.on('drain', () => clientFlow.release('drain'));
    upstream.on('data', (chunk: Buffer) =>
      maybeStall(upstreamFlow, () => {
        if (conn.closed) return;
        stats.bytesDown += chunk.length;
        if (!client.write(chunk)) upstreamFlow.hold('drain');
      }),
    );
    client.on('drain', () => upstreamFlow.release('drain'));
    client.on('end', () => {
      if (conn.closed) client.end();
      else upstream.end();
    });
    upstream.on('end', () => {
      if (!conn.closed) client.end();
    });
    const gone = () => {
      connections.delete(conn);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', gone);
    upstream.on('close', () => {
      if (!conn.closed) gone();
    });
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    setMode(name: FaultMode['mode'], options?: object) {
      mode = { mode: name, ...options } as FaultMode;
      for (const conn of connections) conn.upSinceMode = 0;
    },
    get mode() {
      return { ...mode };
    },
    stats: () => ({ ...stats }),
    requestLines,
    resetStats() {
      Object.assign(stats, { connections: 0, bytesUp: 0, bytesDown: 0, requests: 0, faults: 0 });
      requestLines.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const conn of connections) {
          conn.client.destroy();
          conn.upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
