import { describe, expect, it } from 'vitest';
import type { LatestMetric } from '../../shared/tracking';
import { axisCandidates, axisPosition, axisTicks, brushExtent, brushFromExtent, buildAxis, defaultAxes, moveAxis, moveBrush, runsPassingBrushes, type AxisBrush, type AxisKey } from './parallel-axes';

const latest = (value: number): LatestMetric => ({ value, step: 0, timestamp: 0, count: 1, min: value, max: value });
const run = (id: string, params: Record<string, string>, metrics: Record<string, number> = {}) => ({
  id,
  params,
  metrics: Object.fromEntries(Object.entries(metrics).map(([key, value]) => [key, latest(value)])),
});

const sweep = [
  run('a', { lr: '0.1', optimizer: 'adam', seed: '1' }, { loss: 0.5, accuracy: 0.8 }),
  run('b', { lr: '0.01', optimizer: 'sgd', seed: '1' }, { loss: 0.3, accuracy: 0.9 }),
  run('c', { lr: '0.001', optimizer: 'adam', seed: '1' }, { loss: 0.9 }),
  run('d', { optimizer: 'rmsprop', seed: '1' }, { loss: Number.NaN, accuracy: 0.7 }),
];

describe('choosing axes', () => {
  it('offers params then metrics, and defaults to the varying params then metrics with the first metric last', () => {
    const candidates = axisCandidates(sweep);
    expect(candidates.map((one) => `${one.key}${one.varies ? '*' : ''}`)).toEqual(['param:lr*', 'param:optimizer*', 'param:seed', 'metric:accuracy*', 'metric:loss*']);
    // seed is the same for every run: an axis along it would be a single dot.
    expect(defaultAxes(candidates)).toEqual(['param:lr', 'param:optimizer', 'metric:loss', 'metric:accuracy']);
  });

  it('caps the defaults at six params and two metrics', () => {
    const params = Object.fromEntries(Array.from({ length: 8 }, (_, index) => [`p${index}`, String(index)]));
    const runs = [run('a', params, { m1: 1, m2: 2, m3: 3 }), run('b', Object.fromEntries(Object.keys(params).map((key) => [key, 'x'])), { m1: 2, m2: 3, m3: 4 })];
    const axes = defaultAxes(axisCandidates(runs));
    expect(axes).toEqual(['param:p0', 'param:p1', 'param:p2', 'param:p3', 'param:p4', 'param:p5', 'metric:m2', 'metric:m1']);
  });

  it('moves an axis to a new place, the others keeping their order', () => {
    const keys: AxisKey[] = ['param:a', 'param:b', 'param:c', 'metric:d'];
    expect(moveAxis(keys, 'metric:d', 0)).toEqual(['metric:d', 'param:a', 'param:b', 'param:c']);
    expect(moveAxis(keys, 'param:a', 2)).toEqual(['param:b', 'param:c', 'param:a', 'metric:d']);
    expect(moveAxis(keys, 'param:b', 99)).toEqual(['param:a', 'param:c', 'metric:d', 'param:b']);
    expect(moveAxis(keys, 'param:zzz', 0)).toEqual(keys);
  });
});

describe('laying out an axis', () => {
  it('reads numeric params as numbers and puts runs lacking the value on the missing tick', () => {
    const axis = buildAxis(sweep, 'param:lr');
    expect(axis).toMatchObject({ kind: 'numeric', min: 0.001, max: 0.1, present: 3, missing: 1 });
    expect(axisPosition(axis, sweep[0]!)).toBe(1);
    expect(axisPosition(axis, sweep[2]!)).toBe(0);
    expect(axisPosition(axis, sweep[3]!)).toBeNull();
  });

  it('spaces categories evenly in name order', () => {
    const axis = buildAxis(sweep, 'param:optimizer');
    expect(axis).toMatchObject({ kind: 'categorical', categories: ['adam', 'rmsprop', 'sgd'], missing: 0 });
    expect(sweep.map((one) => axisPosition(axis, one))).toEqual([0, 1, 0, 0.5]);
    expect(axisTicks(axis).map((tick) => tick.label)).toEqual(['adam', 'rmsprop', 'sgd']);
  });

  it('treats a param with one non-number (or an empty string) as categorical', () => {
    expect(buildAxis([run('a', { size: '10' }), run('b', { size: 'auto' })], 'param:size').kind).toBe('categorical');
    expect(buildAxis([run('a', { size: '10' }), run('b', { size: '' })], 'param:size').kind).toBe('categorical');
  });

  it('counts a NaN metric as missing rather than placing it', () => {
    const axis = buildAxis(sweep, 'metric:loss');
    expect(axis).toMatchObject({ kind: 'numeric', min: 0.3, max: 0.9, missing: 1 });
    expect(axisPosition(axis, sweep[3]!)).toBeNull();
  });

  it('puts every run in the middle of a constant axis, and keeps ticks inside the range', () => {
    const constant = buildAxis(sweep, 'param:seed');
    expect(axisPosition(constant, sweep[0]!)).toBe(0.5);
    expect(axisTicks(constant)).toEqual([{ position: 0.5, label: '1' }]);
    const ticks = axisTicks(buildAxis(sweep, 'metric:loss'));
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks.every((tick) => tick.position >= 0 && tick.position <= 1)).toBe(true);
  });
});

describe('brushing', () => {
  it('keeps a numeric brush in data units and filters the runs inside every brush', () => {
    const lr = buildAxis(sweep, 'param:lr');
    const brush = brushFromExtent(lr, 0.2, 0);
    expect(brush.kind).toBe('numeric');
    if (brush.kind === 'numeric') expect([brush.low, brush.high.toFixed(4)]).toEqual([0.001, '0.0208']);
    const brushes = new Map<AxisKey, AxisBrush>([['param:lr', brush]]);
    // b (0.01) and c (0.001) lie in the range; d lacks lr and never passes a brush on it.
    expect(runsPassingBrushes(sweep, [lr], brushes).map((one) => one.id)).toEqual(['b', 'c']);

    const optimizer = buildAxis(sweep, 'param:optimizer');
    brushes.set('param:optimizer', brushFromExtent(optimizer, 0.6, 1));
    expect(runsPassingBrushes(sweep, [lr, optimizer], brushes).map((one) => one.id)).toEqual(['b']);
    // A brush on an axis no longer shown does not filter.
    expect(runsPassingBrushes(sweep, [optimizer], brushes).map((one) => one.id)).toEqual(['b']);
    expect(runsPassingBrushes(sweep, [], brushes)).toHaveLength(4);
  });

  it('turns a categorical drag into the categories it covers', () => {
    const optimizer = buildAxis(sweep, 'param:optimizer');
    expect(brushFromExtent(optimizer, 0.4, 1.3)).toEqual({ kind: 'categorical', categories: ['rmsprop', 'sgd'], from: 0.4, to: 1 });
    expect(brushFromExtent(optimizer, 0.1, 0.2)).toMatchObject({ categories: [] });
  });

  it('moves a brush without letting it leave the axis', () => {
    const lr = buildAxis(sweep, 'param:lr');
    const moved = moveBrush(lr, brushFromExtent(lr, 0.2, 0.4), 0.9);
    expect(brushExtent(lr, moved).map((value) => value.toFixed(3))).toEqual(['0.800', '1.000']);
    const optimizer = buildAxis(sweep, 'param:optimizer');
    const category = moveBrush(optimizer, brushFromExtent(optimizer, 0, 0.2), 0.4);
    expect(category).toMatchObject({ categories: ['rmsprop'] });
  });
});
