import { useEffect, useRef, useState, type ReactElement } from 'react';
import { CloseIcon, SearchIcon } from '../../components/icons';
import { useRunsStore } from '../../stores/runs';

/** Typing pauses this long before the filter is sent; Enter sends it at once. */
const debounceMs = 600;

/**
 * The search grammar box. The server parses the filter (one grammar, one parser), so errors come
 * back as its INVALID_ARGUMENT message — "Invalid filter at column 17: …" — shown right below.
 */
export function FilterBox(): ReactElement {
  const applied = useRunsStore((state) => state.filter);
  const error = useRunsStore((state) => state.filterError);
  const applyFilter = useRunsStore((state) => state.applyFilter);
  const [draft, setDraft] = useState(applied);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // A filter applied elsewhere (status bar, palette) replaces what is in the box.
  useEffect(() => setDraft(applied), [applied]);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);

  const cancelPending = (): void => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };
  const apply = (text: string): void => {
    cancelPending();
    applyFilter(text);
  };
  const change = (text: string): void => {
    setDraft(text);
    cancelPending();
    timer.current = setTimeout(() => apply(text), debounceMs);
  };

  return (
    <div className="filter-box">
      <div className="filter-field">
        <SearchIcon size={14} className="filter-icon" />
        <input
          className="input mono filter-input"
          value={draft}
          onChange={(event) => change(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') apply(draft);
            if (event.key === 'Escape' && draft !== '') {
              event.stopPropagation();
              setDraft('');
              apply('');
            }
          }}
          placeholder="Filter runs: metrics.acc > 0.9 and params.lr = '0.01'"
          spellCheck={false}
          autoComplete="off"
          aria-label="Filter runs"
          aria-invalid={error !== null}
          aria-describedby={error ? 'filter-error' : undefined}
          data-testid="filter-input"
        />
        {draft !== '' ? (
          <button type="button" className="icon-button filter-clear" onClick={() => { setDraft(''); apply(''); }} aria-label="Clear filter" data-testid="filter-clear">
            <CloseIcon size={12} />
          </button>
        ) : null}
      </div>
      {error ? (
        <div className="filter-error" id="filter-error" role="alert" data-testid="filter-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}
