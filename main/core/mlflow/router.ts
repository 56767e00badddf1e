import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Workbench } from '../workbench';
import type { Fields } from './request';

/** The services the MLflow endpoints use; the workbench itself satisfies it. */
export type MlflowDeps = Pick<Workbench, 'db' | 'experiments' | 'tracking' | 'artifacts' | 'objects' | 'registry'>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What every handler may look at besides its fields. */
export interface RequestContext {
  readonly request: IncomingMessage;
  readonly url: URL;
  /** The API prefix the request came in on: `/api/2.0` or `/ajax-api/2.0`. */
  readonly prefix: string;
}

/**
 * A JSON endpoint: receives the request message's fields (query string for GET, JSON body
 * otherwise) and returns the response message, which is sent as proto3-JSON with status 200.
 * Throw an `MlflowError` (or a `WorkbenchError`, mapped by `toMlflowError`) to fail.
 */
export type JsonHandler = (fields: Fields, context: RequestContext) => unknown;

/** A streaming endpoint: writes the whole response itself. `rest` is the path after the route's prefix, still URL-encoded. */
export type RawHandler = (context: RequestContext & { readonly response: ServerResponse; readonly rest: string }) => Promise<void> | void;

/**
 * A module of endpoints: `registerXRoutes(router, deps)`. `createMlflowApi` calls each once at
 * start-up.
 */
export type RouteModule = (router: MlflowRouter, deps: MlflowDeps) => void;

/** A file in a listing, as MLflow's FileInfo: `path` is relative to what was listed (run-relative or a basename). */
export interface ArtifactFileInfo {
  readonly path: string;
  readonly is_dir: boolean;
  /** Files only; MLflow leaves it out for folders. */
  readonly file_size?: number;
}

/**
 * A read-only tree served under `mlflow-artifacts:/<root>/…` (the run tree `<experiment id>/<run
 * id>/artifacts/…` is built in). Paths are relative to the tree, '/'-separated, already decoded.
 */
export interface ArtifactTree {
  /** Entries directly under `folder` ('' is the tree's root), with basenames as paths. */
  list(folder: string): ArtifactFileInfo[];
  /** Where a file's bytes are; throw a NOT_FOUND WorkbenchError (or MlflowError) when there is no such file. */
  locate(path: string): { file: string; size: number; mediaType: string };
}

type Match =
  | { readonly kind: 'json'; readonly handler: JsonHandler }
  | { readonly kind: 'raw'; readonly handler: RawHandler; readonly rest: string }
  | { readonly kind: 'method'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'none' };

/**
 * The endpoint table of the MLflow API. Paths are written as after `/api/2.0/` (for example
 * `mlflow/runs/create`) and are served under both `/api/2.0/` and `/ajax-api/2.0/`.
 */
export class MlflowRouter {
  private readonly jsonRoutes = new Map<string, Map<HttpMethod, JsonHandler>>();
  private readonly rawRoutes: Array<{ prefix: string; methods: Map<HttpMethod, RawHandler> }> = [];
  private readonly trees = new Map<string, ArtifactTree>();

  /** Registers a JSON endpoint for one or more methods. Registering the same method and path twice is a programming error. */
  json(methods: HttpMethod | readonly HttpMethod[], path: string, handler: JsonHandler): this {
    const byMethod = this.jsonRoutes.get(path) ?? new Map<HttpMethod, JsonHandler>();
    for (const method of typeof methods === 'string' ? [methods] : methods) {
      if (byMethod.has(method)) throw new Error(`MLflow route ${method} ${path} is registered twice.`);
      byMethod.set(method, handler);
    }
    this.jsonRoutes.set(path, byMethod);
    return this;
  }

  /** Registers a streaming endpoint for `prefix` and every path below it (`prefix/…`). JSON routes win over raw ones. */
  raw(methods: HttpMethod | readonly HttpMethod[], prefix: string, handler: RawHandler): this {
    let entry = this.rawRoutes.find((route) => route.prefix === prefix);
    if (!entry) this.rawRoutes.push((entry = { prefix, methods: new Map() }));
    for (const method of typeof methods === 'string' ? [methods] : methods) {
      if (entry.methods.has(method)) throw new Error(`MLflow route ${method} ${prefix}/… is registered twice.`);
      entry.methods.set(method, handler);
    }
    // Longest prefix first, so a more specific route shadows a general one.
    this.rawRoutes.sort((a, b) => b.prefix.length - a.prefix.length);
    return this;
  }

  /**
   * Serves a read-only tree under `mlflow-artifacts:/<root>/…`. `root` must not be all digits
   * (those are experiment ids, whose runs' artifacts are built in).
   */
  mountArtifacts(root: string, tree: ArtifactTree): this {
    if (/^\d+$/.test(root) || root.includes('/') || root === '') throw new Error(`'${root}' cannot be an artifact root: use a name that is not an experiment id.`);
    if (this.trees.has(root)) throw new Error(`The artifact root '${root}' is mounted twice.`);
    this.trees.set(root, tree);
    return this;
  }

  /** The tree mounted at `root`, if any. */
  artifactTree(root: string): ArtifactTree | undefined {
    return this.trees.get(root);
  }

  match(method: string, path: string): Match {
    const byMethod = this.jsonRoutes.get(path);
    if (byMethod) {
      const handler = byMethod.get(method as HttpMethod);
      return handler ? { kind: 'json', handler } : { kind: 'method', allowed: [...byMethod.keys()] };
    }
    for (const route of this.rawRoutes) {
      if (path !== route.prefix && !path.startsWith(`${route.prefix}/`)) continue;
      const handler = route.methods.get(method as HttpMethod);
      if (!handler) return { kind: 'method', allowed: [...route.methods.keys()] };
      return { kind: 'raw', handler, rest: path.slice(route.prefix.length + 1) };
    }
    return { kind: 'none' };
  }
}
