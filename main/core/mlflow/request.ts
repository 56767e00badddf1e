import type { IncomingMessage } from 'node:http';
import { MlflowError, invalidParameter } from './errors';
import { decodeDouble, decodeEnum, type ProtoEnum } from './proto-json';

/** JSON bodies are small messages (a log-batch of 1,000 metrics is ~100 KB); artifacts stream instead. */
const maxJsonBodyBytes = 32 * 1024 * 1024;

const missing = (name: string): MlflowError =>
  invalidParameter(`Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`);
const badValue = (name: string, value: unknown, expected: string): MlflowError =>
  invalidParameter(`Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: expected ${expected}.`);

/**
 * The fields of one request message, read the same way whether they came as a JSON body (POST,
 * PATCH, DELETE) or a query string (GET), where every value is a string and a repeated field
 * repeats its key. Getters convert and validate, throwing INVALID_PARAMETER_VALUE with MLflow's
 * wording. Unknown fields are ignored, as MLflow's parser does.
 */
export class Fields {
  constructor(
    private readonly values: Readonly<Record<string, unknown>>,
    /** Where these fields sit in the message (`metrics[3].`), for error messages. */
    private readonly prefix = '',
  ) {}

  /** Query-string fields: `a=1&a=2` and `a[]=1&a[]=2` both make a list. */
  static fromQuery(search: URLSearchParams): Fields {
    const values: Record<string, unknown> = {};
    for (const [rawKey, value] of search) {
      const key = rawKey.endsWith('[]') ? rawKey.slice(0, -2) : rawKey;
      const existing = values[key];
      if (existing === undefined) values[key] = rawKey.endsWith('[]') ? [value] : value;
      else values[key] = Array.isArray(existing) ? [...(existing as unknown[]), value] : [existing, value];
    }
    return new Fields(values);
  }

  /** A JSON body; empty means no fields. A body that is a JSON string holding JSON is decoded again (older clients double-encode). */
  static fromJsonText(text: string): Fields {
    if (text.trim() === '') return new Fields({});
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
      if (typeof parsed === 'string') parsed = JSON.parse(parsed);
    } catch (error) {
      throw new MlflowError('BAD_REQUEST', `Malformed JSON in the request body: ${(error as Error).message}`);
    }
    if (parsed === null) return new Fields({});
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new MlflowError('BAD_REQUEST', 'The request body must be a JSON object.');
    return new Fields(parsed as Record<string, unknown>);
  }

  private name(field: string): string {
    return `${this.prefix}${field}`;
  }

  private raw(field: string): unknown {
    const value = this.values[field];
    // A query string cannot send a repeated field once as a scalar and a scalar field as a list,
    // so a list with one element is read as that element where a scalar is expected.
    if (Array.isArray(value) && value.length === 1) return value[0];
    return value;
  }

  has(field: string): boolean {
    const value = this.values[field];
    return value !== undefined && value !== null;
  }

  string(field: string): string {
    const value = this.optionalString(field);
    if (value === undefined) throw missing(this.name(field));
    return value;
  }

  /** A string field; numbers and booleans are taken as their text (a param logged as 0.01). */
  optionalString(field: string): string | undefined {
    const value = this.raw(field);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw badValue(this.name(field), value, 'a string');
  }

  /** A non-empty string: MLflow treats "" in a required string field as missing. */
  requiredString(field: string): string {
    const value = this.optionalString(field);
    if (value === undefined || value === '') throw missing(this.name(field));
    return value;
  }

  /** An int64 as a JSON number or a decimal string (proto3-JSON allows both). */
  optionalInt(field: string): number | undefined {
    const value = this.raw(field);
    if (value === undefined || value === null || value === '') return undefined;
    const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(number)) throw badValue(this.name(field), value, 'an integer');
    return number;
  }

  int(field: string): number {
    const value = this.optionalInt(field);
    if (value === undefined) throw missing(this.name(field));
    return value;
  }

  /** A double: a number or "NaN" / "Infinity" / "-Infinity" / a numeric string. */
  optionalDouble(field: string): number | undefined {
    const value = this.raw(field);
    if (value === undefined || value === null) return undefined;
    const number = decodeDouble(value);
    if (number === undefined) throw badValue(this.name(field), value, 'a number, "NaN", "Infinity" or "-Infinity"');
    return number;
  }

  double(field: string): number {
    const value = this.optionalDouble(field);
    if (value === undefined) throw missing(this.name(field));
    return value;
  }

  optionalBool(field: string): boolean | undefined {
    const value = this.raw(field);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'True') return true;
    if (value === 'false' || value === 'False') return false;
    throw badValue(this.name(field), value, 'true or false');
  }

  /** An enum value by name (or number); `fallback` when the field is absent. */
  enumValue<Name extends string>(field: string, values: ProtoEnum<Name>, fallback: NoInfer<Name>): Name;
  enumValue<Name extends string>(field: string, values: ProtoEnum<Name>): Name | undefined;
  enumValue<Name extends string>(field: string, values: ProtoEnum<Name>, fallback?: Name): Name | undefined {
    const value = this.raw(field);
    if (value === undefined || value === null || value === '') return fallback;
    const name = decodeEnum(value, values);
    if (name === undefined) throw badValue(this.name(field), value, `one of ${Object.keys(values).join(', ')}`);
    return name;
  }

  /** A repeated string field: a list, or one value. */
  strings(field: string): string[] {
    const value = this.values[field];
    if (value === undefined || value === null) return [];
    const list = Array.isArray(value) ? value : [value];
    return list.map((item: unknown, index) => {
      if (typeof item === 'string') return item;
      if (typeof item === 'number') return String(item);
      throw badValue(`${this.name(field)}[${index}]`, item, 'a string');
    });
  }

  /** A repeated message field, each element as its own Fields. */
  messages(field: string): Fields[] {
    const value = this.values[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw badValue(this.name(field), value, 'a list');
    return value.map((item: unknown, index) => this.wrap(item, `${this.name(field)}[${index}]`));
  }

  /** A nested message field; empty Fields when absent. */
  message(field: string): Fields {
    const value = this.values[field];
    if (value === undefined || value === null) return new Fields({}, `${this.name(field)}.`);
    return this.wrap(value, this.name(field));
  }

  private wrap(value: unknown, where: string): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badValue(where, value, 'an object');
    return new Fields(value as Record<string, unknown>, `${where}.`);
  }
}

/** The request body as text, refusing bodies over the limit with BAD_REQUEST (never a 5xx). */
export async function readJsonBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxJsonBodyBytes) throw new MlflowError('BAD_REQUEST', `The request body is larger than ${maxJsonBodyBytes} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The fields of a JSON endpoint's request: the query string for GET, else the JSON body. */
export async function readFields(request: IncomingMessage, url: URL): Promise<Fields> {
  if (request.method === 'GET' || request.method === 'HEAD') return Fields.fromQuery(url.searchParams);
  return Fields.fromJsonText(await readJsonBody(request));
}
