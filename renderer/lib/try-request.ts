import type { ServedModelInfo } from '../../shared/serving';

/**
 * The "try it" form of a served model: which field each input gets, the scoring request the
 * form's values make (MLflow's protocol, `{"dataframe_records": [row]}`), the same request as a
 * curl command, and the server's answer read back for display. The server is the judge of a
 * request (workers/serve); the form only catches what it can say better before sending.
 */

type ServedInput = ServedModelInfo['inputs'][number];

export type FieldKind = 'number' | 'integer' | 'text' | 'checkbox';

export interface TryField {
  readonly name: string;
  readonly kind: FieldKind;
  /** The input's element type, as the server reads it (float64, string…). */
  readonly type: string;
}

/**
 * One field per input when every input takes one value per row (a table model: declared `[N]` or
 * `[N, 1]`); otherwise (an image or other tensor) the request is typed as JSON.
 */
export type TryForm = { readonly mode: 'fields'; readonly fields: TryField[] } | { readonly mode: 'json'; readonly template: string };

export function fieldKind(type: string): FieldKind {
  if (type === 'bool') return 'checkbox';
  if (type === 'string') return 'text';
  if (/^u?int\d+$/.test(type)) return 'integer';
  return 'number';
}

/** One value per row, as the server decides it (workers/serve/model-io.ts `scalarRows`). */
function isScalarRows(input: ServedInput): boolean {
  const shape = input.shape;
  return shape !== null && (shape.length === 1 || (shape.length === 2 && shape[1] === 1));
}

export function tryFormOf(inputs: ServedModelInfo['inputs']): TryForm {
  if (inputs.length > 0 && inputs.every(isScalarRows)) return { mode: 'fields', fields: inputs.map((input) => ({ name: input.name, kind: fieldKind(input.type), type: input.type })) };
  return { mode: 'json', template: jsonTemplate(inputs) };
}

/** Values at most this many per row are prefilled as zeros in a tensor model's template. */
const templateLimit = 64;

/** A request body to start from for a tensor model: one row of zeros when small, else an empty row to fill. */
export function jsonTemplate(inputs: ServedModelInfo['inputs']): string {
  const row = (input: ServedInput): unknown => {
    const dims = (input.shape ?? []).slice(1);
    const size = dims.reduce<number>((product, dim) => product * (dim ?? 1), 1);
    if (dims.some((dim) => dim === null) || size > templateLimit) return [];
    const zero = fieldKind(input.type) === 'checkbox' ? false : fieldKind(input.type) === 'text' ? '' : 0;
    const build = (depth: number): unknown => (depth === dims.length ? zero : Array.from({ length: dims[depth]! }, () => build(depth + 1)));
    return build(0);
  };
  const body = inputs.length === 1 ? { inputs: { [inputs[0]!.name]: [row(inputs[0]!)] } } : { inputs: Object.fromEntries(inputs.map((input) => [input.name, [row(input)]])) };
  return JSON.stringify(body, null, 2);
}

/** What a row of a field shows: text for inputs, a boolean for checkboxes. */
export type FieldValues = Readonly<Record<string, string | boolean>>;

export function emptyValues(fields: readonly TryField[]): FieldValues {
  return Object.fromEntries(fields.map((field) => [field.name, field.kind === 'checkbox' ? false : '']));
}

/**
 * The form filled from a dataset row (`datasets.preview`: columns and display strings): each field
 * whose column is there takes its value; the others stay empty. Null cells stay empty too.
 */
export function valuesFromRow(fields: readonly TryField[], columns: readonly string[], row: readonly (string | null)[]): { values: FieldValues; filled: number } {
  let filled = 0;
  const values = Object.fromEntries(
    fields.map((field) => {
      const index = columns.indexOf(field.name);
      const cell = index === -1 ? null : (row[index] ?? null);
      if (cell === null) return [field.name, field.kind === 'checkbox' ? false : ''];
      filled += 1;
      return [field.name, field.kind === 'checkbox' ? /^(true|1|yes)$/i.test(cell.trim()) : cell];
    }),
  );
  return { values, filled };
}

