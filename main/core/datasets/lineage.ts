import type { CreatedBy, Lineage } from '../../../shared/datasets';
import type { Database } from '../db/database';

/**
 * The lineage around one version: every ancestor and descendant version (through transforms and
 * pipelines), and the runs that used any of them. Node ids are `v:<version id>` and `r:<run id>`.
 */
export function lineageOf(db: Database, versionId: number): Lineage {
  const related = db
    .prepare(
      `WITH RECURSIVE
         up(id) AS (SELECT ? UNION SELECT l.parent_id FROM dataset_lineage l JOIN up ON l.child_id = up.id),
         down(id) AS (SELECT ? UNION SELECT l.child_id FROM dataset_lineage l JOIN down ON l.parent_id = down.id)
       SELECT id FROM up UNION SELECT id FROM down`,
    )
    .all(versionId, versionId) as Array<{ id: number }>;
  const ids = JSON.stringify(related.map((row) => row.id));
  const versions = (
    db
      .prepare(
        `SELECT v.id, d.name AS dataset, v.version, v.row_count, v.created_by FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id
         WHERE v.id IN (SELECT value FROM json_each(?)) ORDER BY v.created_at, v.id`,
      )
      .all(ids) as Array<{ id: number; dataset: string; version: number; row_count: number; created_by: string }>
  ).map((row) => ({ id: row.id, dataset: row.dataset, version: row.version, rowCount: row.row_count, createdBy: JSON.parse(row.created_by) as CreatedBy }));
  const parentEdges = db
    .prepare('SELECT parent_id, child_id FROM dataset_lineage WHERE child_id IN (SELECT value FROM json_each(?)) AND parent_id IN (SELECT value FROM json_each(?))')
    .all(ids, ids) as Array<{ parent_id: number; child_id: number }>;
  const runRows = db
    .prepare(
      `SELECT DISTINCT r.id, r.name, r.status, i.version_id FROM run_inputs i JOIN runs r ON r.pk = i.run_pk
       WHERE i.version_id IN (SELECT value FROM json_each(?)) AND r.deleted = 0 ORDER BY r.start_time`,
    )
    .all(ids) as Array<{ id: string; name: string; status: string; version_id: number }>;
  const runs = [...new Map(runRows.map((row) => [row.id, { id: row.id, name: row.name, status: row.status }])).values()];
  return {
    versions,
    runs,
    edges: [
      ...parentEdges.map((edge) => ({ from: `v:${edge.parent_id}`, to: `v:${edge.child_id}` })),
      ...runRows.map((row) => ({ from: `v:${row.version_id}`, to: `r:${row.id}` })),
    ],
  };
}

/** Records that a run read a dataset version (training, evaluation), for lineage. */
export function recordRunInput(db: Database, runPk: number, versionId: number, context: string): void {
  db.prepare('INSERT OR IGNORE INTO run_inputs (run_pk, version_id, context) VALUES (?, ?, ?)').run(runPk, versionId, context);
}
