import { useMemo, type ReactElement } from 'react';
import type { DagRun } from '../../../shared/pipelines';
import { trackingRunsOf } from '../../lib/dag-run-runs';
import { compareHref } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { selectAllCap, useSelectionStore } from '../../stores/selection';
import { useToastsStore } from '../../stores/toasts';

/**
 * Opens the tracking runs this DAG run's attempts logged into side by side. Disabled, saying why,
 * until there are two of them: one run has nothing to be compared with.
 */
export function CompareDagRunsButton({ run }: { run: DagRun }): ReactElement {
  const ids = useMemo(() => trackingRunsOf(run), [run]);
  const compare = (): void => {
    const picked = ids.slice(0, selectAllCap);
    if (picked.length < ids.length) {
      useToastsStore.getState().push({ tone: 'info', title: 'Comparison capped', message: `Comparing the first ${selectAllCap} of the ${ids.length} runs this DAG run made.` });
    }
    useSelectionStore.getState().replace(picked);
    navigate(compareHref(picked));
  };
  const title = ids.length >= 2
    ? `Compare the ${ids.length} tracking runs this DAG run's tasks logged into`
    : `Needs at least 2 tracking runs to compare; this DAG run made ${ids.length === 0 ? 'none' : 'only 1'} (train, evaluate and command steps make one per try)`;
  return (
    <button type="button" className="button" onClick={compare} disabled={ids.length < 2} data-testid="compare-dag-runs" data-run-count={ids.length} title={title}>
      Compare runs
    </button>
  );
}
