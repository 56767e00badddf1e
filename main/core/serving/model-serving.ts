/**
 * Serving by model URI: resolves `models:/name@alias` (or any registry or run URI) to the version's
 * model file, starts a server for it (ServingService), and remembers what each server was started
 * from. The "try it" form's requests are relayed through here, so the UI never needs to reach a
 * port of its own.
 */
import { invalid, notFound } from '../../../shared/errors';
import type { PredictionReply, ServedModelInfo } from '../../../shared/serving';
import { Emitter } from '../events/emitter';
import type { RegistryService } from '../registry/registry-service';
import type { ServedModel, ServingService } from './serving-service';

export class ModelServing {
  private readonly origins = new Map<string, { uri: string; model: ServedModelInfo['model'] }>();
  private readonly didChange = new Emitter<ServedModelInfo[]>();
  readonly onDidChange = this.didChange.event;

  constructor(private readonly deps: { serving: ServingService; registry: RegistryService }) {
    deps.serving.onDidChange((change) => {
      if (change.kind === 'stopped') this.origins.delete(change.id);
      this.didChange.fire(this.list());
    });
  }

  async start(uri: string, options: { port?: number; host?: string } = {}): Promise<ServedModelInfo> {
    const { registry, serving } = this.deps;
    const resolved = registry.resolve(uri);
    const file = registry.modelFile(uri);
    const model = resolved.version ? { name: resolved.version.name, version: resolved.version.version } : null;
    const label = model ? `${model.name} v${model.version}` : uri;
    const server = await serving.start({ file, port: options.port ?? 0, ...(options.host ? { host: options.host } : {}), label });
    this.origins.set(server.id, { uri, model });
    this.didChange.fire(this.list());
    return this.info(server);
  }

  list(): ServedModelInfo[] {
    return this.deps.serving.list().map((server) => this.info(server));
  }

  stop(id: string): Promise<void> {
    return this.deps.serving.stop(id);
  }

  /** One request to a running server, as a client would send it. */
  async predict(id: string, body: string, contentType: 'application/json' | 'text/csv'): Promise<PredictionReply> {
    const server = this.deps.serving.list().find((candidate) => candidate.id === id);
    if (!server) throw notFound(`No model server with id '${id}' is running.`);
    const started = performance.now();
    const response = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalid(`The server answered ${response.status} with something that is not JSON: ${text.slice(0, 200)}`);
    }
    return { status: response.status, body: parsed, millis: performance.now() - started };
  }

  private info(server: ServedModel): ServedModelInfo {
    const origin = this.origins.get(server.id) ?? { uri: server.file, model: null };
    return { id: server.id, url: server.url, host: server.host, port: server.port, uri: origin.uri, label: server.label, model: origin.model, startedAt: server.startedAt, inputs: server.inputs, outputs: server.outputs };
  }
}
