/**
 * Trigger rules (SEMANTICS.md §2.2; Airflow ti_deps/deps/trigger_rule_dep.py). Pure: given a
 * task's rule and the states of its *direct* upstreams, say whether it may run now, must wait, or
 * can already be given its terminal state (the scheduler's `flag_upstream_failed` pass).
 */
import type { TaskState, TriggerRule } from '../../../../shared/pipelines';

/**
 * `runnable`: the rule is met. `wait`: not met yet, but still could be. `skipped` /
 * `upstream_failed`: the rule can never be met, and this is the state Airflow assigns.
 */
export type TriggerVerdict = 'runnable' | 'wait' | 'skipped' | 'upstream_failed';

/** Counts over the finished upstreams only, as Airflow's `_UpstreamTIStates.calculate`. */
interface UpstreamCounts {
  readonly upstream: number;
  readonly success: number;
  readonly skipped: number;
  readonly failed: number;
  readonly upstreamFailed: number;
  /** Finished upstreams of any kind, `removed` included. */
  readonly done: number;
}

function countUpstream(states: readonly TaskState[]): UpstreamCounts {
  let success = 0;
  let skipped = 0;
  let failed = 0;
  let upstreamFailed = 0;
  let removed = 0;
  for (const state of states) {
    if (state === 'success') success += 1;
    else if (state === 'skipped') skipped += 1;
    else if (state === 'failed') failed += 1;
    else if (state === 'upstream_failed') upstreamFailed += 1;
    else if (state === 'removed') removed += 1;
  }
  return { upstream: states.length, success, skipped, failed, upstreamFailed, done: success + skipped + failed + upstreamFailed + removed };
}

/**
 * The early terminal assignment of the table's right column, or null. Evaluated before the
 * runnable check, as Airflow does; the two never both apply to one set of counts.
 */
function earlyTerminal(rule: TriggerRule, c: UpstreamCounts): 'skipped' | 'upstream_failed' | null {
  const allDone = c.done >= c.upstream;
  const anyFailed = c.failed + c.upstreamFailed > 0;
  switch (rule) {
    case 'all_success':
      if (anyFailed) return 'upstream_failed';
      return c.skipped > 0 ? 'skipped' : null;
    case 'all_failed':
      return c.success + c.skipped > 0 ? 'skipped' : null;
    case 'one_success':
      if (allDone && c.done === c.skipped) return 'skipped';
      return allDone && c.success === 0 ? 'upstream_failed' : null;
    case 'one_failed':
      return allDone && !anyFailed ? 'skipped' : null;
    case 'one_done':
      return allDone && c.success + c.failed === 0 ? 'skipped' : null;
    case 'none_failed':
      return anyFailed ? 'upstream_failed' : null;
    case 'none_failed_min_one_success':
      if (anyFailed) return 'upstream_failed';
      return c.skipped === c.upstream ? 'skipped' : null;
    case 'none_skipped':
      return c.skipped > 0 ? 'skipped' : null;
    case 'all_skipped':
      return c.success + c.failed + c.upstreamFailed > 0 ? 'skipped' : null;
    case 'all_done':
    case 'always':
      return null;
  }
}

function isMet(rule: TriggerRule, c: UpstreamCounts): boolean {
  switch (rule) {
    case 'all_success':
      return c.success === c.upstream;
    case 'all_failed':
      return c.failed + c.upstreamFailed === c.upstream;
    case 'all_done':
      return c.done >= c.upstream;
    case 'one_success':
      return c.success >= 1;
    case 'one_failed':
      return c.failed + c.upstreamFailed >= 1;
    case 'one_done':
      return c.success + c.failed >= 1;
    case 'none_failed':
    case 'none_failed_min_one_success':
      return c.success + c.skipped === c.upstream;
    case 'none_skipped':
      return c.done >= c.upstream && c.skipped === 0;
    case 'all_skipped':
      return c.skipped === c.upstream;
    case 'always':
      return true;
  }
}

/**
 * What `rule` makes of a task whose direct upstreams are in `upstream` (unfinished ones
 * included: they count toward the total but toward no finished bucket). With no upstream, or
 * `always`, the task is runnable.
 */
export function evaluateTriggerRule(rule: TriggerRule, upstream: readonly TaskState[]): TriggerVerdict {
  if (upstream.length === 0 || rule === 'always') return 'runnable';
  const counts = countUpstream(upstream);
  return earlyTerminal(rule, counts) ?? (isMet(rule, counts) ? 'runnable' : 'wait');
}
