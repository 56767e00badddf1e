import type { ExpectationConfig, ExpectationResult } from './expectations';
import { isSuiteParameter } from './suite-format';

/**
 * The sentences GE's Data Docs print for an expectation (SEMANTICS.md §3.3): the prescriptive one
 * ("values must be between 1 and 7, at least 95 % of the time.") and the observed value ("25%
 * unexpected"). Plain text, for the UI's report rows and the CLI.
 *
 * Templates follow GX 1.2's `_prescriptive_renderer`s; where GX says "greater than or equal to $min
 * and less than or equal to $max" for inclusive bounds on both sides, we say "between $min and $max"
 * (the wording GE's Data Docs used before 0.13 and SEMANTICS.md quotes), and row counts read "at
 * least"/"at most" instead of "greater than or equal to".
 */

export interface TextOptions {
  /**
   * Start column sentences with the column name ("age values must never be null."). Data Docs leave
   * it out because rows are grouped under a column heading; the CLI wants it. Default false.
   */
  readonly includeColumnName?: boolean;
}

type Kwargs = Record<string, unknown>;

/** The column an expectation is about, or null for table-level ones (Data Docs' grouping). */
export function expectationColumn(config: ExpectationConfig): string | null {
  const column = config.kwargs.column;
  return typeof column === 'string' ? column : null;
}

/** GE's `num_to_str`: `precision` significant digits, trailing zeros dropped, `≈` when rounded. */
export function numToStr(value: number, precision = 15): string {
  if (!Number.isFinite(value)) return String(value);
  let text = value.toPrecision(precision);
  const approximate = Number(text) !== value;
  if (/e/i.test(text)) {
    const [mantissa = '', exponent = ''] = text.split(/e/i);
    text = `${stripZeros(mantissa)}e${exponent}`;
  } else {
    text = stripZeros(text);
  }
  return approximate ? `≈${text}` : text;
}

const stripZeros = (text: string): string => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);

/** A kwarg value as Data Docs show it: strings bare, suite parameters as `$name`. */
function show(value: unknown): string {
  if (isSuiteParameter(value)) return `$${value.$PARAMETER}`;
  if (typeof value === 'number') return numToStr(value);
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}

/** A member of a space-separated value list: quoted only when bare text would be ambiguous. */
function showMember(value: unknown): string {
  if (typeof value === 'string' && (value === '' || /\s/.test(value) || value.startsWith('"'))) return JSON.stringify(value);
  return show(value);
}

const has = (kwargs: Kwargs, key: string): boolean => kwargs[key] !== undefined && kwargs[key] !== null;

function mostlyClause(kwargs: Kwargs): string {
  const mostly = kwargs.mostly;
  if (isSuiteParameter(mostly)) return `, at least $${mostly.$PARAMETER} of the time`;
  if (typeof mostly !== 'number' || mostly >= 1) return '';
  return `, at least ${numToStr(mostly * 100)} % of the time`;
}

