import type { PipelineSummary } from '../../../shared/pipelines';
import { dagRunKey, type PipelineStore } from './pipeline-store';
import { parsePipeline } from './spec/index';

/** A registered pipeline as lists show it: its steps, schedule, last run and run count. */
export function pipelineSummary(store: PipelineStore, name: string): PipelineSummary {
  const row = store.pipeline(name);
  const parsed = parsePipeline(row.spec, row.path ?? undefined);
  const last = store.dagRunRows({ pipeline: name, limit: 1 })[0];
  const count = (store.db.prepare('SELECT count(*) AS n FROM dag_runs WHERE pipeline_id = ?').get(row.id) as { n: number }).n;
  return {
    name,
    description: parsed.spec.description ?? null,
    tags: parsed.spec.tags,
    path: row.path,
    steps: parsed.stepOrder.map((id) => ({ id, kind: parsed.spec.steps[id]!.kind, dependsOn: parsed.upstream[id] ?? [] })),
    schedule: parsed.spec.schedule ? `${parsed.spec.schedule.cron} (${parsed.spec.schedule.timezone})` : null,
    paused: row.paused === 1,
    lastRun: last ? { id: dagRunKey(last.pipeline, last.run_id), state: last.state, createdAt: last.created_at } : null,
    runCount: count,
  };
}
