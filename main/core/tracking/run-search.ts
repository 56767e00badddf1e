import { createHash } from 'node:crypto';
import type { RunsSearchInput, RunsSearchOutput } from '../../../shared/api';
import { invalid } from '../../../shared/errors';
import type { Database } from '../db/database';
import { parseExperimentId } from './experiment-service';
import type { MetricStore } from './metric-store';
import { hydrateRuns, runColumns, type RunRow } from './run-reader';
import { parseFilter } from './search-filter';
import { compileFilter, compileOrderBy } from './search-sql';

type SearchInput = Required<Pick<RunsSearchInput, 'maxResults' | 'view'>> & RunsSearchInput;

/**
 * Filtered, sorted, paged runs. The page token is opaque: an offset bound to a fingerprint of the
 * query, so a token replayed against a different filter or order is refused instead of silently
 * paging through the wrong list.
 */
export function searchRuns(db: Database, metrics: MetricStore, input: SearchInput): RunsSearchOutput {
  const where: string[] = [];
  const params: unknown[] = [];
  if (input.view === 'active') where.push('r.deleted = 0');
  if (input.view === 'deleted') where.push('r.deleted = 1');
  if (input.experimentIds && input.experimentIds.length > 0) {
    where.push('r.experiment_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(input.experimentIds.map(parseExperimentId)));
  }
  if (input.ancestorRunId !== undefined && input.parentRunId !== undefined) {
    throw invalid('Give either parentRunId (direct children) or ancestorRunId (every descendant), not both.');
  }
  if (input.ancestorRunId !== undefined) {
    // UNION (not UNION ALL) keeps the walk finite even if parent links ever formed a cycle; a
    // missing ancestor simply yields no rows, like an unknown parentRunId does.
    where.push(`r.pk IN (WITH RECURSIVE below(pk) AS (
        SELECT c.pk FROM runs c WHERE c.parent_pk = (SELECT pk FROM runs WHERE id = ?)
        UNION SELECT c.pk FROM runs c JOIN below ON c.parent_pk = below.pk
      ) SELECT pk FROM below)`);
    params.push(input.ancestorRunId);
  }
  if (input.parentRunId === null) where.push('r.parent_pk IS NULL');
  else if (input.parentRunId !== undefined) {
    where.push('r.parent_pk = (SELECT pk FROM runs WHERE id = ?)');
    params.push(input.parentRunId);
  }
  const filter = compileFilter(parseFilter(input.filter ?? ''));
  where.push(`(${filter.sql})`);
  params.push(...filter.params);
  const order = compileOrderBy(input.orderBy ?? []);

  const fingerprint = createHash('sha1').update(JSON.stringify([input.experimentIds, input.filter, input.orderBy, input.view, input.parentRunId, input.ancestorRunId])).digest('hex').slice(0, 12);
  const offset = input.pageToken ? decodeToken(input.pageToken, fingerprint) : 0;
  const whereSql = where.join(' AND ');

  const rows = db
    .prepare(`SELECT ${runColumns} FROM runs r WHERE ${whereSql} ORDER BY ${order.sql} LIMIT ? OFFSET ?`)
    .all(...params, ...order.params, input.maxResults + 1, offset) as RunRow[];
  const total = (db.prepare(`SELECT count(*) AS n FROM runs r WHERE ${whereSql}`).get(...params) as { n: number }).n;
  const hasMore = rows.length > input.maxResults;
  const page = hasMore ? rows.slice(0, input.maxResults) : rows;
  return {
    runs: hydrateRuns(db, metrics, page),
    nextPageToken: hasMore ? encodeToken(offset + input.maxResults, fingerprint) : null,
    total,
  };
}

function encodeToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ offset, query: fingerprint })).toString('base64url');
}

function decodeToken(token: string, fingerprint: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown; query?: unknown };
    if (typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0 && parsed.query === fingerprint) {
      return parsed.offset;
    }
  } catch {
    // fall through to the error below
  }
  throw invalid('Invalid page token: it is malformed or belongs to a different search (filter, order or experiments changed).');
}
