import type { ColumnKind, ColumnProfile, ColumnSchema, DatasetProfile } from '../../shared/datasets';
import { parseCsv as splitCsvRows } from '../lib/artifact-kind';

/**
 * The fake back end's tables: small CSV / JSON-lines files parsed in memory, with a profile shaped
 * like the data worker's. Good enough for the demo and component tests, not a CSV reference.
 */

export type FakeCell = string | number | boolean | null;

export interface FakeTable {
  readonly columns: ColumnSchema[];
  readonly rows: FakeCell[][];
}

const duckTypes: Record<ColumnKind, string> = { integer: 'BIGINT', float: 'DOUBLE', boolean: 'BOOLEAN', string: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP', other: 'VARCHAR' };

export const columnOf = (name: string, kind: ColumnKind): ColumnSchema => ({ name, kind, type: duckTypes[kind] });

const isInteger = (text: string): boolean => /^[-+]?\d+$/.test(text);
const isFloat = (text: string): boolean => /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) || /^[-+]?(inf|nan)$/i.test(text);
const isBoolean = (text: string): boolean => /^(true|false)$/i.test(text);
const isDate = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text);

function inferKind(values: readonly string[]): ColumnKind {
  const present = values.filter((value) => value !== '');
  if (present.length === 0) return 'string';
  if (present.every(isInteger)) return 'integer';
  if (present.every(isFloat)) return 'float';
  if (present.every(isBoolean)) return 'boolean';
  if (present.every(isDate)) return 'date';
  return 'string';
}

function convert(text: string, kind: ColumnKind): FakeCell {
  if (text === '') return null;
  if (kind === 'integer' || kind === 'float') return Number(text);
  if (kind === 'boolean') return text.toLowerCase() === 'true';
  return text;
}

/** CSV with a header row; the delimiter is the first of `,;\t|` the header contains. */
export function parseCsv(text: string, options: { delimiter?: string; skipBadRows?: boolean } = {}): { table: FakeTable; skipped: number } {
  const body = text.replace(/^\uFEFF/, '');
  const headerLine = body.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = options.delimiter ?? ([',', ';', '\t', '|'].find((candidate) => headerLine.includes(candidate)) ?? ',');
  // The artifact previewer's parser; blank lines are not records.
  const [header, ...records] = splitCsvRows(body, Number.POSITIVE_INFINITY, delimiter).filter((row) => !(row.length === 1 && row[0] === ''));
  if (!header || header.every((name) => name.trim() === '')) throw new Error('the file is empty: there is no header row');
  const names = dedupe(header.map((name, index) => name.trim() || `column${index + 1}`));
  let skipped = 0;
  const kept: string[][] = [];
  records.forEach((record, index) => {
    if (record.length === names.length) kept.push(record);
    else if (options.skipBadRows) skipped += 1;
    else throw new Error(`line ${index + 2} has ${record.length} fields, the header has ${names.length}; fix that line or choose "Skip bad rows"`);
  });
  const kinds = names.map((_, column) => inferKind(kept.map((record) => record[column] ?? '')));
  return {
    table: { columns: names.map((name, column) => columnOf(name, kinds[column]!)), rows: kept.map((record) => record.map((value, column) => convert(value, kinds[column]!))) },
    skipped,
  };
}

/** JSON lines: one object per line; columns in first-seen key order. */
export function parseJsonLines(text: string): FakeTable {
  const objects = text.split(/\r?\n/).filter((line) => line.trim() !== '').map((line, index) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`line ${index + 1} is not valid JSON`);
    }
  });
  const names = [...new Set(objects.flatMap((object) => Object.keys(object)))];
  const cell = (value: unknown): FakeCell => (value === undefined || value === null ? null : typeof value === 'object' ? JSON.stringify(value) : (value as FakeCell));
  const rows = objects.map((object) => names.map((name) => cell(object[name])));
  const columns = names.map((name, column) => {
    const present = rows.map((row) => row[column]).filter((value) => value !== null);
    const kind: ColumnKind = present.length > 0 && present.every((value) => typeof value === 'number')
      ? present.every((value) => Number.isInteger(value)) ? 'integer' : 'float'
      : present.length > 0 && present.every((value) => typeof value === 'boolean') ? 'boolean' : 'string';
    return columnOf(name, kind);
  });
  return { columns, rows };
}

function dedupe(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return count === 0 ? name : `${name}_${count}`;
  });
}

/** A cell as the preview shows it (DuckDB's text form for the common types). */
export function displayCell(cell: FakeCell): string | null {
  return cell === null ? null : String(cell);
}

const quantile = (sorted: readonly number[], q: number): number => {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
};

function profileColumn(column: ColumnSchema, values: readonly FakeCell[]): ColumnProfile {
  const present = values.filter((value): value is Exclude<FakeCell, null> => value !== null);
  const counts = new Map<string, number>();
  for (const value of present) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
  const topValues = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, 10);
  const base = { ...column, count: values.length, nullCount: values.length - present.length, distinctCount: counts.size, topValues };
  const numeric = column.kind === 'integer' || column.kind === 'float';
  if (!numeric || present.length === 0) {
    const texts = present.map(String).sort();
    return { ...base, min: texts[0] ?? null, max: texts[texts.length - 1] ?? null, mean: null, std: null, quantiles: null, histogram: [] };
  }
  const numbers = present.map(Number).filter(Number.isFinite).sort((a, b) => a - b);
  const min = numbers[0] ?? 0;
  const max = numbers[numbers.length - 1] ?? 0;
  const mean = numbers.reduce((sum, value) => sum + value, 0) / Math.max(1, numbers.length);
  const variance = numbers.length > 1 ? numbers.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (numbers.length - 1) : 0;
  const binCount = Math.min(20, Math.max(1, counts.size));
  const width = (max - min) / binCount || 1;
  const histogram = Array.from({ length: binCount }, (_, bin) => ({ lower: min + bin * width, upper: min + (bin + 1) * width, count: 0 }));
  for (const value of numbers) histogram[Math.min(binCount - 1, Math.floor((value - min) / width))]!.count += 1;
  return {
    ...base, min, max, mean, std: Math.sqrt(variance),
    quantiles: numbers.length > 0 ? { p25: quantile(numbers, 0.25), p50: quantile(numbers, 0.5), p75: quantile(numbers, 0.75) } : null,
    histogram,
  };
}

export function profileTable(table: FakeTable): DatasetProfile {
  return {
    rowCount: table.rows.length,
    columns: table.columns.map((column, index) => profileColumn(column, table.rows.map((row) => row[index] ?? null))),
    images: null,
  };
}

/** The table as CSV text (what a derived version "stores" in the fake). */
export function toCsv(table: FakeTable): string {
  const quote = (cell: FakeCell): string => {
    if (cell === null) return '';
    const text = String(cell);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [table.columns.map((column) => quote(column.name)).join(','), ...table.rows.map((row) => row.map(quote).join(','))].join('\n') + '\n';
}
