import { describe, expect, it } from 'vitest';
import type { LatestMetric } from '../../shared/tracking';
import { missingColor, sequentialColor } from './run-groups';
import { describeLacking, scatterData } from './scatter-data';

const latest = (value: number): LatestMetric => ({ value, step: 0, timestamp: 0, count: 1, min: value, max: value });
const run = (id: string, params: Record<string, string>, metrics: Record<string, number>, tags: Record<string, string> = {}) => ({
  id,
  name: `run-${id}`,
  params,
  tags,
  metrics: Object.fromEntries(Object.entries(metrics).map(([key, value]) => [key, latest(value)])),
});

const runs = [
  run('a', { lr: '0.1', optimizer: 'adam' }, { loss: 1 }, { team: 'x' }),
  run('b', { lr: '0.3', optimizer: 'sgd' }, { loss: 3 }),
  run('c', { optimizer: 'sgd' }, { loss: 2 }),
  run('d', { lr: '0.2', optimizer: 'adam' }, {}),
];
const runColor = (id: string): string => `run-color-${id}`;

describe('scatter points', () => {
  it('places a numeric param against a metric and reports the runs lacking either', () => {
    const data = scatterData(runs, { x: 'param:lr', y: 'metric:loss', colorBy: null, runColor });
    expect(data.points.map((point) => [point.runId, point.x, point.y, point.xLabel, point.yLabel, point.color])).toEqual([
      ['a', 0, 0, '0.1', '1', 'run-color-a'],
      ['b', 1, 1, '0.3', '3', 'run-color-b'],
    ]);
    // d's lr (0.2) must not stretch the x axis: it is not drawn.
    expect(data.xAxis).toMatchObject({ kind: 'numeric', min: 0.1, max: 0.3 });
    expect(describeLacking(data.lacking)).toBe('1 run lacks lr; 1 run lacks loss');
  });

  it('spaces a categorical x evenly and says nothing when every run is drawn', () => {
    const data = scatterData(runs.slice(0, 3), { x: 'param:optimizer', y: 'metric:loss', colorBy: null, runColor });
    expect(data.xAxis.kind).toBe('categorical');
    expect(data.points.map((point) => point.x)).toEqual([0, 1, 1]);
    expect(describeLacking(data.lacking)).toBeNull();
  });

  it('colours by a metric on the sequential scale, by a tag with the missing grey', () => {
    const byLoss = scatterData(runs, { x: 'param:optimizer', y: 'metric:loss', colorBy: 'metric:loss', runColor });
    expect(byLoss.points.map((point) => [point.runId, point.color, point.colorLabel])).toEqual([
      ['a', sequentialColor(0), '1'],
      ['b', sequentialColor(1), '3'],
      ['c', sequentialColor(0.5), '2'],
    ]);
    const byTeam = scatterData(runs, { x: 'param:optimizer', y: 'metric:loss', colorBy: 'tag:team', runColor });
    expect(byTeam.points.map((point) => point.color)[1]).toBe(missingColor);
    expect(byTeam.points[1]!.colorLabel).toBeNull();
  });

  it('counts plural runs lacking a value', () => {
    expect(describeLacking([{ name: 'lr', count: 3 }])).toBe('3 runs lack lr');
  });
});
