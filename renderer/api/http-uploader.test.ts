import { describe, expect, it } from 'vitest';
import { stringifyWire } from '../../shared/wire';
import type { UploadProgress } from './connection';
import { createHttpUploader, type PutFile } from './http-uploader';

const uploadId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const wire = (value: unknown, status = 200): Response => new Response(stringifyWire(value), { status });

function harness(putStatus: (url: string) => { status: number; body: unknown } = () => ({ status: 200, body: { ok: true, result: { size: 0 } } })) {
  const posts: { url: string; headers: Record<string, string> }[] = [];
  const puts: { url: string; headers: Readonly<Record<string, string>>; size: number }[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    posts.push({ url: String(input), headers: init.headers as Record<string, string> });
    return wire({ ok: true, result: { uploadId } });
  }) as typeof fetch;
  const putFile: PutFile = async ({ url, headers, body, onProgress }) => {
    puts.push({ url, headers, size: body.size });
    onProgress(Math.floor(body.size / 2));
    onProgress(body.size);
    const { status, body: answer } = putStatus(url);
    return { status, text: stringifyWire(answer) };
  };
  return { posts, puts, upload: createHttpUploader({ baseUrl: 'http://127.0.0.1:9', token: 'tok', fetch: fetchImpl, putFile, parallel: 1 }) };
}

describe('browser-mode uploads', () => {
  it('opens an upload, then PUTs each file at its encoded relative path with the token', async () => {
    const { posts, puts, upload } = harness();
    const progress: UploadProgress[] = [];
    const id = await upload([{ file: new Blob(['a,b\n1,2\n']), path: 'iris.csv' }, { file: new Blob(['xyz']), path: 'img/cat 1.png' }], { onProgress: (p) => progress.push(p) });
    expect(id).toBe(uploadId);
    expect(posts).toEqual([{ url: 'http://127.0.0.1:9/api/uploads', headers: { 'x-trainyard-token': 'tok' } }]);
    expect(puts.map((put) => put.url)).toEqual([`http://127.0.0.1:9/api/uploads/${uploadId}/iris.csv`, `http://127.0.0.1:9/api/uploads/${uploadId}/img/cat%201.png`]);
    expect(puts[0]?.headers['x-trainyard-token']).toBe('tok');
    const last = progress[progress.length - 1];
    expect(last).toEqual({ bytesDone: 11, bytesTotal: 11, filesDone: 2, filesTotal: 2 });
    // Progress only moves forward within one file and reaches the total.
    expect(progress.map((p) => p.bytesDone)).toEqual([0, 4, 8, 8, 9, 11, 11]);
  });

  it("names the file and the server's reason when a PUT is refused", async () => {
    const { upload } = harness((url) =>
      url.endsWith('bad.csv') ? { status: 400, body: { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'too large' } } } : { status: 200, body: { ok: true, result: { size: 1 } } },
    );
    await expect(upload([{ file: new Blob(['1']), path: 'good.csv' }, { file: new Blob(['2']), path: 'bad.csv' }])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: "Uploading 'bad.csv' failed: too large",
    });
  });

  it('refuses an empty drop and stops when cancelled', async () => {
    const { upload, puts } = harness();
    await expect(upload([])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const controller = new AbortController();
    controller.abort();
    await expect(upload([{ file: new Blob(['1']), path: 'a.csv' }], { signal: controller.signal })).rejects.toMatchObject({ message: 'Upload cancelled.' });
    expect(puts).toHaveLength(0);
  });
});
