import type { ServerResponse } from 'node:http';

/**
 * proto3-JSON as MLflow speaks it (MLFLOW.md §1): enums by name, int64 as JSON numbers, and
 * doubles that may be NaN or ±Infinity as the strings "NaN", "Infinity", "-Infinity" — in both
 * directions. Fields that are `undefined` are left out, as proto3 leaves out unset fields.
 */
export function encodeProtoJson(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value));
}

export function sendJson(response: ServerResponse, status: number, message: unknown): void {
  const text = encodeProtoJson(message);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

const nonFinite: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

/** A proto3-JSON double: a number, one of the non-finite names, or a numeric string. Undefined when it is neither. */
export function decodeDouble(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  if (value in nonFinite) return nonFinite[value];
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const number = Number(trimmed);
  return Number.isNaN(number) ? undefined : number;
}

/** An enum of MLflow's protos: value names in declaration order with their numbers (proto3-JSON accepts either). */
export type ProtoEnum<Name extends string> = Readonly<Record<Name, number>>;

/** service.proto `ViewType`. */
export const viewTypes: ProtoEnum<'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL'> = { ACTIVE_ONLY: 1, DELETED_ONLY: 2, ALL: 3 };
/** service.proto `RunStatus`. SCHEDULED exists in MLflow but a Trainyard run never has it. */
export const runStatuses: ProtoEnum<'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED'> = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 };

/** The name of an enum value given by name or number; undefined when it is not a value of the enum. */
export function decodeEnum<Name extends string>(value: unknown, values: ProtoEnum<Name>): Name | undefined {
  const names = Object.keys(values) as Name[];
  if (typeof value === 'string') {
    if ((names as string[]).includes(value)) return value as Name;
    if (/^\d+$/.test(value)) return names.find((name) => values[name] === Number(value));
    return undefined;
  }
  if (typeof value === 'number') return names.find((name) => values[name] === value);
  return undefined;
}

/** `{a: "1"}` → `[{key: "a", value: "1"}]`: MLflow's repeated key/value messages. */
export function keyValueList(record: Readonly<Record<string, string>>): Array<{ key: string; value: string }> {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

/**
 * An opaque page token MLflow-style: base64 of `{"offset": N}` plus a fingerprint of the query it
 * belongs to. URL-safe base64, so a token pasted into a query string unescaped still works ('+'
 * would read as a space); decoding takes either alphabet.
 */
export function encodeOffsetToken(offset: number, query: string): string {
  return Buffer.from(JSON.stringify({ offset, query })).toString('base64url');
}

/** The offset a token resumes at; undefined when the token is malformed or from another query. */
export function decodeOffsetToken(token: string, query: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown; query?: unknown };
    if (typeof parsed.offset === 'number' && Number.isSafeInteger(parsed.offset) && parsed.offset >= 0 && parsed.query === query) return parsed.offset;
  } catch {
    // reported by the caller
  }
  return undefined;
}

/**
 * One page of an in-memory search: the items from the token's offset, and a token for the next
 * page when there is one. A token made for another query (`fingerprint`) is refused by the caller.
 */
export function offsetPage<T>(found: readonly T[], maxResults: number, pageToken: string | undefined, fingerprint: string): { items: T[]; nextPageToken?: string } | null {
  let offset = 0;
  if (pageToken) {
    const decoded = decodeOffsetToken(pageToken, fingerprint);
    if (decoded === undefined) return null;
    offset = decoded;
  }
  const items = found.slice(offset, offset + maxResults);
  const end = offset + items.length;
  return end < found.length ? { items, nextPageToken: encodeOffsetToken(end, fingerprint) } : { items };
}
