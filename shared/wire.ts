/**
 * JSON for the HTTP transport. JSON has no NaN or Infinity, and metric values use both, so
 * non-finite numbers travel as `{"$float": "NaN" | "Infinity" | "-Infinity"}` and come back as
 * numbers. A tagged object (not a bare string) keeps a param whose value is "NaN" a string.
 *
 * Both directions take a fast path when nothing needs tagging: a replacer or reviver is called
 * once per value, which for a chart's batch of 100 series (~1M values) cost more than the
 * stringify/parse itself. A plain walk to look for non-finite numbers, or a substring search for
 * the tag, is far cheaper than that.
 */
const floatTag = '$float';

export function stringifyWire(value: unknown): string {
  if (!hasNonFinite(value)) return JSON.stringify(value);
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'number' && !Number.isFinite(item)) return { [floatTag]: String(item) };
    return item;
  });
}

export function parseWire(text: string): unknown {
  if (!text.includes(`"${floatTag}"`)) return JSON.parse(text);
  return JSON.parse(text, (_key, item: unknown) => {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const record = item as Record<string, unknown>;
      const tag = record[floatTag];
      if (typeof tag === 'string' && Object.keys(record).length === 1) return Number(tag);
    }
    return item;
  });
}

/** Whether any number reachable the way JSON.stringify walks (arrays, own enumerable keys, toJSON) is NaN or ±Infinity. */
function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasNonFinite(item)) return true;
    return false;
  }
  const withJson = value as { toJSON?: unknown };
  if (typeof withJson.toJSON === 'function') return hasNonFinite((withJson.toJSON as () => unknown).call(value));
  for (const key in value) if (Object.hasOwn(value, key) && hasNonFinite((value as Record<string, unknown>)[key])) return true;
  return false;
}
