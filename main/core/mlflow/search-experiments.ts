import type { Experiment } from '../../../shared/tracking';
import { invalidParameter } from './errors';
import { offsetPage } from './proto-json';

/**
 * search-experiments with MLflow's grammar (MLFLOW.md §3, "Experiments"): clauses joined by AND,
 * each `name|creation_time|last_update_time|tags.<key> <op> <value>` (an `attribute.` prefix is
 * allowed on the first three). Strings take = != LIKE ILIKE, times take = != < <= > >=. Sort keys
 * are name, experiment_id, creation_time and last_update_time; the default is newest first.
 * Experiments are few, so this filters and sorts in memory.
 */

type Attribute = 'name' | 'creation_time' | 'last_update_time' | 'experiment_id';
type Operand = { readonly kind: 'attribute'; readonly name: Attribute } | { readonly kind: 'tag'; readonly key: string };
interface Clause {
  readonly operand: Operand;
  readonly operator: string;
  readonly value: string | number;
}

const attributeNames: Record<string, Attribute> = {
  name: 'name',
  creation_time: 'creation_time',
  last_update_time: 'last_update_time',
  experiment_id: 'experiment_id',
};
const numeric = new Set<Attribute>(['creation_time', 'last_update_time']);
const stringOperators = new Set(['=', '!=', 'LIKE', 'ILIKE']);
const numberOperators = new Set(['=', '!=', '<', '<=', '>', '>=']);

// A token: a quoted run, an operator, a number, or a word (which may hold dots: tags.team).
const tokenPattern = /\s*(?:(`(?:[^`]|``)*`|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|''|\\.)*')|(!=|<>|<=|>=|=|<|>)|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w.]*\.?))/y;

interface Token {
  readonly kind: 'quoted' | 'operator' | 'number' | 'word';
  readonly text: string;
  readonly quote?: string;
}

function unquote(raw: string): string {
  const quote = raw[0]!;
  const body = raw.slice(1, -1);
  return body.replaceAll(quote + quote, quote).replace(/\\(.)/g, '$1');
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  let at = 0;
  while (at < filter.length) {
    if (filter.slice(at).trim() === '') break;
    tokenPattern.lastIndex = at;
    const match = tokenPattern.exec(filter);
    if (!match) throw invalidParameter(`Invalid filter '${filter}': unexpected text at '${filter.slice(at).trim()}'.`);
    at = tokenPattern.lastIndex;
    if (match[1]) tokens.push({ kind: 'quoted', text: unquote(match[1]), quote: match[1][0]! });
    else if (match[2]) tokens.push({ kind: 'operator', text: match[2] === '<>' ? '!=' : match[2] });
    else if (match[3]) tokens.push({ kind: 'number', text: match[3] });
    else tokens.push({ kind: 'word', text: match[4]! });
  }
  return tokens;
}

function parseOperand(tokens: Token[], index: number, filter: string): { operand: Operand; next: number } {
  const token = tokens[index];
  if (!token) throw invalidParameter(`Invalid filter '${filter}': expected a field such as name or tags.<key>.`);
  if (token.kind === 'word' && /^tags?\.$/i.test(token.text)) {
    const quoted = tokens[index + 1];
    if (quoted?.kind !== 'quoted' || quoted.quote === "'") throw invalidParameter(`Invalid filter '${filter}': expected a quoted tag key after '${token.text}'.`);
    return { operand: { kind: 'tag', key: quoted.text }, next: index + 2 };
  }
  if (token.kind !== 'word') throw invalidParameter(`Invalid filter '${filter}': expected a field such as name or tags.<key>, found '${token.text}'.`);
  const dot = token.text.indexOf('.');
  const entity = dot < 0 ? 'attribute' : token.text.slice(0, dot).toLowerCase();
  const key = dot < 0 ? token.text : token.text.slice(dot + 1);
  if (entity === 'tag' || entity === 'tags') return { operand: { kind: 'tag', key }, next: index + 1 };
  if (entity !== 'attribute' && entity !== 'attributes') throw invalidParameter(`Invalid entity type '${entity}'. Valid values are ['tag', 'attribute'].`);
  const name = attributeNames[key];
  if (!name || name === 'experiment_id') {
    throw invalidParameter(`Invalid attribute key '${key}' specified. Valid keys are '${['name', 'creation_time', 'last_update_time'].join("', '")}'`);
  }
  return { operand: { kind: 'attribute', name }, next: index + 1 };
}

export function parseExperimentFilter(filter: string): Clause[] {
  const tokens = tokenize(filter);
  const clauses: Clause[] = [];
  let index = 0;
  while (index < tokens.length) {
    if (clauses.length > 0) {
      const joiner = tokens[index]!;
      if (joiner.kind !== 'word' || joiner.text.toLowerCase() !== 'and') {
        throw invalidParameter(`Invalid clause(s) in filter string: '${joiner.text.toLowerCase() === 'or' ? 'or' : joiner.text}'`);
      }
      index++;
    }
    const { operand, next } = parseOperand(tokens, index, filter);
    const operatorToken = tokens[next];
    const value = tokens[next + 1];
    if (!operatorToken || !value) throw invalidParameter(`Invalid filter '${filter}': a clause needs a field, an operator and a value.`);
    const operator = operatorToken.kind === 'word' ? operatorToken.text.toUpperCase() : operatorToken.text;
    const isNumeric = operand.kind === 'attribute' && numeric.has(operand.name);
    if (isNumeric) {
      if (!numberOperators.has(operator)) throw invalidParameter(`Invalid comparator '${operatorToken.text}' for ${operand.name}: use one of ${[...numberOperators].join(' ')}.`);
      if (value.kind !== 'number') throw invalidParameter(`Invalid filter '${filter}': ${operand.name} is compared with a number.`);
      clauses.push({ operand, operator, value: Number(value.text) });
    } else {
      if (!stringOperators.has(operator)) throw invalidParameter(`Invalid comparator '${operatorToken.text}' for a string field: use one of = != LIKE ILIKE.`);
      if (value.kind !== 'quoted' || value.quote === '`') throw invalidParameter(`Invalid filter '${filter}': the value for '${operatorToken.text}' must be a quoted string.`);
      clauses.push({ operand, operator, value: value.text });
    }
    index = next + 2;
  }
  return clauses;
}

