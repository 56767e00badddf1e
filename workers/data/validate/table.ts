import type { Plan, ValidationContext } from './context';
import type { Kwargs } from './kwargs';

/** Schema expectations: answered from the relation's column list, no scan needed. */

/**
 * GE: `if column_index: success = columns[column_index] == column` else `column in columns`.
 * Python truthiness makes index 0 (and false) mean "anywhere"; true is index 1; negative indexes
 * count from the end; an index past the end fails. The result carries no observed value.
 */
export function columnToExist(context: ValidationContext, kwargs: Kwargs): Plan {
  const names = context.columns.map((column) => column.name);
  const column = kwargs.column as string;
  const raw = kwargs.column_index;
  const index = raw === true ? 1 : typeof raw === 'number' ? raw : 0;
  let success: boolean;
  if (index !== 0) {
    const position = index < 0 ? names.length + index : index;
    success = position >= 0 && position < names.length && names[position] === column;
  } else {
    success = names.includes(column);
  }
  return { aggregates: {}, finish: async () => ({ success, result: {} }) };
}

/** Exact ordered equality; on failure `details.mismatched` lists every position that differs (`zip_longest`). */
export function columnsMatchOrderedList(context: ValidationContext, kwargs: Kwargs): Plan {
  const actual = context.columns.map((column) => column.name);
  const expected = kwargs.column_list as readonly string[] | null;
  return {
    aggregates: {},
    finish: async () => {
      if (expected === null || (expected.length === actual.length && expected.every((name, i) => name === actual[i]))) {
        return { success: true, result: { observed_value: actual } };
      }
      const mismatched = [];
      for (let i = 0; i < Math.max(expected.length, actual.length); i += 1) {
        const want = expected[i] ?? null;
        const found = actual[i] ?? null;
        if (want !== found) mismatched.push({ 'Expected Column Position': i, Expected: want, Found: found });
      }
      return { success: false, result: { observed_value: actual, details: { mismatched } } };
    },
  };
}
