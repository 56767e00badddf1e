/**
 * search-registered-models and search-model-versions with MLflow's grammar
 * (`utils/search_utils.py` SearchModelUtils / SearchModelVersionUtils):
 *
 * - clauses joined by AND only (`OR` → "Invalid clause(s) in filter string: 'or'");
 * - models: `name` (= != LIKE ILIKE) and `tags.<key>` (= != LIKE ILIKE);
 * - versions: `name`, `source_path` (= != LIKE ILIKE), `run_id` (= != LIKE ILIKE IN ('a','b')),
 *   `version_number` (= != < <= > >=, a number), `tags.<key>`;
 * - an `attribute.` prefix is allowed, tag keys may be quoted with backticks or double quotes;
 * - a tag condition only matches entities that have the tag.
 *
 * Ordering: models by name, creation_timestamp (alias `timestamp`), last_updated_timestamp,
 * with name ASC as the tie-breaker; versions by name, version_number, creation_timestamp,
 * last_updated_timestamp, with name ASC then version DESC. Pages are offsets in an opaque token
 * bound to the query. Registries are small, so this filters and sorts in memory.
 */
import type { ModelVersion, RegisteredModel } from '../../../shared/registry';
import { invalidParameter } from './errors';
import { offsetPage } from './proto-json';
import { likeRegExp } from './search-experiments';

export const registeredModelLimits = { defaultMaxResults: 100, maxResults: 1000 } as const;
export const modelVersionLimits = { defaultMaxResults: 10_000, maxResults: 200_000 } as const;

type Value = string | number | readonly string[];
interface Clause {
  readonly field: { readonly kind: 'attribute'; readonly name: string } | { readonly kind: 'tag'; readonly key: string };
  readonly operator: string;
  readonly value: Value;
}

interface Grammar {
  readonly strings: Readonly<Record<string, readonly string[]>>;
  readonly numbers: ReadonlySet<string>;
}

const stringOperators = ['=', '!=', 'LIKE', 'ILIKE'];
const numberOperators = ['=', '!=', '<', '<=', '>', '>='];
const modelGrammar: Grammar = { strings: { name: stringOperators }, numbers: new Set() };
const versionGrammar: Grammar = {
  strings: { name: stringOperators, source_path: stringOperators, run_id: [...stringOperators, 'IN'] },
  numbers: new Set(['version_number']),
};

interface Token {
  readonly kind: 'quoted' | 'operator' | 'number' | 'word' | 'open' | 'close' | 'comma';
  readonly text: string;
  readonly quote?: string;
}

