import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactElement, type ReactNode } from 'react';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { CloseIcon, SearchIcon } from '../../components/icons';
import { appendSlice, emptyLog, findMatches, isAtBottom, nextPoll, pollIntervalMs, stepMatch, type LogBuffer, type LogMatch } from '../../lib/log-follow';
import { useUiStore } from '../../stores/ui';
import { isTyping } from '../runs/use-table-keyboard';

const lineHeight = 18;
/** Bytes per read: a long log arrives in a few slices, drawn as they come. */
const sliceBytes = 256_000;

/**
 * Reads one attempt's log through `pipelines.log` from the offset the last read returned: at
 * once while there is more, every ~500 ms while the attempt runs, once more after it ends.
 */
function useFollowedLog(dagRun: string, taskId: string, tryNumber: number, running: boolean): { buffer: LogBuffer; error: string | null } {
  const [buffer, setBuffer] = useState(() => emptyLog(tryNumber));
  const [error, setError] = useState<string | null>(null);
  const live = useRef(running);
  live.current = running;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current = emptyLog(tryNumber);
    const read = async (): Promise<void> => {
      try {
        const slice = await getApi()['pipelines.log']({ id: dagRun, taskId, tryNumber, offset: current.offset, maxBytes: sliceBytes });
        if (stopped) return;
        current = appendSlice(current, slice);
        setBuffer(current);
        setError(null);
        const next = nextPoll(current, slice.text !== '', live.current);
        if (next !== 'stop') timer = setTimeout(() => void read(), next === 'now' ? 0 : pollIntervalMs);
      } catch (failure) {
        if (stopped) return;
        setError(describeError(failure));
        // A running attempt's log may appear a moment after its state does: keep trying while it runs.
        if (live.current) timer = setTimeout(() => void read(), pollIntervalMs * 2);
      }
    };
    void read();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [dagRun, taskId, tryNumber]);
  return { buffer, error };
}

/**
 * An attempt's log: virtualized lines (any length), kept scrolled to the end while it runs
 * unless the reader scrolled up, and a search box (`/` focuses it) that highlights every match
 * and jumps between them with Enter / Shift+Enter.
 */
export function TaskLog({ dagRun, taskId, tryNumber, running }: { dagRun: string; taskId: string; tryNumber: number; running: boolean }): ReactElement {
  const { buffer, error } = useFollowedLog(dagRun, taskId, tryNumber, running);
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(-1);
  const [follow, setFollow] = useState(true);
  const scroller = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const lines = buffer.lines;
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => lineHeight, overscan: 30 });
  const matches = useMemo(() => findMatches(lines, query), [lines, query]);
  const byLine = useMemo(() => {
    const map = new Map<number, { match: LogMatch; index: number }[]>();
    matches.forEach((match, index) => map.set(match.line, [...(map.get(match.line) ?? []), { match, index }]));
    return map;
  }, [matches]);

  // New lines keep a reader who is at the end at the end.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (follow && element) element.scrollTop = element.scrollHeight;
  }, [lines.length, follow]);
  useEffect(() => setCurrent(-1), [query]);

  const jump = (backwards: boolean): void => {
    const next = stepMatch(current, matches.length, backwards);
    setCurrent(next);
    if (next < 0) return;
    setFollow(false);
    virtualizer.scrollToIndex(matches[next]!.line, { align: 'center' });
  };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== '/' || event.defaultPrevented || isTyping(event.target) || useUiStore.getState().paletteOpen || document.querySelector('[role="dialog"]')) return;
      event.preventDefault();
      search.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <div className="task-log" data-testid="task-log" data-try={tryNumber} data-lines={lines.length} data-following={running && follow}>
      <div className="log-toolbar">
        <div className="filter-field log-search">
          <SearchIcon size={13} className="filter-icon" />
          <input
            ref={search}
            className="input filter-input"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                jump(event.shiftKey);
              } else if (event.key === 'Escape') {
                event.preventDefault();
                event.stopPropagation();
                if (query === '') event.currentTarget.blur();
                setQuery('');
              }
            }}
            placeholder="Search the log (/)"
            spellCheck={false}
            autoComplete="off"
            aria-label="Search the log"
            data-testid="log-search"
          />
          {query !== '' ? (
            <button type="button" className="icon-button filter-clear" onClick={() => setQuery('')} aria-label="Clear the search">
              <CloseIcon size={11} />
            </button>
          ) : null}
        </div>
        {query !== '' ? (
          <span className="numeric muted" data-testid="log-match-count">
            {matches.length === 0 ? 'no match' : `${current >= 0 ? current + 1 : '–'} / ${matches.length}`}
          </span>
        ) : null}
        <button type="button" className="button compact" onClick={() => jump(true)} disabled={matches.length === 0} title="Previous match (Shift+Enter)" data-testid="log-previous">↑</button>
        <button type="button" className="button compact" onClick={() => jump(false)} disabled={matches.length === 0} title="Next match (Enter)" data-testid="log-next">↓</button>
        <span className="spacer" />
        <span className="faint numeric">{lines.length.toLocaleString('en-US')} {lines.length === 1 ? 'line' : 'lines'}</span>
        {running ? (
          follow ? (
            <span className="log-live" data-testid="log-live">following</span>
          ) : (
            <button type="button" className="button compact" onClick={() => setFollow(true)} data-testid="log-follow" title="Scroll to the end and keep following">Follow ↓</button>
          )
        ) : null}
      </div>
      {error ? <div className="page-banner error">Reading the log failed: {error}</div> : null}
      <div
        className="log-body mono"
        ref={scroller}
        onScroll={(event) => {
          const element = event.currentTarget;
          setFollow(isAtBottom(element.scrollTop, element.clientHeight, element.scrollHeight));
        }}
        tabIndex={0}
        aria-label={`Log of ${taskId}, try ${tryNumber}`}
        data-testid="log-body"
      >
        {buffer.dropped > 0 ? <div className="log-dropped faint">{buffer.dropped.toLocaleString('en-US')} earlier lines are not shown</div> : null}
        {lines.length === 0 ? <div className="log-empty faint">{running ? 'Waiting for output…' : 'This try wrote nothing.'}</div> : null}
        <div className="log-lines" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div key={item.index} className="log-line" style={{ transform: `translateY(${item.start}px)` }} data-testid="log-line">
              <span className="log-number numeric" aria-hidden="true">{item.index + buffer.dropped + 1}</span>
              <span className="log-text">{highlight(lines[item.index]!, byLine.get(item.index), current)}</span>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

function highlight(text: string, matches: { match: LogMatch; index: number }[] | undefined, current: number): ReactNode {
  if (!matches || text === '') return text || ' ';
  const parts: ReactNode[] = [];
  let at = 0;
  for (const { match, index } of matches) {
    if (match.start > at) parts.push(text.slice(at, match.start));
    parts.push(
      <mark key={index} className={index === current ? 'log-match current' : 'log-match'} data-testid={index === current ? 'log-match-current' : 'log-match'}>
        {text.slice(match.start, match.end)}
      </mark>,
    );
    at = match.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}
