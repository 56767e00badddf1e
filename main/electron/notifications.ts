import type { RunInfo, RunStatus } from '../../shared/tracking';

type Subscribe<T> = (listener: (value: T) => void) => { dispose(): void };

/** The tracking events the notifier needs (the core's `TrackingService` has both). */
export interface RunEvents {
  readonly onDidCreateRun: Subscribe<RunInfo>;
  readonly onDidUpdateRun: Subscribe<RunInfo>;
}

export interface RunNotification {
  readonly title: string;
  readonly body: string;
  /** The run to open on click; null when several runs are summed up in one notification. */
  readonly runId: string | null;
}

export interface RunNotifierOptions {
  /**
   * Runs ending within this window are announced together: a sweep of 50 runs finishing at once
   * should be one notification, not 50.
   */
  readonly batchMs?: number;
  readonly now?: () => number;
}

const verbs: Readonly<Record<Exclude<RunStatus, 'RUNNING'>, string>> = {
  FINISHED: 'finished',
  FAILED: 'failed',
  KILLED: 'was stopped',
};

/**
 * Announces a run leaving RUNNING. Only a transition this process saw counts: a run is
 * remembered when it is created or set to RUNNING and forgotten when it ends, so renaming an
 * old, finished run notifies nobody. (Runs still RUNNING from a crash are marked KILLED before
 * the app subscribes, so nothing RUNNING predates the subscription.)
 */
export function watchRunNotifications(
  events: RunEvents,
  notify: (notification: RunNotification) => void,
  options: RunNotifierOptions = {},
): { dispose(): void } {
  const batchMs = options.batchMs ?? 1500;
  const now = options.now ?? Date.now;
  const running = new Set<string>();
  let ended: RunInfo[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = (): void => {
    timer = null;
    const batch = ended;
    ended = [];
    if (batch.length > 0) notify(describeEnded(batch, now()));
  };
  const observe = (run: RunInfo): void => {
    if (run.status === 'RUNNING') {
      running.add(run.id);
      return;
    }
    if (!running.delete(run.id)) return;
    ended.push(run);
    timer ??= setTimeout(flush, batchMs);
  };

  const subscriptions = [events.onDidCreateRun(observe), events.onDidUpdateRun(observe)];
  return {
    dispose: () => {
      for (const subscription of subscriptions) subscription.dispose();
      if (timer) clearTimeout(timer);
      timer = null;
      ended = [];
    },
  };
}

/** The words of one notification for the runs that ended together. */
export function describeEnded(runs: readonly RunInfo[], now: number): RunNotification {
  const [only] = runs;
  if (runs.length === 1 && only) {
    const status = only.status === 'RUNNING' ? 'FINISHED' : only.status;
    const took = formatDuration((only.endTime ?? now) - only.startTime);
    return { title: `Run ${only.name} ${verbs[status]}`, body: took ? `After ${took}.` : '', runId: only.id };
  }
  const failed = runs.filter((run) => run.status === 'FAILED').length;
  const stopped = runs.filter((run) => run.status === 'KILLED').length;
  const finished = runs.length - failed - stopped;
  const parts = [
    finished > 0 ? `${finished} finished` : '',
    failed > 0 ? `${failed} failed` : '',
    stopped > 0 ? `${stopped} stopped` : '',
  ].filter(Boolean);
  return { title: `${runs.length} runs ended`, body: `${parts.join(', ')}.`, runId: null };
}

/** `1h 2m`, `3m 12s`, `45s`; empty for a negative or unknown span. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${rest}s`;
  return `${rest}s`;
}
