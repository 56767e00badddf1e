import { WorkbenchError, invalid, notFound } from '../../../shared/errors';
import type { Experiment } from '../../../shared/tracking';
import type { Database } from '../db/database';
import { Emitter } from '../events/emitter';

interface ExperimentRow {
  id: number;
  name: string;
  lifecycle_stage: 'active' | 'deleted';
  created_at: number;
  updated_at: number;
  run_count: number;
}

const selectExperiment = `SELECT e.id, e.name, e.lifecycle_stage, e.created_at, e.updated_at,
  (SELECT count(*) FROM runs r WHERE r.experiment_id = e.id AND r.deleted = 0) AS run_count FROM experiments e`;

/** Experiments: named groups of runs. Experiment "0" ("Default") always exists. */
export class ExperimentService {
  private readonly didChange = new Emitter<Experiment>();
  readonly onDidChangeExperiment = this.didChange.event;

  constructor(private readonly db: Database) {}

  list(view: 'active' | 'deleted' | 'all' = 'active'): Experiment[] {
    const where = view === 'all' ? '' : 'WHERE e.lifecycle_stage = ?';
    const rows = this.db.prepare(`${selectExperiment} ${where} ORDER BY e.id`).all(...(view === 'all' ? [] : [view])) as ExperimentRow[];
    return this.withTags(rows);
  }

  get(id: string): Experiment {
    const row = this.db.prepare(`${selectExperiment} WHERE e.id = ?`).get(parseExperimentId(id)) as ExperimentRow | undefined;
    if (!row) throw notFound(`No experiment with id '${id}'.`);
    return this.withTags([row])[0]!;
  }

  getByName(name: string): Experiment | null {
    const row = this.db.prepare(`${selectExperiment} WHERE e.name = ?`).get(name) as ExperimentRow | undefined;
    return row ? this.withTags([row])[0]! : null;
  }

  /** The experiment a new run may be added to: it must exist and not be in the trash. */
  requireActive(id: string): number {
    const experiment = this.get(id);
    if (experiment.lifecycleStage !== 'active') {
      throw invalid(`Experiment '${experiment.name}' (id ${id}) is deleted; restore it before adding runs.`);
    }
    return Number(experiment.id);
  }

  create(name: string, tags: Record<string, string> = {}): Experiment {
    const now = Date.now();
    const id = this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM experiments WHERE name = ?').get(name)) {
        throw new WorkbenchError('ALREADY_EXISTS', `An experiment named '${name}' already exists.`);
      }
      const info = this.db.prepare('INSERT INTO experiments (name, created_at, updated_at) VALUES (?, ?, ?)').run(name, now, now);
      const insertTag = this.db.prepare('INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)');
      for (const [key, value] of Object.entries(tags)) insertTag.run(info.lastInsertRowid, key, value);
      return String(info.lastInsertRowid);
    })();
    return this.changed(id);
  }

  rename(id: string, name: string): Experiment {
    const experiment = this.get(id);
    const clash = this.getByName(name);
    if (clash && clash.id !== experiment.id) throw new WorkbenchError('ALREADY_EXISTS', `An experiment named '${name}' already exists.`);
    this.db.prepare('UPDATE experiments SET name = ?, updated_at = ? WHERE id = ?').run(name, Date.now(), Number(id));
    return this.changed(id);
  }

  setLifecycle(id: string, stage: 'active' | 'deleted'): Experiment {
    this.get(id);
    if (stage === 'deleted' && Number(id) === 0) throw invalid('The Default experiment cannot be deleted.');
    this.db.prepare('UPDATE experiments SET lifecycle_stage = ?, updated_at = ? WHERE id = ?').run(stage, Date.now(), Number(id));
    return this.changed(id);
  }

  /** Sets (or replaces) one tag of an experiment. */
  setTag(id: string, key: string, value: string): Experiment {
    const experimentId = Number(this.get(id).id);
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value')
        .run(experimentId, key, value);
      this.db.prepare('UPDATE experiments SET updated_at = ? WHERE id = ?').run(Date.now(), experimentId);
    })();
    return this.changed(id);
  }

  deleteTag(id: string, key: string): Experiment {
    const experimentId = Number(this.get(id).id);
    const info = this.db.prepare('DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?').run(experimentId, key);
    if (info.changes === 0) throw notFound(`Experiment ${id} has no tag '${key}'.`);
    this.db.prepare('UPDATE experiments SET updated_at = ? WHERE id = ?').run(Date.now(), experimentId);
    return this.changed(id);
  }

  private changed(id: string): Experiment {
    const experiment = this.get(id);
    this.didChange.fire(experiment);
    return experiment;
  }

  private withTags(rows: readonly ExperimentRow[]): Experiment[] {
    const tags = this.db.prepare('SELECT experiment_id, key, value FROM experiment_tags').all() as Array<{ experiment_id: number; key: string; value: string }>;
    return rows.map((row) => ({
      id: String(row.id),
      name: row.name,
      lifecycleStage: row.lifecycle_stage,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      runCount: row.run_count,
      tags: Object.fromEntries(tags.filter((tag) => tag.experiment_id === row.id).map((tag) => [tag.key, tag.value])),
    }));
  }

  dispose(): void {
    this.didChange.dispose();
  }
}

export function parseExperimentId(id: string): number {
  if (!/^\d+$/.test(id)) throw notFound(`No experiment with id '${id}'.`);
  return Number(id);
}
