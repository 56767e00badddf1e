import { describe, expect, it } from 'vitest';
import { matchScore, quoteFilterString, rankItems, type PaletteItem } from './palette-items';

const item = (group: PaletteItem['group'], label: string): PaletteItem => ({ id: `${group}:${label}`, group, label, run: () => undefined });

describe('command palette ranking', () => {
  it('prefers substrings, then early matches, and drops non-matches', () => {
    expect(matchScore('Toggle theme', 'theme')).toBeGreaterThan(matchScore('Toggle theme', 'tgth') ?? 0);
    expect(matchScore('Toggle theme', 'xyz')).toBeNull();
    const ranked = rankItems([item('Runs', 'resnet-b'), item('Runs', 'big-resnet'), item('Actions', 'Toggle theme')], 'res');
    expect(ranked.map((entry) => entry.label)).toEqual(['resnet-b', 'big-resnet']);
  });

  it('puts the group with the best match first', () => {
    const ranked = rankItems([item('Actions', 'Reload runs'), item('Runs', 'resnet50')], 'res');
    expect(ranked.map((entry) => entry.label)).toEqual(['resnet50', 'Reload runs']);
  });

  it('keeps groups in order and de-duplicates', () => {
    const ranked = rankItems([item('Runs', 'a'), item('Experiments', 'a'), item('Runs', 'a'), item('Models', 'a'), item('Datasets', 'a')], '');
    expect(ranked.map((entry) => entry.group)).toEqual(['Datasets', 'Models', 'Experiments', 'Runs']);
  });

  it('quotes names for the filter grammar', () => {
    expect(quoteFilterString("it's")).toBe("'it''s'");
  });
});