/** SQL LIKE as a regular expression: `%` any run, `_` one character. */
export function likeRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = [...pattern].map((char) => (char === '%' ? '.*' : char === '_' ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
}

function valueOf(experiment: Experiment, operand: Operand): string | number | undefined {
  if (operand.kind === 'tag') return experiment.tags[operand.key];
  switch (operand.name) {
    case 'name':
      return experiment.name;
    case 'creation_time':
      return experiment.createdAt;
    case 'last_update_time':
      return experiment.updatedAt;
    case 'experiment_id':
      return Number(experiment.id);
  }
}

function matches(experiment: Experiment, clause: Clause): boolean {
  const actual = valueOf(experiment, clause.operand);
  // Like runs' `!=`, a tag condition only matches experiments that have the tag.
  if (actual === undefined) return false;
  const expected = clause.value;
  switch (clause.operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case 'LIKE':
    case 'ILIKE':
      return likeRegExp(String(expected), clause.operator === 'ILIKE').test(String(actual));
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    default:
      return actual >= expected;
  }
}

function parseOrderBy(clause: string): { attribute: Attribute; descending: boolean } {
  const match = /^\s*(?:attributes?\.)?(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(clause);
  const attribute = match ? attributeNames[match[1]!] : undefined;
  if (!match || !attribute) {
    throw invalidParameter(`Invalid order_by clause '${clause}': order by name, experiment_id, creation_time or last_update_time, optionally followed by ASC or DESC.`);
  }
  return { attribute, descending: match[2]?.toUpperCase() === 'DESC' };
}

export interface ExperimentSearch {
  readonly filter: string;
  readonly orderBy: readonly string[];
  readonly maxResults: number;
  readonly pageToken?: string | undefined;
  /** Which lifecycle stages `all` was taken from; part of what a page token is bound to. */
  readonly view: string;
}

export function searchExperiments(all: readonly Experiment[], search: ExperimentSearch): { experiments: Experiment[]; nextPageToken?: string } {
  const clauses = parseExperimentFilter(search.filter);
  const terms = search.orderBy.map(parseOrderBy);
  if (terms.length === 0) terms.push({ attribute: 'creation_time', descending: true });
  terms.push({ attribute: 'experiment_id', descending: false });
  const found = all.filter((experiment) => clauses.every((clause) => matches(experiment, clause)));
  found.sort((a, b) => {
    for (const term of terms) {
      const left = valueOf(a, { kind: 'attribute', name: term.attribute })!;
      const right = valueOf(b, { kind: 'attribute', name: term.attribute })!;
      if (left === right) continue;
      const order = left < right ? -1 : 1;
      return term.descending ? -order : order;
    }
    return 0;
  });
  const paged = offsetPage(found, search.maxResults, search.pageToken, JSON.stringify([search.filter, search.orderBy, search.view]));
  if (!paged) throw invalidParameter('Invalid page token: it is malformed or belongs to a different search.');
  return paged.nextPageToken ? { experiments: paged.items, nextPageToken: paged.nextPageToken } : { experiments: paged.items };
}
