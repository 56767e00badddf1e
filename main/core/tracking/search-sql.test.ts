import { beforeAll, afterAll, describe, it, expect } from 'vitest';
import { openDatabase, type Database } from '../db/database';
import { parseFilter } from './search-filter';
import { compileFilter, compileOrderBy, likeToGlob } from './search-sql';

/**
 * Six runs, start_time r1=100 … r6=600, so the default order (newest first) is r6 … r1.
 * r6 has no metrics, params or tags at all; acc is NaN (NULL) on r3.
 */
const runs = [
  { id: 'r1', experiment: 0, name: 'alpha', status: 'FINISHED', start: 100, end: 200, parent: null },
  { id: 'r2', experiment: 1, name: 'beta', status: 'FAILED', start: 200, end: null, parent: null },
  { id: 'r3', experiment: 1, name: 'Gamma', status: 'RUNNING', start: 300, end: null, parent: 'r1' },
  { id: 'r4', experiment: 0, name: 'delta', status: 'KILLED', start: 400, end: 450, parent: 'r1' },
  { id: 'r5', experiment: 0, name: 'eps', status: 'FINISHED', start: 500, end: 600, parent: null },
  { id: 'r6', experiment: 0, name: 'zeta', status: 'FINISHED', start: 600, end: 700, parent: null },
] as const;
const metrics: [string, string, number | null][] = [
  ['r1', 'acc', 0.9], ['r2', 'acc', 0.5], ['r3', 'acc', null], ['r4', 'acc', 0.95],
  ['r1', 'loss', 0.1], ['r2', 'loss', -1], ['r5', 'loss', 1e-3],
  ['r1', 'f1 score', 0.7],
];
const params: [string, string, string][] = [
  ['r1', 'lr', '0.1'], ['r2', 'lr', '0.01'], ['r3', 'lr', '1e-3'], ['r4', 'lr', 'auto'], ['r5', 'lr', '10'],
  ['r1', 'optimizer', 'adam'], ['r2', 'optimizer', 'sgd'], ['r3', 'optimizer', 'Adam'], ['r4', 'optimizer', 'adamw'],
  ['r1', 'batch', '32'], ['r2', 'batch', '12abc'], ['r3', 'batch', '064'],
  ['r2', "it's", "'; DROP TABLE runs; --"],
];
const tags: [string, string, string][] = [
  ['r1', 'note', '50% off'], ['r2', 'note', 'ab'], ['r3', 'note', 'a*b'], ['r4', 'note', 'x[1]'], ['r5', 'note', 'A_B'],
  ['r1', 'group', 'g1'], ['r2', 'group', 'g2'], ['r3', 'group', 'g1'],
  ['r3', 'mlflow.parentRunId', 'r1'],
];

let db: Database;

beforeAll(() => {
  db = openDatabase(':memory:');
  db.prepare("INSERT INTO experiments (id, name, created_at, updated_at) VALUES (1, 'second', 0, 0)").run();
  const insertRun = db.prepare(
    `INSERT INTO runs (id, experiment_id, name, status, start_time, end_time, parent_pk)
     VALUES (?, ?, ?, ?, ?, ?, (SELECT pk FROM runs WHERE id = ?))`,
  );
  for (const run of runs) insertRun.run(run.id, run.experiment, run.name, run.status, run.start, run.end, run.parent);
  const pk = (id: string): number => (db.prepare('SELECT pk FROM runs WHERE id = ?').get(id) as { pk: number }).pk;
  const insertMetric = db.prepare(
    'INSERT INTO metric_series (run_pk, key, latest_step, latest_timestamp, latest_value, count) VALUES (?, ?, 0, 0, ?, 1)',
  );
  for (const [run, key, value] of metrics) insertMetric.run(pk(run), key, value);
  for (const [table, rows] of [['params', params], ['tags', tags]] as const) {
    const insert = db.prepare(`INSERT INTO ${table} (run_pk, key, value) VALUES (?, ?, ?)`);
    for (const [run, key, value] of rows) insert.run(pk(run), key, value);
  }
});

afterAll(() => db.close());

/** The ids the filter selects, in the order the order-by gives. */
function search(filter: string, orderBy: readonly string[] = []): string[] {
  const where = compileFilter(parseFilter(filter));
  const order = compileOrderBy(orderBy);
  const rows = db
    .prepare(`SELECT r.id FROM runs r WHERE ${where.sql} ORDER BY ${order.sql}`)
    .all(...where.params, ...order.params) as { id: string }[];
  return rows.map((row) => row.id);
}

/** The ids the filter selects, sorted, for tests about which runs match rather than order. */
const matching = (filter: string): string[] => search(filter).sort();

