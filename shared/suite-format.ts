import { WorkbenchError } from './errors';
import { expectationSuiteSchema, supportedExpectations, type ExpectationConfig, type ExpectationSuite, type ExpectationType } from './expectations';

/**
 * Great Expectations suite files (SEMANTICS.md §3.3): import of GX 1.x and 0.x JSON, export as 1.x.
 *
 * Import checks the *shape* of every expectation it knows (required kwargs, JSON types) and names the
 * JSON path of each problem. Relations between values (min > max, a regex RE2 rejects, a column the
 * data lacks) are left to validation, where GE reports them per expectation in `exception_info`: one
 * bad expectation must not stop a whole suite from being imported. Unknown expectation types are kept
 * as they are (validation reports them as unsupported), so a GE suite round-trips unchanged.
 */

export interface SuiteProblem {
  /** JSON path from the document root, e.g. `expectations[2].kwargs.column`. */
  readonly path: string;
  readonly message: string;
}

/** A suite document that cannot be read; `problems` lists every problem found, in document order. */
export class SuiteFormatError extends WorkbenchError {
  constructor(readonly problems: readonly SuiteProblem[]) {
    super('INVALID_ARGUMENT', `invalid expectation suite: ${problems.map(formatProblem).join('; ')}`);
    this.name = 'SuiteFormatError';
  }
}

const formatProblem = (problem: SuiteProblem): string => (problem.path ? `${problem.path}: ${problem.message}` : problem.message);

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{"$PARAMETER": "name"}`: a suite parameter, resolved at validation time. */
export function isSuiteParameter(value: unknown): value is { $PARAMETER: string } {
  return isObject(value) && typeof value.$PARAMETER === 'string';
}

export function isSupportedExpectation(type: string): type is ExpectationType {
  return (supportedExpectations as readonly string[]).includes(type);
}

// ---------------------------------------------------------------------------------------------
// kwargs shapes

type Check = (value: unknown) => string | null;

interface KwargRule {
  readonly key: string;
  readonly required?: boolean;
  /** Whether a `{"$PARAMETER": …}` reference may stand for the value. */
  readonly parameter?: boolean;
  readonly check: Check;
}

const isString: Check = (v) => (typeof v === 'string' ? null : 'must be a string');
const isNonEmptyString: Check = (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a non-empty string');
const isBoolean: Check = (v) => (v === null || typeof v === 'boolean' ? null : 'must be true or false');
const isMostly: Check = (v) =>
  v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1) ? null : 'must be a number between 0 and 1';
const isBound: Check = (v) =>
  v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? null : 'must be a number, a string or null';
const isNumericBound: Check = (v) => (v === null || (typeof v === 'number' && Number.isFinite(v)) ? null : 'must be a number or null');
const isIndex: Check = (v) => (v === null || typeof v === 'boolean' || Number.isInteger(v) ? null : 'must be an integer or null');
const isList: Check = (v) => (v === null || Array.isArray(v) ? null : 'must be a list or null');
const isNameList: Check = (v) =>
  v === null || (Array.isArray(v) && v.every((item) => typeof item === 'string')) ? null : 'must be a list of column names or null';

const column: KwargRule = { key: 'column', required: true, check: isNonEmptyString };
const mostly: KwargRule = { key: 'mostly', parameter: true, check: isMostly };
const bounds = (check: Check): KwargRule[] => [
  { key: 'min_value', parameter: true, check },
  { key: 'max_value', parameter: true, check },
];
const strict: KwargRule[] = [
  { key: 'strict_min', check: isBoolean },
  { key: 'strict_max', check: isBoolean },
];

/** The kwargs each supported expectation reads (GX 1.2 `expectations/core/*.py`). */
export const expectationKwargRules: Readonly<Record<ExpectationType, readonly KwargRule[]>> = {
  expect_column_values_to_not_be_null: [column, mostly],
  expect_column_values_to_be_in_set: [column, { key: 'value_set', required: true, parameter: true, check: isList }, mostly],
  expect_column_values_to_be_between: [column, ...bounds(isBound), ...strict, mostly],
  expect_column_values_to_be_unique: [column, mostly],
  expect_column_values_to_match_regex: [column, { key: 'regex', parameter: true, check: isString }, mostly],
  expect_column_mean_to_be_between: [column, ...bounds(isNumericBound), ...strict],
  expect_table_row_count_to_be_between: bounds(isNumericBound),
  expect_column_to_exist: [column, { key: 'column_index', parameter: true, check: isIndex }],
  expect_table_columns_to_match_ordered_list: [{ key: 'column_list', required: true, parameter: true, check: isNameList }],
};

