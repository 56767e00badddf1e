import type { WorkbenchApi } from '../../shared/api';
import type { WorkbenchEvent } from '../../shared/events';

/**
 * `connected`: events flow. `connecting`: first attempt. `reconnecting`: the event stream broke
 * and is being retried (events may have been missed, so views refresh when it comes back).
 * `offline`: the transport gave up (e.g. the token was refused).
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export type EventListener = (event: WorkbenchEvent) => void;

/** One file to upload, with its path inside the upload (`iris.csv`, `train/cat/001.png`). */
export interface UploadFile {
  readonly file: Blob;
  readonly path: string;
}

export interface UploadProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly filesDone: number;
  readonly filesTotal: number;
}

export interface UploadOptions {
  readonly onProgress?: (progress: UploadProgress) => void;
  readonly signal?: AbortSignal;
}

/** Sends files into a new upload on the server; resolves with the id `datasets.import` takes. */
export type Uploader = (files: readonly UploadFile[], options?: UploadOptions) => Promise<string>;

/**
 * Everything the renderer needs from "the other side", whichever transport carries it. Views and
 * stores never look at `window.trainyard` or `fetch` themselves: they go through this.
 */
export interface Connection {
  readonly shell: 'desktop' | 'browser' | 'fake';
  readonly api: WorkbenchApi;
  /** Subscribes to every push event; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  /** Subscribes to connection state changes; returns the unsubscribe function. */
  onState(listener: (state: ConnectionState) => void): () => void;
  getState(): ConnectionState;
  /**
   * A URL the browser can load an artifact's bytes from (for `<img>`), or null where there is
   * none (desktop: read it through `artifacts.read` instead).
   */
  artifactUrl(runId: string, path: string): string | null;
  /**
   * Desktop: the file-system path of a dropped or picked `File` (Electron's webUtils), so an
   * import reads the file in place and no bytes pass through the renderer. Null in browser mode,
   * where a page never sees paths.
   */
  pathForFile(file: File): string | null;
  /** Browser mode (and the fake): how dropped files reach the server. Null in the desktop. */
  readonly upload: Uploader | null;
}

let current: Connection | null = null;

/** Set once at start-up (and by tests, with the fake). */
export function setConnection(connection: Connection): void {
  current = connection;
}

export function getConnection(): Connection {
  if (!current) throw new Error('No connection: main.tsx sets one before rendering.');
  return current;
}

/** The typed client; every store calls the back end through this. */
export function getApi(): WorkbenchApi {
  return getConnection().api;
}
