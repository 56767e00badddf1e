import type { ColumnKind } from '../../../shared/datasets';

const integerTypes = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT']);
const floatTypes = new Set(['FLOAT', 'DOUBLE', 'REAL']);
const timestampTypes = new Set(['TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'DATETIME']);

/**
 * The coarse kind of a DuckDB type. DECIMAL counts as float: the profile treats it as a number;
 * UUID and ENUM read as strings; nested and time-of-day types are `other` (no numeric stats).
 */
export function columnKind(duckType: string): ColumnKind {
  const type = duckType.toUpperCase();
  if (integerTypes.has(type)) return 'integer';
  if (floatTypes.has(type) || type.startsWith('DECIMAL')) return 'float';
  if (type === 'BOOLEAN') return 'boolean';
  if (type === 'VARCHAR' || type === 'UUID' || type.startsWith('ENUM')) return 'string';
  if (type === 'DATE') return 'date';
  if (timestampTypes.has(type)) return 'timestamp';
  return 'other';
}

export function isNumericKind(kind: ColumnKind): boolean {
  return kind === 'integer' || kind === 'float';
}
