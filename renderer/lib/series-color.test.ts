import { describe, expect, it } from 'vitest';
import { hashString, seriesColor, seriesPalette } from './series-color';

describe('seriesColor', () => {
  it('gives a run the same colour every time', () => {
    const id = '3f2a9c0b1d4e4f6a8b7c6d5e4f3a2b1c';
    expect(seriesColor(id)).toBe(seriesColor(id));
    expect(seriesPalette).toContain(seriesColor(id));
  });

  it('spreads sequential ids over most of the palette', () => {
    const ids = Array.from({ length: 60 }, (_, index) => index.toString(16).padStart(32, '0'));
    const used = new Set(ids.map(seriesColor));
    expect(used.size).toBeGreaterThanOrEqual(seriesPalette.length - 2);
  });

  it('hashes with FNV-1a', () => {
    // Reference values of 32-bit FNV-1a.
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
});