/**
 * Shape problems in one expectation's kwargs, with paths relative to the expectation
 * (`kwargs.column`). Unknown types have no rules: nothing is reported for them.
 */
export function kwargsProblems(type: string, kwargs: JsonObject): SuiteProblem[] {
  if (!isSupportedExpectation(type)) return [];
  const problems: SuiteProblem[] = [];
  for (const rule of expectationKwargRules[type]) {
    const path = `kwargs.${rule.key}`;
    if (!(rule.key in kwargs) || kwargs[rule.key] === undefined) {
      if (rule.required) problems.push({ path, message: 'required' });
      continue;
    }
    const value = kwargs[rule.key];
    if (rule.parameter && isSuiteParameter(value)) continue;
    const message = rule.check(value);
    if (message) problems.push({ path, message });
  }
  const resultFormat = kwargs.result_format;
  if (resultFormat !== undefined && resultFormat !== null && !isResultFormatValue(resultFormat)) {
    problems.push({ path: 'kwargs.result_format', message: 'must be BOOLEAN_ONLY, BASIC, SUMMARY, COMPLETE or {"result_format": …}' });
  }
  return problems;
}

const levels = ['BOOLEAN_ONLY', 'BASIC', 'SUMMARY', 'COMPLETE'];
function isResultFormatValue(value: unknown): boolean {
  if (typeof value === 'string') return levels.includes(value);
  return isObject(value) && typeof value.result_format === 'string' && levels.includes(value.result_format);
}

// ---------------------------------------------------------------------------------------------
// import

/**
 * Reads a suite document — the parsed JSON, or its text — in GX 1.x or 0.x form, and returns it in
 * 1.x form. Throws {@link SuiteFormatError} listing every problem with its JSON path.
 *
 * 0.x → 1.x: `expectation_suite_name` → `name`, `expectation_type` → `type`, `ge_cloud_id` → `id`,
 * `evaluation_parameters` → `suite_parameters`; `data_asset_type` is dropped (1.x removed it).
 */
export function parseSuite(json: unknown): ExpectationSuite {
  let document = json;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document) as unknown;
    } catch (error) {
      throw new SuiteFormatError([{ path: '', message: `not valid JSON (${error instanceof Error ? error.message : String(error)})` }]);
    }
  }
  if (!isObject(document)) throw new SuiteFormatError([{ path: '', message: 'a suite must be a JSON object' }]);

  const problems: SuiteProblem[] = [];
  const nameKey = 'name' in document ? 'name' : 'expectation_suite_name' in document ? 'expectation_suite_name' : null;
  const name = nameKey ? document[nameKey] : undefined;
  if (nameKey === null) problems.push({ path: 'name', message: 'required' });
  else if (typeof name !== 'string' || name.length === 0) problems.push({ path: nameKey, message: 'must be a non-empty string' });

  const id = optionalString(document, ['id', 'ge_cloud_id'], '', problems);
  const meta = optionalObject(document, 'meta', '', problems);
  const parametersKey = 'suite_parameters' in document ? 'suite_parameters' : 'evaluation_parameters';
  const suiteParameters = optionalObject(document, parametersKey, '', problems);
  const notes = optionalNotes(document, '', problems);

  const expectations: ExpectationConfig[] = [];
  const list = document.expectations;
  if (list !== undefined && !Array.isArray(list)) problems.push({ path: 'expectations', message: 'must be a list' });
  if (Array.isArray(list)) {
    list.forEach((item, index) => {
      const config = parseExpectation(item, `expectations[${index}]`, problems);
      if (config) expectations.push(config);
    });
  }
  if (problems.length > 0) throw new SuiteFormatError(problems);

  const suite: ExpectationSuite = { name: name as string, expectations };
  if (id !== undefined) suite.id = id;
  if (suiteParameters !== undefined) suite.suite_parameters = suiteParameters;
  if (meta !== undefined) suite.meta = meta;
  if (notes !== undefined) suite.notes = notes;

  // The contract's own schema is the last word; the checks above exist to name paths precisely.
  const checked = expectationSuiteSchema.safeParse(suite);
  if (!checked.success) {
    throw new SuiteFormatError(checked.error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message })));
  }
  return checked.data;
}

