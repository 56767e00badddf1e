import type { TransformStep } from '../../shared/transforms';
import { columnOf, type FakeCell, type FakeTable } from './fake-table';
import { seededRandom } from '../../shared/seeded-random';

/**
 * Transform steps over an in-memory table for the fake back end. Filters understand simple
 * comparisons joined by `and` / `or` (the real one hands any DuckDB expression to DuckDB).
 */

function indexOf(table: FakeTable, name: string): number {
  const index = table.columns.findIndex((column) => column.name === name);
  if (index < 0) throw new Error(`no column "${name}" (columns: ${table.columns.map((column) => column.name).join(', ')})`);
  return index;
}

function literal(text: string): FakeCell {
  const trimmed = text.trim();
  if (/^'.*'$/.test(trimmed)) return trimmed.slice(1, -1).replaceAll("''", "'");
  if (/^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === 'true';
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  throw new Error(`cannot read the value ${trimmed}`);
}

function condition(table: FakeTable, text: string): (row: FakeCell[]) => boolean {
  const ors = text.split(/\s+or\s+/i);
  if (ors.length > 1) {
    const parts = ors.map((part) => condition(table, part));
    return (row) => parts.some((part) => part(row));
  }
  const ands = text.split(/\s+and\s+/i);
  if (ands.length > 1) {
    const parts = ands.map((part) => condition(table, part));
    return (row) => parts.every((part) => part(row));
  }
  const nullCheck = /^\s*"?([\w.]+)"?\s+is\s+(not\s+)?null\s*$/i.exec(text);
  if (nullCheck) {
    const index = indexOf(table, nullCheck[1]!);
    return (row) => (row[index] === null) !== Boolean(nullCheck[2]);
  }
  const match = /^\s*"?([\w.]+)"?\s*(<=|>=|<>|!=|=|<|>)\s*(.+?)\s*$/.exec(text);
  if (!match) throw new Error(`the demo back end only filters on comparisons like  age >= 18 and country = 'FR'; got "${text.trim()}"`);
  const index = indexOf(table, match[1]!);
  const value = literal(match[3]!);
  const operator = match[2]!;
  return (row) => {
    const cell = row[index] ?? null;
    if (cell === null || value === null) return false;
    switch (operator) {
      case '=': return cell === value;
      case '!=': case '<>': return cell !== value;
      case '<': return cell < value;
      case '<=': return cell <= value;
      case '>': return cell > value;
      default: return cell >= value;
    }
  };
}

function mapColumns(table: FakeTable, names: readonly string[], map: (values: FakeCell[], name: string) => FakeCell[]): FakeTable {
  const rows = table.rows.map((row) => [...row]);
  for (const name of names) {
    const index = indexOf(table, name);
    const next = map(table.rows.map((row) => row[index] ?? null), name);
    rows.forEach((row, rowIndex) => (row[index] = next[rowIndex] ?? null));
  }
  return { columns: table.columns, rows };
}

function numbersOf(values: readonly FakeCell[], name: string): number[] {
  const present = values.filter((value) => value !== null);
  if (!present.every((value) => typeof value === 'number')) throw new Error(`column "${name}" is not numeric`);
  return present as number[];
}


export function applyStep(table: FakeTable, step: TransformStep): FakeTable {
  switch (step.op) {
    case 'drop': {
      const drop = new Set(step.columns.map((name) => indexOf(table, name)));
      return { columns: table.columns.filter((_, index) => !drop.has(index)), rows: table.rows.map((row) => row.filter((_, index) => !drop.has(index))) };
    }
    case 'rename':
      return { columns: table.columns.map((column) => ({ ...column, name: step.mapping[column.name] ?? column.name })), rows: table.rows };
    case 'cast':
      return { columns: table.columns.map((column) => (step.types[column.name] ? columnOf(column.name, step.types[column.name]!) : column)), rows: table.rows };
    case 'filter': {
      const keep = condition(table, step.where);
      return { columns: table.columns, rows: table.rows.filter(keep) };
    }
    case 'impute':
      return mapColumns(table, step.columns, (values, name) => {
        let fill: FakeCell;
        if (step.strategy === 'constant') fill = step.value ?? null;
        else if (step.strategy === 'mode') {
          const counts = new Map<FakeCell, number>();
          for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
          fill = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
        } else {
          const numbers = numbersOf(values, name).sort((a, b) => a - b);
          fill = step.strategy === 'mean' ? numbers.reduce((sum, value) => sum + value, 0) / Math.max(1, numbers.length) : (numbers[Math.floor((numbers.length - 1) / 2)] ?? null);
        }
        return values.map((value) => value ?? fill);
      });
    case 'scale': {
      const scaled = mapColumns(table, step.columns, (values, name) => {
        const numbers = numbersOf(values, name);
        const mean = numbers.reduce((sum, value) => sum + value, 0) / Math.max(1, numbers.length);
        const std = Math.sqrt(numbers.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, numbers.length - 1)) || 1;
        const min = Math.min(...numbers);
        const range = Math.max(...numbers) - min || 1;
        return values.map((value) => (value === null ? null : step.method === 'standard' ? ((value as number) - mean) / std : ((value as number) - min) / range));
      });
      return { columns: scaled.columns.map((column) => (step.columns.includes(column.name) ? columnOf(column.name, 'float') : column)), rows: scaled.rows };
    }
    case 'encode': {
      let result = table;
      for (const name of step.columns) {
        const index = indexOf(result, name);
        const categories = [...new Set(result.rows.map((row) => row[index]).filter((value) => value !== null).map(String))].sort();
        if (step.method === 'ordinal') {
          result = mapColumns(result, [name], (values) => values.map((value) => (value === null ? null : categories.indexOf(String(value)))));
          result = { columns: result.columns.map((column) => (column.name === name ? columnOf(name, 'integer') : column)), rows: result.rows };
        } else {
          const columns = [...result.columns.filter((_, position) => position !== index), ...categories.map((category) => columnOf(`${name}_${category}`, 'integer'))];
          const rows = result.rows.map((row) => [...row.filter((_, position) => position !== index), ...categories.map((category) => (String(row[index]) === category ? 1 : 0))]);
          result = { columns, rows };
        }
      }
      return result;
    }
    case 'derive':
      throw new Error('derived columns need DuckDB: the demo back end cannot evaluate SQL expressions');
    case 'split': {
      const random = seededRandom(step.seed);
      const parts = Object.entries(step.fractions);
      const total = parts.reduce((sum, [, fraction]) => sum + fraction, 0);
      const pick = (): string => {
        let roll = random() * total;
        for (const [name, fraction] of parts) if ((roll -= fraction) < 0) return name;
        return parts[parts.length - 1]![0];
      };
      return { columns: [...table.columns, columnOf('split', 'string')], rows: table.rows.map((row) => [...row, pick()]) };
    }
  }
}
