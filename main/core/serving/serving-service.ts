import { randomUUID } from 'node:crypto';
import { basename, isAbsolute } from 'node:path';
import { invalid, notFound, WorkbenchError } from '../../../shared/errors';
import { serveReadySchema, type ServeInput, type ServeReady } from '../../../shared/worker-protocol';
import { Emitter, type Event } from '../events/emitter';
import { WorkerFailure, type WorkerHandle, type WorkerHost } from '../workers/worker-host';

/** A model being served, as `list()` shows it. */
export interface ServedModel {
  readonly id: string;
  /** Where clients send requests: `${url}/invocations`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly label: string;
  /** The model.onnx the server loaded. */
  readonly file: string;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  /** What the model takes and gives, as onnxruntime reads it. */
  readonly inputs: ServeReady['inputs'];
  readonly outputs: ServeReady['outputs'];
}

export interface StartServingOptions {
  /** An absolute path to a model.onnx (the caller resolves registry URIs to files). */
  readonly file: string;
  /** 0 picks any free port. */
  readonly port: number;
  /** Default 127.0.0.1: only this machine can call it. */
  readonly host?: string;
  /** Shown in lists and log lines; defaults to the file's name. */
  readonly label?: string;
  readonly threads?: number;
  readonly maxBodyBytes?: number;
}

export type ServingChange = { readonly kind: 'started'; readonly server: ServedModel } | { readonly kind: 'stopped'; readonly id: string; readonly reason: string | null };

export interface ServingLogLine {
  readonly id: string;
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
}

export interface ServingServiceOptions {
  readonly workers: WorkerHost;
  /** How long a graceful stop may take before the worker is killed. Default 15 s (the worker gives in-flight requests 10 s). */
  readonly stopTimeoutMs?: number;
  /** How long loading the model and binding the port may take. Default 120 s. */
  readonly startTimeoutMs?: number;
}

interface Entry {
  readonly server: ServedModel;
  readonly handle: WorkerHandle<unknown>;
  /** Settles (never rejects) when the worker has ended. */
  readonly ended: Promise<void>;
  stopping: boolean;
}

/**
 * Model servers (MLflow's scoring protocol), each in its own long-lived `serve` worker, so a
 * crashing or hung model takes down its server and nothing else. `start` resolves once the worker
 * has loaded the model and listens; `stop` asks it to finish the requests in flight, then kills it
 * after `stopTimeoutMs`. Dispose this service before the WorkerHost, whose dispose kills outright.
 */
export class ServingService {
  private readonly servers = new Map<string, Entry>();
  /** Workers still loading: `dispose` must not leave them behind. */
  private readonly starting = new Set<WorkerHandle<unknown>>();
  private readonly changes = new Emitter<ServingChange>();
  private readonly logs = new Emitter<ServingLogLine>();
  readonly onDidChange: Event<ServingChange> = this.changes.event;
  /** Each server's log, line by line: one per request (they arrive in batches, within 250 ms), start-up and shut-down. */
  readonly onDidLog: Event<ServingLogLine> = this.logs.event;

  constructor(private readonly options: ServingServiceOptions) {}

  start(options: StartServingOptions): Promise<ServedModel> {
    const { file, port } = options;
    if (typeof file !== 'string' || !isAbsolute(file)) return Promise.reject(invalid(`The model file must be an absolute path, got '${String(file)}'.`));
    if (!Number.isInteger(port) || port < 0 || port > 65_535) return Promise.reject(invalid(`The port must be a whole number from 0 to 65535 (0 picks a free one), got ${String(port)}.`));
    const id = randomUUID().replace(/-/g, '');
    const label = options.label?.trim() || basename(file);
    const host = options.host ?? '127.0.0.1';
    const input: ServeInput = {
      file,
      port,
      host,
      name: label,
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    };
    return new Promise<ServedModel>((resolve, reject) => {
      let ready = false;
      const handle = this.options.workers.run<unknown>('serve', input, {
        onReady: (info) => {
          const parsed = serveReadySchema.safeParse(info);
          if (!parsed.success) {
            handle.kill('it reported a malformed ready message');
            return;
          }
          ready = true;
          clearTimeout(timer);
          this.starting.delete(handle);
          const server: ServedModel = { id, url: urlOf(parsed.data.host, parsed.data.port), host: parsed.data.host, port: parsed.data.port, label, file, startedAt: Date.now(), inputs: parsed.data.inputs, outputs: parsed.data.outputs };
          const ended = handle.result.then(
            () => this.ended(id, null),
            (error: unknown) => this.ended(id, error instanceof Error ? error.message : String(error)),
          );
          this.servers.set(id, { server, handle, ended, stopping: false });
          this.changes.fire({ kind: 'started', server });
          resolve(server);
        },
        onMessage: (message) => {
          // A serve worker sends its request lines in batches (one message, several lines).
          if (message.type === 'log') for (const line of message.message.split('\n')) this.logs.fire({ id, level: message.level, message: line });
        },
      });
      this.starting.add(handle);
      const timer = setTimeout(() => handle.kill(`it did not load ${basename(file)} and listen within ${this.startTimeoutMs / 1000} s`), this.startTimeoutMs);
      handle.result.catch((error: unknown) => {
        if (ready) return;
        clearTimeout(timer);
        this.starting.delete(handle);
        // The worker's refusal (port in use, missing or corrupt file) is the user's answer; a crash stays a crash.
        reject(error instanceof WorkerFailure && error.reason === 'error' ? invalid(error.message) : error);
      });
      // A worker that answers without ever being ready (it should not) must not leave start() hanging.
      handle.result.then(() => {
        if (ready) return;
        clearTimeout(timer);
        this.starting.delete(handle);
        reject(new WorkbenchError('INTERNAL', `The model server for ${label} ended before it was ready.`));
      }, () => undefined);
    });
  }

  list(): ServedModel[] {
    return [...this.servers.values()].map((entry) => entry.server);
  }

  /** Stops one server: requests in flight are answered, then the worker ends (or is killed after the timeout). */
  async stop(id: string): Promise<void> {
    const entry = this.servers.get(id);
    if (!entry) throw notFound(`No model server with id '${id}' is running.`);
    if (!entry.stopping) {
      entry.stopping = true;
      entry.handle.cancel();
      const timer = setTimeout(() => entry.handle.kill(`it did not stop within ${this.stopTimeoutMs / 1000} s`), this.stopTimeoutMs);
      void entry.ended.then(() => clearTimeout(timer));
    }
    await entry.ended;
  }

  /** Stops every server (gracefully, within the stop timeout) and any still starting. */
  async dispose(): Promise<void> {
    for (const handle of this.starting) handle.kill('the workbench is closing');
    this.starting.clear();
    await Promise.all([...this.servers.keys()].map((id) => this.stop(id).catch(() => undefined)));
    this.changes.dispose();
    this.logs.dispose();
  }

  private ended(id: string, failure: string | null): void {
    const entry = this.servers.get(id);
    if (!entry) return;
    this.servers.delete(id);
    // A stop that had to kill is still a stop the user asked for.
    this.changes.fire({ kind: 'stopped', id, reason: entry.stopping ? null : (failure ?? 'the server ended on its own') });
  }

  private get stopTimeoutMs(): number {
    return this.options.stopTimeoutMs ?? 15_000;
  }

  private get startTimeoutMs(): number {
    return this.options.startTimeoutMs ?? 120_000;
  }
}

/** A URL a client on this machine can use: a wildcard host is reached through loopback. */
function urlOf(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