// A quoted run, an operator, a number, punctuation, or a word (which may hold dots: tags.team).
const tokenPattern = /\s*(?:(`(?:[^`]|``)*`|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|''|\\.)*')|(!=|<>|<=|>=|=|<|>)|(-?\d+(?:\.\d+)?)(?![\w.])|(\()|(\))|(,)|([A-Za-z_][\w.]*\.?))/y;

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (filter.slice(at).trim() !== '') {
    tokenPattern.lastIndex = at;
    const match = tokenPattern.exec(filter);
    if (!match) throw invalidParameter(`Invalid filter '${filter}': unexpected text at '${filter.slice(at).trim()}'.`);
    at = tokenPattern.lastIndex;
    if (match[1]) {
      const quote = match[1][0]!;
      tokens.push({ kind: 'quoted', quote, text: match[1].slice(1, -1).replaceAll(quote + quote, quote).replace(/\\(.)/g, '$1') });
    } else if (match[2]) tokens.push({ kind: 'operator', text: match[2] === '<>' ? '!=' : match[2] });
    else if (match[3]) tokens.push({ kind: 'number', text: match[3] });
    else if (match[4]) tokens.push({ kind: 'open', text: '(' });
    else if (match[5]) tokens.push({ kind: 'close', text: ')' });
    else if (match[6]) tokens.push({ kind: 'comma', text: ',' });
    else tokens.push({ kind: 'word', text: match[7]! });
  }
  return tokens;
}

function parseFilter(filter: string, grammar: Grammar): Clause[] {
  const tokens = tokenize(filter);
  const clauses: Clause[] = [];
  const validKeys = [...Object.keys(grammar.strings), ...grammar.numbers];
  let index = 0;
  const fail = (message: string) => invalidParameter(`Invalid filter '${filter}': ${message}`);
  while (index < tokens.length) {
    if (clauses.length > 0) {
      const joiner = tokens[index]!;
      if (joiner.kind !== 'word' || joiner.text.toLowerCase() !== 'and') throw invalidParameter(`Invalid clause(s) in filter string: '${joiner.text.toLowerCase() === 'or' ? 'or' : joiner.text}'`);
      index++;
    }
    // The field: name, attribute.name, tags.key, tags.`key`, tags."key"
    const head = tokens[index];
    if (!head || head.kind !== 'word') throw fail(`expected a field such as ${validKeys[0]} or tags.<key>${head ? `, found '${head.text}'` : ''}.`);
    let field: Clause['field'];
    const dot = head.text.indexOf('.');
    const entity = dot < 0 ? 'attribute' : head.text.slice(0, dot).toLowerCase();
    let key = dot < 0 ? head.text : head.text.slice(dot + 1);
    index++;
    if (key === '' && tokens[index]?.kind === 'quoted' && tokens[index]!.quote !== "'") key = tokens[index++]!.text;
    if (entity === 'tag' || entity === 'tags') {
      if (key === '') throw fail(`expected a tag key after '${head.text}'.`);
      field = { kind: 'tag', key };
    } else if (entity === 'attribute' || entity === 'attributes') {
      if (!validKeys.includes(key)) throw invalidParameter(`Invalid attribute key '${key}' specified. Valid keys are '${validKeys.join("', '")}'`);
      field = { kind: 'attribute', name: key };
    } else {
      throw invalidParameter(`Invalid entity type '${entity}'. Valid entity types are ('attribute', 'tag', 'tags')`);
    }
    // The operator: a symbol, LIKE, ILIKE, IN.
    const operatorToken = tokens[index++];
    if (!operatorToken || (operatorToken.kind !== 'operator' && operatorToken.kind !== 'word')) throw fail('a clause needs a field, an operator and a value.');
    const operator = operatorToken.text.toUpperCase();
    const numeric = field.kind === 'attribute' && grammar.numbers.has(field.name);
    const allowed = field.kind === 'tag' ? stringOperators : numeric ? numberOperators : grammar.strings[field.name]!;
    if (!allowed.includes(operator)) throw invalidParameter(`Invalid comparator '${operatorToken.text}' for ${field.kind === 'tag' ? `tags.${field.key}` : field.name}: use one of ${allowed.join(' ')}.`);
    // The value: a number, a quoted string, or a parenthesized list of quoted strings.
    if (operator === 'IN') {
      if (tokens[index]?.kind !== 'open') throw fail("IN takes a list: run_id IN ('a', 'b').");
      index++;
      const list: string[] = [];
      while (tokens[index]?.kind === 'quoted' && tokens[index]!.quote !== '`') {
        list.push(tokens[index++]!.text);
        if (tokens[index]?.kind === 'comma') index++;
      }
      if (tokens[index]?.kind !== 'close' || list.length === 0) throw fail("IN takes a list of quoted strings: run_id IN ('a', 'b').");
      index++;
      clauses.push({ field, operator, value: list });
      continue;
    }
    const value = tokens[index++];
    if (numeric) {
      if (value?.kind !== 'number' && !(value?.kind === 'quoted' && /^-?\d+$/.test(value.text))) throw fail(`${field.kind === 'attribute' ? field.name : ''} is compared with a number.`);
      clauses.push({ field, operator, value: Number(value.text) });
    } else {
      if (value?.kind !== 'quoted' || value.quote === '`') throw fail(`the value for '${operatorToken.text}' must be a quoted string.`);
      clauses.push({ field, operator, value: value.text });
    }
  }
  return clauses;
}

function compare(actual: string | number | undefined, operator: string, expected: Value): boolean {
  if (actual === undefined) return false;
  if (Array.isArray(expected)) return expected.includes(String(actual));
  switch (operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case 'LIKE':
    case 'ILIKE':
      return likeRegExp(String(expected), operator === 'ILIKE').test(String(actual));
    case '<':
      return Number(actual) < Number(expected);
    case '<=':
      return Number(actual) <= Number(expected);
    case '>':
      return Number(actual) > Number(expected);
    default:
      return Number(actual) >= Number(expected);
  }
}

