import type { DagRun } from '../../shared/pipelines';

/**
 * The tracking runs a DAG run made: every attempt's run (retries included, since a failed try's
 * curves are often the interesting ones), once each, in task order then try order. Tasks skipped
 * as cached made no run here, so they add none.
 */
export function trackingRunsOf(run: Pick<DagRun, 'tasks'>): string[] {
  const ids = new Set<string>();
  for (const task of run.tasks) {
    for (const attempt of [...task.attempts].sort((a, b) => a.tryNumber - b.tryNumber)) {
      if (attempt.runId) ids.add(attempt.runId);
    }
  }
  return [...ids];
}
