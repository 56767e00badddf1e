import { validationResultSchema, type ExpectationSuite, type ResultFormat, type ValidationResult } from '../../../shared/expectations';
import { notFound } from '../../../shared/errors';
import type { Database } from '../db/database';
import type { JobHandle } from '../jobs/job-tracker';
import type { DatasetService } from './dataset-service';

/** A stored validation run of one suite against one version. */
export interface ValidationReport {
  readonly id: number;
  readonly dataset: string;
  readonly version: number;
  readonly suiteName: string;
  readonly success: boolean;
  readonly createdAt: number;
  readonly result: ValidationResult;
}

/**
 * Expectation suites (stored by name, GX 1.x JSON) and validation reports per (version, suite).
 * Evaluation happens in the data worker, as SQL over the stored version.
 */
export class ValidationService {
  constructor(
    private readonly db: Database,
    private readonly datasets: DatasetService,
  ) {}

  async validate(dataset: string, version: number | undefined, suite: ExpectationSuite, resultFormat: ResultFormat = 'SUMMARY', job?: JobHandle): Promise<ValidationReport> {
    const target = this.datasets.rows.version(dataset, version);
    job?.progress(0, suite.expectations.length, 'validating');
    const result = validationResultSchema.parse(await this.datasets.runData({ task: 'validate', source: this.datasets.sourceOf(target), suite, resultFormat }, job));
    const now = Date.now();
    const id = this.db.transaction(() => {
      this.saveSuite(suite, now);
      return Number(
        this.db
          .prepare('INSERT INTO validation_reports (version_id, suite_name, success, result, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(target.id, suite.name, result.success ? 1 : 0, JSON.stringify(result), now).lastInsertRowid,
      );
    })();
    return this.report(id);
  }

  saveSuite(suite: ExpectationSuite, now = Date.now()): void {
    this.db
      .prepare('INSERT INTO expectation_suites (name, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at')
      .run(suite.name, JSON.stringify(suite), now);
  }

  suites(): ExpectationSuite[] {
    return (this.db.prepare('SELECT body FROM expectation_suites ORDER BY name').all() as Array<{ body: string }>).map((row) => JSON.parse(row.body) as ExpectationSuite);
  }

  suite(name: string): ExpectationSuite {
    const row = this.db.prepare('SELECT body FROM expectation_suites WHERE name = ?').get(name) as { body: string } | undefined;
    if (!row) throw notFound(`No expectation suite named '${name}'.`);
    return JSON.parse(row.body) as ExpectationSuite;
  }

  /** Reports of a version, newest first. */
  reports(dataset: string, version?: number): ValidationReport[] {
    const target = this.datasets.rows.version(dataset, version);
    const ids = this.db.prepare('SELECT id FROM validation_reports WHERE version_id = ? ORDER BY created_at DESC, id DESC').all(target.id) as Array<{ id: number }>;
    return ids.map((row) => this.report(row.id));
  }

  report(id: number): ValidationReport {
    const row = this.db
      .prepare(
        `SELECT r.id, d.name AS dataset, v.version, r.suite_name, r.success, r.created_at, r.result FROM validation_reports r
         JOIN dataset_versions v ON v.id = r.version_id JOIN datasets d ON d.id = v.dataset_id WHERE r.id = ?`,
      )
      .get(id) as { id: number; dataset: string; version: number; suite_name: string; success: number; created_at: number; result: string } | undefined;
    if (!row) throw notFound(`No validation report with id ${id}.`);
    return {
      id: row.id,
      dataset: row.dataset,
      version: row.version,
      suiteName: row.suite_name,
      success: row.success === 1,
      createdAt: row.created_at,
      result: JSON.parse(row.result) as ValidationResult,
    };
  }
}
