/**
 * The scoring server over real HTTP on 127.0.0.1, with real models in onnxruntime: an Iris MLP
 * trained and exported as training exports it, a model over text/boolean/number columns, regressors,
 * and tensor models like those brought from elsewhere.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scorer, type ScorerOptions } from './scorer';
import { type RunningServer, startServer } from './server';
import { IRIS_COLUMNS, irisClassifier, mixedClassifier, modelFolder, pairsModel, regressor, tensorModel, twoInputModel } from './test-models';

const folder = modelFolder();
const running: Array<{ server: RunningServer; scorer: Scorer }> = [];
let irisFile: string;

beforeAll(async () => {
  irisFile = folder.write('iris.onnx', await irisClassifier());
});
afterAll(async () => {
  for (const { server, scorer } of running) {
    await server.close(100);
    await scorer.release();
  }
  folder.remove();
});

async function serve(file: string, options: ScorerOptions & { maxBodyBytes?: number } = {}): Promise<{ url: string; server: RunningServer; log: string[] }> {
  const scorer = await Scorer.load(file, options);
  const log: string[] = [];
  const server = await startServer({ scorer, host: '127.0.0.1', port: 0, maxBodyBytes: options.maxBodyBytes ?? 50 * 1024 * 1024, version: '9.9.9', log: (line) => log.push(line) });
  running.push({ server, scorer });
  return { url: `http://127.0.0.1:${server.port}`, server, log };
}

interface Answer {
  status: number;
  body: { predictions?: unknown; error_code?: string; message?: string };
}

async function invoke(url: string, body: unknown, contentType = 'application/json'): Promise<Answer> {
  const response = await fetch(`${url}/invocations`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

// One flower of each species, measured as in iris.csv.
const flowers = [
  [5.1, 3.5, 1.4, 0.2],
  [6.4, 3.2, 4.5, 1.5],
  [7.7, 3.0, 6.1, 2.3],
];
const asRecords = (rows: readonly (readonly unknown[])[], columns: readonly string[]): Record<string, unknown>[] => rows.map((row) => Object.fromEntries(columns.map((name, c) => [name, row[c]])));
const asColumns = (rows: readonly (readonly unknown[])[], columns: readonly string[]): Record<string, unknown[]> => Object.fromEntries(columns.map((name, c) => [name, rows.map((row) => row[c])]));

describe('an exported classifier', () => {
  let url: string;
  let log: string[];
  beforeAll(async () => {
    ({ url, log } = await serve(irisFile));
  });

  it('gives the same predictions for every input format, one record per row', async () => {
    const split = await invoke(url, { dataframe_split: { columns: IRIS_COLUMNS, data: flowers, index: [0, 1, 2] }, params: { ignored: true } });
    expect(split.status).toBe(200);
    const predictions = split.body.predictions as Array<Record<string, unknown>>;
    expect(predictions.map((row) => row.label)).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Object.keys(predictions[0]!)).toEqual(['label', 'probability_setosa', 'probability_versicolor', 'probability_virginica']);
    for (const row of predictions) expect((row.probability_setosa as number) + (row.probability_versicolor as number) + (row.probability_virginica as number)).toBeCloseTo(1, 5);
    expect(predictions[0]!.probability_setosa).toBeGreaterThan(0.8);

    const csv = `${IRIS_COLUMNS.join(',')}\n${flowers.map((row) => row.join(',')).join('\n')}\n`;
    for (const answer of [
      await invoke(url, { dataframe_records: asRecords(flowers, IRIS_COLUMNS) }),
      await invoke(url, { instances: asRecords(flowers, IRIS_COLUMNS) }),
      await invoke(url, { inputs: asColumns(flowers, IRIS_COLUMNS) }),
      // Columns in another order, numbers as text, an extra column: all as pandas would take them.
      await invoke(url, { dataframe_split: { columns: ['id', ...[...IRIS_COLUMNS].reverse()], data: flowers.map((row, r) => [r, ...[...row].reverse().map(String)]) } }),
      await invoke(url, csv, 'text/csv'),
      await invoke(url, csv, 'text/csv; charset=utf-8'),
    ]) {
      expect(answer).toEqual({ status: 200, body: { predictions } });
    }
  });

  it('logs one line per request: method, path, status, rows, time', async () => {
    const before = log.length;
    await invoke(url, { dataframe_split: { columns: IRIS_COLUMNS, data: flowers } });
    await fetch(`${url}/nowhere`);
    expect(log.slice(before)).toEqual([expect.stringMatching(/^POST \/invocations 200 rows=3 \d+\.\dms$/), expect.stringMatching(/^GET \/nowhere 404 \d+\.\dms$/)]);
  });

  it('answers /ping, /health and /version', async () => {
    for (const path of ['/ping', '/health']) {
      const response = await fetch(`${url}${path}`);
      expect([response.status, await response.text()]).toEqual([200, '\n']);
    }
    expect(await (await fetch(`${url}/version`)).text()).toBe('9.9.9');
  });

  it.each<[string, unknown, RegExp]>([
    ['malformed JSON', '{"dataframe_split": {', /^The body is not valid JSON/],
    ['a body that is not an object', '[1, 2]', /must be a JSON object/],
    ['no format', { data: [[1, 2, 3, 4]] }, /exactly one of dataframe_split, dataframe_records, instances, inputs; it has 'data'/],
    ['two formats mixed', { dataframe_split: { columns: IRIS_COLUMNS, data: flowers }, instances: [] }, /it mixes dataframe_split and instances/],
    ['a missing column', { dataframe_records: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4 }] }, /^Missing column 'petal_width'\. The model takes 'sepal_length', 'sepal_width', 'petal_length', 'petal_width'/],
    ['text where a number goes', { dataframe_split: { columns: IRIS_COLUMNS, data: [flowers[0], [6.4, 'abc', 4.5, 1.5]] } }, /^column 'sepal_width', row 1: expected a number, got "abc"$/],
    ['a boolean where a number goes', { inputs: { ...asColumns(flowers, IRIS_COLUMNS), petal_width: [0.2, true, 2.3] } }, /^column 'petal_width', row 1: expected a number, got true$/],
    ['a list where a number goes', { instances: [{ ...asRecords(flowers, IRIS_COLUMNS)[0], sepal_length: [1, 2] }] }, /^column 'sepal_length', row 0: expected a number, got a list$/],
    ['a short row', { dataframe_split: { columns: IRIS_COLUMNS, data: [[5.1, 3.5]] } }, /row 0 has 2 value\(s\) for 4 column\(s\)/],
    ['columns of different lengths', { inputs: { ...asColumns(flowers, IRIS_COLUMNS), petal_width: [1] } }, /3 row\(s\) for 'sepal_length' but 1 for 'petal_width'/],
    ['unnamed rows for a model with several inputs', { instances: flowers }, /takes 4 inputs .*send them by name/],
  ])('refuses %s with 400 BAD_REQUEST', async (_, body, message) => {
    const answer = await invoke(url, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe('BAD_REQUEST');
    expect(answer.body.message).toMatch(message);
  });

  it('refuses bad CSV with 400 naming the line, and a bad value naming the column and row', async () => {
    expect(await invoke(url, 'sepal_length,sepal_width\n1,2,3\n', 'text/csv')).toMatchObject({ status: 400, body: { message: 'CSV line 2 has 3 field(s); the header has 2.' } });
    const csv = `${IRIS_COLUMNS.join(',')}\n5.1,3.5,1.4,0.2\n6.4,3.2,4.5,wide\n`;
    expect(await invoke(url, csv, 'text/csv')).toMatchObject({ status: 400, body: { message: `column 'petal_width', row 1: expected a number, got "wide"` } });
  });

  it.each([
    ['text/plain', /reads application\/json or text\/csv \(UTF-8\), not 'text\/plain'/],
    ['application/json; charset=latin-1', /'charset=latin-1' is not supported/],
    ['application/json; format=pandas-split', /'format=pandas-split' is not supported/],
  ])('refuses Content-Type %s with 415', async (type, message) => {
    const answer = await invoke(url, { instances: [] }, type);
    expect(answer).toMatchObject({ status: 415, body: { error_code: 'BAD_REQUEST', message: expect.stringMatching(message) } });
  });

  it('takes the NaN and Infinity that Python clients write', async () => {
    const answer = await invoke(url, '{"dataframe_split": {"columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"], "data": [[NaN, 3.5, 1.4, -Infinity]]}, "params": {"note": "NaN stays text"}}');
    expect(answer.status).toBe(200);
    // A missing measurement no step imputes flows through as NaN: the probabilities are written null.
    expect(answer.body.predictions).toEqual([expect.objectContaining({ probability_setosa: null })]);
  });

  it('answers only requests addressed to this machine (no DNS rebinding)', async () => {
    const rebound = await rawRequest(url, (request) => request.end('{}'), { host: 'evil.example:80', 'content-type': 'application/json' });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.text)).toMatchObject({ error_code: 'PERMISSION_DENIED' });
    expect((await rawRequest(url, (request) => request.end(JSON.stringify({ inputs: asColumns(flowers, IRIS_COLUMNS) })), { host: `localhost:${new URL(url).port}`, 'content-type': 'application/json' })).status).toBe(200);
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    const missing = await fetch(`${url}/predict`, { method: 'POST' });
    expect([missing.status, ((await missing.json()) as Answer['body']).error_code]).toEqual([404, 'ENDPOINT_NOT_FOUND']);
    const wrong = await fetch(`${url}/invocations`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(((await wrong.json()) as Answer['body']).message).toBe('/invocations takes POST, not GET.');
    expect((await fetch(`${url}/ping`, { method: 'DELETE' })).status).toBe(405);
  });

  it('runs a large request in batches with the same answer', async () => {
    const { url: batched } = await serve(irisFile, { batchRows: 7 });
    const rows = Array.from({ length: 100 }, (_, r) => flowers[r % 3]!.map((value) => value + (r % 5) / 10));
    const body = { dataframe_split: { columns: IRIS_COLUMNS, data: rows } };
    const whole = await invoke(url, body);
    expect((whole.body.predictions as unknown[]).length).toBe(100);
    expect(await invoke(batched, body)).toEqual(whole);
    expect(await invoke(url, { dataframe_split: { columns: IRIS_COLUMNS, data: [] } })).toEqual({ status: 200, body: { predictions: [] } });
  });
});

describe('body limits', () => {
  it('answers 413 for a body over the limit, declared or streamed', async () => {
    const { url } = await serve(irisFile, { maxBodyBytes: 1000 });
    const big = JSON.stringify({ dataframe_split: { columns: IRIS_COLUMNS, data: Array.from({ length: 100 }, () => flowers[0]) } });
    expect(await invoke(url, big)).toMatchObject({ status: 413, body: { error_code: 'BAD_REQUEST', message: expect.stringMatching(/larger than this server's limit of 1000 bytes/) } });
    // Without a Content-Length (chunked), the limit is found while reading.
    const streamed = await rawRequest(url, (request) => {
      request.write(big.slice(0, 600));
      setTimeout(() => request.end(big.slice(600)), 20);
    }, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    expect(streamed.status).toBe(413);
    // The server is still there for the next request.
    expect((await invoke(url, { dataframe_split: { columns: IRIS_COLUMNS, data: flowers } })).status).toBe(200);
  });
});

describe('missing values and column types', () => {
  it('reads null and "" as NaN for numbers (imputed by the model), "" for text, and booleans from JSON or CSV', async () => {
    const { url } = await serve(folder.write('mixed.onnx', mixedClassifier()));
    const columns = ['income', 'city', 'member'];
    const rows = [
      [50, 'Paris', true],
      [null, 'Paris', true],
      ['', 'Paris', true],
      [80, 'Oslo', false],
      [80, null, false],
      [80, '', false],
    ];
    const answer = await invoke(url, { dataframe_split: { columns, data: rows } });
    expect(answer.status).toBe(200);
    const predictions = answer.body.predictions as Array<{ label: string; probability_no: number; probability_yes: number }>;
    expect(Object.keys(predictions[0]!)).toEqual(['label', 'probability_no', 'probability_yes']);
    // A missing income is imputed with the training mean (50).
    expect(predictions[1]).toEqual(predictions[0]);
    expect(predictions[2]).toEqual(predictions[0]);
    // A missing city is "" — one-hot all zeros — whether sent as null or "".
    expect(predictions[5]).toEqual(predictions[4]);
    const csv = await invoke(url, 'income,city,member\n50,Paris,true\n,Paris,True\n80,Oslo,0\n80,,false\n', 'text/csv');
    expect(csv.body.predictions).toEqual([predictions[0], predictions[1], predictions[3], predictions[4]]);
    expect(await invoke(url, { dataframe_records: [{ income: 1, city: 'Oslo', member: 'maybe' }] })).toMatchObject({ status: 400, body: { message: `column 'member', row 0: expected true or false, got "maybe"` } });
    expect(await invoke(url, { dataframe_records: [{ income: 1, city: 'Oslo', member: true }, { income: 1, city: 'Oslo' }] })).toMatchObject({ status: 400, body: { message: `column 'member', row 1: a boolean cannot be missing` } });
    expect(await invoke(url, { dataframe_records: [{ income: 1, city: { name: 'Oslo' }, member: true }] })).toMatchObject({ status: 400, body: { message: `column 'city', row 0: expected text, got an object` } });
  });

  it('answers a regressor with one number per row, or a list per row with several targets', async () => {
    const one = await serve(folder.write('reg1.onnx', regressor(1)));
    const two = await serve(folder.write('reg2.onnx', regressor(2)));
    const body = { dataframe_split: { columns: ['x0', 'x1'], data: [[1, 2], [3, 4]] } };
    const single = (await invoke(one.url, body)).body.predictions as number[];
    expect(single).toHaveLength(2);
    expect(single.every((value) => typeof value === 'number')).toBe(true);
    const pairs = (await invoke(two.url, body)).body.predictions as number[][];
    expect(pairs.map((row) => row.length)).toEqual([2, 2]);
  });
});

describe('tensor models from elsewhere', () => {
  const x = [
    [[1, 2], [3, 4]],
    [[0.5, 0], [0, -1]],
  ];
  const doubled = x.map((row) => row.map((pair) => pair.map((value) => value * 2)));

  it('answers a dict of output name → nested lists, from instances, inputs or a DataFrame of flat rows', async () => {
    const { url } = await serve(folder.write('tensor.onnx', tensorModel()));
    const expected = { status: 200, body: { predictions: { doubled, total: [10, -0.5] } } };
    expect(await invoke(url, { instances: x })).toEqual(expected);
    expect(await invoke(url, { inputs: x })).toEqual(expected);
    expect(await invoke(url, { inputs: { X: x } })).toEqual(expected);
    expect(await invoke(url, { instances: x.map((row) => ({ X: row })) })).toEqual(expected);
    // MLflow feeds a one-input tensor model a DataFrame's values, reshaped.
    expect(await invoke(url, { dataframe_split: { columns: ['a', 'b', 'c', 'd'], data: x.map((row) => row.flat()) } })).toEqual(expected);
    expect(await invoke(url, 'a,b,c,d\n1,2,3,4\n0.5,0,0,-1\n', 'text/csv')).toEqual(expected);
    expect(await invoke(url, { instances: [[[1, 2], [3]]] })).toMatchObject({ status: 400, body: { message: "input 'X', row 0: expected [2, 2] values per row, got a list of 1 at depth 2" } });
    expect(await invoke(url, { instances: [[1, 2, 3]] })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^input 'X', row 0: expected \[2, 2\] values per row/) } });
  });

  it('answers a single output with just its nested list', async () => {
    const { url } = await serve(folder.write('single.onnx', tensorModel({ single: true })));
    expect(await invoke(url, { inputs: x })).toEqual({ status: 200, body: { predictions: doubled } });
  });

  it('feeds named integer inputs, and refuses values that are not integers', async () => {
    const { url } = await serve(folder.write('ints.onnx', twoInputModel()));
    expect(await invoke(url, { inputs: { a: [[1, 2, 3], [4, 5, 6]], b: [10, '20'] } })).toEqual({ status: 200, body: { predictions: [16, 35] } });
    expect(await invoke(url, { instances: [{ a: [1, 1, 1], b: 1 }] })).toEqual({ status: 200, body: { predictions: [4] } });
    expect(await invoke(url, { inputs: { a: [[1, 2, 3]], b: [1.5] } })).toMatchObject({ status: 400, body: { message: "input 'b', row 0: expected an integer, got 1.5" } });
    expect(await invoke(url, { inputs: { a: [[1, 2, 3]], b: [2 ** 40] } })).toMatchObject({ status: 400, body: { message: "input 'b', row 0: 1099511627776 is out of range for int32" } });
    expect(await invoke(url, { inputs: { a: [[1, 2, 3]] } })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^Missing input 'b'/) } });
    expect(await invoke(url, { inputs: [[1, 2, 3]] })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/takes 2 inputs/) } });
  });

  it('answers a failure inside onnxruntime with 500 and its message', async () => {
    const { url } = await serve(folder.write('pairs.onnx', pairsModel()));
    expect(await invoke(url, { inputs: [1, 2, 3, 4] })).toEqual({ status: 200, body: { predictions: [[1, 2], [3, 4]] } });
    const failed = await invoke(url, { inputs: [1, 2, 3] });
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ error_code: 'INTERNAL_ERROR', message: expect.stringMatching(/^The model failed to run: .*Reshape/i) });
  });
});

describe('closing', () => {
  it('finishes a request in flight, then stops accepting', async () => {
    const { url, server } = await serve(irisFile);
    const body = JSON.stringify({ dataframe_split: { columns: IRIS_COLUMNS, data: flowers } });
    let closed = false;
    const answer = rawRequest(url, (request) => {
      request.write(body.slice(0, 20));
      // The request is in flight (headers read, body half sent) when the server is told to close.
      setTimeout(() => {
        void server.close().then(() => (closed = true));
        setTimeout(() => request.end(body.slice(20)), 100);
      }, 50);
    }, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    const { status, text } = await answer;
    expect(status).toBe(200);
    expect((JSON.parse(text) as { predictions: Array<{ label: string }> }).predictions.map((row) => row.label)).toEqual(['setosa', 'versicolor', 'virginica']);
    await expect.poll(() => closed).toBe(true);
    await expect(fetch(`${url}/ping`)).rejects.toThrow();
  });
});

/** A request written by hand, for bodies sent slowly or in chunks. */
function rawRequest(url: string, write: (request: ReturnType<typeof httpRequest>) => void, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/invocations`, { method: 'POST', headers, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('error', reject);
    write(request);
  });
}
