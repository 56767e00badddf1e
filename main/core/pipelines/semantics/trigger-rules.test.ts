import { describe, expect, it } from 'vitest';
import { triggerRules, type TaskState, type TriggerRule } from '../../../../shared/pipelines';
import { unfinishedStates } from './states';
import { evaluateTriggerRule, type TriggerVerdict } from './trigger-rules';

// Shorthand so each row of the table reads like SEMANTICS.md §2.2.
const S = 'success';
const F = 'failed';
const K = 'skipped';
const U = 'upstream_failed';
const R = 'removed';
const N = 'none';
const RUN = 'running';
const Q = 'queued';
const RETRY = 'up_for_retry';

type Row = readonly [readonly TaskState[], TriggerVerdict];

/** Expected verdicts, worked out by hand from the table's "runnable when" and "early terminal" columns. */
const table: Record<TriggerRule, readonly Row[]> = {
  all_success: [
    [[S, S], 'runnable'],
    [[S, N], 'wait'],
    [[S, RUN], 'wait'],
    [[S, RETRY], 'wait'],
    [[S, F], 'upstream_failed'],
    [[U, S], 'upstream_failed'],
    [[F, N], 'upstream_failed'], // a failure decides it without waiting for the rest
    [[K, S], 'skipped'],
    [[K, N], 'skipped'],
    [[K, F], 'upstream_failed'], // failure wins over skip
    [[S, R], 'wait'], // removed is done but never a success, and assigns nothing
  ],
  all_failed: [
    [[F, F], 'runnable'],
    [[F, U], 'runnable'],
    [[U], 'runnable'],
    [[F, N], 'wait'],
    [[F, RUN], 'wait'],
    [[F, S], 'skipped'],
    [[K, N], 'skipped'],
  ],
  all_done: [
    [[S, F, K, U], 'runnable'],
    [[S, R], 'runnable'],
    [[S, RUN], 'wait'],
    [[F, N], 'wait'],
    [[N, Q], 'wait'],
  ],
  one_success: [
    [[S, N], 'runnable'], // no waiting for the others
    [[S, F], 'runnable'],
    [[F, N], 'wait'],
    [[K, N], 'wait'],
    [[K, K], 'skipped'],
    [[F, K], 'upstream_failed'],
    [[F, F], 'upstream_failed'],
    [[U, U], 'upstream_failed'],
    [[K, R], 'upstream_failed'], // all done, not all skipped, no success
  ],
  one_failed: [
    [[F, N], 'runnable'],
    [[U, RUN], 'runnable'],
    [[F, S], 'runnable'],
    [[S, N], 'wait'],
    [[S, K], 'skipped'],
    [[S, S], 'skipped'],
  ],
  one_done: [
    [[S, N], 'runnable'],
    [[F, N], 'runnable'],
    [[F, K], 'runnable'],
    [[U, N], 'wait'], // upstream_failed is neither a success nor a failure here
    [[K, N], 'wait'],
    [[K, U], 'skipped'],
    [[K, K], 'skipped'],
  ],
  none_failed: [
    [[S, K], 'runnable'],
    [[K, K], 'runnable'],
    [[S, N], 'wait'],
    [[S, R], 'wait'],
    [[F, N], 'upstream_failed'],
    [[U, S], 'upstream_failed'],
  ],
  none_failed_min_one_success: [
    [[S, K], 'runnable'],
    [[S, S], 'runnable'],
    [[S, N], 'wait'],
    [[K, N], 'wait'],
    [[K, K], 'skipped'],
    [[F, K], 'upstream_failed'],
    [[U, N], 'upstream_failed'],
  ],
  none_skipped: [
    [[S, F], 'runnable'],
    [[S, U], 'runnable'],
    [[F, F], 'runnable'],
    [[S, N], 'wait'],
    [[K, N], 'skipped'],
    [[S, K], 'skipped'],
  ],
  all_skipped: [
    [[K, K], 'runnable'],
    [[K], 'runnable'],
    [[K, N], 'wait'],
    [[K, R], 'wait'],
    [[K, S], 'skipped'],
    [[F, N], 'skipped'],
    [[U, K], 'skipped'],
  ],
  always: [
    [[F, N], 'runnable'],
    [[N], 'runnable'],
    [[U, U], 'runnable'],
  ],
};

describe('evaluateTriggerRule', () => {
  for (const rule of triggerRules) {
    describe(rule, () => {
      it.each(table[rule].map(([upstream, verdict]) => [upstream.join(', '), upstream, verdict] as const))('[%s] → %s', (_label, upstream, verdict) => {
        expect(evaluateTriggerRule(rule, upstream)).toBe(verdict);
      });

      it('is runnable with no upstream', () => {
        expect(evaluateTriggerRule(rule, [])).toBe('runnable');
      });

      if (rule !== 'always') {
        it('waits while every upstream is unfinished', () => {
          for (const state of unfinishedStates) expect(evaluateTriggerRule(rule, [state, state])).toBe('wait');
        });
      }
    });
  }

  it('ignores the order of the upstreams', () => {
    for (const rule of triggerRules) {
      for (const [upstream, verdict] of table[rule]) expect(evaluateTriggerRule(rule, [...upstream].reverse())).toBe(verdict);
    }
  });
});
