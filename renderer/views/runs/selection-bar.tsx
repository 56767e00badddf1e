import type { ReactElement } from 'react';
import { compareHref } from '../../lib/hash-route';
import { useSelectionStore } from '../../stores/selection';

/** "N selected · Compare · Clear" once runs are checked; Compare opens a shareable compare link. */
export function SelectionBar(): ReactElement | null {
  const ids = useSelectionStore((state) => state.ids);
  const clear = useSelectionStore((state) => state.clear);
  if (ids.length === 0) return null;
  return (
    <div className="selection-bar" data-testid="selection-bar">
      <span className="selection-count numeric" data-testid="selection-count">{ids.length} selected</span>
      <a className="button primary" href={compareHref(ids)} data-testid="compare-selected" title="Compare the selected runs">
        Compare
      </a>
      <button type="button" className="button" onClick={clear} data-testid="clear-selection">
        Clear
      </button>
    </div>
  );
}

/** Said when "select all" stopped at the cap. */
export function SelectionNotice(): ReactElement | null {
  const notice = useSelectionStore((state) => state.notice);
  return notice ? <div className="selection-notice" role="status" data-testid="selection-notice">{notice}</div> : null;
}
