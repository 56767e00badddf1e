/**
 * Where ↑/↓ (j/k), Home and End move a selection in a list of `length` items from `position`
 * (−1: nothing selected); null for any other key. One rule for every keyboard-driven list.
 */
export function navigationTarget(key: string, position: number, length: number): number | null {
  if (length === 0) return null;
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return Math.min(length - 1, position < 0 ? 0 : position + 1);
    case 'ArrowUp':
    case 'k':
      return Math.max(0, position - 1);
    case 'Home':
      return 0;
    case 'End':
      return length - 1;
    default:
      return null;
  }
}