function parseExpectation(item: unknown, path: string, problems: SuiteProblem[]): ExpectationConfig | null {
  if (!isObject(item)) {
    problems.push({ path, message: 'an expectation must be a JSON object' });
    return null;
  }
  const typeKey = 'type' in item ? 'type' : 'expectation_type' in item ? 'expectation_type' : null;
  const type = typeKey ? item[typeKey] : undefined;
  const before = problems.length;
  if (typeKey === null) problems.push({ path: `${path}.type`, message: 'required' });
  else if (typeof type !== 'string' || type.length === 0) problems.push({ path: `${path}.${typeKey}`, message: 'must be a non-empty string' });

  let kwargs: JsonObject = {};
  if (item.kwargs === undefined) problems.push({ path: `${path}.kwargs`, message: 'required' });
  else if (!isObject(item.kwargs)) problems.push({ path: `${path}.kwargs`, message: 'must be a JSON object' });
  else kwargs = item.kwargs;

  if (typeof type === 'string') {
    for (const problem of kwargsProblems(type, kwargs)) problems.push({ path: `${path}.${problem.path}`, message: problem.message });
  }
  const meta = optionalObject(item, 'meta', path, problems);
  const id = optionalString(item, ['id', 'ge_cloud_id'], path, problems);
  const notes = optionalNotes(item, path, problems);
  if (problems.length > before) return null;

  const config: ExpectationConfig = { type: type as string, kwargs };
  if (meta !== undefined) config.meta = meta;
  if (id !== undefined) config.id = id;
  if (notes !== undefined) config.notes = notes;
  return config;
}

function optionalString(object: JsonObject, keys: readonly string[], path: string, problems: SuiteProblem[]): string | undefined {
  for (const key of keys) {
    const value = object[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      problems.push({ path: join(path, key), message: 'must be a string' });
      return undefined;
    }
    return value;
  }
  return undefined;
}

function optionalObject(object: JsonObject, key: string, path: string, problems: SuiteProblem[]): JsonObject | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    problems.push({ path: join(path, key), message: 'must be a JSON object' });
    return undefined;
  }
  return value;
}

function optionalNotes(object: JsonObject, path: string, problems: SuiteProblem[]): string | string[] | undefined {
  const value = object.notes;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || (Array.isArray(value) && value.every((note) => typeof note === 'string'))) return value as string | string[];
  problems.push({ path: join(path, 'notes'), message: 'must be a string or a list of strings' });
  return undefined;
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// export

const isEmpty = (value: unknown): boolean =>
  value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (typeof value === 'string' && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);

/**
 * The suite as a GX 1.x JSON file: keys in GX's order (`name`, `id`, `expectations` with `type`,
 * `kwargs`, `meta`, `id`, `notes`, then `suite_parameters`, `meta`, `notes`), empty `meta`,
 * `suite_parameters` and `notes` left out, 2-space indentation, no trailing newline.
 */
export function serializeSuite(suite: ExpectationSuite): string {
  const out: JsonObject = { name: suite.name };
  if (!isEmpty(suite.id)) out.id = suite.id;
  out.expectations = suite.expectations.map((expectation) => {
    const entry: JsonObject = { type: expectation.type, kwargs: expectation.kwargs };
    if (!isEmpty(expectation.meta)) entry.meta = expectation.meta;
    if (!isEmpty(expectation.id)) entry.id = expectation.id;
    if (!isEmpty(expectation.notes)) entry.notes = expectation.notes;
    return entry;
  });
  if (!isEmpty(suite.suite_parameters)) out.suite_parameters = suite.suite_parameters;
  if (!isEmpty(suite.meta)) out.meta = suite.meta;
  if (!isEmpty(suite.notes)) out.notes = suite.notes;
  return JSON.stringify(out, null, 2);
}
