/**
 * Appends options to a `read_csv(…)` expression from relationSql. Ingest alone needs DuckDB's
 * rejects tables (to count skipped rows and find a bad line); every other task must read
 * exactly what relationSql reads, so the options go on top of its expression rather than into
 * a copy of it. (Proposed upstream: an `extraOptions` parameter on relationSql.)
 */
export function withReadOptions(relation: string, options: readonly string[]): string {
  if (!/^read_csv\(.*\)$/s.test(relation)) throw new Error(`Cannot add read options to ${relation.slice(0, 40)}`);
  return `${relation.slice(0, -1)}, ${options.join(', ')})`;
}
