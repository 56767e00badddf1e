import { httpPaths } from '../../shared/bridge';
import { parseWire } from '../../shared/wire';
import { uploadFileUrl } from '../lib/dropped-files';
import { ApiError } from './api-error';
import type { UploadFile, UploadOptions, Uploader } from './connection';

/** One PUT with upload progress; injectable so the uploader runs under plain Node in tests. */
export type PutFile = (request: {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Blob;
  readonly onProgress: (loaded: number) => void;
  readonly signal?: AbortSignal;
}) => Promise<{ status: number; text: string }>;

export interface HttpUploaderOptions {
  readonly baseUrl: string;
  readonly token: string;
  readonly fetch: typeof fetch;
  readonly putFile?: PutFile;
  /** Files sent at once: a folder of small images is bound by round trips, not bandwidth. */
  readonly parallel?: number;
}

/**
 * Browser mode's drop: `POST /api/uploads` opens an upload, then each file is streamed with
 * `PUT /api/uploads/<id>/<relative path>` (its bytes as the body, never read into memory here).
 */
export function createHttpUploader(options: HttpUploaderOptions): Uploader {
  const putFile = options.putFile ?? xhrPutFile;
  const headers = { [httpPaths.tokenHeader]: options.token };
  return async (files: readonly UploadFile[], { onProgress, signal }: UploadOptions = {}) => {
    if (files.length === 0) throw new ApiError('INVALID_ARGUMENT', 'Nothing to upload: the drop held no files.', 'upload');
    const opened = await options.fetch(`${options.baseUrl}${httpPaths.uploads}`, { method: 'POST', headers, ...(signal ? { signal } : {}) }).catch((error: unknown) => {
      throw new ApiError('UNAVAILABLE', `Cannot reach the Trainyard server to upload (${error instanceof Error ? error.message : String(error)}).`, 'upload');
    });
    const uploadId = readResult<{ uploadId: string }>(opened.status, await opened.text()).uploadId;

    const bytesTotal = files.reduce((sum, file) => sum + file.file.size, 0);
    const loaded = new Array<number>(files.length).fill(0);
    let filesDone = 0;
    const report = (): void => onProgress?.({ bytesDone: loaded.reduce((sum, value) => sum + value, 0), bytesTotal, filesDone, filesTotal: files.length });
    report();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const index = next++;
        const { file, path } = files[index]!;
        if (signal?.aborted) throw new ApiError('CONFLICT', 'Upload cancelled.', 'upload');
        const response = await putFile({
          url: uploadFileUrl(options.baseUrl, httpPaths.uploads, uploadId, path),
          headers: { ...headers, 'content-type': 'application/octet-stream' },
          body: file,
          onProgress: (bytes) => {
            loaded[index] = bytes;
            report();
          },
          ...(signal ? { signal } : {}),
        });
        readResult(response.status, response.text, path);
        loaded[index] = file.size;
        filesDone += 1;
        report();
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.parallel ?? 4, files.length) }, worker));
    return uploadId;
  };
}

/** The server's `{ok, result}` or `{ok:false, error}`; anything else is described, not swallowed. */
function readResult<T>(status: number, text: string, path?: string): T {
  let parsed: unknown;
  try {
    parsed = parseWire(text);
  } catch {
    parsed = undefined;
  }
  const record = (parsed ?? {}) as { ok?: boolean; result?: T; error?: { code?: string; message?: string } };
  if (record.ok === true) return record.result as T;
  const where = path ? ` '${path}'` : '';
  if (record.ok === false && record.error?.message) {
    const code = (record.error.code ?? 'INTERNAL') as ApiError['code'];
    throw new ApiError(code, path ? `Uploading${where} failed: ${record.error.message}` : record.error.message, 'upload');
  }
  if (status === 401 || status === 403) throw new ApiError('UNAVAILABLE', `The server refused this session's token (HTTP ${status}). Open the address \`trainyard ui\` printed again.`, 'upload');
  throw new ApiError(status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT', `Uploading${where} failed: HTTP ${status} ${text.trim().slice(0, 200)}`, 'upload');
}

/** The browser's PUT with `upload.onprogress` (fetch has no upload progress in Chromium yet). */
export const xhrPutFile: PutFile = ({ url, headers, body, onProgress, signal }) =>
  new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onload = () => resolve({ status: request.status, text: request.responseText });
    request.onerror = () => reject(new ApiError('UNAVAILABLE', 'The upload lost its connection to the Trainyard server. Is `trainyard ui` still running?', 'upload'));
    request.onabort = () => reject(new ApiError('CONFLICT', 'Upload cancelled.', 'upload'));
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(body);
  });
