import { createHash } from 'node:crypto';
import type { Run } from '../../../shared/tracking';
import type { Database } from '../db/database';
import { parseExperimentId } from '../tracking/experiment-service';
import type { MetricStore } from '../tracking/metric-store';
import { hydrateRuns, runColumns, type RunRow } from '../tracking/run-reader';
import { parseFilter, parseOrderTerm, type Field, type FilterNode } from '../tracking/search-filter';
import { compileFilter, compileOrderBy } from '../tracking/search-sql';
import { invalidParameter } from './errors';
import { decodeOffsetToken, encodeOffsetToken } from './proto-json';
import { systemTags } from './run-views';

/** MLflow's ceiling for one page of search-runs (MLFLOW.md §1). */
export const maxSearchResults = 50_000;

export interface MlflowRunSearch {
  readonly experimentIds: readonly string[];
  readonly filter: string;
  readonly view: 'active' | 'deleted' | 'all';
  readonly maxResults: number;
  readonly orderBy: readonly string[];
  readonly pageToken?: string | undefined;
}

/**
 * search-runs with MLflow's grammar (MLFLOW.md §3). Trainyard's grammar is a superset, so the
 * filter is parsed by the tracking search and then held to MLflow's rules: clauses joined by AND
 * only. Tags that Trainyard keeps as run fields (`mlflow.runName`, `mlflow.parentRunId`) are
 * rewritten to those fields, in filters and in order_by. Runs missing an order_by key sort last;
 * ties go to the newest start time.
 */
export function searchMlflowRuns(db: Database, metrics: MetricStore, search: MlflowRunSearch): { runs: Run[]; nextPageToken?: string } {
  if (search.maxResults < 1 || search.maxResults > maxSearchResults) {
    throw invalidParameter(`Invalid value ${search.maxResults} for parameter 'max_results' supplied. It must be at most ${maxSearchResults}, but got value ${search.maxResults}`);
  }
  // MLflow searches the experiments it is given; none given means no runs, not all of them.
  if (search.experimentIds.length === 0) return { runs: [] };

  const node = parseFilter(search.filter);
  if (node) rejectOr(node);
  const filter = compileFilter(node ? rewriteNode(node) : null);
  const order = compileOrderBy(search.orderBy.map(rewriteOrderTerm));

  const where = ['r.experiment_id IN (SELECT value FROM json_each(?))', `(${filter.sql})`];
  const params: unknown[] = [JSON.stringify(search.experimentIds.map(experimentNumber))];
  if (search.view === 'active') where.push('r.deleted = 0');
  if (search.view === 'deleted') where.push('r.deleted = 1');
  params.push(...filter.params);

  const fingerprint = createHash('sha1').update(JSON.stringify([search.experimentIds, search.filter, search.orderBy, search.view])).digest('hex').slice(0, 16);
  let offset = 0;
  if (search.pageToken) {
    const decoded = decodeOffsetToken(search.pageToken, fingerprint);
    if (decoded === undefined) throw invalidParameter('Invalid page token: it is malformed or belongs to a different search (filter, order_by, run_view_type or experiment_ids changed).');
    offset = decoded;
  }
  const rows = db
    .prepare(`SELECT ${runColumns} FROM runs r WHERE ${where.join(' AND ')} ORDER BY ${order.sql} LIMIT ? OFFSET ?`)
    .all(...params, ...order.params, search.maxResults + 1, offset) as RunRow[];
  const hasMore = rows.length > search.maxResults;
  const runs = hydrateRuns(db, metrics, hasMore ? rows.slice(0, search.maxResults) : rows);
  return hasMore ? { runs, nextPageToken: encodeOffsetToken(offset + search.maxResults, fingerprint) } : { runs };
}

function experimentNumber(id: string): number {
  try {
    return parseExperimentId(id);
  } catch {
    throw invalidParameter(`Invalid experiment id '${id}': experiment ids are whole numbers.`);
  }
}

/** MLflow's filters have no OR; its server answers exactly this. */
function rejectOr(node: FilterNode): void {
  if (node.kind === 'or') throw invalidParameter("Invalid clause(s) in filter string: 'or'");
  if (node.kind === 'and') node.operands.forEach(rejectOr);
  if (node.kind === 'not') rejectOr(node.operand);
}

/** The run field a tag stands for, when Trainyard keeps that tag's meaning as a column. */
function rewriteField(field: Field): Field {
  if (field.entity !== 'tag') return field;
  if (field.key === systemTags.runName) return { entity: 'attribute', key: 'run_name' };
  if (field.key === systemTags.parentRunId) return { entity: 'attribute', key: 'parent_run_id' };
  return field;
}

function rewriteNode(node: FilterNode): FilterNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, operands: node.operands.map(rewriteNode) };
    case 'not':
      return { kind: 'not', operand: rewriteNode(node.operand) };
    default:
      return { ...node, field: rewriteField(node.field) };
  }
}

/** An order_by clause with derived tags rewritten, written back in the grammar compileOrderBy reads. */
function rewriteOrderTerm(clause: string): string {
  const term = parseOrderTerm(clause);
  const field = rewriteField(term.field);
  if (field === term.field) return clause;
  return `attributes.${field.key} ${term.descending ? 'DESC' : 'ASC'}`;
}