export type RecordValue = number | string | boolean | null;

/**
 * The row to send, or the problem of each field: numbers must read as numbers (empty is a missing
 * value, which float inputs take as NaN); whole-number inputs cannot be missing.
 */
export function buildRecord(fields: readonly TryField[], values: FieldValues): { record: Record<string, RecordValue>; errors: Record<string, string> } {
  const record: Record<string, RecordValue> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = values[field.name];
    if (field.kind === 'checkbox') {
      record[field.name] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw : '';
    if (field.kind === 'text') {
      record[field.name] = text;
      continue;
    }
    const trimmed = text.trim();
    if (trimmed === '') {
      if (field.kind === 'integer') errors[field.name] = `${field.name} is a whole number (${field.type}) and cannot be missing.`;
      else record[field.name] = null;
      continue;
    }
    const number = Number(trimmed);
    if (!Number.isFinite(number)) errors[field.name] = `${field.name}: “${trimmed}” is not a number.`;
    else if (field.kind === 'integer' && !Number.isInteger(number)) errors[field.name] = `${field.name}: “${trimmed}” is not a whole number (${field.type}).`;
    else record[field.name] = number;
  }
  return { record, errors };
}

/** The scoring request for one row, as MLflow clients send a DataFrame's records. */
export function requestBody(record: Readonly<Record<string, RecordValue>>): string {
  return JSON.stringify({ dataframe_records: [record] });
}

/** A POSIX shell word: single-quoted, with each `'` closed, escaped and reopened. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The same request from a terminal. */
export function curlCommand(serverUrl: string, body: string): string {
  return `curl -X POST ${shellQuote(`${serverUrl.replace(/\/$/, '')}/invocations`)} -H 'Content-Type: application/json' -d ${shellQuote(body)}`;
}

/** A JSON body typed by hand, checked before it is sent; the problem in a sentence, or null. */
export function jsonBodyProblem(text: string): string | null {
  if (text.trim() === '') return 'Type a request body: {"inputs": …}, {"instances": …} or {"dataframe_records": …}.';
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'The body must be a JSON object, such as {"inputs": …}.';
    return null;
  } catch (error) {
    return `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The server's answer to one row, as the form shows it. */
export type Answer =
  | { readonly kind: 'label'; readonly label: string; readonly probabilities: { readonly name: string; readonly value: number | null }[] }
  | { readonly kind: 'value'; readonly value: number | null }
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

/**
 * Reads `{"predictions": …}` (a classifier's record `{"label", "probability_<class>"…}`, a
 * regressor's number, anything else as JSON) or `{"error_code", "message"}`.
 */
export function readAnswer(status: number, body: unknown): Answer {
  const object = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  if (status >= 400 || (object && 'error_code' in object)) {
    return { kind: 'error', code: String(object?.['error_code'] ?? `HTTP ${status}`), message: typeof object?.['message'] === 'string' ? object['message'] : JSON.stringify(body) };
  }
  const predictions = object?.['predictions'];
  const first: unknown = Array.isArray(predictions) ? predictions[0] : undefined;
  if (typeof first === 'object' && first !== null && !Array.isArray(first) && 'label' in first) {
    const record = first as Record<string, unknown>;
    // A NaN probability (a missing value the graph does not impute) arrives as null: shown as such, last.
    const probabilities = Object.entries(record)
      .filter(([key]) => key.startsWith('probability_'))
      .map(([key, value]) => ({ name: key.slice('probability_'.length), value: typeof value === 'number' ? value : null }))
      .sort((left, right) => (right.value ?? -Infinity) - (left.value ?? -Infinity));
    return { kind: 'label', label: String(record['label']), probabilities };
  }
  if (typeof first === 'number' || (first === null && Array.isArray(predictions))) return { kind: 'value', value: first };
  return { kind: 'raw', text: JSON.stringify(predictions === undefined ? body : Array.isArray(predictions) && predictions.length === 1 ? predictions[0] : predictions, null, 2) };
}
