import { describe, expect, it } from 'vitest';
import { navigationTarget } from './list-navigation';

describe('list navigation keys', () => {
  it('moves within bounds, starting from the top when nothing is selected', () => {
    expect(navigationTarget('j', -1, 3)).toBe(0);
    expect(navigationTarget('ArrowDown', 2, 3)).toBe(2);
    expect(navigationTarget('k', -1, 3)).toBe(0);
    expect(navigationTarget('ArrowUp', 1, 3)).toBe(0);
    expect(navigationTarget('End', 0, 3)).toBe(2);
    expect(navigationTarget('Home', 2, 3)).toBe(0);
    expect(navigationTarget('Enter', 1, 3)).toBeNull();
    expect(navigationTarget('j', -1, 0)).toBeNull();
  });
});