interface OrderTerm {
  readonly key: string;
  readonly descending: boolean;
}

function parseOrderBy(clauses: readonly string[], valid: readonly string[], aliases: Readonly<Record<string, string>> = {}): OrderTerm[] {
  return clauses.map((clause) => {
    const match = /^\s*(?:attributes?\.)?`?(\w+)`?(?:\s+(ASC|DESC))?\s*$/i.exec(clause);
    const key = match ? (aliases[match[1]!] ?? match[1]!) : undefined;
    if (!match || !key || !valid.includes(key)) throw invalidParameter(`Invalid order_by clause '${clause}': order by ${valid.join(', ')}, optionally followed by ASC or DESC.`);
    return { key, descending: match[2]?.toUpperCase() === 'DESC' };
  });
}

function sortBy<T>(items: T[], terms: readonly OrderTerm[], valueOf: (item: T, key: string) => string | number): T[] {
  return items.sort((a, b) => {
    for (const term of terms) {
      const left = valueOf(a, term.key);
      const right = valueOf(b, term.key);
      if (left === right) continue;
      const order = left < right ? -1 : 1;
      return term.descending ? -order : order;
    }
    return 0;
  });
}

export interface RegistrySearch {
  readonly filter: string;
  readonly orderBy: readonly string[];
  readonly maxResults: number;
  readonly pageToken?: string | undefined;
}

function page<T>(found: readonly T[], search: RegistrySearch, kind: string, limit: number): { items: T[]; nextPageToken?: string } {
  if (!Number.isInteger(search.maxResults) || search.maxResults < 1 || search.maxResults > limit) {
    throw invalidParameter(`Invalid value for request parameter max_results. It must be at most ${limit}, but got value ${search.maxResults}`);
  }
  const paged = offsetPage(found, search.maxResults, search.pageToken, JSON.stringify([kind, search.filter, search.orderBy]));
  if (!paged) throw invalidParameter('Invalid page token: it is malformed or belongs to a different search.');
  return paged;
}

export function searchRegisteredModels(all: readonly RegisteredModel[], search: RegistrySearch): { items: RegisteredModel[]; nextPageToken?: string } {
  const clauses = parseFilter(search.filter, modelGrammar);
  const terms = parseOrderBy(search.orderBy, ['name', 'creation_timestamp', 'last_updated_timestamp'], { timestamp: 'creation_timestamp' });
  if (!terms.some((term) => term.key === 'name')) terms.push({ key: 'name', descending: false });
  const valueOf = (model: RegisteredModel, key: string): string | number => (key === 'name' ? model.name : key === 'creation_timestamp' ? model.createdAt : model.updatedAt);
  const found = all.filter((model) => clauses.every((clause) => compare(clause.field.kind === 'tag' ? model.tags[clause.field.key] : model.name, clause.operator, clause.value)));
  return page(sortBy(found, terms, valueOf), search, 'registered-models', registeredModelLimits.maxResults);
}

export function searchModelVersions(all: readonly ModelVersion[], search: RegistrySearch): { items: ModelVersion[]; nextPageToken?: string } {
  const clauses = parseFilter(search.filter, versionGrammar);
  const terms = parseOrderBy(search.orderBy, ['name', 'version_number', 'creation_timestamp', 'last_updated_timestamp']);
  if (!terms.some((term) => term.key === 'name')) terms.push({ key: 'name', descending: false });
  if (!terms.some((term) => term.key === 'version_number')) terms.push({ key: 'version_number', descending: true });
  const valueOf = (version: ModelVersion, key: string): string | number => {
    switch (key) {
      case 'name':
        return version.name;
      case 'version_number':
        return version.version;
      case 'creation_timestamp':
        return version.createdAt;
      default:
        return version.updatedAt;
    }
  };
  const attribute = (version: ModelVersion, name: string): string | number | undefined => {
    switch (name) {
      case 'name':
        return version.name;
      case 'source_path':
        return version.source;
      case 'run_id':
        return version.runId ?? undefined;
      default:
        return version.version;
    }
  };
  const found = all.filter((version) => clauses.every((clause) => compare(clause.field.kind === 'tag' ? version.tags[clause.field.key] : attribute(version, clause.field.name), clause.operator, clause.value)));
  return page(sortBy(found, terms, valueOf), search, 'model-versions', modelVersionLimits.maxResults);
}
