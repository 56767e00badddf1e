/**
 * JSON for the HTTP transport. JSON has no NaN or Infinity, and metric values use both, so
 * non-finite numbers travel as `{"$float": "NaN" | "Infinity" | "-Infinity"}` and come back as
 * numbers. A tagged object (not a bare string) keeps a param whose value is "NaN" a string.
 */
const floatTag = '$float';

export function stringifyWire(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'number' && !Number.isFinite(item)) return { [floatTag]: String(item) };
    return item;
  });
}

export function parseWire(text: string): unknown {
  return JSON.parse(text, (_key, item: unknown) => {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const record = item as Record<string, unknown>;
      const tag = record[floatTag];
      if (typeof tag === 'string' && Object.keys(record).length === 1) return Number(tag);
    }
    return item;
  });
}
