import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../../shared/tracking';
import { aggregateBand, colorsByKey, groupRuns, missingColor, parentRunKey, parseRunKey, runKeyOptions, runValue, sequentialColor, topLevelGroupLabel, valueColors, type MemberSeries } from './run-groups';
import { seriesPalette } from './series-color';

const run = (id: string, params: Record<string, string> = {}, tags: Record<string, string> = {}) => ({ id, params, tags });
const point = (step: number, value: number, firstStep = step): SeriesPoint => ({ step, firstStep, value, min: value, max: value, count: 1, nanCount: 0, timestamp: step });
const member = (points: SeriesPoint[]): MemberSeries => ({ points, xs: points.map((one) => one.step) });

describe('grouping runs by a key', () => {
  it('groups by a param, the runs without it in a "(none)" group last', () => {
    const runs = [run('a', { lr: '0.1', seed: '1' }), run('b', { lr: '0.01', seed: '1' }), run('c', { lr: '0.1', seed: '2' }), run('d', { seed: '3' })];
    const groups = groupRuns(runs, 'param:lr');
    expect(groups.map((group) => [group.label, group.runIds])).toEqual([
      ['0.01', ['b']],
      ['0.1', ['a', 'c']],
      ['(none)', ['d']],
    ]);
    expect(groups[2]!.value).toBeNull();
    expect(groups[2]!.color).toBe(missingColor);
  });

  it('tells a tag from a param of the same name', () => {
    const one = run('a', { team: 'p' }, { team: 't' });
    expect(runValue(one, 'param:team')).toBe('p');
    expect(runValue(one, 'tag:team')).toBe('t');
    expect(runValue(one, 'tag:missing')).toBeNull();
    expect(groupRuns([one, run('b', {}, { team: 't' })], 'tag:team').map((group) => group.runIds)).toEqual([['a', 'b']]);
  });

  it('offers the keys that vary across runs first', () => {
    const runs = [run('a', { arch: 'mlp', seed: '1', lr: '0.1' }, { team: 'x' }), run('b', { arch: 'mlp', seed: '2', lr: '0.1' }, { team: 'x' })];
    expect(runKeyOptions(runs).map((option) => `${option.key}${option.varies ? '*' : ''}`)).toEqual(['param:seed*', 'param:arch', 'param:lr', 'tag:team']);
  });
});

describe('aggregating a group on the step grid', () => {
  it('takes the mean, population std, min and max of the members at each step', () => {
    const band = aggregateBand([member([point(0, 1), point(1, 2)]), member([point(0, 3), point(1, 6)])], 'std');
    expect(band.map(({ step, mean, std, min, max, n }) => ({ step, mean, std, min, max, n }))).toEqual([
      { step: 0, mean: 2, std: 1, min: 1, max: 3, n: 2 },
      { step: 1, mean: 4, std: 2, min: 2, max: 6, n: 2 },
    ]);
    expect(band.map((one) => [one.lower, one.upper])).toEqual([[1, 3], [2, 6]]);
  });

  it('draws min–max edges in min/max mode', () => {
    const band = aggregateBand([member([point(0, 1)]), member([point(0, 2)]), member([point(0, 6)])], 'minmax');
    expect([band[0]!.lower, band[0]!.upper, band[0]!.mean]).toEqual([1, 6, 3]);
  });

  it('gives a single-member group a zero-width band', () => {
    const band = aggregateBand([member([point(0, 5), point(10, 7)])], 'std');
    expect(band.map((one) => [one.mean, one.std, one.lower, one.upper, one.n])).toEqual([[5, 0, 5, 5, 1], [7, 0, 7, 7, 1]]);
  });

  it('counts only the members that have a value at a step when grids differ', () => {
    // A shorter run stops at step 2; the longer one goes on alone.
    const band = aggregateBand([member([point(0, 1), point(2, 3)]), member([point(0, 3), point(2, 5), point(4, 9)])], 'std');
    expect(band.map((one) => [one.step, one.mean, one.n])).toEqual([[0, 2, 2], [2, 4, 2], [4, 9, 1]]);
  });

  it('lets a wider bucket stand for every step it covers', () => {
    // One member is bucketed 4 steps wide (steps 0–3 → step 3), the other logs every step.
    const band = aggregateBand([member([point(3, 10, 0)]), member([point(1, 2), point(3, 4)])], 'std');
    expect(band.map((one) => [one.step, one.mean, one.n])).toEqual([[1, 6, 2], [3, 7, 2]]);
  });

  it('leaves NaN and infinities out, and skips a step no member has a finite value at', () => {
    const band = aggregateBand([member([point(0, Number.NaN), point(1, 4)]), member([point(0, 2), point(1, Number.POSITIVE_INFINITY)]), member([point(2, Number.NaN)])], 'std');
    expect(band.map((one) => [one.step, one.mean, one.std, one.n])).toEqual([[0, 2, 0, 1], [1, 4, 0, 1]]);
  });

  it('puts each step at the members’ mean x (time axes)', () => {
    const band = aggregateBand([{ points: [point(0, 1)], xs: [100] }, { points: [point(0, 1)], xs: [300] }], 'std');
    expect(band[0]!.x).toBe(200);
  });
});

