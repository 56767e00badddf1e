/**
 * MLflow's request formats (MLFLOW.md §5), reduced to one shape before they meet the model:
 * - `columns`: named values, one entry per row — a DataFrame (`dataframe_split`,
 *   `dataframe_records`, CSV) or named tensors (`instances` as objects, `inputs` as an object);
 * - `rows`: unnamed rows of the model's only input (`instances` or `inputs` as a list).
 */
import { parseCsv } from './csv';
import { RequestError } from './request-error';

export type Payload =
  | {
      readonly kind: 'columns';
      /** Column (or input) name → one value per row, in the order the request named them. */
      readonly columns: ReadonlyMap<string, readonly unknown[]>;
      readonly rows: number;
      /** A DataFrame: a single-input tensor model takes its rows whatever the column names (MLflow's `df.values`). */
      readonly frame: boolean;
    }
  | { readonly kind: 'rows'; readonly rows: readonly unknown[] };

export const payloadFormats = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;

const bad = (message: string): never => {
  throw new RequestError(400, message);
};
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseCsvPayload(text: string): Payload {
  const frame = parseCsv(text);
  return { kind: 'columns', columns: new Map(frame.columns.map((name, c) => [name, frame.values[c]!])), rows: frame.rows, frame: true };
}

export function parseJsonPayload(text: string): Payload {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    body = parseWithNonFinite(text) ?? bad(`The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(body)) return bad(`The body must be a JSON object with exactly one of ${payloadFormats.join(', ')}.`);
  const present = payloadFormats.filter((format) => format in body);
  if (present.length !== 1) {
    const found = Object.keys(body).filter((key) => key !== 'params');
    return bad(
      present.length === 0
        ? `The body must have exactly one of ${payloadFormats.join(', ')}; it has ${found.length > 0 ? found.map((key) => `'${key}'`).join(', ') : 'no fields'}.`
        : `The body must have exactly one of ${payloadFormats.join(', ')}; it mixes ${present.join(' and ')}.`,
    );
  }
  if ('params' in body && body.params !== null && !isObject(body.params)) bad("'params' must be an object.");
  const format = present[0]!;
  const data = body[format];
  switch (format) {
    case 'dataframe_split':
      return dataframeSplit(data);
    case 'dataframe_records':
      return records(data, 'dataframe_records', true);
    case 'instances':
      if (!Array.isArray(data)) return bad("'instances' must be a list of rows.");
      return data.length > 0 && data.every(isObject) ? records(data, 'instances', false) : { kind: 'rows', rows: data };
    case 'inputs':
      if (Array.isArray(data)) return { kind: 'rows', rows: data };
      if (!isObject(data)) return bad("'inputs' must be a list (the model's only input) or an object of inputs by name.");
      return namedInputs(data);
  }
}

/**
 * Python's `json.dumps` writes NaN and ±Infinity as bare words, and MLflow's server (Python's
 * `json.loads`) takes them, so a client written against it may send them. Outside strings they
 * become null (missing: NaN for a number input) and ±1e999 (±Infinity). Tried only once strict
 * JSON has failed, so a valid body never pays for it.
 */
function parseWithNonFinite(text: string): unknown {
  if (!/NaN|Infinity/.test(text)) return undefined;
  const replaced = text.replace(/"(?:[^"\\]|\\.)*"|(-?)\b(NaN|Infinity)\b/g, (match, sign: string | undefined, word: string | undefined) =>
    word === undefined ? match : word === 'NaN' ? 'null' : `${sign ?? ''}1e999`,
  );
  try {
    return JSON.parse(replaced);
  } catch {
    return undefined;
  }
}

function dataframeSplit(data: unknown): Payload {
  if (!isObject(data)) return bad("'dataframe_split' must be an object with 'columns' and 'data'.");
  const rows = data.data ?? [];
  if (!Array.isArray(rows)) return bad("'dataframe_split.data' must be a list of rows.");
  let names: string[];
  if (data.columns === undefined || data.columns === null) {
    // pandas names unnamed columns 0, 1, …
    names = Array.from({ length: Array.isArray(rows[0]) ? rows[0].length : 0 }, (_, c) => String(c));
  } else {
    if (!Array.isArray(data.columns)) return bad("'dataframe_split.columns' must be a list of column names.");
    names = data.columns.map(String);
  }
  if (new Set(names).size !== names.length) bad(`'dataframe_split.columns' names a column twice: ${names.find((name, c) => names.indexOf(name) !== c)}.`);
  const columns = names.map(() => new Array<unknown>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row: unknown = rows[r];
    if (!Array.isArray(row) || row.length !== names.length) bad(`'dataframe_split.data' row ${r} has ${Array.isArray(row) ? `${row.length} value(s)` : 'no list of values'} for ${names.length} column(s).`);
    const values = row as unknown[];
    for (let c = 0; c < values.length; c++) columns[c]![r] = values[c];
  }
  return { kind: 'columns', columns: new Map(names.map((name, c) => [name, columns[c]!])), rows: rows.length, frame: true };
}

/** Rows as objects: a key a row leaves out is missing there (pandas gives NaN). */
function records(data: unknown, format: string, frame: boolean): Payload {
  if (!Array.isArray(data)) return bad(`'${format}' must be a list of objects, one per row.`);
  const columns = new Map<string, unknown[]>();
  for (let r = 0; r < data.length; r++) {
    const row: unknown = data[r];
    if (!isObject(row)) return bad(`'${format}' row ${r} is not an object of values by column name.`);
    for (const key in row) {
      let column = columns.get(key);
      if (!column) columns.set(key, (column = new Array<unknown>(data.length).fill(null)));
      column[r] = row[key];
    }
  }
  return { kind: 'columns', columns, rows: data.length, frame };
}

function namedInputs(data: Record<string, unknown>): Payload {
  const columns = new Map<string, unknown[]>();
  let rows: number | null = null;
  for (const [name, value] of Object.entries(data)) {
    if (!Array.isArray(value)) return bad(`'inputs.${name}' must be a list with one entry per row.`);
    if (rows !== null && value.length !== rows) bad(`'inputs' has ${rows} row(s) for '${[...columns.keys()][0]}' but ${value.length} for '${name}'.`);
    rows = value.length;
    columns.set(name, value);
  }
  return { kind: 'columns', columns, rows: rows ?? 0, frame: false };
}
