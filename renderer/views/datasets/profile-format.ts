import type { ColumnProfile } from '../../../shared/datasets';
import { formatMetric } from '../../lib/format';

/** A statistic as the profile shows it: numbers to 5 significant digits, dates and text as they are. */
export function formatStat(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return formatMetric(value);
  return value;
}

/** `12 · 3.4%` style share of the rows; `0` stays plain. */
export function formatShare(count: number, of: number): string {
  if (count === 0 || of === 0) return count.toLocaleString('en-US');
  const percent = (count / of) * 100;
  const shown = percent < 0.1 ? '<0.1' : percent >= 99.95 && count < of ? '>99.9' : String(Number(percent.toFixed(1)));
  return `${count.toLocaleString('en-US')} · ${shown}%`;
}

export const isNumeric = (column: Pick<ColumnProfile, 'kind'>): boolean => column.kind === 'integer' || column.kind === 'float';
