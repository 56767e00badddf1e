/** Params as strings for the run (MLflow style), nested keys flattened with dots. */
export function flattenParams(value: unknown, prefix = ''): Array<{ key: string; value: string }> {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return [{ key: prefix, value: value.join(',') }];
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => flattenParams(item, prefix ? `${prefix}.${key}` : key));
  return [{ key: prefix, value: String(value) }];
}
