import { useEffect, useRef } from 'react';
import { useUiStore } from '../../stores/ui';
import { navigationTarget } from '../../lib/list-navigation';
import { isTyping } from '../runs/use-table-keyboard';

/**
 * ↑/↓ or j/k move the selection in a list of keys, Enter opens it, Home/End jump. Bound on the
 * document, like the runs table, so a list works without first clicking into it. `lettersOnly`
 * leaves the arrows and Home/End to the page (where a panel below the list scrolls with them).
 */
export function useListKeyboard(keys: readonly string[], selected: string | null, actions: { select(key: string): void; open(key: string): void }, lettersOnly = false): void {
  const latest = useRef({ keys, selected, actions, lettersOnly });
  latest.current = { keys, selected, actions, lettersOnly };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTyping(event.target) || useUiStore.getState().paletteOpen || document.querySelector('[role="dialog"]')) return;
      const { keys: list, selected: current, actions: act, lettersOnly: letters } = latest.current;
      if (list.length === 0) return;
      if (letters && !['j', 'k'].includes(event.key)) return;
      const position = current === null ? -1 : list.indexOf(current);
      const target = navigationTarget(event.key, position, list.length);
      switch (event.key) {
        case 'Enter':
          if (current === null || position < 0) return;
          act.open(current);
          break;
        default:
          if (target === null) return;
          act.select(list[target]!);
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