describe('compileFilter: metrics', () => {
  it('compares the latest value numerically', () => {
    expect(matching('metrics.acc > 0.6')).toEqual(['r1', 'r4']);
    expect(matching('metrics.acc >= 0.9')).toEqual(['r1', 'r4']);
    expect(matching('metrics.acc = 0.5')).toEqual(['r2']);
    expect(matching('metrics.loss < 0')).toEqual(['r2']);
    expect(matching('metrics.loss <= 1e-3')).toEqual(['r2', 'r5']);
    expect(matching('metrics.`f1 score` > 0.5')).toEqual(['r1']);
  });

  it('never matches NaN, even with != or NOT IN', () => {
    expect(matching('metrics.acc < 100')).toEqual(['r1', 'r2', 'r4']);
    expect(matching('metrics.acc > -100')).toEqual(['r1', 'r2', 'r4']);
    expect(matching('metrics.acc != 0.9')).toEqual(['r2', 'r4']);
    expect(matching('metrics.acc not in (0.9)')).toEqual(['r2', 'r4']);
  });

  it('IS NULL means the run lacks the metric; a NaN metric is present', () => {
    expect(matching('metrics.acc is null')).toEqual(['r5', 'r6']);
    expect(matching('metrics.acc is not null')).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('matches IN lists of numbers', () => {
    expect(matching('metrics.acc in (0.9, 0.5, 7)')).toEqual(['r1', 'r2']);
  });

  it('NOT is the logical complement, so it includes NaN and missing runs', () => {
    expect(matching('not metrics.acc > 0.6')).toEqual(['r2', 'r3', 'r5', 'r6']);
  });
});

describe('compileFilter: params and tags', () => {
  it('compares strings exactly, and != only matches runs that have the key', () => {
    expect(matching("params.optimizer = 'adam'")).toEqual(['r1']);
    expect(matching("params.optimizer != 'adam'")).toEqual(['r2', 'r3', 'r4']);
    expect(matching("params.optimizer <> 'adam'")).toEqual(['r2', 'r3', 'r4']);
    expect(matching("tags.mlflow.parentRunId = 'r1'")).toEqual(['r3']);
  });

  it('compares numerically with numbers, and only numeric-looking values', () => {
    expect(matching('params.lr < 0.05')).toEqual(['r2', 'r3']);
    expect(matching('params.lr >= 0.1')).toEqual(['r1', 'r5']);
    expect(matching('params.lr = 0.1')).toEqual(['r1']);
    expect(matching('params.batch > 10')).toEqual(['r1', 'r3']);
    expect(matching("params.batch = '064'")).toEqual(['r3']);
    expect(matching('params.batch = 64')).toEqual(['r3']);
  });

  it('LIKE is case-sensitive and treats GLOB characters in the pattern literally', () => {
    expect(matching("tags.note like 'A%'")).toEqual(['r5']);
    expect(matching("tags.note like 'a_b'")).toEqual(['r3']);
    expect(matching("tags.note like 'a*%'")).toEqual(['r3']);
    expect(matching("tags.note like 'x[1]'")).toEqual(['r4']);
    expect(matching("tags.note like '50%'")).toEqual(['r1']);
    expect(matching("tags.note like '%\\% off'")).toEqual([]);
    expect(matching("tags.note like '__% off'")).toEqual(['r1']);
  });

  it('ILIKE ignores case', () => {
    expect(matching("tags.note ilike 'a%'")).toEqual(['r2', 'r3', 'r5']);
    expect(matching("tags.note ilike 'a_b'")).toEqual(['r3', 'r5']);
    expect(matching("params.optimizer ilike 'ADAM'")).toEqual(['r1', 'r3']);
  });

  it('NOT LIKE only matches runs that have the key', () => {
    expect(matching("tags.note not like 'a%'")).toEqual(['r1', 'r4', 'r5']);
    expect(matching("tags.note not ilike 'a%'")).toEqual(['r1', 'r4']);
  });

  it('matches IN and NOT IN, with strings, numbers or both', () => {
    expect(matching("params.optimizer in ('adam', 'sgd')")).toEqual(['r1', 'r2']);
    expect(matching("params.optimizer not in ('adam', 'sgd')")).toEqual(['r3', 'r4']);
    expect(matching("params.batch in (64, '32')")).toEqual(['r1', 'r3']);
    expect(matching('params.batch not in (64)')).toEqual(['r1', 'r2']);
  });

  it('IS NULL and IS NOT NULL test for the key', () => {
    expect(matching('params.lr is null')).toEqual(['r6']);
    expect(matching('tags.group is not null')).toEqual(['r1', 'r2', 'r3']);
    expect(matching('tags.group is null')).toEqual(['r4', 'r5', 'r6']);
  });

  it('binds keys and values instead of writing them into the SQL', () => {
    expect(matching("params.`it's` = '''; DROP TABLE runs; --'")).toEqual(['r2']);
    const fragment = compileFilter(parseFilter("params.`it's` = 'DROP TABLE'"));
    expect(fragment.sql).not.toContain('DROP');
    expect(fragment.sql).not.toContain("it's");
    expect(fragment.params).toEqual(["it's", 'DROP TABLE']);
  });
});

describe('compileFilter: attributes and composition', () => {
  it('filters on run columns', () => {
    expect(matching("status in ('FINISHED', 'FAILED')")).toEqual(['r1', 'r2', 'r5', 'r6']);
    expect(matching("status not in ('FINISHED')")).toEqual(['r2', 'r3', 'r4']);
    expect(matching("run_name = 'Gamma'")).toEqual(['r3']);
    expect(matching("attributes.name like 'g%'")).toEqual([]);
    expect(matching("attributes.name ilike 'g%'")).toEqual(['r3']);
    expect(matching("run_id in ('r1', 'r5')")).toEqual(['r1', 'r5']);
    expect(matching("experiment_id = '1'")).toEqual(['r2', 'r3']);
    expect(matching('experiment_id = 1')).toEqual(['r2', 'r3']);
    expect(matching('start_time >= 300 and created < 500')).toEqual(['r3', 'r4']);
    expect(matching('end_time is null')).toEqual(['r2', 'r3']);
    expect(matching('end_time < 500')).toEqual(['r1', 'r4']);
    expect(matching("parent_run_id = 'r1'")).toEqual(['r3', 'r4']);
    expect(matching('parent_run_id is null')).toEqual(['r1', 'r2', 'r5', 'r6']);
    // Finished runs: end − start; RUNNING ones (no end) count up to now, so they are the longest.
    expect(matching('duration <= 100')).toEqual(['r1', 'r4', 'r5', 'r6']);
    expect(search('', ['attributes.duration ASC']).slice(0, 2)).toEqual(['r4', 'r6']);
  });

  it('composes OR, AND, NOT and parentheses with the usual precedence', () => {
    expect(matching("metrics.acc > 0.9 or params.optimizer = 'sgd' and status != 'KILLED'")).toEqual(['r2', 'r4']);
    expect(matching("(metrics.acc > 0.9 or params.optimizer = 'sgd') and status != 'KILLED'")).toEqual(['r2']);
    expect(matching("not (tags.group = 'g1' or metrics.loss < 0)")).toEqual(['r4', 'r5', 'r6']);
    expect(matching("tags.group = 'g1' AND NOT metrics.acc is null")).toEqual(['r1', 'r3']);
  });

  it('gives an always-true condition for no filter', () => {
    expect(compileFilter(null)).toEqual({ sql: '1', params: [] });
    expect(search('   ')).toEqual(['r6', 'r5', 'r4', 'r3', 'r2', 'r1']);
  });
});

describe('compileOrderBy', () => {
  it('defaults to newest first, then newest insert', () => {
    expect(compileOrderBy([])).toEqual({ sql: 'r.start_time DESC, r.pk DESC', params: [] });
    expect(search('')).toEqual(['r6', 'r5', 'r4', 'r3', 'r2', 'r1']);
  });

  it('sorts metrics by value, then NaN, then missing, in both directions', () => {
    expect(search('', ['metrics.acc ASC'])).toEqual(['r2', 'r1', 'r4', 'r3', 'r6', 'r5']);
    expect(search('', ['metrics.acc DESC'])).toEqual(['r4', 'r1', 'r2', 'r3', 'r6', 'r5']);
  });

  it('sorts numeric-looking params numerically before text, with missing last', () => {
    expect(search('', ['params.lr'])).toEqual(['r3', 'r2', 'r1', 'r5', 'r4', 'r6']);
    expect(search('', ['params.lr desc'])).toEqual(['r5', 'r1', 'r2', 'r3', 'r4', 'r6']);
    expect(search('', ['params.optimizer ASC'])).toEqual(['r3', 'r1', 'r4', 'r2', 'r6', 'r5']);
    expect(search('', ['params.optimizer DESC'])).toEqual(['r2', 'r4', 'r1', 'r3', 'r6', 'r5']);
  });

  it('sorts nullable attributes with missing values last', () => {
    expect(search('', ['end_time ASC'])).toEqual(['r1', 'r4', 'r5', 'r6', 'r3', 'r2']);
    expect(search('', ['attributes.end_time DESC'])).toEqual(['r6', 'r5', 'r4', 'r1', 'r3', 'r2']);
    expect(search('', ['name'])).toEqual(['r3', 'r1', 'r2', 'r4', 'r5', 'r6']);
    expect(search('', ['start_time ASC'])).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
  });

  it('applies clauses left to right and combines with a filter', () => {
    expect(search('', ['tags.group ASC', 'metrics.loss DESC'])).toEqual(['r1', 'r3', 'r2', 'r5', 'r6', 'r4']);
    expect(search("status = 'FINISHED'", ['metrics.loss'])).toEqual(['r5', 'r1', 'r6']);
  });

  it('rejects a bad clause as INVALID_ARGUMENT naming it', () => {
    expect(() => compileOrderBy(['metrics.loss ASC', 'params.lr upward'])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining("'params.lr upward'") }),
    );
  });
});

describe('likeToGlob', () => {
  it('maps the LIKE wildcards and escapes GLOB metacharacters', () => {
    expect(likeToGlob('a%b_c*d?e[f]')).toBe('a*b?c[*]d[?]e[[]f]');
  });
});