describe('colouring by a key', () => {
  it('gives categorical values palette colours in value order, whatever the run order', () => {
    const forward = colorsByKey([run('a', { opt: 'adam' }), run('b', { opt: 'sgd' }), run('c', { opt: 'adam' })], 'param:opt');
    const backward = colorsByKey([run('b', { opt: 'sgd' }), run('a', { opt: 'adam' })], 'param:opt');
    expect(forward.get('a')).toBe(seriesPalette[0]);
    expect(forward.get('c')).toBe(seriesPalette[0]);
    expect(forward.get('b')).toBe(seriesPalette[1]);
    expect(backward.get('b')).toBe(forward.get('b'));
  });

  it('puts numeric values on a sequential scale by magnitude, missing values grey', () => {
    const colors = valueColors(['0.1', '0.001', '0.01', null]);
    expect(colors.get('0.001')).toBe(sequentialColor(0));
    expect(colors.get('0.1')).toBe(sequentialColor(1));
    expect(colors.get('0.01')).toBe(sequentialColor(0.009 / 0.099));
    expect(colors.get(null)).toBe(missingColor);
    expect(sequentialColor(0)).toBe('#3b4cc0');
    expect(sequentialColor(1)).toBe('#f2c12e');
  });

  it('treats a single numeric value as a category', () => {
    expect(valueColors(['3']).get('3')).toBe(seriesPalette[0]);
  });
});

describe('grouping runs by parent run', () => {
  const nested = (id: string, parentRunId: string | null, params: Record<string, string> = {}) => ({ id, parentRunId, params, tags: {} });
  // A sweep, two trials, three folds under each: the folds of one trial make one group.
  const runs = [
    nested('sweep', null),
    nested('t10', 'sweep'),
    nested('t2', 'sweep'),
    ...['a', 'b', 'c'].map((fold) => nested(`t10-${fold}`, 't10', { fold })),
    ...['a', 'b', 'c'].map((fold) => nested(`t2-${fold}`, 't2', { fold })),
  ];
  const names = new Map([['sweep', 'sweep'], ['t10', 'trial-10'], ['t2', 'trial-2']]);

  it('reads the parent id through the parent key', () => {
    expect(parseRunKey(parentRunKey)).toEqual({ source: 'parent', name: 'run' });
    expect(runValue(runs[3]!, parentRunKey)).toBe('t10');
    expect(runValue(runs[0]!, parentRunKey)).toBeNull();
    expect(runValue({ params: {}, tags: {} }, parentRunKey)).toBeNull();
  });

  it('labels each group with the parent name, in name order, top-level runs last', () => {
    const groups = groupRuns(runs, parentRunKey, names);
    expect(groups.map((group) => [group.label, group.runIds])).toEqual([
      ['sweep', ['t10', 't2']],
      ['trial-2', ['t2-a', 't2-b', 't2-c']],
      ['trial-10', ['t10-a', 't10-b', 't10-c']],
      [topLevelGroupLabel, ['sweep']],
    ]);
    expect(groups[3]!.color).toBe(missingColor);
    expect(new Set(groups.slice(0, 3).map((group) => group.color)).size).toBe(3);
  });

  it('falls back to the short parent id when the name is not known', () => {
    const orphan = nested('x', '0123456789abcdef');
    expect(groupRuns([orphan], parentRunKey).map((group) => group.label)).toEqual(['01234567']);
  });

  it('offers "parent run" only when some run has a parent', () => {
    expect(runKeyOptions(runs).map((option) => option.key)).toEqual([parentRunKey, 'param:fold']);
    expect(runKeyOptions(runs.slice(0, 1)).map((option) => option.key)).toEqual([]);
    expect(runKeyOptions(runs, ['tag'])).toEqual([]);
  });
});