/** "between 1 and 7" / "greater than 1 and less than or equal to 7" / "less than 7". */
function range(kwargs: Kwargs, strictFlags: boolean): string {
  const strictMin = strictFlags && kwargs.strict_min === true;
  const strictMax = strictFlags && kwargs.strict_max === true;
  const atLeast = strictMin ? 'greater than' : 'greater than or equal to';
  const atMost = strictMax ? 'less than' : 'less than or equal to';
  const min = show(kwargs.min_value);
  const max = show(kwargs.max_value);
  if (has(kwargs, 'min_value') && has(kwargs, 'max_value')) {
    return !strictMin && !strictMax ? `between ${min} and ${max}` : `${atLeast} ${min} and ${atMost} ${max}`;
  }
  return has(kwargs, 'min_value') ? `${atLeast} ${min}` : `${atMost} ${max}`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`;
}

/** GE Data Docs' prescriptive sentence for one expectation. */
export function prescriptiveText(config: ExpectationConfig, options: TextOptions = {}): string {
  const kwargs = config.kwargs;
  const mostly = mostlyClause(kwargs);
  const column = typeof kwargs.column === 'string' ? kwargs.column : '';
  const subject = (sentence: string): string => (options.includeColumnName && column ? `${column} ${sentence}` : sentence);

  switch (config.type) {
    case 'expect_column_values_to_not_be_null':
      return subject(mostly ? `values must not be null${mostly}.` : 'values must never be null.');
    case 'expect_column_values_to_be_in_set': {
      const set = kwargs.value_set;
      const members = isSuiteParameter(set) ? show(set) : Array.isArray(set) && set.length > 0 ? set.map(showMember).join(' ') : '[ ]';
      return subject(`values must belong to this set: ${members}${mostly}.`);
    }
    case 'expect_column_values_to_be_between':
      if (!has(kwargs, 'min_value') && !has(kwargs, 'max_value')) return subject('may have any numerical value.');
      return subject(`values must be ${range(kwargs, true)}${mostly}.`);
    case 'expect_column_values_to_be_unique':
      return subject(`values must be unique${mostly}.`);
    case 'expect_column_values_to_match_regex': {
      const regex = kwargs.regex === undefined ? '(?s).*' : show(kwargs.regex);
      return subject(`values must match this regular expression: ${regex}${mostly}.`);
    }
    case 'expect_column_mean_to_be_between':
      if (!has(kwargs, 'min_value') && !has(kwargs, 'max_value')) return subject('mean may have any numerical value.');
      return subject(`mean must be ${range(kwargs, true)}.`);
    case 'expect_table_row_count_to_be_between': {
      const min = show(kwargs.min_value);
      const max = show(kwargs.max_value);
      if (has(kwargs, 'min_value') && has(kwargs, 'max_value')) return `Must have between ${min} and ${max} rows.`;
      if (has(kwargs, 'min_value')) return `Must have at least ${min} rows.`;
      if (has(kwargs, 'max_value')) return `Must have at most ${max} rows.`;
      return 'May have any number of rows.';
    }
    case 'expect_column_to_exist': {
      const index = kwargs.column_index;
      // GE's quirk: index 0 (falsy) means "no position required"; negative indexes count from the end.
      if (typeof index === 'number' && index !== 0) {
        const position = index > 0 ? `${ordinal(index + 1)} field` : index === -1 ? 'last field' : `${ordinal(-index)} field from the end`;
        return subject(`must be the ${position}.`);
      }
      return subject('is a required field.');
    }
    case 'expect_table_columns_to_match_ordered_list': {
      const list = kwargs.column_list;
      if (Array.isArray(list)) return `Must have these columns in this order: ${list.map(show).join(', ')}`;
      if (isSuiteParameter(list)) return `Must have these columns in this order: ${show(list)}`;
      return 'Must have a list of columns in a specific order, but that order is not specified.';
    }
    default: {
      const args = Object.entries(kwargs).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
      return `${config.type}(${args.join(', ')})`;
    }
  }
}

/**
 * The "Observed Value" cell: the metric for aggregate expectations ("mean 4.2", "3 rows"), the
 * unexpected share for column-map ones ("25% unexpected"), `--` when there is nothing to show (as
 * Data Docs), and the exception message for an expectation that raised one.
 */
export function observedText(result: ExpectationResult): string {
  if (result.exception_info.raised_exception) return `error: ${result.exception_info.exception_message ?? 'unknown error'}`;
  const data = result.result;
  const observed = data.observed_value;
  switch (result.expectation_config.type) {
    case 'expect_table_row_count_to_be_between':
      if (typeof observed === 'number') return `${numToStr(observed, 10)} ${observed === 1 ? 'row' : 'rows'}`;
      break;
    case 'expect_column_mean_to_be_between':
      if (typeof observed === 'number') return `mean ${numToStr(observed, 10)}`;
      if ('observed_value' in data && observed === null) return 'mean undefined (no values)';
      break;
    case 'expect_table_columns_to_match_ordered_list':
      if (Array.isArray(observed)) return observed.map(show).join(', ');
      break;
    case 'expect_column_to_exist': {
      const index = result.expectation_config.kwargs.column_index;
      if (result.success) return 'present';
      return typeof index === 'number' && index !== 0 ? 'not at that position' : 'not found';
    }
  }
  if (observed !== undefined && observed !== null) return typeof observed === 'number' ? numToStr(observed, 10) : show(observed);
  if (typeof data.unexpected_percent === 'number') return `${numToStr(data.unexpected_percent, 5)}% unexpected`;
  return '--';
}
