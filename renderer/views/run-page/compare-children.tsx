import { useEffect, useState, type ReactElement } from 'react';
import { getApi } from '../../api/connection';
import { compareHref } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { descendantsNotice, loadDescendants, selectAllCap, useSelectionStore } from '../../stores/selection';
import { reportError, useToastsStore } from '../../stores/toasts';

/** Makes `ids` the selection and opens the comparison; says so when the cap cut the list. */
function openComparison(ids: readonly string[], notice: string | null): void {
  useSelectionStore.getState().replace(ids);
  if (notice) useToastsStore.getState().push({ tone: 'info', title: 'Comparison capped', message: notice });
  navigate(compareHref(ids));
}

/**
 * "Compare children" (the direct children) and, when some child has children of its own (a sweep
 * whose trials ran folds), "Compare all descendants": every run below this one, at any depth.
 * The second button is left out for a flat parent, where it would do exactly what the first does.
 */
export function CompareChildrenButtons({ run }: { run: { id: string; childCount: number } }): ReactElement {
  const [busy, setBusy] = useState(false);
  const [descendants, setDescendants] = useState<number | null>(null);
  useEffect(() => {
    let current = true;
    // One row is enough: only the total matters here, to tell grandchildren from a flat list.
    getApi()['runs.search']({ ancestorRunId: run.id, maxResults: 1, view: 'active' }).then(
      (result) => current && setDescendants(result.total),
      () => current && setDescendants(null),
    );
    return () => {
      current = false;
    };
  }, [run.id, run.childCount]);

  const compareChildren = async (): Promise<void> => {
    setBusy(true);
    try {
      const result = await getApi()['runs.search']({ parentRunId: run.id, maxResults: selectAllCap, view: 'active' });
      const notice = result.total > result.runs.length ? `Comparing the first ${result.runs.length} of ${result.total} child runs — the comparison holds at most ${selectAllCap}.` : null;
      openComparison(result.runs.map((child) => child.id), notice);
    } catch (error) {
      reportError('Loading the child runs failed', error);
    } finally {
      setBusy(false);
    }
  };
  const compareDescendants = async (): Promise<void> => {
    setBusy(true);
    try {
      const { ids, total } = await loadDescendants(run.id);
      openComparison(ids, descendantsNotice(ids.length, total));
    } catch (error) {
      reportError('Loading the descendant runs failed', error);
    } finally {
      setBusy(false);
    }
  };
  const nested = descendants !== null && descendants > run.childCount;
  return (
    <>
      <button type="button" className="button" onClick={() => void compareChildren()} disabled={busy} data-testid="compare-children" title={`Compare this run's direct child runs (up to ${selectAllCap})`}>
        Compare children
      </button>
      {nested ? (
        <button
          type="button"
          className="button"
          onClick={() => void compareDescendants()}
          disabled={busy}
          data-testid="compare-descendants"
          title={`Compare every run below this one at any depth — ${descendants} runs${descendants > selectAllCap ? `, the first ${selectAllCap} of them` : ''}`}
        >
          Compare all descendants
        </button>
      ) : null}
    </>
  );
}
