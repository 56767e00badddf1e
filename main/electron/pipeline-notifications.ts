import type { RunNotification } from './notifications';

/** What the notifier needs of the orchestrator: its change events and a way to read a DAG run. */
export interface PipelineEvents {
  readonly onDidChange: (listener: (event: { dagRun: string; pipeline: string; state: string; finished: boolean }) => void) => { dispose(): void };
  dagRun(id: string): { tasks: ReadonlyArray<{ taskId: string; state: string; message: string | null }> };
}

/**
 * The desktop stand-in for Airflow's `email_on_failure`: an OS notification when a DAG run fails
 * or finishes, naming the failed tasks and the first reason.
 */
export function watchPipelineNotifications(pipelines: PipelineEvents, notify: (notification: RunNotification) => void): { dispose(): void } {
  return pipelines.onDidChange((event) => {
    if (!event.finished) return;
    if (event.state === 'success') {
      notify({ title: `Pipeline ${event.pipeline} succeeded`, body: event.dagRun, runId: null });
      return;
    }
    let failed: ReadonlyArray<{ taskId: string; message: string | null }> = [];
    try {
      failed = pipelines.dagRun(event.dagRun).tasks.filter((task) => task.state === 'failed');
    } catch {
      // The run was deleted meanwhile: say what we know.
    }
    const first = failed[0];
    const body = first ? `${failed.map((task) => task.taskId).join(', ')} failed${first.message ? `: ${first.message.split('\n')[0]}` : ''}` : event.dagRun;
    notify({ title: `Pipeline ${event.pipeline} failed`, body, runId: null });
  });
}
