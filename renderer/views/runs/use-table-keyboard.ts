import { useEffect, useRef } from 'react';
import { navigationTarget } from '../../lib/list-navigation';
import type { TreeRow } from '../../lib/run-tree';
import type { CheckGesture } from '../../stores/selection';
import { useUiStore } from '../../stores/ui';

interface TableActions {
  select(runId: string): void;
  open(runId: string): void;
  toggle(runId: string, expand?: boolean): void;
  scrollToIndex(index: number): void;
  /** Adds the run to the comparison selection, or takes it out. */
  check(runId: string, gesture: CheckGesture): void;
}

/** True while the user is typing somewhere: keys then belong to that field, not the table. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * ↑/↓ or j/k move the selection, Enter opens the run, →/← (or l/h) expand and collapse, Home/End
 * jump, x checks the focused run for comparison (X: a range from the last one checked; A, that is
 * Shift+a: the run with all its descendants). Bound on the document so the table works without
 * first clicking into it.
 */
export function useTableKeyboard(rows: readonly TreeRow[], selectedId: string | null, actions: TableActions): void {
  // The listener is installed once; it reads the latest rows and actions through a ref.
  const latest = useRef({ rows, selectedId, actions });
  latest.current = { rows, selectedId, actions };

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTyping(event.target) || useUiStore.getState().paletteOpen) return;
      const { rows: current, selectedId: selected, actions: act } = latest.current;
      const runIndexes = current.flatMap((row, index) => (row.kind === 'run' ? [index] : []));
      if (runIndexes.length === 0) return;
      const position = runIndexes.findIndex((index) => {
        const row = current[index];
        return row?.kind === 'run' && row.run.id === selected;
      });
      const moveTo = (next: number): void => {
        const index = runIndexes[Math.max(0, Math.min(runIndexes.length - 1, next))];
        const row = index === undefined ? undefined : current[index];
        if (row?.kind !== 'run' || index === undefined) return;
        act.select(row.run.id);
        act.scrollToIndex(index);
      };
      const selectedRow = position >= 0 ? current[runIndexes[position]!] : undefined;
      const target = navigationTarget(event.key, position, runIndexes.length);
      switch (event.key) {
        case 'Enter':
          if (selectedRow?.kind !== 'run') return;
          act.open(selectedRow.run.id);
          break;
        case 'x':
        case 'X':
          if (selectedRow?.kind !== 'run') return;
          act.check(selectedRow.run.id, event.shiftKey ? 'range' : 'one');
          break;
        case 'A':
          // Shift+a only: a bare `a` stays free for other lists' shortcuts.
          if (selectedRow?.kind !== 'run') return;
          act.check(selectedRow.run.id, 'descendants');
          break;
        case 'ArrowRight':
        case 'l':
          if (selectedRow?.kind !== 'run' || !selectedRow.expandable) return;
          act.toggle(selectedRow.run.id, true);
          break;
        case 'ArrowLeft':
        case 'h': {
          if (selectedRow?.kind !== 'run') return;
          if (selectedRow.expanded) act.toggle(selectedRow.run.id, false);
          else if (selectedRow.run.parentRunId) {
            // Collapsed or a leaf: go to the parent, like a file tree.
            const parentIndex = current.findIndex((row) => row.kind === 'run' && row.run.id === selectedRow.run.parentRunId);
            if (parentIndex >= 0) moveTo(runIndexes.indexOf(parentIndex));
          }
          break;
        }
        default:
          if (target === null) return;
          moveTo(target);
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
