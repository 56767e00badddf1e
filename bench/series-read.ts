// A 1,000-point chart of a 1,000,000-step series: the LOD read against reading every point by the
// index and down-sampling in JS (what a tracker without a pyramid has to do).
import { openWorkbench } from '../main/core/workbench';
import { medianMs, report, round, scratch } from './harness';

const total = 1_000_000;
const workbench = await openWorkbench({ home: scratch('series'), shell: 'browser', workersDir: '' });
const runId = workbench.tracking.createRun({ name: 'bench' }).id;
for (let start = 0; start < total; start += 10_000) {
  const metrics = Array.from({ length: 10_000 }, (_, offset) => ({ key: 'loss', value: start + offset === 777_777 ? 100 : Math.random(), step: start + offset, timestamp: 1 }));
  workbench.tracking.logBatch({ runId, metrics });
}

const lodMs = medianMs(9, () => workbench.tracking.series({ runId, key: 'loss', maxPoints: 1000 }));
const zoomMs = medianMs(9, () => workbench.tracking.series({ runId, key: 'loss', maxPoints: 1000, minStep: 500_000, maxStep: 600_000 }));
const points = workbench.tracking.series({ runId, key: 'loss', maxPoints: 1000 }).points;

const readAll = workbench.db.prepare('SELECT step, value FROM metric_points WHERE series_id = (SELECT id FROM metric_series WHERE key = ?) ORDER BY step');
const naiveMs = medianMs(3, () => {
  const rows = readAll.raw().all('loss') as Array<[number, number]>;
  const width = Math.ceil(rows.length / 1000);
  const out: Array<{ min: number; max: number }> = [];
  for (let i = 0; i < rows.length; i += width) {
    let min = Infinity;
    let max = -Infinity;
    for (let j = i; j < Math.min(rows.length, i + width); j++) {
      const value = rows[j]![1];
      if (value < min) min = value;
      if (value > max) max = value;
    }
    out.push({ min, max });
  }
  return out;
});
await workbench.dispose();

report({
  benchmark: 'series-read',
  seriesPoints: total,
  chartPoints: points.length,
  spikeVisible: points.some((point) => point.max === 100),
  lodMs: round(lodMs),
  zoomedRangeMs: round(zoomMs),
  readEveryPointMs: round(naiveMs),
  speedupOverReadingEveryPoint: round(naiveMs / lodMs, 1),
  goal: 'lodMs <= 50',
});
