import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { httpStatusOf, WorkbenchError } from '../../shared/errors';
import { appHost, appScheme, parseUrl } from './app-origin';

/** The policy of every renderer response (CONVENTIONS.md, Electron security). */
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * Artifacts are user data, possibly pulled from a teammate's bucket. `sandbox` gives an HTML or
 * SVG artifact an opaque origin with scripts off, so even a page opened inside the app can never
 * act as `app://trainyard` (and the IPC sender check would refuse its origin anyway).
 */
export const artifactContentSecurityPolicy = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'";

/** The one path prefix that is not a renderer file. */
export const apiPathPrefix = '/api/';
const artifactsPrefix = '/api/artifacts/';

/** What the protocol needs from the artifact service: ids in, a file main chose out. */
export interface ArtifactLocator {
  locate(runId: string, path: string): { readonly file: string; readonly size: number; readonly mediaType: string };
}

export interface AppProtocolOptions {
  /** The built renderer (`dist/renderer`); nothing outside it is ever served as a page. */
  readonly rendererDir: string;
  readonly artifacts: ArtifactLocator;
}

export type AppProtocolHandler = (request: Request) => Promise<Response>;

/**
 * Insomnia's `isPathInsideDir`: compare against the folder WITH a trailing separator, so
 * `/dist/renderer-evil/x` is not taken for a file inside `/dist/renderer`.
 */
export function isPathInsideDir(dir: string, candidate: string): boolean {
  const base = resolve(dir);
  const target = resolve(candidate);
  const withSeparator = base.endsWith(sep) ? base : `${base}${sep}`;
  return target === base || target.startsWith(withSeparator);
}

/**
 * Decodes a URL path into segments. An encoded separator (`%2f`, `%5c`) or NUL inside a segment
 * is refused outright: no file the build produces has one, and it is the usual way to smuggle
 * `..` past a URL parser that already normalized the visible dots.
 */
export function decodePathSegments(pathname: string): string[] | null {
  const segments: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (/[/\\\0]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

/** The file a renderer path names, or null when it is malformed or leaves `rendererDir`. */
export function resolveRendererPath(rendererDir: string, pathname: string): string | null {
  const segments = decodePathSegments(pathname);
  if (segments === null) return null;
  const target = resolve(rendererDir, ...segments);
  return isPathInsideDir(rendererDir, target) ? target : null;
}

/**
 * Serves `app://trainyard/…`: the built renderer (GET only, host checked, path contained, CSP
 * on every response, index.html for client-side routes) and run artifacts under
 * `/api/artifacts/<runId>/<path>`, so an `<img>` of a logged plot works as in browser mode.
 */
export function createAppProtocolHandler(options: AppProtocolOptions): AppProtocolHandler {
  const rendererDir = resolve(options.rendererDir);
  return async (request) => {
    const url = parseUrl(request.url);
    if (!url || url.protocol !== `${appScheme}:` || url.host !== appHost) return plain(404, 'Not found');
    if (request.method !== 'GET') return plain(405, 'Only GET is served', { allow: 'GET' });
    if (url.pathname.startsWith(artifactsPrefix)) return serveArtifact(options.artifacts, url.pathname.slice(artifactsPrefix.length));
    if (url.pathname === '/api' || url.pathname.startsWith(apiPathPrefix)) return plain(404, 'Not found');
    return serveRendererFile(rendererDir, url.pathname);
  };
}

async function serveRendererFile(rendererDir: string, pathname: string): Promise<Response> {
  const target = resolveRendererPath(rendererDir, pathname);
  if (target === null) return plain(400, 'Bad path');
  if (await isFile(target)) return fileResponse(target);
  // Client-side routes (`/runs/abc`) get the app; a missing asset (`/assets/x.js`) stays a 404
  // so a broken build fails loudly instead of parsing HTML as JavaScript.
  if (extname(target) !== '') return plain(404, 'Not found');
  const index = resolve(rendererDir, 'index.html');
  if (await isFile(index)) return fileResponse(index);
  return plain(404, 'The renderer is not built: run `npm run build`.');
}

async function fileResponse(file: string): Promise<Response> {
  const body = new Uint8Array(await readFile(file));
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': mediaTypeOfFile(file),
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    },
  });
}

async function serveArtifact(artifacts: ArtifactLocator, rest: string): Promise<Response> {
  const segments = decodeArtifactSegments(rest);
  const [runId, ...pathSegments] = segments ?? [];
  if (!runId || pathSegments.length === 0) return plain(400, 'Expected /api/artifacts/<runId>/<path>');
  let located: ReturnType<ArtifactLocator['locate']>;
  let handle: FileHandle;
  try {
    // The path is looked up in the database (never joined onto a folder here): only files main
    // recorded for that run can come back (DESIGN.md §3).
    located = artifacts.locate(runId, pathSegments.join('/'));
    handle = await open(located.file, 'r');
  } catch (error) {
    if (error instanceof WorkbenchError) return plain(httpStatusOf[error.code], error.message);
    return plain(500, 'The artifact could not be read');
  }
  return new Response(fileStream(handle), {
    status: 200,
    headers: {
      'content-type': located.mediaType,
      'content-length': String(located.size),
      'content-security-policy': artifactContentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
    },
  });
}

/** Artifact paths may contain any character but `/` within a segment; decode each once. */
function decodeArtifactSegments(rest: string): string[] | null {
  try {
    return rest.split('/').filter((segment) => segment !== '').map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}

/** Streams a file in 64 KiB reads so a large artifact never sits in memory whole. */
function fileStream(handle: FileHandle): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const buffer = new Uint8Array(64 * 1024);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) {
          controller.close();
          await handle.close();
          return;
        }
        controller.enqueue(buffer.subarray(0, bytesRead));
      } catch (error) {
        controller.error(error);
        await handle.close().catch(() => undefined);
      }
    },
    async cancel() {
      await handle.close();
    },
  });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function plain(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(message, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...headers },
  });
}

const mediaTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function mediaTypeOfFile(file: string): string {
  return mediaTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
