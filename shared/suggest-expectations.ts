import type { ColumnProfile, DatasetProfile } from './datasets';
import type { ExpectationConfig, ExpectationSuite } from './expectations';

/**
 * "Suggest expectations": a starter suite from a dataset profile, in the spirit of GE's
 * UserConfigurableProfiler — every suggestion holds on the profiled data, so the suite passes on
 * the version it came from and flags drift in later ones. Order: table-level expectations, then
 * per column (in column order) not-null, range or set, uniqueness.
 */

/** Largest number of distinct values for which a string column gets an in-set expectation. */
export const maxSuggestedSetSize = 20;
/** Row-count range around the profiled count, in percent (rounded outwards to whole rows). */
export const rowCountTolerancePercent = 10;

const numericKinds = new Set(['integer', 'float']);

export function suggestExpectations(profile: DatasetProfile, name: string): ExpectationSuite {
  const rows = profile.rowCount;
  // Integer arithmetic: 100 × 1.1 is 110.00000000000001 in floating point.
  const slack = Math.ceil((rows * rowCountTolerancePercent) / 100);
  const expectations: ExpectationConfig[] = [
    {
      type: 'expect_table_columns_to_match_ordered_list',
      kwargs: { column_list: profile.columns.map((column) => column.name) },
    },
    {
      type: 'expect_table_row_count_to_be_between',
      kwargs: { min_value: Math.max(0, rows - slack), max_value: rows + slack },
    },
  ];
  if (rows > 0) for (const column of profile.columns) expectations.push(...columnSuggestions(column, rows));
  return { name, expectations, notes: 'Suggested by Trainyard from the dataset profile.' };
}

function columnSuggestions(column: ColumnProfile, rows: number): ExpectationConfig[] {
  const out: ExpectationConfig[] = [];
  const nonNull = rows - column.nullCount;
  const of = (type: string, kwargs: Record<string, unknown>): ExpectationConfig => ({ type, kwargs: { column: column.name, ...kwargs } });

  if (column.nullCount === 0) out.push(of('expect_column_values_to_not_be_null', {}));
  if (nonNull === 0) return out;

  if (numericKinds.has(column.kind) && typeof column.min === 'number' && typeof column.max === 'number') {
    out.push(of('expect_column_values_to_be_between', { min_value: column.min, max_value: column.max }));
  }
  if (column.kind === 'string' && column.distinctCount > 0 && column.distinctCount <= maxSuggestedSetSize) {
    // Only when the top values are the whole story: every distinct value, covering every non-null row.
    const covered = column.topValues.reduce((sum, top) => sum + top.count, 0);
    if (column.topValues.length === column.distinctCount && covered >= nonNull) {
      const values = column.topValues.map((top) => top.value).sort(compareCodePoints);
      out.push(of('expect_column_values_to_be_in_set', { value_set: values }));
    }
  }
  // A float column whose values happen to be distinct (measurements) says nothing about identity,
  // and with fewer than two rows everything is trivially unique.
  if (column.kind !== 'float' && rows >= 2 && column.distinctCount === rows) out.push(of('expect_column_values_to_be_unique', {}));
  return out;
}

function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const difference = (left[i]?.codePointAt(0) ?? 0) - (right[i]?.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
